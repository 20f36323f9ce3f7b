/**
 * Starts territory-bot: store, Zoho client, Slack app, assignment engine + job tracker,
 * approvals and the monitor. Used by main.ts (production), the sandbox and the e2e tests, so
 * every path runs the same wiring.
 */
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { buildApp, type SocketState, writeHealth, writeMetrics } from './app.js';
import {
  AccessService,
  accessModeNotice,
  accessSettingsFromConfig,
  IdentityMap,
  IdentityOverridesError,
  loadIdentityOverrides,
  ZohoUserDirectory,
} from './core/access/index.js';
import { ApprovalService, approvalPolicyFromConfig, CachedGroupDirectory } from './core/approvals/index.js';
import { createAssignmentService } from './core/assignment/engine-service.js';
import { RetentionPruner } from './core/audit/index.js';
import { type Clock, systemClock } from './core/clock.js';
import type { AppConfig } from './core/config/index.js';
import type { PollSchedule } from './core/jobs/backoff.js';
import type { Timers } from './core/jobs/timers.js';
import { createLogger, type Logger } from './core/log.js';
import { loadRoutingConfig, MonitorRunner, RoutingConfigError } from './core/monitor/index.js';
import { OutboxNotifier } from './core/outbox.js';
import { AccessSinglePolicy, BackgroundStarter } from './core/requests/index.js';
import { openStore } from './core/store/index.js';
import type { Store } from './core/store/types.js';
import { TerritoryCatalog } from './core/territories/index.js';
import { ZohoClient } from './core/zoho/index.js';
import type { ZohoCallObserver } from './core/zoho/observer.js';
import type { ZohoApi, ZohoUsersApi } from './core/zoho/types.js';
import { registerListeners } from './listeners/index.js';
import { BotMetrics } from './metrics/bot-metrics.js';
import { storeSnapshotSource } from './metrics/store-snapshot.js';
import { OutboxWorker } from './notify/outbox-worker.js';
import { SlackGroupDirectory } from './notify/slack-directory.js';
import { SlackNotifier } from './notify/slack-notifier.js';
import { SlackPeople } from './notify/slack-people.js';
import type { BotServices } from './slack/context.js';

export interface StartBotOptions {
  config: AppConfig;
  logger?: Logger;
  clock?: Clock;
  timers?: Timers;
  /** Tests and the sandbox may hand in a ready store or Zoho client. */
  store?: Store;
  zoho?: ZohoApi;
  /** Job polling timing (tests shorten it). */
  pollSchedule?: Partial<PollSchedule>;
  /** Host to bind the HTTP receiver to (default all interfaces; the sandbox uses loopback). */
  host?: string;
  /** Run the monitor on its cron schedule (default true; tests drive runNow instead). */
  monitorSchedule?: boolean;
  /** How often expired approvals are swept (default 1 minute). */
  expirySweepMs?: number;
  /** Socket Mode client's ping timeout (and reconnect delay), ms; tests shorten it. */
  socketPingTimeoutMs?: number;
  /**
   * Messages about requests not yet posted to Slack, for the outbox_backlog gauge (default: none
   * counted).
   */
  outboxBacklog?: () => Promise<number>;
}

export interface RunningBot {
  app: App;
  /** HTTP port of /slack/events, /healthz and /metrics (Socket Mode: /healthz and /metrics). */
  port: number;
  services: BotServices;
  /** This app's Prometheus registry (served at GET /metrics). */
  metrics: BotMetrics;
  /** Stops taking requests, lets in-flight work finish, closes the store. */
  stop(): Promise<void>;
}

export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const botToken = config.slack.botToken;
  if (!botToken) throw new StartupError('SLACK_BOT_TOKEN is required to start the Slack app');

  const identity = await slackIdentity(botToken, config.slack.apiUrl);
  // A bad routing file stops the start with the file, line and fix (DESIGN.md §5).
  const routing = await loadRoutingConfig(config.monitor.routingConfigPath).catch((err: unknown) => {
    throw err instanceof RoutingConfigError ? new StartupError(err.message) : err;
  });
  // So does a bad identity overrides file (DESIGN.md §4): file, line and problem.
  const overrides = await loadIdentityOverrides(config.access.identityOverridesPath).catch((err: unknown) => {
    throw err instanceof IdentityOverridesError ? new StartupError(err.message) : err;
  });
  const store = options.store ?? (await openStore(config.databaseUrl, { logger, clock }));
  const metrics = new BotMetrics({ logger });
  metrics.setSnapshotSource(
    storeSnapshotSource(store, options.outboxBacklog ?? (() => store.countPendingNotices())),
  );
  const zoho = options.zoho ?? zohoClientFrom(config, logger, clock, metrics);

  let services: BotServices | null = null;
  let socket: SocketState | null = config.mode === 'socket' ? 'connecting' : null;
  const app = buildApp({
    config,
    logger,
    botId: identity.botId,
    botUserId: identity.userId,
    health: async () => health(services, socket),
    metrics: () => metrics.render(),
    onSocketState: (state) => {
      if (state !== socket) logger.info({ socket: state }, 'Slack Socket Mode connection');
      socket = state;
    },
    ...(options.socketPingTimeoutMs !== undefined
      ? { socketPingTimeoutMs: options.socketPingTimeoutMs }
      : {}),
  });

  // Background posts (progress, results, alerts) may wait out Slack's rate limits; people are not
  // waiting on them, unlike listener calls (app.client).
  const background = new WebClient(botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 5, factor: 2, minTimeout: 1_000, maxTimeout: 30_000 },
    logger: app.logger,
  });
  const catalog = new TerritoryCatalog({ api: zoho, clock, logger: logger.child({ component: 'catalog' }) });
  // The outbox posts with its own client: it retries durably itself (rows in the store, honouring
  // Retry-After), so the client must hand every failure back at once instead of waiting inside.
  const outboxClient = new WebClient(botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Under the outbox lease's TTL: a post still in flight when the lease lapses could be taken
    // up by another replica.
    timeout: 5_000,
    logger: app.logger,
  });
  const slack = new SlackNotifier({
    client: background,
    outboxClient,
    store,
    config,
    logger,
    clock,
    catalog,
    zoho,
  });
  const outbox = new OutboxWorker({ store, clock, logger, deliver: (notice) => slack.deliver(notice) });
  // Core tells people through the outbox: each call writes a notice and wakes the worker.
  const notifier = new OutboxNotifier({ store, clock, wake: () => outbox.wake() });
  const assignment = createAssignmentService({
    api: zoho,
    store,
    notifier,
    clock,
    logger: logger.child({ component: 'assignment' }),
    concurrency: config.zoho.maxConcurrency,
    catalogRefresh: async () => new Set((await catalog.refresh()).list.map((t) => t.id)),
    catalog,
    schedule: options.pollSchedule,
    timers: options.timers,
    observer: metrics,
  });
  // Approved bulks, run-now bulks and single changes all start here, in the background.
  const starter = new BackgroundStarter(assignment.engine, logger.child({ component: 'requests' }));
  const policy = approvalPolicyFromConfig(config);
  const directory = new CachedGroupDirectory({ source: new SlackGroupDirectory(background), clock });
  // Who a Slack user is in Zoho, and what they may change without approval (DESIGN.md §4).
  const people = new SlackPeople(background);
  const zohoUsers = new ZohoUserDirectory({
    api: usersApiOf(zoho),
    clock,
    logger: logger.child({ component: 'identity' }),
  });
  const identityMap = new IdentityMap({
    users: zohoUsers,
    profiles: people,
    directory: people,
    overrides,
    clock,
    logger: logger.child({ component: 'identity' }),
  });
  const access = new AccessService({
    settings: accessSettingsFromConfig(config),
    identity: identityMap,
    catalog,
    zoho,
    store,
    clock,
    logger: logger.child({ component: 'access' }),
  });
  const approvals = new ApprovalService({
    store,
    notifier,
    clock,
    policy,
    directory,
    logger: logger.child({ component: 'approvals' }),
    starter,
    access,
  });
  // A single change's access policy runs after its (possibly delayed) Zoho read, in the engine.
  assignment.engine.setSinglePolicy(new AccessSinglePolicy({ access, approvals, store, notifier }));
  const monitor = new MonitorRunner({
    api: zoho,
    store,
    notifier: slack,
    cron: config.monitor.cron,
    timezone: config.monitor.timezone,
    alertRepeatHours: config.monitor.alertRepeatHours,
    routing,
    routingPath: config.monitor.routingConfigPath,
    clock,
    logger: logger.child({ component: 'monitor' }),
  });
  services = {
    config,
    logger,
    clock,
    store,
    zoho,
    catalog,
    assignment,
    approvals,
    starter,
    policy,
    directory,
    monitor,
    notifier,
    access,
  };
  registerListeners(app, services);

  let port: number;
  let healthServer: Server | null = null;
  if (config.mode === 'socket') {
    await app.start();
    healthServer = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/healthz')
        void writeHealth(res, async () => health(services, socket), logger);
      else if (req.method === 'GET' && req.url === '/metrics')
        void writeMetrics(res, () => metrics.render(), logger);
      else res.writeHead(404).end();
    });
    port = await listen(healthServer, config.port, options.host);
  } else {
    const server = (await app.start({ port: config.port, host: options.host })) as Server;
    port = (server.address() as AddressInfo).port;
  }
  outbox.start();
  await assignment.start();
  if (options.monitorSchedule !== false) monitor.start();
  // AUDIT_RETENTION_DAYS: one replica a day prunes old audit rows, resolved alerts, stale drafts.
  const retention = new RetentionPruner({
    store,
    clock,
    logger: logger.child({ component: 'retention' }),
    retentionDays: config.audit.retentionDays,
    ...(options.timers ? { timers: options.timers } : {}),
  });
  retention.start();
  const sweep = setInterval(() => {
    approvals.expireDue().catch((err: unknown) => logger.warn({ err }, 'expiring approvals failed'));
  }, options.expirySweepMs ?? 60_000);
  sweep.unref();
  logger.info({ port, mode: config.mode, store: store.dialect }, 'territory-bot started');
  const accessNotice = { accessMode: access.settings.mode, identityOverrides: overrides.bySlackUser.size };
  if (access.settings.mode === 'open') logger.warn(accessNotice, accessModeNotice(access.settings));
  else logger.info(accessNotice, accessModeNotice(access.settings));

  let stopping: Promise<void> | null = null;
  return {
    app,
    port,
    services,
    metrics,
    stop: () => {
      stopping ??= (async () => {
        logger.info('territory-bot stopping: finishing in-flight work');
        await app.stop().catch((err: unknown) => logger.warn({ err }, 'Slack receiver did not stop cleanly'));
        if (healthServer) await new Promise<void>((r) => healthServer?.close(() => r()));
        clearInterval(sweep);
        await retention.stop();
        await monitor.stop();
        await assignment.stop();
        await outbox.stop();
        slack.stop();
        if (zoho instanceof ZohoClient) await zoho.close();
        if (!options.store) await store.close();
        logger.info('territory-bot stopped');
      })();
      return stopping;
    },
  };
}

async function health(
  services: BotServices | null,
  socket: SocketState | null,
): Promise<{ status: number; body: unknown }> {
  if (!services) return { status: 503, body: { ok: false, starting: true } };
  const [pendingJobs, monitor] = await Promise.all([
    services.store.nextJobPollAt(),
    services.monitor.health(),
  ]);
  const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());
  const run = monitor.lastRun;
  // Unhealthy once two monitor periods pass without a completed run (DESIGN.md §5).
  // A socket that is reconnecting is normal (Slack refreshes them); one that gave up is not.
  const ok = monitor.ok && socket !== 'disconnected';
  return {
    status: ok ? 200 : 503,
    body: {
      ok,
      ...(socket ? { socket } : {}),
      store: services.store.dialect,
      jobsPending: pendingJobs !== null,
      monitor: {
        ok: monitor.ok,
        reason: monitor.reason,
        lastRun: run
          ? {
              startedAt: iso(run.startedAt),
              finishedAt: iso(run.finishedAt),
              ok: run.ok,
              outcome: run.outcome,
            }
          : null,
        missedPeriods: monitor.missedPeriods,
        nextRunAt: iso(monitor.nextRunAt),
      },
    },
  };
}

/** The Zoho users API: the client's own, or (a double without it) one that says what is missing. */
function usersApiOf(zoho: ZohoApi): ZohoUsersApi {
  const maybe = zoho as Partial<ZohoUsersApi>;
  if (typeof maybe.listActiveUsers === 'function')
    return { listActiveUsers: () => maybe.listActiveUsers!.call(zoho) };
  return {
    listActiveUsers: () => Promise.reject(new Error('this Zoho client cannot list users (GET /users)')),
  };
}

function zohoClientFrom(
  config: AppConfig,
  logger: Logger,
  clock: Clock,
  observer: ZohoCallObserver,
): ZohoClient {
  const { clientId, clientSecret, refreshToken } = config.zoho;
  if (!clientId || !clientSecret || !refreshToken) {
    throw new StartupError('ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN are required');
  }
  return new ZohoClient({
    accountsUrl: config.zoho.accountsUrl,
    clientId,
    clientSecret,
    refreshToken,
    apiDomain: config.zoho.apiDomain,
    maxConcurrency: config.zoho.maxConcurrency,
    clock,
    logger: logger.child({ component: 'zoho' }),
    observer,
  });
}

/** One auth.test at start: a clear error for a bad token, and the ids Bolt needs. */
async function slackIdentity(token: string, apiUrl: string): Promise<{ botId: string; userId: string }> {
  const client = new WebClient(token, { slackApiUrl: apiUrl, retryConfig: { retries: 2 } });
  try {
    const res = await client.auth.test();
    if (!res.bot_id || !res.user_id) throw new Error('auth.test did not return bot_id and user_id');
    return { botId: res.bot_id, userId: res.user_id };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    throw new StartupError(
      code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked'
        ? `Slack rejected SLACK_BOT_TOKEN (${code}): reinstall the app and copy the Bot User OAuth Token (xoxb-...)`
        : `Could not reach Slack at ${apiUrl} to check SLACK_BOT_TOKEN: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
