/**
 * A restart in the middle of a bulk: a new engine and tracker on the same store file (and the
 * same Zoho) pick up where the dead process stopped. Nothing is lost, nothing is applied twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAssignmentService } from '../../../src/core/assignment/engine-service.js';
import { RequestFinisher } from '../../../src/core/jobs/request-finisher.js';
import { openStore } from '../../../src/core/store/index.js';
import type { Store } from '../../../src/core/store/types.js';
import { FakeZoho } from '../helpers/fake-zoho.js';
import {
  ManualTime,
  RecordingNotifier,
  recordId,
  seedRequest,
  silentLogger,
  territoryId,
} from './helpers.js';

const T1 = territoryId(1);
let dir: string;
let stores: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'engine-restart-'));
});
afterEach(async () => {
  for (const s of stores) await s.close().catch(() => {});
  stores = [];
  rmSync(dir, { recursive: true, force: true });
});

async function boot(zoho: FakeZoho, time: ManualTime, concurrency = 1) {
  const store = await openStore(`sqlite:${join(dir, 'bot.db')}`);
  stores.push(store);
  const notifier = new RecordingNotifier();
  const service = createAssignmentService({
    api: zoho,
    store,
    notifier,
    clock: time.clock,
    logger: silentLogger,
    timers: time,
    random: () => 0.5,
    concurrency,
  });
  return { store, notifier, ...service };
}

const flush = () => new Promise((r) => setImmediate(r));

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 500 && !(await check()); i++) await flush();
}

function bulk(n: number) {
  return Array.from({ length: n }, (_, i) => ({ recordId: recordId(i), territoryIds: [T1] }));
}

describe('restart in the middle of a bulk', () => {
  it('Zoho took the batch but the answer was lost: the pending jobs are adopted, not resent', async () => {
    const time = new ManualTime();
    const zoho = new FakeZoho([T1]);
    for (let i = 0; i < 250; i++) zoho.addRecord('Accounts', recordId(i));
    zoho.jobPolls = 1;
    zoho.scriptCall('assign', 2, { kind: 'apply-then-hang' });

    const first = await boot(zoho, time);
    const id = await seedRequest(first.store, bulk(250));
    void first.engine.run(id); // never resolves: the process "dies" in the second call
    await zoho.hung;
    await until(async () => ((await first.store.countItemsByState(id)).sending ?? 0) === 100);
    expect(await first.store.countItemsByState(id)).toEqual({ scheduled: 100, sending: 100, pending: 50 });

    const second = await boot(zoho, time);
    const resumed = await second.engine.resume();
    expect(resumed).toEqual([id]);
    // Checked first: one feature-info call for the 100 in-flight records, then only the 50 unsent went out.
    expect(zoho.callsOf('pending').map((c) => c.ids.length)).toEqual([100]);
    expect(zoho.callsOf('assign').map((c) => c.ids.length)).toEqual([100, 100, 50]);
    expect([...zoho.sentCount('assign').values()].every((n) => n === 1)).toBe(true);
    expect(zoho.sentCount('assign').size).toBe(250);
    expect(await second.store.countItemsByState(id)).toEqual({ scheduled: 250 });
    expect(await second.store.listJobs(id)).toHaveLength(250);

    for (let round = 0; round < 5 && (await second.store.nextJobPollAt()) !== null; round++) {
      time.clock.advance(60_000);
      await second.tracker.pollOnce();
      await second.engine.idle();
    }
    expect(await second.store.countItemsByState(id)).toEqual({ done: 250 });
    expect((await second.store.getRequest(id))!.state).toBe('done');
    expect(second.notifier.count('finished', id)).toBe(1);
    for (let i = 0; i < 250; i += 50) expect(zoho.recordTerritories('Accounts', recordId(i))).toEqual([T1]);
  });

  it('the call never reached Zoho: the records are checked, then sent once', async () => {
    const time = new ManualTime();
    const zoho = new FakeZoho([T1]);
    for (let i = 0; i < 150; i++) zoho.addRecord('Accounts', recordId(i));
    zoho.scriptCall('assign', 2, { kind: 'hang' });

    const first = await boot(zoho, time);
    const id = await seedRequest(first.store, bulk(150));
    void first.engine.run(id);
    await zoho.hung;
    // The first batch's answer is stored after its slot is given back: the "crash" comes after.
    await until(async () => ((await first.store.countItemsByState(id)).scheduled ?? 0) === 100);

    const second = await boot(zoho, time);
    await second.engine.resume();
    const lost = Array.from({ length: 50 }, (_, i) => recordId(100 + i));
    // feature-info, then the records, then the resend: in that order, for exactly those records.
    expect(zoho.calls.slice(2).map((c) => [c.method, c.ids.length])).toEqual([
      ['pending', 50],
      ['records', 50],
      ['assign', 50],
    ]);
    expect(zoho.calls.at(-1)!.ids).toEqual(lost);
    expect(await second.store.countItemsByState(id)).toEqual({ scheduled: 150 });
    time.clock.advance(2_000);
    // One wave of calls per round (one call at a time here): 100 jobs, then 50.
    expect((await second.tracker.pollOnce()).jobs).toBe(100);
    expect((await second.tracker.pollOnce()).jobs).toBe(50);
    await second.engine.idle();
    expect(await second.store.countItemsByState(id)).toEqual({ done: 150 });
    expect(zoho.recordTerritories('Accounts', recordId(120))).toEqual([T1]);
  });

  it('job rows stored without their items marked (a store written by an earlier version, which wrote them apart): no Zoho call at all on resume', async () => {
    const time = new ManualTime();
    const zoho = new FakeZoho([T1]);
    for (let i = 0; i < 20; i++) zoho.addRecord('Accounts', recordId(i));
    const first = await boot(zoho, time);
    const id = await seedRequest(first.store, bulk(20));
    await first.engine.run(id);
    // Rewind the items to before their update; the job rows stay (both now commit together).
    await first.store.updateItems(id, [...Array(20).keys()], { state: 'sending', jobId: null });
    const calls = zoho.calls.length;

    const second = await boot(zoho, time);
    await second.engine.resume();
    expect(zoho.calls.length).toBe(calls);
    const items = await second.store.listItems(id);
    const jobs = await second.store.listJobs(id);
    expect(items.every((it, i) => it.state === 'scheduled' && it.jobId === jobs[i]!.jobId)).toBe(true);
    time.clock.advance(2_000);
    await second.tracker.pollOnce();
    await second.engine.idle();
    expect(await second.store.countItemsByState(id)).toEqual({ done: 20 });
  });

  it('an item settled while its job stayed open (a store written by an earlier version): the next round closes the job, the item stays', async () => {
    const time = new ManualTime();
    const zoho = new FakeZoho([T1]);
    zoho.addRecord('Accounts', recordId(0));
    const first = await boot(zoho, time);
    const id = await seedRequest(first.store, bulk(1));
    await first.engine.run(id);
    time.clock.advance(2_000);
    await first.tracker.pollOnce();
    await first.engine.idle();
    const job = (await first.store.listJobs(id))[0]!;
    await first.store.updateJob(job.id, { state: 'pending', nextPollAt: time.clock.now() });

    const second = await boot(zoho, time);
    await second.engine.resume();
    expect(await second.tracker.pollOnce()).toMatchObject({ jobs: 1, done: 1 });
    expect((await second.store.listJobs(id))[0]).toMatchObject({ state: 'done' });
    expect(await second.store.getItem(id, 0)).toMatchObject({ state: 'done', code: 'CONFIRMED' });
    expect(second.notifier.count('finished', id)).toBe(0); // finished once, by the first process
    expect(first.notifier.count('finished', id)).toBe(1);
  });

  it('an approved request that never started is started on resume; a finished one is left alone', async () => {
    const time = new ManualTime();
    const zoho = new FakeZoho([T1]);
    zoho.addRecord('Accounts', recordId(0));
    const first = await boot(zoho, time);
    const id = await seedRequest(first.store, bulk(1));
    const done = await seedRequest(first.store, bulk(1), { state: 'done' });
    const second = await boot(zoho, time);
    expect(await second.engine.resume()).toEqual([id]);
    expect((await second.store.getRequest(id))!.state).toBe('running');
    expect((await second.store.getRequest(done))!.state).toBe('done');
    expect(zoho.callsOf('assign')).toHaveLength(1);
  });
});

describe('finishing', () => {
  it('requestFinished is called exactly once when engine and tracker race to finish', async () => {
    const time = new ManualTime();
    const zoho = new FakeZoho([T1]);
    zoho.addRecord('Accounts', recordId(0));
    const { store, notifier, engine } = await boot(zoho, time);
    const id = await seedRequest(store, bulk(1));
    await engine.run(id);
    await store.updateItem(id, 0, { state: 'done' });
    const finisher = new RequestFinisher({ store, notifier, clock: time.clock, logger: silentLogger });
    const won = await Promise.all([
      finisher.finishIfComplete(id),
      finisher.finishIfComplete(id),
      engine.advance(id).then(() => false),
      finisher.finishIfComplete(id),
    ]);
    expect(won.filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(notifier.count('finished', id)).toBe(1);
    expect((await store.getRequest(id))!.state).toBe('done');
  });
});

describe('final reply after a stop', () => {
  it('the final reply is in the outbox with the finish, once, and a restart neither loses nor repeats it', async () => {
    const time = new ManualTime();
    const zoho = new FakeZoho([T1]);
    zoho.addRecord('Accounts', recordId(0));
    const first = await boot(zoho, time);
    const id = await seedRequest(first.store, bulk(1));
    await first.engine.run(id);
    time.clock.advance(2_000);
    await first.tracker.pollOnce();
    await first.engine.idle();
    expect((await first.store.getRequest(id))!.state).toBe('done');
    // Written in the finishing transaction: a process stopped right after it leaves it pending.
    const finals = (await first.store.listNotices(id)).filter((n) => n.kind === 'final');
    expect(finals).toMatchObject([{ key: `request:${id}:final`, state: 'pending' }]);

    const second = await boot(zoho, time);
    await second.engine.resume();
    await second.engine.resume();
    expect((await second.store.listNotices(id)).filter((n) => n.kind === 'final')).toHaveLength(1);
  });
});

/** A service on a fresh store with `n` records in Zoho; by default on the (fake) system clock. */
async function service(n: number, options: Partial<Parameters<typeof createAssignmentService>[0]> = {}) {
  const zoho = new FakeZoho([T1]);
  for (let i = 0; i < n; i++) zoho.addRecord('Accounts', recordId(i));
  const store = await openStore('sqlite::memory:');
  stores.push(store);
  const made = createAssignmentService({
    api: zoho,
    store,
    notifier: new RecordingNotifier(),
    clock: { now: () => Date.now() },
    logger: silentLogger,
    ...options,
  });
  return { zoho, store, ...made };
}

/** On fake timers, one Zoho call at a time. */
function oneCallAtATime(n: number) {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 9), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  return service(n, { concurrency: 1 });
}

describe('timer-driven tracker (vitest fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('start() polls when jobs fall due, nudge() wakes it for new jobs, stop() ends the loop', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 9), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const zoho = new FakeZoho([T1]);
    for (let i = 0; i < 3; i++) zoho.addRecord('Accounts', recordId(i));
    zoho.jobPolls = 1;
    const store = await openStore('sqlite::memory:');
    stores.push(store);
    const notifier = new RecordingNotifier();
    const { engine, start, stop } = createAssignmentService({
      api: zoho,
      store,
      notifier,
      clock: { now: () => Date.now() },
      logger: silentLogger,
    });
    await start();
    const id = await seedRequest(store, bulk(3), { now: Date.now() });
    await engine.run(id);
    expect(zoho.callsOf('pending')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000); // first look: the records, then still pending
    expect(zoho.callsOf('records')).toHaveLength(1);
    expect(zoho.callsOf('pending')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000); // second poll: no longer pending, confirmed
    expect(zoho.callsOf('records')).toHaveLength(2);
    await engine.idle();
    expect((await store.getRequest(id))!.state).toBe('done');
    await stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(zoho.callsOf('pending')).toHaveLength(2);
  });

  it('a full round is followed by the next at once: every due job is confirmed in one wake-up', async () => {
    // One call at a time: a round is 100 due jobs, so 250 take three rounds.
    const { zoho, store, engine, start, stop } = await oneCallAtATime(250);
    const taken: number[] = [];
    const listDueJobs = store.listDueJobs.bind(store);
    store.listDueJobs = async (now, limit, exclude) => {
      const due = await listDueJobs(now, limit, exclude);
      taken.push(due.length);
      return due;
    };
    await start();
    const id = await seedRequest(store, bulk(250), { now: Date.now() });
    await engine.run(id);
    await vi.advanceTimersByTimeAsync(1_000);
    await engine.idle();
    // Never more than a round's jobs held at once; the loop goes on while rounds come back full.
    expect(taken.filter((n) => n > 0)).toEqual([100, 100, 50]);
    expect(zoho.callsOf('records').map((c) => c.ids.length)).toEqual([100, 100, 50]);
    expect(await store.countItemsByState(id)).toEqual({ done: 250 });
    await stop();
  });

  it("the next round's calls go out while this round's verdicts are stored; no job is looked at twice", async () => {
    // One call at a time: a round is 100 due jobs, so 300 take three rounds.
    const { zoho, store, engine, start, stop } = await oneCallAtATime(300);
    const id = await seedRequest(store, bulk(300), { now: Date.now() });
    await engine.run(id);
    // The first round's item writes wait until the test lets them go.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const writes = store.settleJobs.bind(store);
    let storing = 0;
    store.settleJobs = async (...args) => {
      storing += 1;
      if (storing === 1) await held;
      return writes(...args);
    };
    await start();
    await vi.advanceTimersByTimeAsync(1_000);
    await until(async () => (await store.countItemsByState(id)).done === 100);
    for (let i = 0; i < 20; i++) await flush();
    // The first round is still storing; the second one's call went out and it is stored; the
    // third waits for the first (at most two rounds' jobs held at once).
    expect(zoho.callsOf('records').map((c) => c.ids[0])).toEqual([recordId(0), recordId(100)]);
    expect(await store.countItemsByState(id)).toEqual({ scheduled: 200, done: 100 });
    expect((await store.getItem(id, 0))!.state).toBe('scheduled');
    release();
    await vi.advanceTimersByTimeAsync(0);
    await until(async () => (await store.getRequest(id))!.state === 'done');
    // Each record read once: a round never takes the jobs of a round still in progress.
    const reads = zoho.callsOf('records').flatMap((c) => c.ids);
    expect(reads).toHaveLength(300);
    expect(new Set(reads).size).toBe(300);
    expect(await store.countItemsByState(id)).toEqual({ done: 300 });
    await stop();
  });
});

describe('several replicas on one store', () => {
  it('a request leased by another replica is not sent until that lease expires', async () => {
    const time = new ManualTime();
    const zoho = new FakeZoho([T1]);
    zoho.addRecord('Accounts', recordId(0));
    const store = await openStore('sqlite::memory:');
    stores.push(store);
    const notifier = new RecordingNotifier();
    const { engine } = createAssignmentService({
      api: zoho,
      store,
      notifier,
      clock: time.clock,
      logger: silentLogger,
      timers: time,
      instanceId: 'replica-b',
    });
    const id = await seedRequest(store, bulk(1));
    expect(await store.acquireLease(`assignment:request:${id}`, 'replica-a', 120_000, time.clock.now())).toBe(
      true,
    );
    expect(await engine.run(id)).toMatchObject({ started: true, state: 'running', counts: { pending: 1 } });
    expect(zoho.calls).toHaveLength(0);
    time.clock.advance(120_000);
    await engine.sweep();
    expect(zoho.callsOf('assign')).toHaveLength(1);
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'scheduled' });
  });

  it('only the replica holding the tracker lease polls jobs', async () => {
    const time = new ManualTime();
    const { zoho, store, ...replica } = await service(1, {
      clock: time.clock,
      timers: time,
      instanceId: 'replica-b',
    });
    const id = await seedRequest(store, bulk(1));
    await store.acquireLease('jobs:tracker', 'replica-a', 180_000, time.clock.now());
    const settle = async () => {
      await replica.tracker.idle();
      await replica.engine.idle();
    };
    await replica.start(); // runs the approved request
    await settle();
    expect(zoho.callsOf('assign')).toHaveLength(1);
    await time.advance(60_000, settle);
    expect(zoho.callsOf('records')).toHaveLength(0); // replica-a polls, not us
    await time.advance(180_000, settle); // replica-a is gone: its lease ran out
    expect(zoho.callsOf('records').length).toBeGreaterThan(0);
    expect(await store.getItem(id, 0)).toMatchObject({ state: 'done' });
    await replica.stop();
  });
});
