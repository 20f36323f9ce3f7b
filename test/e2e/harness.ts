/**
 * The whole product on loopback for end-to-end tests: the Zoho simulator, the Slack emulator
 * and the real app (startBot: real Bolt HTTP receiver, real store, real Zoho client), driven by
 * signed requests. No mocks between them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type RunningBot, startBot } from '../../src/bot.js';
import type { Clock } from '../../src/core/clock.js';
import { type AppConfig, loadConfig } from '../../src/core/config/index.js';
import { createLogger } from '../../src/core/log.js';
import { sandboxConfig } from '../../src/sandbox/index.js';
import {
  DEMO_IDS,
  SlackDriver,
  type SlackEmulator,
  startSlackEmulator,
} from '../../src/sandbox/slack/index.js';
import {
  startZohoSimulator,
  type ZohoSimulator,
  type ZohoSimulatorOptions,
} from '../../src/sandbox/zoho/index.js';

export { DEMO_IDS };

export interface Stack {
  zoho: ZohoSimulator;
  slack: SlackEmulator;
  bot: RunningBot;
  driver: SlackDriver;
  config: AppConfig;
  dataDir: string;
  logs: string[];
  /** Stops the app only (store stays on disk) and starts it again: a restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  zoho?: ZohoSimulatorOptions;
  config?: (c: AppConfig) => AppConfig;
  /** The app's clock (e.g. a ManualClock to reach reminder or health deadlines). */
  clock?: Clock;
  /** Run the monitor on its cron schedule (default true); false: tests call runNow. */
  monitorSchedule?: boolean;
  /**
   * How Slack reaches the app: signed HTTP requests (default) or Socket Mode through the
   * emulator's WebSocket (the driver speaks either with the same API).
   */
  transport?: Transport;
  /**
   * ACCESS_MODE for this stack. Default `open`: the flow tests (bulk, approval, monitor, replicas)
   * exercise the pipeline with whichever demo person and record suits them; the access policy
   * has its own end-to-end tests (access-*.test.ts) in `zoho` mode with the demo personas.
   */
  accessMode?: AppConfig['access']['mode'];
  /** Bot scopes missing from the emulator's install (e.g. users:read.email). */
  missingScopes?: string[];
}

export type Transport = 'http' | 'socket';

const SIGNING_SECRET = 'e2e-signing-secret';

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'territory-e2e-'));
  const zoho = await startZohoSimulator({ jobDelayMs: 50, ...options.zoho });
  const slack = await startSlackEmulator(
    options.missingScopes ? { missingScopes: options.missingScopes } : {},
  );
  const base = loadConfig({ LOG_LEVEL: 'info' });
  if (!base.ok) throw new Error(base.problems.join('\n'));
  const transport = options.transport ?? 'http';
  let config = sandboxConfig(base.config, {
    zoho,
    slack,
    signingSecret: SIGNING_SECRET,
    dataDir,
    socketMode: transport === 'socket',
  });
  config = { ...config, access: { ...config.access, mode: options.accessMode ?? 'open' } };
  if (options.config) config = options.config(config);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger('info', sink);
  const pollSchedule = { firstDelayMs: 30, maxDelayMs: 200, recheckDelayMs: 50, timeoutMs: 5_000 };
  const launch = () =>
    startBot({
      config,
      logger,
      host: '127.0.0.1',
      pollSchedule,
      // Reconnects after a drop come this soon (Slack's client waits 5 s by default).
      socketPingTimeoutMs: 1_000,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.monitorSchedule !== undefined ? { monitorSchedule: options.monitorSchedule } : {}),
    });
  let bot = await launch();
  const driverFor = (b: RunningBot) =>
    new SlackDriver({
      transport,
      eventsUrl: `http://127.0.0.1:${b.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      emulator: slack,
    });
  const stack: Stack = {
    zoho,
    slack,
    bot,
    driver: driverFor(bot),
    config,
    dataDir,
    logs,
    async restart() {
      await stack.bot.stop();
      bot = await launch();
      stack.bot = bot;
      stack.driver = driverFor(bot);
    },
    async close() {
      await stack.bot.stop();
      await slack.close();
      await zoho.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Waits until `probe` returns a value (not undefined/null/false), polling real time. */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
