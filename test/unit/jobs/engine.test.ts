import { afterEach, describe, expect, it } from 'vitest';
import { createAssignmentService } from '../../../src/core/assignment/engine-service.js';
import { openStore } from '../../../src/core/store/index.js';
import type { Store } from '../../../src/core/store/types.js';
import { ZohoApiError, ZohoAuthError, ZohoNetworkError } from '../../../src/core/zoho/errors.js';
import { FakeZoho } from '../helpers/fake-zoho.js';
import {
  ManualTime,
  RecordingNotifier,
  recordId,
  type SeedItem,
  seedRequest,
  silentLogger,
  territoryId,
} from './helpers.js';

const T1 = territoryId(1);
const T2 = territoryId(2);
const T3 = territoryId(3);

const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function setup(
  options: { territories?: string[]; catalog?: () => Promise<Set<string>>; concurrency?: number } = {},
) {
  const store = await openStore('sqlite::memory:');
  open.push(store);
  const time = new ManualTime();
  const zoho = new FakeZoho(options.territories ?? [T1, T2, T3]);
  const notifier = new RecordingNotifier();
  const service = createAssignmentService({
    api: zoho,
    store,
    notifier,
    clock: time.clock,
    logger: silentLogger,
    timers: time,
    random: () => 0.5,
    concurrency: options.concurrency,
    catalogRefresh: options.catalog,
  });
  const { engine, tracker } = service;
  /** Moves time and lets the tracker do one round plus whatever it triggers. */
  const pollAfter = async (ms: number) => {
    time.clock.advance(ms);
    const r = await tracker.pollOnce();
    await engine.idle();
    return r;
  };
  return { store, time, zoho, notifier, engine, tracker, pollAfter };
}

const accounts = (n: number, territory = T1): SeedItem[] =>
  Array.from({ length: n }, (_, i) => ({ recordId: recordId(i), territoryIds: [territory] }));

describe('AssignmentEngine + JobTracker', () => {
  it('250 records: 3 assign calls, every outcome stored, jobs done at the first look confirmed in 3 calls, finished once', async () => {
    const { store, zoho, notifier, engine, pollAfter } = await setup();
    for (let i = 0; i < 250; i++) zoho.addRecord('Accounts', recordId(i));
    const id = await seedRequest(store, accounts(250));

    const run = await engine.run(id);
    expect(run).toMatchObject({ started: true, state: 'running', counts: { scheduled: 250 } });
    expect(zoho.callsOf('assign').map((c) => c.ids.length)).toEqual([100, 100, 50]);
    const jobs = await store.listJobs(id);
    expect(jobs).toHaveLength(250);
    expect(jobs[0]).toMatchObject({
      operation: 'assign',
      expectPresent: [T1],
      expectAbsent: [],
      state: 'pending',
    });
    const item = await store.getItem(id, 7);
    expect(item).toMatchObject({ state: 'scheduled', code: 'SCHEDULED', attempts: 1 });
    expect(item!.jobId).toBe(jobs[7]!.jobId);
    // One progress update per batch (plus one for the start).
    expect(notifier.count('updated', id)).toBe(4);

    const round = await pollAfter(2_000);
    // First look: the records are read; they all show the change, so no feature-info call.
    expect(round).toMatchObject({ jobs: 250, done: 250, calls: 3 });
    expect(zoho.callsOf('pending')).toHaveLength(0);
    expect(zoho.callsOf('records')).toHaveLength(3);
    expect(await store.countItemsByState(id)).toEqual({ done: 250 });
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'done', after: [T1], code: 'CONFIRMED' });
    const request = await store.getRequest(id);
    expect(request).toMatchObject({ state: 'done', summary: { outcome: { done: 250, failed: 0 } } });
    expect(notifier.count('finished', id)).toBe(1);
    // Nothing more to do: a second round makes no call.
    expect(await pollAfter(120_000)).toMatchObject({ jobs: 0, calls: 0 });
    expect(notifier.count('finished', id)).toBe(1);
  });

  it('sends a bulk in the bulk lane and confirms its jobs in the background; one change and its poll go with people', async () => {
    const { store, zoho, engine, pollAfter } = await setup();
    for (let i = 0; i < 250; i++) zoho.addRecord('Accounts', recordId(i));
    const bulk = await seedRequest(store, accounts(250));
    await engine.run(bulk);
    expect(new Set(zoho.laneCalls.map((c) => `${c.lane}:${c.method}`))).toEqual(
      new Set(['bulk:assignTerritories']),
    );
    zoho.laneCalls.length = 0;
    await pollAfter(2_000);
    expect(zoho.laneCalls.length).toBeGreaterThan(0);
    expect(zoho.laneCalls.every((c) => c.lane === 'background')).toBe(true);

    zoho.laneCalls.length = 0;
    zoho.addRecord('Accounts', recordId(300));
    const single = await seedRequest(store, [{ recordId: recordId(300), territoryIds: [T2] }]);
    await engine.run(single);
    await pollAfter(2_000);
    expect(zoho.laneCalls.length).toBeGreaterThan(1);
    expect(zoho.laneCalls.every((c) => c.lane === 'interactive')).toBe(true);
  });

  it('keeps each record its own outcome in a mixed batch', async () => {
    const { store, zoho, engine, pollAfter } = await setup();
    zoho.addRecord('Accounts', recordId(0));
    zoho.addRecord('Accounts', recordId(1), [T1]);
    zoho.addRecord(
      'Accounts',
      recordId(2),
      Array.from({ length: 10 }, (_, i) => territoryId(50 + i)),
    );
    zoho.addRecord('Accounts', recordId(3));
    zoho.scriptOutcome(recordId(3), { code: 'RECORD_LOCKED', message: 'record is locked' });
    const id = await seedRequest(store, [
      { recordId: recordId(0), territoryIds: [T1] },
      { recordId: recordId(1), territoryIds: [T1] },
      { recordId: recordId(2), territoryIds: [T1] },
      { recordId: recordId(3), territoryIds: [T1] },
      { recordId: recordId(4), territoryIds: [T1] },
    ]);
    await engine.run(id);
    expect(zoho.callsOf('assign')).toHaveLength(1);
    const items = await store.listItems(id);
    expect(items.map((i) => [i.state, i.code])).toEqual([
      ['scheduled', 'SCHEDULED'],
      // DUPLICATE_DATA for a territory the record has: the change is there, so it is done.
      ['done', 'ALREADY_APPLIED'],
      ['failed', 'LIMIT_EXCEEDED'],
      ['failed', 'RECORD_LOCKED'],
      ['failed', 'RECORD_NOT_FOUND'],
    ]);
    expect(items[2]!.message).toContain('more than 10 territories');
    expect(items[3]!.message).toContain('locked');
    await pollAfter(2_000);
    expect((await store.getRequest(id))!.state).toBe('done');
    const audit = await store.listAudit({ requestId: id, action: 'zoho.assign' });
    expect(audit[0]!.data).toMatchObject({ records: 5, codes: { SCHEDULED: 1, DUPLICATE_DATA: 1 } });
  });

  it('ALREADY_SCHEDULED: waits for the pending job (polling feature-info), then sends again', async () => {
    const { store, zoho, time, engine, pollAfter } = await setup();
    zoho.addRecord('Accounts', recordId(0));
    zoho.addRecord('Accounts', recordId(1));
    zoho.addForeignJob('Accounts', recordId(1), 1); // pending for the first status poll
    const id = await seedRequest(store, accounts(2));
    await engine.run(id);
    const waiting = await store.getItem(id, 1);
    expect(waiting).toMatchObject({ state: 'retry', code: 'ALREADY_SCHEDULED', attempts: 1 });
    expect(waiting!.notBefore).toBe(time.clock.now() + 3_750); // 5 s base, jitter 0.5

    // First check: still pending -> wait longer, nothing sent.
    await time.advance(3_750, () => engine.idle());
    expect(zoho.callsOf('pending').at(-1)!.ids).toEqual([recordId(1)]);
    expect(zoho.callsOf('assign')).toHaveLength(1);
    expect(await store.getItem(id, 1)).toMatchObject({ state: 'retry', attempts: 2 });

    // Second check: the other job is gone -> record read, then sent again.
    await time.advance(7_500, () => engine.idle());
    expect(zoho.callsOf('assign').map((c) => c.ids)).toEqual([[recordId(0), recordId(1)], [recordId(1)]]);
    expect(await store.getItem(id, 1)).toMatchObject({ state: 'scheduled', attempts: 3 });

    await pollAfter(2_000);
    expect(await store.countItemsByState(id)).toEqual({ done: 2 });
    expect((await store.getRequest(id))!.state).toBe('done');
  });

  it('ALREADY_SCHEDULED on 200 records: they come back together, one check call per 100', async () => {
    const { store, zoho, time, engine } = await setup();
    for (let i = 0; i < 200; i++) {
      zoho.addRecord('Accounts', recordId(i));
      zoho.addForeignJob('Accounts', recordId(i), 0);
    }
    const id = await seedRequest(store, accounts(200));
    await engine.run(id);
    expect(await store.countItemsByState(id)).toEqual({ retry: 200 });
    await time.advance(10_000, () => engine.idle());
    expect(zoho.callsOf('pending').map((c) => c.ids.length)).toEqual([100, 100]);
    expect(zoho.callsOf('records').map((c) => c.ids.length)).toEqual([100, 100]);
    expect(zoho.callsOf('assign').map((c) => c.ids.length)).toEqual([100, 100, 100, 100]);
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 200 });
  });

  it('an interrupted item is not taken for the owner of a territory-rule job on its record', async () => {
    const { store, zoho, time, engine } = await setup();
    zoho.addRecord('Accounts', recordId(0));
    const id = await seedRequest(store, accounts(1));
    await store.transitionRequest(id, ['approved'], 'running');
    await store.updateItem(id, 0, { state: 'sending', attempts: 1 }); // a process died in the call
    zoho.addForeignJob('Accounts', recordId(0), 1); // a rule run (source "update") is pending
    await engine.resume();
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'retry', code: 'INTERRUPTED', attempts: 2 });
    expect(await store.listJobs(id)).toHaveLength(0);
    await time.advance(20_000, () => engine.idle());
    // The rule job is gone and the record lacks the territory: the call never landed, so send it.
    expect(zoho.callsOf('assign').map((c) => c.ids)).toEqual([[recordId(0)]]);
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'scheduled' });
  });

  it('INVALID_DATA on a deleted territory fails the item clearly; on a live one it retries', async () => {
    let catalogReads = 0;
    const { store, zoho, engine, time } = await setup({
      territories: [T1, T2],
      catalog: async () => {
        catalogReads += 1;
        return new Set([T1]);
      },
    });
    for (let i = 0; i < 3; i++) zoho.addRecord('Accounts', recordId(i));
    zoho.scriptOutcome(recordId(2), {
      code: 'INVALID_DATA',
      details: { json_path: '$.data[2].Territories[0].id' },
    });
    zoho.deleteTerritory(T2); // deleted in Zoho; our request still names it
    const id = await seedRequest(store, [
      { recordId: recordId(0), territoryIds: [T1] },
      { recordId: recordId(1), territoryIds: [T2] },
      { recordId: recordId(2), territoryIds: [T1] },
    ]);
    await engine.run(id);
    expect(catalogReads).toBe(1); // once per batch, not per item
    expect(await store.getItem(id, 1)).toMatchObject({
      state: 'failed',
      code: 'TERRITORY_DELETED',
      message: `Territory ${T2} was deleted in Zoho`,
    });
    expect(await store.getItem(id, 2)).toMatchObject({ state: 'retry', code: 'INVALID_DATA' });
    await time.advance(60_000, () => engine.idle());
    expect(await store.getItem(id, 2)).toMatchObject({ state: 'scheduled' });
  });

  it('bounded retries: an item that keeps failing transiently is failed with the reason', async () => {
    const { store, zoho, engine, time } = await setup();
    zoho.addRecord('Accounts', recordId(0));
    const always = Array.from({ length: 20 }, () => ({ code: 'INTERNAL_ERROR', message: 'oops' }));
    zoho.scriptOutcome(recordId(0), ...always);
    const id = await seedRequest(store, accounts(1));
    await engine.run(id);
    await time.advance(30 * 60_000, () => engine.idle());
    const item = await store.getItem(id, 0);
    expect(item).toMatchObject({ state: 'failed', code: 'INTERNAL_ERROR', attempts: 8 });
    expect(item!.message).toContain('gave up after 8 attempts');
    expect(zoho.callsOf('assign')).toHaveLength(8);
    expect((await store.getRequest(id))!.state).toBe('failed');
  });

  it('move on a Deal: removes the old territory, waits for that job, then assigns', async () => {
    const { store, zoho, engine, pollAfter } = await setup();
    zoho.addRecord('Deals', recordId(0), [T1]);
    const id = await seedRequest(store, [
      {
        module: 'Deals',
        recordId: recordId(0),
        action: 'move',
        territoryIds: [T2],
        removeTerritoryIds: [T1],
      },
    ]);
    await engine.run(id);
    expect(zoho.calls.map((c) => c.method)).toEqual(['remove']);
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'removing' });

    await pollAfter(2_000); // removal confirmed (the record shows it) -> assign sent at once
    expect(zoho.calls.map((c) => c.method)).toEqual(['remove', 'records', 'assign']);
    expect(zoho.callsOf('assign')[0]!.module).toBe('Deals');
    const jobs = await store.listJobs(id);
    expect(jobs.map((j) => [j.operation, j.state, j.expectPresent, j.expectAbsent])).toEqual([
      ['remove', 'done', [], [T1]],
      ['assign', 'pending', [T2], [T1]],
    ]);
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'scheduled' });

    await pollAfter(2_000);
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'done', after: [T2] });
    expect(zoho.recordTerritories('Deals', recordId(0))).toEqual([T2]);
    expect((await store.getRequest(id))!.state).toBe('done');
  });

  it('job finished but the change is not on the record: re-checked once, then failed', async () => {
    const { store, zoho, engine, pollAfter, notifier } = await setup();
    zoho.addRecord('Accounts', recordId(0));
    zoho.nonApplyingJobs = true;
    const id = await seedRequest(store, accounts(1));
    await engine.run(id);
    expect(await pollAfter(2_000)).toMatchObject({ waiting: 1, calls: 2 });
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'scheduled' });
    await pollAfter(5_000);
    const item = await store.getItem(id, 0);
    expect(item).toMatchObject({ state: 'failed', code: 'JOB_NOT_APPLIED', after: [] });
    expect(item!.message).toBe(`Zoho finished the job but the record does not show territory ${T1}`);
    expect((await store.getRequest(id))!.state).toBe('failed');
    expect(notifier.count('finished', id)).toBe(1);
  });

  it('a job still pending at the deadline is unconfirmed, with what to check', async () => {
    const { store, zoho, engine, time, pollAfter } = await setup();
    zoho.addRecord('Accounts', recordId(0));
    zoho.jobPolls = 1_000;
    const id = await seedRequest(store, accounts(1));
    await engine.run(id);
    // Poll whenever the job falls due, as the tracker's timer would.
    for (let next = await store.nextJobPollAt(); next !== null; next = await store.nextJobPollAt()) {
      await pollAfter(next - time.clock.now());
    }
    const item = await store.getItem(id, 0);
    expect(item).toMatchObject({ state: 'unconfirmed', code: 'JOB_TIMEOUT' });
    expect(item!.message).toContain('Open the record in Zoho');
    // Every 1 s until 12.5 s, then every 8% of the job's age, from 750 s every 60 s, last look
    // at the 15 min deadline: 69 polls. The first look reads the record too; later ones do not.
    expect(zoho.callsOf('pending')).toHaveLength(69);
    expect(zoho.callsOf('records')).toHaveLength(1);
    expect((await store.getRequest(id))!.state).toBe('failed');
  });

  it('a request-level error fails the batch with a clear message; a 5xx keeps it for retry', async () => {
    const { store, zoho, engine, time } = await setup();
    for (let i = 0; i < 3; i++) zoho.addRecord('Leads', recordId(i));
    for (let i = 3; i < 5; i++) zoho.addRecord('Contacts', recordId(i));
    zoho.scriptCall('assign', 1, {
      kind: 'throw',
      error: new ZohoApiError(
        'TERRITORY_NOT_ENABLED',
        'the territory feature is not enabled for Leads Module',
        403,
      ),
    });
    zoho.scriptCall('assign', 2, { kind: 'throw', error: new ZohoApiError('INTERNAL_ERROR', 'boom', 500) });
    const id = await seedRequest(store, [
      ...[0, 1, 2].map((i) => ({ module: 'Leads' as const, recordId: recordId(i), territoryIds: [T1] })),
      ...[3, 4].map((i) => ({ module: 'Contacts' as const, recordId: recordId(i), territoryIds: [T1] })),
    ]);
    await engine.run(id);
    const items = await store.listItems(id);
    expect(items.slice(0, 3).every((i) => i.state === 'failed' && i.code === 'TERRITORY_NOT_ENABLED')).toBe(
      true,
    );
    expect(items[0]!.message).toContain('Territory management is not enabled for Leads');
    expect(items.slice(3).map((i) => i.state)).toEqual(['retry', 'retry']);
    await time.advance(10_000, () => engine.idle());
    expect((await store.listItems(id)).slice(3).map((i) => i.state)).toEqual(['scheduled', 'scheduled']);
    // The retried Contacts were checked (no pending job, change not there) before the resend.
    expect(zoho.callsOf('assign').map((c) => [c.module, c.ids.length])).toEqual([
      ['Leads', 3],
      ['Contacts', 2],
      ['Contacts', 2],
    ]);
  });

  it('keeps at most `concurrency` batches in flight', async () => {
    const { store, zoho, engine } = await setup({ concurrency: 3 });
    for (let i = 0; i < 1_000; i++) zoho.addRecord('Accounts', recordId(i));
    zoho.writeDelay = () => new Promise((r) => setImmediate(r));
    const id = await seedRequest(store, accounts(1_000));
    await engine.run(id);
    expect(zoho.callsOf('assign')).toHaveLength(10);
    expect(zoho.maxInFlight).toBe(3);
  });

  it('reads the next page of work while the page before is at Zoho', async () => {
    const { store, zoho, engine } = await setup();
    for (let i = 0; i < 1_000; i++) zoho.addRecord('Accounts', recordId(i));
    // Calls finished when each call started, in call order.
    let finished = 0;
    const finishedAtStart: number[] = [];
    zoho.writeDelay = async () => {
      finishedAtStart.push(finished);
      for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
      finished += 1;
    };
    const id = await seedRequest(store, accounts(1_000));
    await engine.run(id);
    const calls = zoho.callsOf('assign');
    expect(calls).toHaveLength(10);
    // Pages of one wave (5 calls of 100): the second page's first call takes the first free slot,
    // before the first page's calls are all back.
    expect(calls[5]!.ids[0]).toBe(recordId(500));
    expect(finishedAtStart[5]).toBeLessThan(5);
    expect(zoho.maxInFlight).toBe(5);
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 1_000 });
  });

  it("gives a batch's Zoho slot back when its call returns: the next call does not wait for its writes", async () => {
    const { store, zoho, engine } = await setup({ concurrency: 1 });
    for (let i = 0; i < 200; i++) zoho.addRecord('Accounts', recordId(i));
    const id = await seedRequest(store, accounts(200));
    // The first batch's outcome writes wait until the second call has started (or 1 s has passed).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fallback = setTimeout(() => release(), 1_000);
    const scheduleItems = store.scheduleItems.bind(store);
    let writes = 0;
    let firstWritten = false;
    store.scheduleItems = async (...args) => {
      writes += 1;
      const first = writes === 1;
      if (first) await gate;
      const changed = await scheduleItems(...args);
      if (first) firstWritten = true;
      return changed;
    };
    let secondStartedWhileWriting = false;
    let calls = 0;
    zoho.writeDelay = async () => {
      calls += 1;
      if (calls !== 2) return;
      secondStartedWhileWriting = writes === 1 && !firstWritten;
      release();
    };
    await engine.run(id);
    clearTimeout(fallback);
    expect(secondStartedWhileWriting).toBe(true);
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 200 });
  });

  it('a store failure reading the second page stops the pump after the first page is stored, and it resumes', async () => {
    const { store, zoho, engine, time } = await setup();
    for (let i = 0; i < 1_000; i++) zoho.addRecord('Accounts', recordId(i));
    const id = await seedRequest(store, accounts(1_000));
    const listWorkItems = store.listWorkItems.bind(store);
    let reads = 0;
    store.listWorkItems = async (...args) => {
      reads += 1;
      if (reads === 2) throw new Error('SQLITE_IOERR: disk I/O error');
      return listWorkItems(...args);
    };
    await engine.run(id);
    await engine.idle();
    // The first page went out whole and every outcome of it is stored; nothing else was sent.
    expect(zoho.callsOf('assign')).toHaveLength(5);
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 500, pending: 500 });
    // The engine wakes the request again shortly and the rest goes, none of it twice.
    await time.advance(60_000, () => engine.idle());
    expect(zoho.callsOf('assign')).toHaveLength(10);
    expect(new Set(zoho.callsOf('assign').flatMap((c) => c.ids)).size).toBe(1_000);
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 1_000 });
  });

  it('stops sending when another replica took its lease during a stall, and leaves the rest to it', async () => {
    const { store, zoho, engine, time } = await setup({ concurrency: 1 });
    for (let i = 0; i < 300; i++) zoho.addRecord('Accounts', recordId(i));
    const id = await seedRequest(store, accounts(300));
    let calls = 0;
    zoho.writeDelay = async () => {
      calls += 1;
      if (calls !== 1) return;
      // The first call stalls past the lease's TTL; another replica takes the request meanwhile.
      time.clock.advance(30_000);
      expect(await store.acquireLease(`assignment:request:${id}`, 'replica-b', 8_000, time.clock.now())).toBe(
        true,
      );
    };
    await engine.run(id);
    await engine.idle();
    // The batch in flight was stored; nothing more went out from this replica.
    expect(zoho.callsOf('assign')).toHaveLength(1);
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 100, pending: 200 });
  });

  it('writes its lease again before a call only when the last renewal is a second old', async () => {
    const { store, zoho, engine, time } = await setup({ concurrency: 1 });
    for (let i = 0; i < 500; i++) zoho.addRecord('Accounts', recordId(i));
    const id = await seedRequest(store, accounts(500));
    const acquire = store.acquireLease.bind(store);
    let renewals = 0;
    store.acquireLease = async (...args) => {
      if (args[0].startsWith('assignment:request:')) renewals += 1;
      return acquire(...args);
    };
    let calls = 0;
    zoho.writeDelay = async () => {
      calls += 1;
      // Calls 3 and 4 each take 1.5 s: the calls after them renew the lease first; the others do not.
      if (calls === 3 || calls === 4) time.clock.advance(1_500);
    };
    await engine.run(id);
    expect(zoho.callsOf('assign')).toHaveLength(5);
    // The lease taken at the start, then before calls 4 and 5.
    expect(renewals).toBe(3);
  });

  it('does not start a request twice, nor one that is not approved', async () => {
    const { store, zoho, engine } = await setup();
    zoho.addRecord('Accounts', recordId(0));
    const id = await seedRequest(store, accounts(1));
    const [a, b] = await Promise.all([engine.run(id), engine.run(id)]);
    expect([a.started, b.started].sort()).toEqual([false, true]);
    expect(zoho.callsOf('assign')).toHaveLength(1);
    const pending = await seedRequest(store, accounts(1), { state: 'pending_approval' });
    expect(await engine.run(pending)).toMatchObject({ started: false, state: 'pending_approval' });
    // The request table starts only approved requests: a draft must be submitted first.
    const draft = await seedRequest(store, accounts(1), { state: 'draft' });
    expect(await engine.run(draft)).toMatchObject({ started: false, state: 'draft' });
    expect(zoho.callsOf('assign')).toHaveLength(1);
  });

  it('holds a second item on the same record until the first is final', async () => {
    const { store, zoho, engine, pollAfter } = await setup();
    zoho.addRecord('Contacts', recordId(0));
    const id = await seedRequest(store, [
      { module: 'Contacts', recordId: recordId(0), territoryIds: [T1] },
      { module: 'Contacts', recordId: recordId(0), territoryIds: [T2] },
    ]);
    await engine.run(id);
    expect(zoho.callsOf('assign').map((c) => c.ids)).toEqual([[recordId(0)]]);
    expect(await store.getItem(id, 1)).toMatchObject({ state: 'pending' });
    await pollAfter(2_000);
    expect(zoho.callsOf('assign')).toHaveLength(2);
    await pollAfter(2_000);
    expect(zoho.recordTerritories('Contacts', recordId(0))).toEqual([T1, T2]);
    expect(await store.countItemsByState(id)).toEqual({ done: 2 });
  });

  it('submitSingle writes one request + item, posts it, runs it through the same path', async () => {
    const { store, zoho, engine, notifier, pollAfter } = await setup();
    zoho.addRecord('Deals', recordId(9), [T1]);
    const result = await engine.submitSingle({
      requesterId: 'U_REP',
      originChannelId: 'C_SALES',
      action: 'move',
      module: 'Deals',
      recordId: recordId(9),
      territoryIds: [T3],
      removeTerritoryIds: [T1],
      before: [T1],
    });
    expect(result).toMatchObject({ started: true, state: 'running', counts: { removing: 1 } });
    const request = await store.getRequest(result.requestId);
    expect(request).toMatchObject({
      kind: 'move',
      itemCount: 1,
      requesterId: 'U_REP',
      summary: { single: true },
    });
    expect(notifier.events[0]).toEqual({ type: 'created', requestId: result.requestId });
    await pollAfter(2_000);
    await pollAfter(2_000);
    expect(await store.getItem(result.requestId, 0)).toMatchObject({
      state: 'done',
      before: [T1],
      after: [T3],
    });
    expect(notifier.count('finished', result.requestId)).toBe(1);
  });

  it('a network error after Zoho took the call: the pending jobs are adopted, nothing is sent twice', async () => {
    const { store, zoho, time, engine, pollAfter } = await setup();
    for (let i = 0; i < 120; i++) zoho.addRecord('Accounts', recordId(i));
    zoho.jobPolls = 2;
    zoho.scriptCall('assign', 1, { kind: 'apply-then-throw', error: new ZohoNetworkError('socket hang up') });
    const id = await seedRequest(store, accounts(120));
    await engine.run(id);
    expect(await store.countItemsByState(id)).toEqual({ retry: 100, scheduled: 20 });
    expect(await store.getItem(id, 0)).toMatchObject({ code: 'NETWORK_ERROR' });
    await time.advance(10_000, () => engine.idle());
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 120 });
    expect([...zoho.sentCount('assign').values()].every((n) => n === 1)).toBe(true);
    expect(zoho.callsOf('records')).toHaveLength(0); // pending jobs answered the question
    for (let i = 0; i < 4; i++) await pollAfter(60_000);
    expect(await store.countItemsByState(id)).toEqual({ done: 120 });
  });

  it('a revoked refresh token: the item waits with what ops must do, and goes once it is fixed', async () => {
    const { store, zoho, engine, notifier, time } = await setup();
    zoho.addRecord('Accounts', recordId(0));
    zoho.scriptCall('assign', 1, { kind: 'throw', error: new ZohoAuthError('revoked', 'invalid_code') });
    const id = await seedRequest(store, accounts(1));
    await engine.run(id);
    const item = await store.getItem(id, 0);
    expect(item).toMatchObject({ state: 'retry', code: 'AUTH_REVOKED' });
    expect(item!.message).toContain('ops must check the Zoho connection');
    expect((await store.getRequest(id))!.state).toBe('running');
    expect(notifier.count('finished', id)).toBe(0);
    // The token is fixed: the next call goes through (checked first, then sent once).
    await time.advance(60_000, () => engine.idle());
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'scheduled' });
    expect(zoho.callsOf('assign')).toHaveLength(2);
  });

  it('a move whose removal Zoho refuses fails with the reason, and never assigns', async () => {
    const { store, zoho, engine } = await setup();
    zoho.addRecord('Deals', recordId(0), [{ id: T1, name: 'Rule', assigned: 'automatically' }]);
    zoho.scriptOutcome(recordId(0), {
      code: 'NOT_ALLOWED',
      message: 'Territory id which you are trying to remove was system assigned',
    });
    const id = await seedRequest(store, [
      {
        module: 'Deals',
        recordId: recordId(0),
        action: 'move',
        territoryIds: [T2],
        removeTerritoryIds: [T1],
      },
    ]);
    await engine.run(id);
    const item = await store.getItem(id, 0);
    expect(item).toMatchObject({ state: 'failed', code: 'NOT_ALLOWED' });
    expect(item!.message).toMatch(/^Could not remove the old territories first: Territory .* territory rule/);
    expect(zoho.callsOf('assign')).toHaveLength(0);
  });

  it('a failing notifier or status call never loses progress', async () => {
    const { store, zoho, engine, tracker, time, notifier } = await setup();
    zoho.addRecord('Accounts', recordId(0));
    const id = await seedRequest(store, accounts(1));
    notifier.requestUpdated = async () => {
      throw new Error('Slack is down');
    };
    // The first look's call (it reads the records) fails.
    const original = zoho.getRecords.bind(zoho);
    let failNext = true;
    zoho.getRecords = async (module, ids) => {
      if (failNext) {
        failNext = false;
        throw new ZohoNetworkError('timeout');
      }
      return original(module, ids);
    };
    await engine.run(id);
    time.clock.advance(2_000);
    expect(await tracker.pollOnce()).toMatchObject({ waiting: 1 });
    const job = (await store.listJobs(id))[0]!;
    expect(job).toMatchObject({ state: 'pending', polls: 1, nextPollAt: time.clock.now() + 1_000 });
    time.clock.advance(1_000);
    await tracker.pollOnce();
    await engine.idle();
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'done' });
    expect((await store.getRequest(id))!.state).toBe('done');
    expect(notifier.count('finished', id)).toBe(1);
  });

  it('removing a territory the record no longer has ends done after reading the record', async () => {
    const { store, zoho, engine, time } = await setup();
    zoho.addRecord('Contacts', recordId(0), [T2]);
    const id = await seedRequest(store, [
      { module: 'Contacts', recordId: recordId(0), action: 'remove', territoryIds: [T1] },
    ]);
    await engine.run(id);
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'retry', code: 'INVALID_DATA' });
    await time.advance(10_000, () => engine.idle());
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'done', code: 'ALREADY_APPLIED', after: [T2] });
    expect(zoho.callsOf('remove')).toHaveLength(1);
    expect((await store.getRequest(id))!.state).toBe('done');
  });
});
