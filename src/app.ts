/**
 * Builds the Bolt App: HTTP receiver at /slack/events with /healthz and /metrics beside it, or Socket Mode
 * when SLACK_APP_TOKEN is set. Listeners are registered by src/listeners/index.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '@slack/bolt';
import { boltLogger, boltLogLevel } from './bolt-logger.js';
import { loadBoltApp, loadSocketModeReceiver } from './bolt-modules.js';
import type { AppConfig } from './core/config/index.js';
import type { Logger } from './core/log.js';

export interface BuildAppOptions {
  config: AppConfig;
  logger: Logger;
  /** From auth.test at start (src/bot.ts): with both set Bolt never calls auth.test itself. */
  botId: string;
  botUserId: string;
  /** Answers GET /healthz: HTTP status and JSON body. */
  health: () => Promise<{ status: number; body: unknown }>;
  /** Answers GET /metrics: Prometheus text exposition. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Socket Mode: told each change of the connection's state (for /healthz). */
  onSocketState?: (state: SocketState) => void;
  /**
   * Socket Mode client's ping timeout, ms (Slack's client default 5 s). It also sets how long the
   * client waits before reconnecting after a drop, so tests shorten it.
   */
  socketPingTimeoutMs?: number;
}

export type SocketState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export function buildApp(options: BuildAppOptions): App {
  const { config, logger } = options;
  const botToken = config.slack.botToken;
  if (!botToken) throw new Error('buildApp: SLACK_BOT_TOKEN is required');
  const common = {
    token: botToken,
    botId: options.botId,
    botUserId: options.botUserId,
    tokenVerificationEnabled: false,
    // No listener reads Bolt's conversation context: its store cost a tenth of each command's
    // CPU (issue 13, round-trip profile).
    convoStore: false as const,
    logger: boltLogger(logger),
    logLevel: boltLogLevel(config.logLevel),
    // Interactive calls must not hang behind long retries: a person is waiting (slack-platform.md §6.2).
    clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig: { retries: 2, maxTimeout: 2_000 } },
  };
  const BoltApp = loadBoltApp({ socketMode: config.mode === 'socket' });
  if (config.mode === 'socket') {
    const receiver = new (closingSocketModeReceiver())({
      appToken: config.slack.appToken ?? '',
      logger: common.logger,
      logLevel: common.logLevel,
      // apps.connections.open goes where the Web API goes (SLACK_API_URL), not always to slack.com.
      installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl } },
      ...(options.socketPingTimeoutMs !== undefined
        ? { clientPingTimeout: options.socketPingTimeoutMs }
        : {}),
    });
    const tell = options.onSocketState ?? (() => {});
    const client = receiver.client;
    client.on('connecting', () => tell('connecting'));
    client.on('connected', () => tell('connected'));
    client.on('reconnecting', () => tell('reconnecting'));
    client.on('disconnected', () => tell('disconnected'));
    // A dropped socket says `close` at once; `reconnecting` only comes after the client's back-off.
    client.on('close', () => tell('reconnecting'));
    return new BoltApp({ ...common, receiver });
  }
  const metrics = options.metrics;
  return new BoltApp({
    ...common,
    signingSecret: config.slack.signingSecret ?? '',
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req: IncomingMessage, res: ServerResponse) => {
          void writeHealth(res, options.health, logger);
        },
      },
      ...(metrics
        ? [
            {
              path: '/metrics',
              method: ['GET'],
              handler: (_req: IncomingMessage, res: ServerResponse) => {
                void writeMetrics(res, metrics, logger);
              },
            },
          ]
        : []),
    ],
  });
}

/** Bolt's receiver stops without waiting for the socket to close; a clean shutdown waits for it. */
function closingSocketModeReceiver() {
  return class ClosingSocketModeReceiver extends loadSocketModeReceiver() {
    override async stop(): Promise<void> {
      await this.client.disconnect();
    }
  };
}

/**
 * Answers /healthz. A failing check answers a fixed message: the endpoint is often public, and a
 * raw error (a database URL, a host name, a token in a message) belongs in the log only.
 */
export async function writeHealth(
  res: ServerResponse,
  health: BuildAppOptions['health'],
  logger?: Logger,
): Promise<void> {
  try {
    const { status, body } = await health();
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } catch (err) {
    logger?.error({ err }, 'health check failed');
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error: 'health check failed; see the app log' }));
  }
}

/** Answers /metrics; a failure answers 500 with a fixed message (details in the log only). */
export async function writeMetrics(
  res: ServerResponse,
  metrics: NonNullable<BuildAppOptions['metrics']>,
  logger?: Logger,
): Promise<void> {
  try {
    const { contentType, body } = await metrics();
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  } catch (err) {
    logger?.error({ err }, 'metrics scrape failed');
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('metrics unavailable; see the app log\n');
  }
}
