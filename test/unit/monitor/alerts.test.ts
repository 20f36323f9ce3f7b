import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { ALL_KINDS, type AlertKind } from '../../../src/core/monitor/alert-kinds.js';
import { type AlertEvaluation, planAlerts } from '../../../src/core/monitor/alert-plan.js';
import { AlertLifecycle } from '../../../src/core/monitor/alerts.js';
import {
  type AffectedTerritory,
  type AlertCondition,
  apiUserOutsideHierarchy,
  oauthCondition,
} from '../../../src/core/monitor/conditions.js';
import { apiUserNotMember, territoryDeleted } from '../../../src/core/monitor/territory-conditions.js';
import { openStore } from '../../../src/core/store/index.js';
import type { Store } from '../../../src/core/store/types.js';
import { ID } from '../helpers/fake-zoho.js';
import { RecordingNotifier } from './recording-notifier.js';

type Territoryish = AffectedTerritory & { id: string };
const HOUR = 3600_000;
const user = { id: '3652397000000200001', name: 'Territory Bot', email: 'territory-bot@zylker.com' };
const usWest: Territoryish = { id: ID.usWest, name: 'US West', modules: [] };
const oregon: Territoryish = { id: ID.oregon, name: 'Oregon', modules: [] };
const deleted = territoryDeleted(
  oregon,
  { file: 'routing.yaml', line: 2 },
  'reading it answers INVALID_DATA',
);
const notMember = (...affected: Territoryish[]) =>
  apiUserNotMember(usWest, affected.length ? affected : [usWest], user, { id: ID.us, name: 'US' });
const outside = apiUserOutsideHierarchy(user, { id: ID.root, name: 'Zylker' });

/** A complete run: every kind judged. */
const full = (...conditions: AlertCondition[]): AlertEvaluation => ({
  conditions,
  evaluatedKinds: ALL_KINDS,
});

describe('planAlerts (pure)', () => {
  it('a new condition fires once; an unchanged one plans nothing', () => {
    const now = Date.UTC(2026, 0, 1);
    const plan = planAlerts([], full(deleted), now, { repeatIntervalMs: 24 * HOUR });
    expect(plan.map((s) => [s.fingerprint, s.notify, s.audit])).toEqual([
      [`territory_deleted:${ID.oregon}`, ['firing'], ['alert.firing']],
    ]);
    const posted = {
      ...plan[0]!.after,
      lastNotifiedAt: now,
      channel: 'C',
      ts: '1.1',
      contentHash: plan[0]!.hash,
    };
    expect(planAlerts([posted], full(deleted), now + HOUR, { repeatIntervalMs: 24 * HOUR })).toEqual([]);
  });

  it('a kind the run did not judge is neither resolved nor re-posted', () => {
    const now = Date.UTC(2026, 0, 1);
    const [step] = planAlerts([], full(deleted), now, { repeatIntervalMs: 24 * HOUR });
    const posted = { ...step!.after, lastNotifiedAt: now, contentHash: step!.hash };
    const inconclusive: AlertEvaluation = { conditions: [], evaluatedKinds: [] };
    expect(planAlerts([posted], inconclusive, now + HOUR, { repeatIntervalMs: 24 * HOUR })).toEqual([]);
    const onlyOauth: AlertEvaluation = {
      conditions: [],
      evaluatedKinds: ['oauth_revoked', 'oauth_scope_missing', 'oauth_invalid_client'] satisfies AlertKind[],
    };
    expect(planAlerts([posted], onlyOauth, now + HOUR, { repeatIntervalMs: 24 * HOUR })).toEqual([]);
  });
});

describe('AlertLifecycle with the real store', () => {
  let store: Store;
  let clock: ManualClock;
  let notifier: RecordingNotifier;
  let alerts: AlertLifecycle;
  const make = () => new AlertLifecycle({ store, notifier, clock, repeatIntervalMs: 24 * HOUR });

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = new ManualClock(Date.UTC(2026, 0, 1, 9));
    notifier = new RecordingNotifier();
    alerts = make();
  });
  afterEach(async () => {
    await store.close();
  });

  it('firing → reminder after the repeat interval → resolved', async () => {
    await alerts.apply(full(deleted));
    expect(notifier.take()).toEqual([`firing territory_deleted:${ID.oregon}`]);
    const row = await store.getAlert(`territory_deleted:${ID.oregon}`);
    expect(row).toMatchObject({
      state: 'firing',
      channel: 'COPS',
      ts: '1767225600.000001',
      severity: 'critical',
    });
    expect(row!.lastNotifiedAt).toBe(clock.now());
    expect(row!.details).toMatchObject({
      cause: deleted.cause,
      fix: deleted.fix,
      affected: deleted.affected,
    });

    clock.advance(15 * 60_000);
    await alerts.apply(full(deleted));
    expect(notifier.take()).toEqual([]);

    clock.advance(24 * HOUR);
    await alerts.apply(full(deleted));
    const reminder = notifier.events[0]!;
    expect(notifier.take()).toEqual([`reminder territory_deleted:${ID.oregon}`]);
    expect(reminder.ts).toBe('1767225600.000001');

    clock.advance(HOUR);
    const applied = await alerts.apply(full());
    expect(applied.resolved).toEqual([`territory_deleted:${ID.oregon}`]);
    expect(notifier.take()).toEqual([`resolved territory_deleted:${ID.oregon}`]);
    const resolved = await store.getAlert(`territory_deleted:${ID.oregon}`);
    expect(resolved).toMatchObject({ state: 'resolved', resolvedAt: clock.now(), ts: '1767225600.000001' });

    const audit = (await store.listAudit({ limit: 50 })).map((a) => a.action).sort();
    expect(audit).toEqual(['alert.firing', 'alert.reminder', 'alert.resolved']);
  });

  it('a content change edits the same message; a re-fire after resolution is a new message', async () => {
    await alerts.apply(full(notMember()));
    notifier.take();
    await alerts.apply(full(notMember(usWest, oregon)));
    const [changed] = notifier.events;
    expect(notifier.take()).toEqual([`changed api_user_not_member:${ID.usWest}`]);
    expect(changed!.ts).toBe('1767225600.000001');
    await alerts.apply(full());
    await alerts.apply(full(notMember()));
    expect(notifier.take()).toEqual([
      `resolved api_user_not_member:${ID.usWest}`,
      `firing api_user_not_member:${ID.usWest}`,
    ]);
    expect((await store.getAlert(`api_user_not_member:${ID.usWest}`))!.ts).toBe('1767225600.000002');
  });

  it('inhibition: the API-user-wide alert holds back the per-territory ones and lists them', async () => {
    await alerts.apply(full(outside, notMember(), deleted));
    expect(notifier.take().sort()).toEqual([
      'firing api_user_outside_hierarchy',
      `firing territory_deleted:${ID.oregon}`,
    ]);
    const held = await store.getAlert(`api_user_not_member:${ID.usWest}`);
    expect(held).toMatchObject({ state: 'firing', inhibitedBy: 'api_user_outside_hierarchy', ts: null });
    const source = await store.getAlert('api_user_outside_hierarchy');
    expect(source!.details.heldBack).toEqual([
      { fingerprint: `api_user_not_member:${ID.usWest}`, title: held!.title, territoryId: ID.usWest },
    ]);

    // No reminder for a held-back alert.
    clock.advance(25 * HOUR);
    await alerts.apply(full(outside, notMember(), deleted));
    expect(notifier.take().sort()).toEqual([
      'reminder api_user_outside_hierarchy',
      `reminder territory_deleted:${ID.oregon}`,
    ]);

    // The user is back in one territory: the source resolves and the held-back one is posted.
    await alerts.apply(full(notMember(), deleted));
    expect(notifier.take()).toEqual([
      'resolved api_user_outside_hierarchy',
      `firing api_user_not_member:${ID.usWest}`,
    ]);
    expect(await store.getAlert(`api_user_not_member:${ID.usWest}`)).toMatchObject({ inhibitedBy: null });
  });

  it('the source alert is edited when what it holds back changes', async () => {
    await alerts.apply(full(outside, notMember()));
    expect(notifier.take()).toEqual(['firing api_user_outside_hierarchy']);
    const germany = { id: ID.germany, name: 'Germany', modules: [] };
    const notMemberGermany = apiUserNotMember(germany, [germany], user, { id: ID.emea, name: 'EMEA' });
    await alerts.apply(full(outside, notMember(), notMemberGermany));
    expect(notifier.take()).toEqual(['changed api_user_outside_hierarchy']);
    expect((await store.getAlert('api_user_outside_hierarchy'))!.details.heldBack).toHaveLength(2);
  });

  it('an OAuth failure holds back posted per-territory alerts without resolving them', async () => {
    await alerts.apply(full(deleted));
    notifier.take();
    const revoked = oauthCondition('revoked', 'invalid_code');
    const oauthRun: AlertEvaluation = {
      conditions: [revoked],
      evaluatedKinds: ['oauth_revoked', 'oauth_scope_missing', 'oauth_invalid_client'],
    };
    await alerts.apply(oauthRun);
    expect(notifier.take()).toEqual(['firing oauth_revoked']);
    expect(await store.getAlert(`territory_deleted:${ID.oregon}`)).toMatchObject({
      state: 'firing',
      inhibitedBy: 'oauth_revoked',
    });
    expect((await store.getAlert('oauth_revoked'))!.details.heldBack).toHaveLength(1);

    // Token replaced, territory still gone: OAuth resolves, the territory message stays as it was.
    await alerts.apply(full(deleted));
    expect(notifier.take()).toEqual(['resolved oauth_revoked']);
    expect(await store.getAlert(`territory_deleted:${ID.oregon}`)).toMatchObject({ inhibitedBy: null });
    const actions = (await store.listAudit({ limit: 50 })).map((a) => a.action);
    expect(actions).toContain('alert.inhibited');
    expect(actions).toContain('alert.released');
  });

  it('snooze racing a run that resolves the alert: the alert stays resolved', async () => {
    await alerts.apply(full(deleted));
    notifier.take();
    const fp = `territory_deleted:${ID.oregon}`;
    // The run resolves the alert right after the snooze has read it (another replica, or the
    // same process between two awaits).
    let resolveNow: (() => Promise<unknown>) | null = () => alerts.apply(full());
    const racing = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'getAlert') {
          return async (fingerprint: string) => {
            const read = await target.getAlert(fingerprint);
            const run = resolveNow;
            resolveNow = null;
            if (run) await run();
            return read;
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const snoozing = new AlertLifecycle({ store: racing, notifier, clock, repeatIntervalMs: 24 * HOUR });
    const result = await snoozing.snooze(fp, 'U_OPS', 48 * HOUR, true);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('already resolved') });
    expect(await store.getAlert(fp)).toMatchObject({ state: 'resolved', snoozedUntil: null });
    expect(notifier.take()).toEqual([`resolved ${fp}`]);
    // The next run does not see it firing again (no second "resolved", no re-post).
    await alerts.apply(full());
    expect(notifier.take()).toEqual([]);
  });

  it('snooze: refused for non-ops; ops silence reminders, resolution still posts', async () => {
    await alerts.apply(full(deleted));
    notifier.take();
    const fp = `territory_deleted:${ID.oregon}`;

    const refused = await alerts.snooze(fp, 'U_REP', 48 * HOUR, false);
    expect(refused).toEqual({ ok: false, reason: expect.stringContaining('Only ops can snooze') });
    expect((await store.getAlert(fp))!.snoozedUntil).toBeNull();

    const ok = await alerts.snooze(fp, 'U_OPS', 48 * HOUR, true);
    expect(ok.ok).toBe(true);
    expect(await store.getAlert(fp)).toMatchObject({
      snoozedBy: 'U_OPS',
      snoozedUntil: clock.now() + 48 * HOUR,
    });
    expect(notifier.take()).toEqual([`changed ${fp}`]);
    expect((await alerts.snooze('nope', 'U_OPS', HOUR, true)).ok).toBe(false);
    expect((await alerts.snooze(fp, 'U_OPS', -1, true)).ok).toBe(false);

    clock.advance(25 * HOUR);
    await alerts.apply(full(deleted));
    expect(notifier.take()).toEqual([]);

    clock.advance(24 * HOUR); // snooze over, last post 49 h ago
    await alerts.apply(full(deleted));
    expect(notifier.take()).toEqual([`reminder ${fp}`]);
    expect((await store.getAlert(fp))!.snoozedUntil).toBeNull();

    await alerts.snooze(fp, 'U_OPS', 48 * HOUR, true);
    notifier.take();
    await alerts.apply(full());
    expect(notifier.take()).toEqual([`resolved ${fp}`]);
    expect(await store.getAlert(fp)).toMatchObject({ state: 'resolved', snoozedUntil: null });

    const audit = await store.listAudit({ limit: 50 });
    expect(audit.filter((a) => a.action === 'alert.snoozed').map((a) => a.actor)).toEqual(['U_OPS', 'U_OPS']);
    expect(audit.filter((a) => a.action === 'alert.snooze_refused').map((a) => a.actor)).toContain('U_REP');
  });

  it('unsnooze: ops end a snooze early and reminders resume', async () => {
    const fp = `territory_deleted:${ID.oregon}`;
    await alerts.apply(full(deleted));
    await alerts.snooze(fp, 'U_OPS', 72 * HOUR, true);
    notifier.take();
    expect((await alerts.unsnooze(fp, 'U_REP', false)).ok).toBe(false);
    clock.advance(25 * HOUR);
    await alerts.apply(full(deleted));
    expect(notifier.take()).toEqual([]);
    expect((await alerts.unsnooze(fp, 'U_OPS', true)).ok).toBe(true);
    expect(notifier.take()).toEqual([`changed ${fp}`]);
    await alerts.apply(full(deleted));
    expect(notifier.take()).toEqual([`reminder ${fp}`]);
    expect((await alerts.unsnooze(fp, 'U_OPS', true)).ok).toBe(false);
  });

  it('a restart with open alerts neither re-posts nor forgets them', async () => {
    await alerts.apply(full(deleted, notMember()));
    expect(notifier.take()).toHaveLength(2);
    const restarted = make();
    clock.advance(15 * 60_000);
    await restarted.apply(full(deleted, notMember()));
    expect(notifier.take()).toEqual([]);
    await restarted.apply(full(deleted));
    expect(notifier.take()).toEqual([`resolved api_user_not_member:${ID.usWest}`]);
  });

  it('a failed post is retried by the next run; a failed resolution too', async () => {
    notifier.failNext = 1;
    const first = await alerts.apply(full(deleted));
    expect(first.events).toEqual([
      { fingerprint: `territory_deleted:${ID.oregon}`, type: 'firing', ok: false },
    ]);
    expect(await store.getAlert(`territory_deleted:${ID.oregon}`)).toMatchObject({
      state: 'firing',
      ts: null,
    });
    await alerts.apply(full(deleted));
    expect(notifier.take()).toEqual([`firing territory_deleted:${ID.oregon}`]);

    notifier.failNext = 1;
    await alerts.apply(full());
    expect((await store.getAlert(`territory_deleted:${ID.oregon}`))!.state).toBe('firing');
    await alerts.apply(full());
    expect(notifier.take()).toEqual([`resolved territory_deleted:${ID.oregon}`]);
  });
});
