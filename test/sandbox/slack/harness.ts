/** Shared setup: an emulator, a WebClient pointed at it, and a tiny real Bolt app behind its HTTP receiver. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Logger, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { expect } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { SlackDriver, type SlackEmulator, startSlackEmulator } from '../../../src/sandbox/slack/index.js';

export const SIGNING_SECRET = 'emulator-test-signing-secret';

/** Bolt logs nothing during tests; errors are collected for assertions. */
export function quietLogger(errors: unknown[] = []): Logger {
  let level = LogLevel.ERROR;
  return {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (...m: unknown[]) => {
      errors.push(m);
    },
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export function webClient(
  emulator: SlackEmulator,
  extra: ConstructorParameters<typeof WebClient>[1] = {},
): WebClient {
  return new WebClient(emulator.botToken, {
    slackApiUrl: emulator.apiUrl,
    retryConfig: { retries: 0 },
    logger: quietLogger(),
    ...extra,
  });
}

export interface Harness {
  emulator: SlackEmulator;
  app: App;
  driver: SlackDriver;
  client: WebClient;
  /** Errors Bolt logged (listener failures, unhandled errors). */
  boltErrors: unknown[];
  close(): Promise<void>;
}

/** Emulator + Bolt app (HTTP receiver, port 0; botId+botUserId so Bolt never calls auth.test). */
export async function startHarness(
  register: (app: App) => void,
  opts: { clock?: Clock; chatWritePublic?: boolean } = {},
): Promise<Harness> {
  const emulator = await startSlackEmulator({
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.chatWritePublic ? { chatWritePublic: true } : {}),
  });
  const boltErrors: unknown[] = [];
  const app = new App({
    token: emulator.botToken,
    botId: emulator.bot.botId,
    botUserId: emulator.bot.userId,
    signingSecret: SIGNING_SECRET,
    tokenVerificationEnabled: false,
    logger: quietLogger(boltErrors),
    logLevel: LogLevel.ERROR,
    clientOptions: {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    },
  });
  app.error(async (err) => {
    boltErrors.push(err);
  });
  register(app);
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const { port } = server.address() as AddressInfo;
  const driver = new SlackDriver({
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    emulator,
  });
  return {
    emulator,
    app,
    driver,
    client: webClient(emulator),
    boltErrors,
    close: async () => {
      await app.stop();
      await emulator.close();
    },
  };
}

/**
 * Waits for an asynchronous effect of the app (it keeps working after ack). Generous, because a
 * loaded 2-core CI machine can be slow; this is a wait, not a timing assertion.
 */
export function eventually<T>(probe: () => T | Promise<T>) {
  return expect.poll(probe, { timeout: 10_000, interval: 20 });
}

/** A promise plus its resolver, to let a test decide when a listener proceeds. */
export function gate<T = void>(): { promise: Promise<T>; open: (v: T) => void } {
  let open!: (v: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
