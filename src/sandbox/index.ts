/**
 * The sandbox (`npm start` without Slack credentials, or `npm run sandbox`): the Zoho CRM
 * simulator with the demo org, the Slack workspace emulator, the app itself, unchanged, in HTTP
 * mode against both, and a page on the configured PORT (default http://127.0.0.1:3000) that
 * works like a small Slack workspace with a Zoho panel beside it.
 * Data lives under ./data/sandbox and survives a restart; `--reset` starts over.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type RunningBot, StartupError, startBot } from '../bot.js';
import type { AppConfig } from '../core/config/index.js';
import type { PollSchedule } from '../core/jobs/backoff.js';
import type { Logger } from '../core/log.js';
import { DEMO_IDS, SlackDriver, type SlackEmulator } from './slack/index.js';
import { clearDataDir, DataDirInUseError, lockDataDir } from './web/data-lock.js';
import { ensureDemoRoutingFile } from './web/routing-file.js';
import { type SandboxWeb, startSandboxWeb } from './web/server.js';
import { startSandboxSlack } from './web/workspace-file.js';
import { ZohoPanel } from './web/zoho-panel.js';
import { startZohoSimulator, type ZohoSimulator, type ZohoSimulatorOptions } from './zoho/index.js';

export interface SandboxOptions {
  config: AppConfig;
  logger: Logger;
  reset?: boolean;
  dataDir?: string;
  /** Port of the sandbox page; default `config.port` (PORT, 3000). 0 picks a free one. */
  webPort?: number;
  /** Simulator knobs (tests shorten the job delay). */
  zoho?: Pick<ZohoSimulatorOptions, 'jobDelayMs' | 'latencyMs'>;
  /** Job polling timing of the app (tests shorten it). */
  pollSchedule?: Partial<PollSchedule>;
  /** Print the addresses and how to stop (default true). */
  announce?: boolean;
  /** The app takes Slack's requests over Socket Mode (the emulator's WebSocket) instead of HTTP. */
  socketMode?: boolean;
}

export interface RunningSandbox {
  bot: RunningBot;
  zoho: ZohoSimulator;
  slack: SlackEmulator;
  driver: SlackDriver;
  web: SandboxWeb;
  /** The page's address. */
  url: string;
  signingSecret: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const { logger } = options;
  const dataDir = path.resolve(options.dataDir ?? 'data/sandbox');
  mkdirSync(dataDir, { recursive: true });
  let unlock: () => void;
  try {
    unlock = lockDataDir(dataDir);
  } catch (err) {
    throw err instanceof DataDirInUseError ? new StartupError(err.message) : err;
  }
  let zoho: ZohoSimulator;
  let slack: SlackEmulator;
  try {
    if (options.reset) clearDataDir(dataDir);
    zoho = await startZohoSimulator({ ...options.zoho, stateFile: path.join(dataDir, 'zoho-org.json') });
    slack = await startSandboxSlack(path.join(dataDir, 'slack-workspace.json'), logger).catch(async (err) => {
      await zoho.close();
      throw err;
    });
  } catch (err) {
    unlock();
    throw err;
  }
  const signingSecret = randomBytes(16).toString('hex');
  const socketMode = options.socketMode === true;
  const config = sandboxConfig(options.config, { zoho, slack, signingSecret, dataDir, socketMode });
  let bot: RunningBot;
  let web: SandboxWeb;
  try {
    bot = await startBot({
      config,
      logger,
      host: '127.0.0.1',
      ...(options.pollSchedule ? { pollSchedule: options.pollSchedule } : {}),
    });
  } catch (err) {
    await slack.close();
    await zoho.close();
    unlock();
    throw err;
  }
  const driver = new SlackDriver({
    transport: socketMode ? 'socket' : 'http',
    eventsUrl: `http://127.0.0.1:${bot.port}/slack/events`,
    signingSecret,
    emulator: slack,
  });
  try {
    web = await startSandboxWeb({
      emulator: slack,
      driver: () => driver,
      panel: new ZohoPanel(zoho),
      runMonitor: () => bot.services.monitor.runNow(),
      logger: logger.child({ component: 'sandbox-web' }),
      port: options.webPort ?? options.config.port,
    });
  } catch (err) {
    await bot.stop();
    await slack.close();
    await zoho.close();
    unlock();
    const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw inUse
      ? new StartupError(
          `port ${options.webPort ?? options.config.port} is in use: stop what runs there or set PORT`,
        )
      : err;
  }

  if (options.announce !== false) {
    console.log(
      [
        '',
        'territory-bot sandbox is running.',
        `  Open the sandbox:    ${web.url}`,
        `  Slack emulator:      ${slack.url}`,
        `  Zoho CRM simulator:  ${zoho.url} (admin: ${zoho.url}/__sim)`,
        socketMode
          ? `  App (Socket Mode):   connected to ${slack.url}; health http://127.0.0.1:${bot.port}/healthz`
          : `  App (Slack events):  http://127.0.0.1:${bot.port}/slack/events`,
        `  Data:                ${dataDir} (npm start -- --reset begins again)`,
        'Stop it with Ctrl+C.',
        '',
      ].join('\n'),
    );
  }

  let stopping: Promise<void> | null = null;
  return {
    bot,
    zoho,
    slack,
    driver,
    web,
    url: web.url,
    signingSecret,
    dataDir,
    stop() {
      stopping ??= (async () => {
        await web.close();
        await bot.stop();
        await slack.close();
        await zoho.close();
        unlock();
      })();
      return stopping;
    },
  };
}

/** The same configuration contract, filled in with the simulators' addresses and demo roles. */
export function sandboxConfig(
  base: AppConfig,
  env: {
    zoho: ZohoSimulator;
    slack: SlackEmulator;
    signingSecret: string;
    dataDir: string;
    /** Socket Mode against the emulator (its app-level token) instead of HTTP. */
    socketMode?: boolean;
  },
): AppConfig {
  return {
    ...base,
    mode: env.socketMode ? 'socket' : 'http',
    slack: {
      botToken: env.slack.botToken,
      signingSecret: env.signingSecret,
      appToken: env.socketMode ? env.slack.appToken : null,
      apiUrl: env.slack.apiUrl,
    },
    // The sandbox page takes the configured port; the app listens on a free loopback port.
    port: 0,
    zoho: {
      ...base.zoho,
      clientId: env.zoho.credentials.clientId,
      clientSecret: env.zoho.credentials.clientSecret,
      refreshToken: env.zoho.credentials.refreshToken,
      accountsUrl: env.zoho.accountsUrl,
      apiDomain: null,
    },
    databaseUrl: `sqlite:${path.join(env.dataDir, 'territory-bot.db')}`,
    channels: { ops: DEMO_IDS.opsAlerts, approvals: DEMO_IDS.approvals },
    roles: {
      approverUserIds: [DEMO_IDS.manager],
      approverUsergroup: DEMO_IDS.approvers,
      requesterUsergroup: null,
      opsUserIds: [DEMO_IDS.ops],
    },
    monitor: {
      ...base.monitor,
      // A ROUTING_CONFIG people set wins; otherwise the demo territories the page can break.
      routingConfigPath: base.monitor.routingConfigPath ?? ensureDemoRoutingFile(env.dataDir),
    },
  };
}
