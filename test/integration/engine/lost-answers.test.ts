/**
 * Writes whose answer is lost (DESIGN.md §3 "Retries", issue 11): the Zoho simulator applies an
 * assign, then answers 500 or holds the answer past the client's timeout. The client never
 * re-sends the write; the engine's resend check finds the change (a pending job of ours, or the
 * record) and the item ends done: Zoho received exactly one write per record and the requester
 * is told the request is done.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAssignmentService } from '../../../src/core/assignment/engine-service.js';
import { ManualClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import type { RequestNotifier } from '../../../src/core/notify.js';
import { openStore } from '../../../src/core/store/index.js';
import type { NewRequestItem, Store } from '../../../src/core/store/types.js';
import { ZohoClient } from '../../../src/core/zoho/index.js';
import { bigSeed, startZohoSimulator, type ZohoSimulator } from '../../../src/sandbox/zoho/index.js';

const logger = createLogger('silent');
let sim: ZohoSimulator | null = null;
let store: Store | null = null;

afterEach(async () => {
  await store?.close();
  await sim?.close();
  store = null;
  sim = null;
});

class Told implements RequestNotifier {
  readonly finished: string[] = [];
  requestCreated = async () => {};
  requestUpdated = async () => {};
  requestFinished = async (id: string) => {
    this.finished.push(id);
  };
  approvalRequested = async () => {};
  approvalDecided = async () => {};
}

async function setup(records: number, requestTimeoutMs = 30_000) {
  sim = await startZohoSimulator({ seed: bigSeed({ territories: 10, records }), jobDelayMs: 60_000 });
  store = await openStore('sqlite::memory:');
  const api = new ZohoClient({
    accountsUrl: sim.accountsUrl,
    ...sim.credentials,
    apiDomain: sim.apiDomain,
    logger,
    requestTimeoutMs,
    retry: { random: () => 0.5, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const clock = new ManualClock();
  const told = new Told();
  const service = createAssignmentService({
    api,
    store,
    notifier: told,
    clock,
    logger,
    random: () => 0.5,
    sweepMs: 0,
  });
  const territory = sim.territories().at(-1)!.id;
  const accounts = sim.records('Accounts').map((r) => r.id);
  return { sim, store, clock, told, territory, accounts, ...service };
}

async function seedRequest(s: Store, recordIds: readonly string[], territoryId: string): Promise<string> {
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
      id: 'req-lost',
      kind: rows.length > 1 ? 'bulk' : 'assign',
      state: 'approved',
      requesterId: 'U_REP',
      originChannelId: 'C1',
      reason: 'lost answers',
      itemCount: rows.length,
      summary: {},
      createdAt: Date.UTC(2026, 0, 1),
      expiresAt: null,
    },
    rows,
  );
  return 'req-lost';
}

/** How many assign calls carried each record (from the simulator's request log). */
function assignsPerRecord(s: ZohoSimulator): Map<string, number> {
  const out = new Map<string, number>();
  for (const call of s.requestLog().filter((c) => c.operation === 'assignTerritories')) {
    for (const d of (call.requestBody as { data: Array<{ id: string }> }).data) {
      out.set(d.id, (out.get(d.id) ?? 0) + 1);
    }
  }
  return out;
}

describe('a write whose answer is lost after Zoho applied it', () => {
  it('500 after applying, in a 150-record bulk: the pending jobs are adopted, every item done, one write per record', async () => {
    const t = await setup(150);
    const id = await seedRequest(t.store, t.accounts, t.territory);
    t.sim.faults.failNext({ count: 1, status: 500, pathPrefix: '/Accounts/actions', afterApplying: true });

    await t.engine.run(id);
    // Both batches reached Zoho once; the first one's answer was lost.
    expect(t.sim.callCount('assignTerritories')).toBe(2);
    expect(t.sim.pendingJobs()).toHaveLength(150);
    const lost = await t.store.listItems(id, { states: ['retry'] });
    expect(lost).toHaveLength(100);
    expect(lost[0]).toMatchObject({ code: 'OUTCOME_UNKNOWN' });

    // The retry is due: the resend check finds our pending jobs and tracks them, sending nothing.
    t.clock.advance(60_000);
    await t.engine.advance(id);
    expect(t.sim.callCount('assignTerritories')).toBe(2);
    expect(await t.store.countItemsByState(id)).toEqual({ scheduled: 150 });

    t.sim.completeJobsNow();
    t.clock.advance(2_000);
    await t.tracker.pollOnce();
    await t.engine.idle();
    expect(await t.store.countItemsByState(id)).toEqual({ done: 150 });
    expect((await t.store.getRequest(id))!.state).toBe('done');
    expect(t.told.finished).toEqual([id]);
    const sent = assignsPerRecord(t.sim);
    expect(sent.size).toBe(150);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    expect(t.sim.record('Accounts', t.accounts[7]!)!.territories.map((x) => x.territoryId)).toEqual([
      t.territory,
    ]);
  });

  it('timeout after applying, job already finished by the check: the record shows it, the item is done', async () => {
    const t = await setup(1, 300);
    const [recordId] = t.accounts;
    const id = await seedRequest(t.store, [recordId!], t.territory);
    // The assign takes effect at once; its answer comes long after the client's 300 ms timeout.
    t.sim.faults.failNext({
      count: 1,
      status: 500,
      pathPrefix: '/Accounts/actions',
      afterApplying: true,
      delayMs: 2_000,
    });

    await t.engine.run(id);
    expect(await t.store.getItem(id, 0)).toMatchObject({ state: 'retry', code: 'OUTCOME_UNKNOWN' });
    t.sim.completeJobsNow();

    t.clock.advance(60_000);
    await t.engine.advance(id);
    expect(await t.store.getItem(id, 0)).toMatchObject({
      state: 'done',
      code: 'ALREADY_APPLIED',
      after: [t.territory],
    });
    expect((await t.store.getRequest(id))!.state).toBe('done');
    expect(t.told.finished).toEqual([id]);
    expect(assignsPerRecord(t.sim).get(recordId!)).toBe(1);
  });

  it('DUPLICATE_DATA for a territory the record already has counts as done, not failed', async () => {
    const t = await setup(1);
    const [recordId] = t.accounts;
    const first = await seedRequest(t.store, [recordId!], t.territory);
    await t.engine.run(first);
    t.sim.completeJobsNow();
    // A second request for the same change (e.g. the rep, not told, tried again).
    await t.store.createRequest(
      {
        id: 'req-again',
        kind: 'assign',
        state: 'approved',
        requesterId: 'U_REP',
        originChannelId: 'C1',
        reason: null,
        itemCount: 1,
        summary: {},
        createdAt: Date.UTC(2026, 0, 1),
        expiresAt: null,
      },
      [
        {
          seq: 0,
          lineNo: null,
          module: 'Accounts',
          recordId: recordId!,
          action: 'assign',
          territoryIds: [t.territory],
          removeTerritoryIds: [],
          before: null,
        },
      ],
    );
    await t.engine.run('req-again');
    const log = t.sim.requestLog().filter((c) => c.operation === 'assignTerritories');
    expect((log.at(-1)!.responseBody as { data: Array<{ code: string }> }).data[0]!.code).toBe(
      'DUPLICATE_DATA',
    );
    expect(await t.store.getItem('req-again', 0)).toMatchObject({ state: 'done', code: 'ALREADY_APPLIED' });
    expect((await t.store.getRequest('req-again'))!.state).toBe('done');
    expect(t.told.finished).toContain('req-again');
  });
});
