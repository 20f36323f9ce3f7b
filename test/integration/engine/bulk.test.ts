/**
 * The engine and the job tracker end to end: the real ZohoClient against the Zoho simulator,
 * the real store. Time for the engine and tracker is a ManualClock (jobs are finished with the
 * simulator's completeJobsNow), so call counts are exact and nothing depends on wall time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAssignmentService } from '../../../src/core/assignment/engine-service.js';
import { ManualClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import { silentNotifier } from '../../../src/core/notify.js';
import { openStore } from '../../../src/core/store/index.js';
import type { NewRequestItem, Store } from '../../../src/core/store/types.js';
import { ZohoClient } from '../../../src/core/zoho/index.js';
import type { ZohoModule } from '../../../src/core/zoho/types.js';
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

async function setup(recordsPerModule: number) {
  sim = await startZohoSimulator({
    seed: bigSeed({ territories: 40, records: recordsPerModule }),
    jobDelayMs: 60_000,
  });
  store = await openStore('sqlite::memory:');
  const api = new ZohoClient({
    accountsUrl: sim.accountsUrl,
    ...sim.credentials,
    apiDomain: sim.apiDomain,
    logger,
    retry: { random: () => 0.5, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const clock = new ManualClock();
  const service = createAssignmentService({
    api,
    store,
    notifier: silentNotifier,
    clock,
    logger,
    concurrency: 5,
    random: () => 0.5,
  });
  // A leaf territory: the seed's API user is a read_write_delete member of the root.
  const territory = sim.territories().at(-1)!.id;
  return { sim, store, api, clock, ...service, territory };
}

async function seedBulk(
  s: Store,
  items: Array<{ module: ZohoModule; recordId: string; territoryId: string }>,
) {
  const rows: NewRequestItem[] = items.map((it, seq) => ({
    seq,
    lineNo: seq + 1,
    module: it.module,
    recordId: it.recordId,
    action: 'assign',
    territoryIds: [it.territoryId],
    removeTerritoryIds: [],
    before: [],
  }));
  await s.createRequest(
    {
      id: 'bulk-1',
      kind: 'bulk',
      state: 'approved',
      requesterId: 'U_REP',
      originChannelId: 'C1',
      reason: 'integration',
      itemCount: rows.length,
      summary: {},
      createdAt: Date.UTC(2026, 0, 1),
      expiresAt: null,
    },
    rows,
  );
  return 'bulk-1';
}

const confirmCalls = (s: ZohoSimulator) => s.callCount('getFeatureSpecificInfo') + s.callCount('getRecords');

describe('engine against the Zoho simulator', () => {
  it('250 records: 3 assign calls, jobs done by their first look confirmed with 3 calls', async () => {
    const { sim, store, clock, engine, tracker, territory } = await setup(250);
    const ids = sim.records('Accounts').map((r) => r.id);
    const id = await seedBulk(
      store,
      ids.map((recordId) => ({ module: 'Accounts', recordId, territoryId: territory })),
    );
    await engine.run(id);
    expect(sim.callCount('assignTerritories')).toBe(3);
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 250 });
    expect(sim.pendingJobs()).toHaveLength(250);

    expect(sim.completeJobsNow()).toBe(250);
    clock.advance(2_000);
    const round = await tracker.pollOnce();
    await engine.idle();
    // The first look reads the records; all show the change, so feature-info is not asked.
    expect(round).toMatchObject({ jobs: 250, done: 250, calls: 3 });
    expect(sim.callCount('getFeatureSpecificInfo')).toBe(0);
    expect(sim.callCount('getRecords')).toBe(3);
    expect(await store.countItemsByState(id)).toEqual({ done: 250 });
    expect((await store.getRequest(id))!.state).toBe('done');
    expect(sim.record('Accounts', ids[123]!)!.territories.map((t) => t.territoryId)).toEqual([territory]);
    expect((await store.getItem(id, 123))!.after).toEqual([territory]);
  });

  it('more items than one work page: all sent in whole calls; a record listed twice waits for its first change', async () => {
    const { sim, store, clock, engine, tracker, territory } = await setup(2_500);
    const second = sim.territories().at(-2)!.id;
    const ids = sim.records('Accounts').map((r) => r.id);
    // 2,500 records, then record 10 again (seq 2,500, past the first page of 2,000 work items).
    const id = await seedBulk(store, [
      ...ids.map((recordId) => ({ module: 'Accounts' as const, recordId, territoryId: territory })),
      { module: 'Accounts', recordId: ids[10]!, territoryId: second },
    ]);
    await engine.run(id);
    expect(sim.callCount('assignTerritories')).toBe(25);
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 2_500, pending: 1 });

    sim.completeJobsNow();
    clock.advance(2_000);
    while ((await tracker.pollOnce()).jobs > 0) await engine.idle();
    await engine.idle();
    // The held-back change went once the first was confirmed: one more call, for one record.
    expect(sim.callCount('assignTerritories')).toBe(26);
    sim.completeJobsNow();
    clock.advance(60_000);
    await tracker.pollOnce();
    await engine.idle();
    expect(await store.countItemsByState(id)).toEqual({ done: 2_501 });
    expect(
      sim
        .record('Accounts', ids[10]!)!
        .territories.map((t) => t.territoryId)
        .sort(),
    ).toEqual([territory, second].sort());
    expect((await store.getRequest(id))!.state).toBe('done');
  });

  it('2,000 records in two modules: ceil(N/100) assign calls per module, at most 2·ceil(N/100) per round to confirm them, a wave of calls per round', async () => {
    const { sim, store, clock, engine, tracker, territory } = await setup(1_200);
    const accounts = sim.records('Accounts').map((r) => r.id);
    const deals = sim
      .records('Deals')
      .slice(0, 800)
      .map((r) => r.id);
    const id = await seedBulk(store, [
      ...accounts.map((recordId) => ({ module: 'Accounts' as const, recordId, territoryId: territory })),
      ...deals.map((recordId) => ({ module: 'Deals' as const, recordId, territoryId: territory })),
    ]);
    await engine.run(id);
    const assigns = sim.requestLog().filter((c) => c.operation === 'assignTerritories');
    expect(assigns.filter((c) => c.path.includes('/Accounts/')).length).toBe(12);
    expect(assigns.filter((c) => c.path.includes('/Deals/')).length).toBe(8);
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 2_000 });

    // A round takes one wave of calls' worth of due jobs (5 × 100): four rounds for 2,000.
    const rounds = async () => {
      const results = [];
      for (let r = await tracker.pollOnce(); r.jobs > 0; r = await tracker.pollOnce()) results.push(r);
      return results;
    };
    // First look while every job is still pending: get-records, then feature-info for the
    // records not showing the change (all of them), per 100.
    clock.advance(2_000);
    const before = confirmCalls(sim);
    const first = await rounds();
    expect(first.map((r) => [r.jobs, r.waiting, r.calls])).toEqual(Array(4).fill([500, 500, 10]));
    expect(confirmCalls(sim) - before).toBe(2 * 20);

    // Later looks while they are still pending: only feature-info calls, one per 100 records.
    clock.advance(2_000);
    const second = confirmCalls(sim);
    const pending = await rounds();
    expect(pending.map((r) => [r.jobs, r.waiting, r.calls])).toEqual(Array(4).fill([500, 500, 5]));
    expect(confirmCalls(sim) - second).toBe(20);

    // After the jobs ran: feature-info + get-records per 100.
    sim.completeJobsNow();
    clock.advance(4_000);
    const mid = confirmCalls(sim);
    const finished = await rounds();
    await engine.idle();
    expect(finished.map((r) => [r.jobs, r.done, r.calls])).toEqual(Array(4).fill([500, 500, 10]));
    expect(confirmCalls(sim) - mid).toBe(2 * 20);
    expect(await store.countItemsByState(id)).toEqual({ done: 2_000 });
    expect((await store.getRequest(id))!.state).toBe('done');
  }, 120_000); // 2,000 items through the store on a loaded 2-core runner

  it('move on a Deal: remove the old territory, confirm, then assign the new one', async () => {
    const { sim, store, clock, engine, tracker } = await setup(5);
    const [oldT, newT] = sim
      .territories()
      .slice(-2)
      .map((t) => t.id);
    const deal = sim.records('Deals')[0]!.id;
    const poll = async () => {
      sim.completeJobsNow();
      clock.advance(60_000);
      await tracker.pollOnce();
      await engine.idle();
    };
    const first = await engine.submitSingle({
      requesterId: 'U_REP',
      originChannelId: 'C1',
      action: 'assign',
      module: 'Deals',
      recordId: deal,
      territoryIds: [oldT!],
    });
    await poll();
    expect((await store.getRequest(first.requestId))!.state).toBe('done');

    sim.resetCalls();
    const move = await engine.submitSingle({
      requesterId: 'U_REP',
      originChannelId: 'C1',
      action: 'move',
      module: 'Deals',
      recordId: deal,
      territoryIds: [newT!],
      removeTerritoryIds: [oldT!],
      before: [oldT!],
    });
    expect(move.counts).toEqual({ removing: 1 });
    await poll(); // removal confirmed, assign sent
    await poll(); // assignment confirmed
    expect(
      sim
        .requestLog()
        .map((c) => c.operation)
        .filter((o) => o !== 'token'),
    ).toEqual(['removeTerritories', 'getRecords', 'assignTerritories', 'getRecords']);
    expect(await store.getItem(move.requestId, 0)).toMatchObject({
      state: 'done',
      before: [oldT],
      after: [newT],
    });
    expect(sim.record('Deals', deal)!.territories.map((t) => t.territoryId)).toEqual([newT]);
  });

  it('a deleted territory fails its item clearly; a record busy with a rule job is retried after it', async () => {
    const { sim, store, clock, engine, tracker } = await setup(5);
    const [gone, live] = sim
      .territories()
      .slice(-2)
      .map((t) => t.id);
    const [r0, r1, r2] = sim.records('Accounts').map((r) => r.id);
    sim.deleteTerritory(gone!);
    sim.scheduleRuleJob('Accounts', r1!);
    const id = await seedBulk(store, [
      { module: 'Accounts', recordId: r0!, territoryId: live! },
      { module: 'Accounts', recordId: r1!, territoryId: live! },
      { module: 'Accounts', recordId: r2!, territoryId: gone! },
    ]);
    await engine.run(id);
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'scheduled' });
    expect(await store.getItem(id, 1)).toMatchObject({ state: 'retry', code: 'ALREADY_SCHEDULED' });
    expect(await store.getItem(id, 2)).toMatchObject({
      state: 'failed',
      code: 'TERRITORY_DELETED',
      message: `Territory ${gone} was deleted in Zoho`,
    });

    sim.completeJobsNow(); // the rule job and record 0's job
    clock.advance(60_000);
    await engine.advance(id); // retry due: feature-info shows no job, record read, sent again
    expect(await store.getItem(id, 1)).toMatchObject({ state: 'scheduled', attempts: 2 });
    sim.completeJobsNow();
    clock.advance(60_000);
    await tracker.pollOnce();
    await engine.idle();
    expect(await store.countItemsByState(id)).toEqual({ done: 2, failed: 1 });
    expect((await store.getRequest(id))!.state).toBe('done');
    expect(sim.record('Accounts', r1!)!.territories.map((t) => t.territoryId)).toContain(live);
  });
});
