/**
 * Faults against the Zoho simulator, through the engine (issue 11 items 4 and 6): a single
 * change stored before its first read outlives an outage (told it waits, runs once Zoho is
 * back, one write), fails clearly past the ceiling, waits out a revoked refresh token until it
 * is restored; a bulk gets through a 429 storm and a 5xx burst with every record written once.
 * Time is a ManualClock and the sweep is called by hand, so minutes of outage take milliseconds.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { transitionRule } from '../../../src/core/approvals/request-lifecycle.js';
import { createAssignmentService } from '../../../src/core/assignment/engine-service.js';
import type { SinglePolicy, SinglePolicyDecision } from '../../../src/core/assignment/single-check.js';
import { ManualClock } from '../../../src/core/clock.js';
import type { Timers } from '../../../src/core/jobs/timers.js';
import { createLogger } from '../../../src/core/log.js';
import type { RequestNotifier } from '../../../src/core/notify.js';
import type { RequestGateDeps } from '../../../src/core/requests/gate.js';
import { BackgroundStarter, startSingle } from '../../../src/core/requests/index.js';
import { openStore } from '../../../src/core/store/index.js';
import type { NewRequestItem, Store } from '../../../src/core/store/types.js';
import { TerritoryCatalog } from '../../../src/core/territories/index.js';
import { ZohoClient } from '../../../src/core/zoho/index.js';
import { bigSeed, startZohoSimulator, type ZohoSimulator } from '../../../src/sandbox/zoho/index.js';

const logger = createLogger('silent');
let sim: ZohoSimulator | null = null;
let store: Store | null = null;
let stop: (() => Promise<void>) | null = null;

afterEach(async () => {
  await stop?.();
  await store?.close();
  await sim?.close();
  stop = null;
  store = null;
  sim = null;
});

class Told implements RequestNotifier {
  readonly created: string[] = [];
  readonly finished: string[] = [];
  requestCreated = async (id: string) => {
    this.created.push(id);
  };
  requestUpdated = async () => {};
  requestFinished = async (id: string) => {
    this.finished.push(id);
  };
  approvalRequested = async () => {};
  approvalDecided = async () => {};
}

/** ACCESS_MODE=open, no requester group: everyone may ask, nobody is looked up. */
const openGate: RequestGateDeps = {
  approvals: { checkRequester: async () => ({ ok: true }) },
  access: {
    settings: { mode: 'open' },
    identify: async () => {
      throw new Error('open mode looks nobody up');
    },
  } as unknown as RequestGateDeps['access'],
};

/** Timers that never fire: the test moves time with the clock and calls the sweep itself. */
const stillTimers: Timers = { setTimeout: () => ({}), clearTimeout: () => {} };

async function setup(records: number, options: { ceilingMs?: number } = {}) {
  sim = await startZohoSimulator({ seed: bigSeed({ territories: 10, records }), jobDelayMs: 60_000 });
  store = await openStore('sqlite::memory:');
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
  const api = new ZohoClient({
    accountsUrl: sim.accountsUrl,
    ...sim.credentials,
    apiDomain: sim.apiDomain,
    logger,
    clock,
    retry: { random: () => 0.5, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const told = new Told();
  const catalog = new TerritoryCatalog({ api, clock });
  const service = createAssignmentService({
    api,
    store,
    notifier: told,
    clock,
    logger,
    random: () => 0.5,
    sweepMs: 0,
    timers: stillTimers,
    catalog,
    ...(options.ceilingMs !== undefined ? { zohoWait: { ceilingMs: options.ceilingMs } } : {}),
  });
  stop = () => service.stop();
  const territory = sim.territories().at(-1)!;
  const accounts = sim.records('Accounts').map((r) => r.id);
  const starter = new BackgroundStarter(service.engine, logger);
  const ask = (recordId: string) =>
    startSingle(
      { ...openGate, requests: service.engine, starter },
      {
        action: 'assign',
        recordText: `Accounts/${recordId}`,
        territories: territory.name,
        requesterId: 'U_REP',
        originChannelId: 'C_SALES',
      },
    );
  return { sim, store, clock, told, territory: territory.id, accounts, ask, ...service };
}

/** Assign calls Zoho accepted (2xx), per record: a record written twice would show 2. */
function acceptedWrites(s: ZohoSimulator): Map<string, number> {
  const out = new Map<string, number>();
  for (const call of s.requestLog().filter((c) => c.operation === 'assignTerritories' && c.status < 300)) {
    for (const d of (call.requestBody as { data: Array<{ id: string }> }).data) {
      out.set(d.id, (out.get(d.id) ?? 0) + 1);
    }
  }
  return out;
}

async function finishJobs(t: Awaited<ReturnType<typeof setup>>) {
  t.sim.completeJobsNow();
  t.clock.advance(120_000);
  await t.tracker.pollOnce();
  await t.engine.idle();
}

describe('a single change when Zoho is down', () => {
  it('is stored before its first read, told it waits, and runs once Zoho is back: one write', async () => {
    const t = await setup(1);
    const [recordId] = t.accounts;
    // Zoho answers 500 to every API call (the catalog read included) until cleared.
    t.sim.faults.failNext({ count: 1_000_000, status: 500 });

    const answer = await t.ask(recordId!);
    expect(answer).toMatchObject({ ok: true, waiting: { problem: expect.stringMatching(/HTTP 5\d\d/) } });
    if (!answer.ok) return;
    const id = answer.requestId;
    expect(await t.store.getRequest(id)).toMatchObject({ state: 'waiting_for_zoho', kind: 'assign' });
    expect(await t.store.getItem(id, 0)).toMatchObject({ state: 'pending', recordId });
    // The parent message ("waiting for Zoho") was posted: the result will come in its thread.
    expect(t.told.created).toEqual([id]);

    // Minutes pass, Zoho still down: it keeps waiting, nothing is sent.
    for (let i = 0; i < 5; i++) {
      t.clock.advance(61_000);
      await t.engine.sweep();
    }
    expect((await t.store.getRequest(id))!.state).toBe('waiting_for_zoho');
    expect(t.sim.callCount('assignTerritories')).toBe(0);

    t.sim.faults.clear();
    t.clock.advance(61_000);
    await t.engine.sweep();
    await t.engine.idle();
    expect(t.sim.callCount('assignTerritories')).toBe(1);
    await finishJobs(t);
    expect((await t.store.getRequest(id))!.state).toBe('done');
    expect(await t.store.getItem(id, 0)).toMatchObject({ state: 'done', territoryIds: [t.territory] });
    expect(t.told.finished).toEqual([id]);
    expect(t.told.created).toEqual([id]);
    expect(acceptedWrites(t.sim).get(recordId!)).toBe(1);
    const audit = (await t.store.listAudit({ requestId: id })).map((a) => a.action);
    expect(audit).toEqual(
      expect.arrayContaining(['request.created', 'request.waiting_for_zoho', 'request.planned']),
    );
  });

  it('fails with a clear message once the ceiling passes, having sent nothing', async () => {
    const t = await setup(1, { ceilingMs: 5 * 60_000 });
    t.sim.faults.failNext({ count: 1_000_000, status: 500 });
    const answer = await t.ask(t.accounts[0]!);
    if (!answer.ok) throw new Error('expected the request to be stored');
    for (let i = 0; i < 6; i++) {
      t.clock.advance(61_000);
      await t.engine.sweep();
    }
    expect((await t.store.getRequest(answer.requestId))!.state).toBe('failed');
    expect(await t.store.getItem(answer.requestId, 0)).toMatchObject({
      state: 'failed',
      code: 'ZOHO_UNAVAILABLE',
      message: expect.stringMatching(/could not be reached for 5 minutes.*Nothing was changed in Zoho/),
    });
    expect(t.told.finished).toEqual([answer.requestId]);
    expect(t.sim.callCount('assignTerritories')).toBe(0);
  });

  it('refresh token revoked: waits with a clear reason; runs once the token is restored', async () => {
    const t = await setup(1);
    t.sim.faults.revokeRefreshToken();
    t.sim.faults.expireAccessTokens();
    const answer = await t.ask(t.accounts[0]!);
    expect(answer).toMatchObject({ ok: true, waiting: { problem: expect.stringMatching(/credentials/) } });
    if (!answer.ok) return;
    t.clock.advance(61_000);
    await t.engine.sweep();
    expect((await t.store.getRequest(answer.requestId))!.state).toBe('waiting_for_zoho');

    t.sim.faults.restoreRefreshToken();
    t.clock.advance(61_000);
    await t.engine.sweep();
    await t.engine.idle();
    await finishJobs(t);
    expect((await t.store.getRequest(answer.requestId))!.state).toBe('done');
    expect(acceptedWrites(t.sim).get(t.accounts[0]!)).toBe(1);
  });

  it('Zoho answering at once: planned and started in the same call, as before', async () => {
    const t = await setup(1);
    const answer = await t.ask(t.accounts[0]!);
    expect(answer).toEqual({ ok: true, requestId: expect.any(String), pendingApproval: false });
    // Started in the background, like every single change.
    await vi.waitFor(() => expect(t.sim!.callCount('assignTerritories')).toBe(1));
    expect(t.told.created).toHaveLength(1);
  });
});

async function seedBulk(s: Store, recordIds: readonly string[], territoryId: string): Promise<string> {
  const rows: NewRequestItem[] = recordIds.map((recordId, seq) => ({
    seq,
    lineNo: seq + 1,
    module: 'Accounts',
    recordId,
    action: 'assign',
    territoryIds: [territoryId],
    removeTerritoryIds: [],
    before: [],
  }));
  await s.createRequest(
    {
      id: 'req-bulk',
      kind: 'bulk',
      state: 'approved',
      requesterId: 'U_REP',
      originChannelId: 'C1',
      reason: 'faults',
      itemCount: rows.length,
      summary: {},
      createdAt: Date.UTC(2026, 0, 5),
      expiresAt: null,
    },
    rows,
  );
  return 'req-bulk';
}

/** Runs the bulk's retries until nothing waits (each round: time passes, the sweep moves it). */
async function driveBulk(t: Awaited<ReturnType<typeof setup>>, id: string) {
  await t.engine.run(id);
  for (let i = 0; i < 20 && ((await t.store.countItemsByState(id)).retry ?? 0) > 0; i++) {
    t.clock.advance(61_000);
    await t.engine.sweep();
    await t.engine.idle();
  }
  await finishJobs(t);
}

describe('faults during a bulk', () => {
  it('a 429 storm on the writes: every item done, every record written once', async () => {
    const t = await setup(250);
    const id = await seedBulk(t.store, t.accounts, t.territory);
    t.sim.faults.failNext({ count: 8, status: 429, pathPrefix: '/Accounts/actions' });
    await driveBulk(t, id);
    expect(await t.store.countItemsByState(id)).toEqual({ done: 250 });
    const writes = acceptedWrites(t.sim);
    expect(writes.size).toBe(250);
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    expect(t.told.finished).toEqual([id]);
  });

  it('a 5xx burst on the writes: checked before any resend, every record written once', async () => {
    const t = await setup(250);
    const id = await seedBulk(t.store, t.accounts, t.territory);
    t.sim.faults.failNext({ count: 2, status: 500, pathPrefix: '/Accounts/actions' });
    t.sim.faults.failNext({ count: 1, status: 500, pathPrefix: '/Accounts/actions', afterApplying: true });
    await driveBulk(t, id);
    expect(await t.store.countItemsByState(id)).toEqual({ done: 250 });
    const writes = acceptedWrites(t.sim);
    // The 500-after-applying batch was accepted by Zoho without our seeing it: it counts once, never twice.
    const applied = new Map(writes);
    for (const r of t.sim.records('Accounts')) {
      expect(r.territories.map((x) => x.territoryId)).toEqual([t.territory]);
      expect(applied.get(r.id) ?? 0).toBeLessThanOrEqual(1);
    }
    expect(t.told.finished).toEqual([id]);
  });
});

describe('Zoho down for minutes in the middle of a bulk', () => {
  it('items wait (not failed after 8 tries), then finish once Zoho is back; one write per record', async () => {
    const t = await setup(150);
    const id = await seedBulk(t.store, t.accounts, t.territory);
    t.sim.faults.failNext({ count: 1_000_000, status: 500 });
    await t.engine.run(id);
    // Twelve minutes of outage: well past the 8 checks an item gets for its own errors.
    for (let i = 0; i < 12; i++) {
      t.clock.advance(61_000);
      await t.engine.sweep();
      await t.engine.idle();
    }
    const waiting = await t.store.countItemsByState(id);
    expect(waiting.failed ?? 0).toBe(0);
    expect((await t.store.getRequest(id))!.state).toBe('running');
    const item = await t.store.getItem(id, 0);
    expect(item!.message).toMatch(/Zoho is busy|Could not reach Zoho/);

    t.sim.faults.clear();
    await driveBulk(t, id);
    expect(await t.store.countItemsByState(id)).toEqual({ done: 150 });
    const writes = acceptedWrites(t.sim);
    expect(writes.size).toBe(150);
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    expect(t.told.finished).toEqual([id]);
  });

  it('refresh token revoked mid-run: items wait with the reason, and finish once it is restored', async () => {
    const t = await setup(150);
    const id = await seedBulk(t.store, t.accounts, t.territory);
    t.sim.faults.revokeRefreshToken();
    t.sim.faults.expireAccessTokens();
    await t.engine.run(id);
    const item = await t.store.getItem(id, 0);
    expect(item).toMatchObject({ state: 'retry', code: 'AUTH_REVOKED' });
    expect(item!.message).toMatch(/ops must check the Zoho connection/);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(61_000);
      await t.engine.sweep();
      await t.engine.idle();
    }
    expect((await t.store.countItemsByState(id)).failed ?? 0).toBe(0);
    t.sim.faults.restoreRefreshToken();
    await driveBulk(t, id);
    expect(await t.store.countItemsByState(id)).toEqual({ done: 150 });
    expect([...acceptedWrites(t.sim).values()].every((n) => n === 1)).toBe(true);
  });
});

describe('a single change and the access policy (run after the Zoho read, which may wait)', () => {
  /** A policy that answers `decision` and submits drafts the way submitDraft does (draft -> pending). */
  function policyOf(t: Awaited<ReturnType<typeof setup>>, decision: SinglePolicyDecision) {
    const decided: string[] = [];
    const submitted: string[] = [];
    const policy: SinglePolicy = {
      decide: async (request, prepared) => {
        // The policy needs the record as read from Zoho (its Owner and territories).
        expect(prepared.record.id).toBe(t.accounts[0]);
        decided.push(request.id);
        return decision;
      },
      submit: async (request) => {
        const rule = transitionRule('submit', { needsApproval: true });
        await t.store.transitionRequest(request.id, rule.from, rule.to);
        submitted.push(request.id);
        return { ok: true };
      },
    };
    t.engine.setSinglePolicy(policy);
    return { decided, submitted };
  }

  const needsApproval: SinglePolicyDecision = {
    kind: 'needs_approval',
    access: { mode: 'zoho' },
    reasons: ['the record belongs to someone else'],
    mention: ['U_MANAGER'],
  };

  it('needing approval while Zoho answers: a one-item draft submitted for approval, nothing sent', async () => {
    const t = await setup(1);
    const p = policyOf(t, needsApproval);
    const answer = await t.ask(t.accounts[0]!);
    expect(answer).toMatchObject({
      ok: true,
      pendingApproval: true,
      reasons: ['the record belongs to someone else'],
      mention: ['U_MANAGER'],
    });
    if (!answer.ok) return;
    expect(p.submitted).toEqual([answer.requestId]);
    const stored = await t.store.getRequest(answer.requestId);
    expect(stored).toMatchObject({ state: 'pending_approval', summary: { access: { mode: 'zoho' } } });
    expect(await t.store.getItem(answer.requestId, 0)).toMatchObject({
      state: 'pending',
      territoryIds: [t.territory],
    });
    await t.engine.idle();
    expect(t.sim.callCount('assignTerritories')).toBe(0);
  });

  it('needing approval after a Zoho outage: waits first, the policy runs once the record is read', async () => {
    const t = await setup(1);
    const p = policyOf(t, needsApproval);
    t.sim.faults.failNext({ count: 1_000_000, status: 500 });
    const answer = await t.ask(t.accounts[0]!);
    expect(answer).toMatchObject({ ok: true, pendingApproval: false, waiting: expect.any(Object) });
    if (!answer.ok) return;
    expect(p.decided).toEqual([]);
    expect((await t.store.getRequest(answer.requestId))!.state).toBe('waiting_for_zoho');

    t.sim.faults.clear();
    t.clock.advance(61_000);
    await t.engine.sweep();
    await t.engine.idle();
    expect(p.decided).toEqual([answer.requestId]);
    expect(p.submitted).toEqual([answer.requestId]);
    expect((await t.store.getRequest(answer.requestId))!.state).toBe('pending_approval');
    expect(t.sim.callCount('assignTerritories')).toBe(0);
  });

  it('refused by the policy: answered at once, stored as refused, nothing sent', async () => {
    const t = await setup(1);
    policyOf(t, { kind: 'refused', message: 'Your Slack account is not linked to a Zoho user.' });
    const answer = await t.ask(t.accounts[0]!);
    expect(answer).toEqual({
      ok: false,
      reason: 'not_mapped',
      message: 'Your Slack account is not linked to a Zoho user.',
    });
    const [stored] = await t.store.listRequestsByRequester('U_REP', 10);
    expect(stored).toMatchObject({ state: 'refused' });
    expect(await t.store.getItem(stored!.id, 0)).toMatchObject({ state: 'failed', code: 'NOT_ALLOWED' });
    expect(t.sim.callCount('assignTerritories')).toBe(0);
  });

  it('the requester gate runs first: refused with nothing stored and no Zoho call', async () => {
    const t = await setup(1);
    const calls = t.sim.requestLog().length;
    const answer = await startSingle(
      {
        ...openGate,
        approvals: {
          checkRequester: async () => ({ ok: false, reason: 'not_requester', message: 'Not in the group.' }),
        },
        requests: t.engine,
        starter: new BackgroundStarter(t.engine, logger),
      },
      {
        action: 'assign',
        recordText: `Accounts/${t.accounts[0]}`,
        territories: 'anything',
        requesterId: 'U_OUTSIDER',
        originChannelId: null,
      },
    );
    expect(answer).toEqual({ ok: false, reason: 'not_requester', message: 'Not in the group.' });
    expect(await t.store.listRequestsByRequester('U_OUTSIDER', 10)).toEqual([]);
    expect(t.sim.requestLog().length).toBe(calls);
  });
});
