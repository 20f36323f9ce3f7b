/**
 * The monitor's health endpoint and its cost: /healthz reports the last completed run and
 * turns unhealthy once two cron periods pass without one (time from a ManualClock); one run
 * against a 1,000-territory org costs a handful of Zoho calls, however many territories.
 */
import type { KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { bigSeed } from '../../src/sandbox/zoho/index.js';
import { assertBlockKitLimits } from '../../src/views/limits.js';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

const MINUTE = 60_000;

interface HealthBody {
  ok: boolean;
  monitor: {
    ok: boolean;
    reason: string | null;
    lastRun: { startedAt: string; finishedAt: string; ok: boolean; outcome: string } | null;
    missedPeriods: number;
    nextRunAt: string | null;
  };
}

async function healthz(stack: Stack): Promise<{ status: number; body: HealthBody }> {
  const res = await fetch(`http://127.0.0.1:${stack.bot.port}/healthz`);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

describe('/healthz and the monitor', () => {
  let stack: Stack;
  // On a 15-minute boundary of the default MONITOR_CRON (*/15 * * * *, UTC).
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9, 0, 0));

  beforeAll(async () => {
    stack = await startStack({ clock });
  }, 30_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('reports the last completed run and turns unhealthy after two missed periods', async () => {
    const first = await healthz(stack);
    expect(first.status).toBe(200);
    expect(first.body.monitor).toMatchObject({ ok: true, lastRun: null, missedPeriods: 0 });

    const run = await stack.bot.services.monitor.runNow();
    const after = await healthz(stack);
    expect(after.status).toBe(200);
    expect(after.body.monitor.lastRun).toMatchObject({
      startedAt: '2026-03-02T09:00:00.000Z',
      ok: true,
      outcome: run.outcome,
    });
    expect(after.body.monitor.nextRunAt).toEqual(expect.any(String));

    clock.advance(20 * MINUTE); // 09:15 passed without a run: one period missed, still healthy.
    expect((await healthz(stack)).body.monitor).toMatchObject({ ok: true, missedPeriods: 1 });

    clock.advance(13 * MINUTE); // 09:33: 09:15 and 09:30 missed.
    const late = await healthz(stack);
    expect(late.status).toBe(503);
    expect(late.body.ok).toBe(false);
    expect(late.body.monitor.missedPeriods).toBe(2);
    expect(late.body.monitor.reason).toContain('no monitor run for 2 scheduled periods');

    await stack.bot.services.monitor.runNow();
    const back = await healthz(stack);
    expect(back.status).toBe(200);
    expect(back.body.monitor.lastRun?.startedAt).toBe('2026-03-02T09:33:00.000Z');
  });
});

describe('monitor cost against a 1,000-territory org', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      zoho: { seed: bigSeed({ territories: 1000, records: 0 }) },
      monitorSchedule: false,
      // No routing file: every territory is watched.
      config: (c) => ({ ...c, monitor: { ...c.monitor, routingConfigPath: null } }),
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('one run reads the tree once, the API user once and its territories once', async () => {
    stack.zoho.resetCalls();
    const first = await stack.bot.services.monitor.runNow();
    expect(first.ok).toBe(true);
    // The first run also gets an access token (one refresh, then shared for an hour).
    expect(stack.zoho.callCount('token')).toBe(1);
    expect(stack.zoho.calls().reduce((n, c) => n + c.count, 0)).toBe(4);
    expect(first.check?.territoryCount).toBe(1000);
    expect(first.check?.watched).toHaveLength(1000);
    expect(first.firing).toEqual([]);

    stack.zoho.resetCalls();
    const run = await stack.bot.services.monitor.runNow();
    expect(run.ok).toBe(true);
    const calls = stack.zoho.calls();
    const total = calls.reduce((n, c) => n + c.count, 0);
    // Steady state (token still valid): the tree (one page of ≤ 2,000), the API user, its territories.
    expect(calls.map((c) => `${c.method} ${c.operation} ${c.count}`).sort()).toEqual([
      'GET getTerritories 1',
      'GET getUserTerritories 1',
      'GET getUsers 1',
    ]);
    expect(total).toBe(3);
    expect(run.check?.calls).toEqual({
      checkAuth: 1,
      listTerritories: 1,
      getCurrentUser: 1,
      getUserTerritories: 1,
    });
    expect(stack.slack.messages(DEMO_IDS.opsAlerts)).toHaveLength(0);
  });

  it('/territory list cuts the 1,000-territory tree within Slack limits and says how to narrow it', async () => {
    await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'list' });
    const answer = await eventually(
      () => stack.slack.responses().find((x) => JSON.stringify(x.body).includes('*Territories*: 1,000')),
      10_000,
      'list answer',
    );
    const message = { text: String(answer.body.text), blocks: answer.body.blocks as KnownBlock[] };
    assertBlockKitLimits(message);
    expect(JSON.stringify(message.blocks)).toMatch(/…and [\d,]+ more territories not shown/);
    expect(JSON.stringify(message.blocks)).not.toContain(':no_entry:');
  });
});
