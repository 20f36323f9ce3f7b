import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Clock, ManualClock } from '../../../src/core/clock.js';
import { parseRoutingConfig } from '../../../src/core/monitor/routing.js';
import { MONITOR_LEASE, type MonitorOptions, MonitorRunner } from '../../../src/core/monitor/runner.js';
import { MonitorScheduleError, validateSchedule } from '../../../src/core/monitor/schedule-check.js';
import { openStore } from '../../../src/core/store/index.js';
import type { Store } from '../../../src/core/store/types.js';
import { ZohoApiError, ZohoAuthError } from '../../../src/core/zoho/errors.js';
import { FakeZoho, ID } from '../helpers/fake-zoho.js';
import { RecordingNotifier } from './recording-notifier.js';

describe('validateSchedule', () => {
  it('accepts 5 and 6 fields and IANA zones', () => {
    expect(() => validateSchedule('*/15 * * * *', 'UTC')).not.toThrow();
    expect(() => validateSchedule('0 */5 * * * *', 'Europe/Berlin')).not.toThrow();
  });

  it('names what is wrong, both at once', () => {
    expect(() => validateSchedule('61 * * * *', 'UTC')).toThrow(/MONITOR_CRON "61 \* \* \* \*".*minute/);
    expect(() => validateSchedule('*/15 * * * *', 'Mars/Base')).toThrow(
      'MONITOR_TIMEZONE "Mars/Base" is not an IANA time zone',
    );
    try {
      validateSchedule('every 15 minutes', 'Mars/Base');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MonitorScheduleError);
      expect((err as Error).message.split('\n')).toHaveLength(2);
    }
  });
});

describe('MonitorRunner', () => {
  let store: Store;
  let zoho: FakeZoho;
  let notifier: RecordingNotifier;
  let clock: ManualClock;
  const monitors: MonitorRunner[] = [];
  const monitor = (over: Partial<MonitorOptions> = {}) => {
    const m = new MonitorRunner({
      api: zoho,
      store,
      notifier,
      clock,
      cron: '*/15 * * * *',
      timezone: 'UTC',
      alertRepeatHours: 24,
      routing: null,
      ...over,
    });
    monitors.push(m);
    return m;
  };

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    zoho = new FakeZoho();
    notifier = new RecordingNotifier();
    clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  });
  afterEach(async () => {
    for (const m of monitors.splice(0)) await m.stop();
    await store.close();
    vi.useRealTimers();
  });

  it("makes a scheduled run's Zoho calls in the background lane, and /territory health's with people", async () => {
    const m = monitor();
    await m.tick();
    expect(zoho.laneCalls.length).toBeGreaterThan(0);
    expect(zoho.laneCalls.every((c) => c.lane === 'background')).toBe(true);
    zoho.laneCalls.length = 0;
    await m.runNow();
    expect(zoho.laneCalls).toEqual([]);
    expect(zoho.counts.listTerritories).toBe(2);
  });

  it('refuses an invalid schedule at construction', () => {
    expect(() => monitor({ timezone: 'Mars/Base' })).toThrow(MonitorScheduleError);
    expect(() => monitor({ cron: '* * *' })).toThrow(/MONITOR_CRON/);
  });

  it('runNow: checks, alerts and a recorded run', async () => {
    const m = monitor();
    const healthy = await m.runNow();
    expect(healthy).toMatchObject({ ok: true, alertsUpdated: true, trigger: 'manual', firing: [] });
    expect(healthy.outcome).toBe('8 territories, 8 watched, no alert firing');
    expect(healthy.check?.calls).toEqual({
      checkAuth: 1,
      listTerritories: 1,
      getCurrentUser: 1,
      getUserTerritories: 1,
    });

    zoho.deleteTerritory(ID.germany);
    clock.advance(60_000);
    const broken = await m.runNow();
    expect(broken.firing.map((a) => a.fingerprint)).toEqual([`territory_deleted:${ID.germany}`]);
    expect(notifier.take()).toEqual([`firing territory_deleted:${ID.germany}`]);
    const run = await store.lastMonitorRun();
    expect(run).toMatchObject({ ok: true, startedAt: clock.now(), outcome: broken.outcome });
    expect(run!.details).toMatchObject({ trigger: 'manual', firing: [`territory_deleted:${ID.germany}`] });

    // Every territory watched: the deletion is announced once, then the name list is updated.
    clock.advance(60_000);
    await m.runNow();
    expect(notifier.take()).toEqual([`resolved territory_deleted:${ID.germany}`]);
  });

  it('an inconclusive run (throttled refresh) is recorded as not ok and changes no alert', async () => {
    const m = monitor();
    zoho.memberships.clear();
    await m.runNow();
    expect(notifier.take()).toEqual(['firing api_user_outside_hierarchy']);
    zoho.memberships.add(ID.root);
    zoho.authError = new ZohoAuthError('throttled', 'Access Denied');
    const r = await m.runNow();
    expect(r.ok).toBe(false);
    expect(r.outcome).toMatch(/^inconclusive: Zoho throttled the token refresh/);
    expect(notifier.take()).toEqual([]);
    expect((await store.lastMonitorRun())!.ok).toBe(false);
    zoho.authError = null;
    await m.runNow();
    expect(notifier.take()).toEqual(['resolved api_user_outside_hierarchy']);
  });

  it('an hour of inconclusive runs raises one monitor_inconclusive alert; a good run resolves it', async () => {
    const m = monitor();
    await m.runNow();
    zoho.failures.listTerritories = new ZohoApiError('INTERNAL_ERROR', 'boom', 500);
    for (let i = 0; i < 4; i++) {
      clock.advance(15 * 60_000);
      await m.runNow();
    }
    expect(notifier.take()).toEqual([]);
    clock.advance(15 * 60_000);
    const blind = await m.runNow();
    expect(notifier.take()).toEqual(['firing monitor_inconclusive']);
    expect(blind.firing[0]!.details.cause).toContain('INTERNAL_ERROR');
    clock.advance(15 * 60_000);
    await m.runNow();
    expect(notifier.take()).toEqual([]);
    delete zoho.failures.listTerritories;
    clock.advance(15 * 60_000);
    await m.runNow();
    expect(notifier.take()).toEqual(['resolved monitor_inconclusive']);
  });

  it('a deletion whose post failed stays known until it is announced', async () => {
    const m = monitor();
    await m.runNow();
    zoho.deleteTerritory(ID.germany);
    notifier.failNext = 1;
    await m.runNow();
    expect(notifier.take()).toEqual([]);
    await m.runNow();
    expect(notifier.take()).toEqual([`firing territory_deleted:${ID.germany}`]);
    await m.runNow();
    expect(notifier.take()).toEqual([`resolved territory_deleted:${ID.germany}`]);
    const resolved = await store.getAlert(`territory_deleted:${ID.germany}`);
    expect(resolved!.details.resolution).toContain('no routing file pins this territory');
  });

  it('two monitors on one store: only the lease holder runs and updates alerts', async () => {
    zoho.deleteTerritory(ID.germany);
    const routing = parseRoutingConfig(`territories:\n  - id: "${ID.germany}"\n`, 'routing.yaml');
    const a2 = monitor({ holderId: 'replica-a', routing });
    const b2 = monitor({ holderId: 'replica-b', routing });
    expect((await a2.tick())?.alertsUpdated).toBe(true);
    expect(await b2.tick()).toMatchObject({
      alertsUpdated: false,
      outcome: 'skipped: another replica runs the monitor',
    });
    expect(notifier.take()).toEqual([`firing territory_deleted:${ID.germany}`]);
    const manual = await b2.runNow();
    expect(manual.alertsUpdated).toBe(false);
    expect(manual.note).toContain('Another replica');
    expect(manual.check?.conditions.map((c) => c.fingerprint)).toEqual([`territory_deleted:${ID.germany}`]);
    expect(manual.firing.map((f) => f.fingerprint)).toEqual([`territory_deleted:${ID.germany}`]);
    expect(notifier.take()).toEqual([]);
    // Only replica-a's run was recorded.
    expect((await store.lastMonitorRun())!.details.holder).toBe('replica-a');

    // replica-a stops: it hands the lease over and replica-b takes the next tick.
    await a2.stop();
    expect((await b2.tick())?.alertsUpdated).toBe(true);
    expect(notifier.take()).toEqual([]);
  });

  it('a restart with open alerts does not re-post them', async () => {
    zoho.memberships = new Set([ID.us]);
    const routing = parseRoutingConfig(
      'territories:\n  - name: US West\n  - name: Germany\n',
      'routing.yaml',
    );
    const first = monitor({ routing, holderId: 'replica-a' });
    await first.runNow();
    expect(notifier.take()).toEqual([`firing api_user_not_member:${ID.germany}`]);
    await first.stop();

    const second = monitor({ routing, holderId: 'replica-a-restarted' });
    clock.advance(15 * 60_000);
    const r = await second.runNow();
    expect(r.firing.map((a) => a.fingerprint)).toEqual([`api_user_not_member:${ID.germany}`]);
    expect(notifier.take()).toEqual([]);
  });

  it('never overlaps: a tick during a run is skipped and runNow joins the run', async () => {
    const m = monitor();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const list = zoho.listTerritories.bind(zoho);
    zoho.listTerritories = async () => {
      await gate;
      return list();
    };
    const running = m.runNow();
    await vi.waitFor(() => expect(zoho.counts.checkAuth).toBe(1));
    expect(await m.tick()).toBeNull();
    const joined = m.runNow();
    release();
    const [r1, r2] = await Promise.all([running, joined]);
    expect(r2).toBe(r1);
    expect(zoho.counts.listTerritories).toBe(1);
  });

  it('reads the routing file again each run; a broken edit is an alert and the last valid file stays', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'monitor-'));
    const path = join(dir, 'routing.yaml');
    await writeFile(path, `territories:\n  - id: "${ID.germany}"\n`);
    const m = monitor({
      routing: parseRoutingConfig(`territories:\n  - id: "${ID.germany}"\n`, path),
      routingPath: path,
    });
    expect((await m.runNow()).check?.watched.map((w) => w.id)).toEqual([ID.germany]);

    await writeFile(path, `territories:\n  - id: ${ID.germany}\n`);
    const broken = await m.runNow();
    expect(notifier.take()).toEqual(['firing routing_file_invalid']);
    expect(broken.firing[0]!.details.cause).toContain('unquoted number');
    expect(broken.check?.watched.map((w) => w.id)).toEqual([ID.germany]);

    await writeFile(path, `territories:\n  - name: US West\n`);
    const fixed = await m.runNow();
    expect(notifier.take()).toEqual(['resolved routing_file_invalid']);
    expect(fixed.check?.watched.map((w) => w.name)).toEqual(['US West']);
  });
});

describe('MonitorRunner on the cron clock (fake timers)', () => {
  let store: Store;
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
  });

  it('runs on the schedule, and reports missed periods when runs stop', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 8, 59, 0) });
    store = await openStore('sqlite::memory:');
    const clock: Clock = { now: () => Date.now() };
    const m = new MonitorRunner({
      api: new FakeZoho(),
      store,
      notifier: new RecordingNotifier(),
      clock,
      cron: '*/15 * * * *',
      timezone: 'UTC',
      alertRepeatHours: 24,
      routing: null,
      holderId: 'replica-a',
    });
    expect(m.expectedPeriodMs).toBe(15 * 60_000);
    await m.start();
    expect((await m.health()).nextRunAt).toBe(Date.UTC(2026, 0, 5, 9, 0, 0));

    await vi.advanceTimersByTimeAsync(3 * 60_000); // 09:02
    const run = await store.lastMonitorRun();
    expect(run?.startedAt).toBe(Date.UTC(2026, 0, 5, 9, 0, 0));
    expect(await m.health()).toMatchObject({ ok: true, missedPeriods: 0 });

    // A replica that died holding the lease: this one's ticks are skipped, nothing is recorded.
    await store.releaseLease(MONITOR_LEASE, 'replica-a');
    await store.acquireLease(MONITOR_LEASE, 'dead-replica', 10 * 3600_000, Date.now());
    await vi.advanceTimersByTimeAsync(15 * 60_000); // 09:17: the 09:15 tick was skipped (2 min grace over)
    expect(await m.health()).toMatchObject({ ok: true, missedPeriods: 1 });
    await vi.advanceTimersByTimeAsync(15 * 60_000); // 09:32: 09:15 and 09:30 missed
    const h = await m.health();
    expect(h).toMatchObject({ ok: false, missedPeriods: 2 });
    expect(h.reason).toContain('2 scheduled periods');
    expect((await store.lastMonitorRun())?.startedAt).toBe(Date.UTC(2026, 0, 5, 9, 0, 0));

    await m.stop();
    expect(await m.health()).toMatchObject({ ok: false, reason: 'the monitor is not running' });
  });

  it('honours the timezone', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 12, 0, 0) });
    store = await openStore('sqlite::memory:');
    const m = new MonitorRunner({
      api: new FakeZoho(),
      store,
      notifier: new RecordingNotifier(),
      cron: '0 9 * * *',
      timezone: 'Asia/Tokyo',
      alertRepeatHours: 24,
      routing: null,
    });
    await m.start();
    // 09:00 in Tokyo is 00:00 UTC.
    expect((await m.health()).nextRunAt).toBe(Date.UTC(2026, 0, 6, 0, 0, 0));
    expect(m.expectedPeriodMs).toBe(24 * 3600_000);
    await m.stop();
  });
});
