/**
 * `npm start -- --socket-mode`: the sandbox with the app in Socket Mode against the emulator.
 * The page's API drives the same journeys; its requests travel over the app's WebSocket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config/index.js';
import { createLogger } from '../../src/core/log.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { DEMO_IDS } from '../../src/sandbox/slack/index.js';

describe('sandbox in Socket Mode', () => {
  let dataDir: string;
  let s: RunningSandbox;
  beforeAll(async () => {
    const base = loadConfig({ LOG_LEVEL: 'silent' }, { sandbox: true });
    if (!base.ok) throw new Error(base.problems.join('\n'));
    dataDir = mkdtempSync(path.join(tmpdir(), 'territory-socket-sandbox-'));
    s = await startSandbox({
      config: base.config,
      logger: createLogger('silent'),
      dataDir,
      webPort: 0,
      announce: false,
      zoho: { jobDelayMs: 50 },
      socketMode: true,
    });
  }, 30_000);
  afterAll(async () => {
    await s?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('connects the app over the emulator socket and answers a command typed on the page', async () => {
    expect(s.bot.services.config.mode).toBe('socket');
    expect(s.slack.socketMode.connections()).toBe(1);
    const before = s.slack.socketMode.connectionCount();
    const res = await fetch(`${s.url}/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'help' }),
    });
    expect(await res.json()).toEqual({ status: 200, ackProblems: [] });
    expect(s.slack.ephemerals(DEMO_IDS.rep, DEMO_IDS.sales).at(-1)?.text).toMatch(/territory/i);
    // It went over the socket: nothing reconnected, and the app has no /slack/events to post to.
    expect(s.slack.socketMode.connectionCount()).toBe(before);
    const events = await fetch(`http://127.0.0.1:${s.bot.port}/slack/events`, { method: 'POST' });
    expect(events.status).toBe(404);
  });
});
