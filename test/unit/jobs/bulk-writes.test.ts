import { afterEach, describe, expect, it } from 'vitest';
import { createAssignmentService } from '../../../src/core/assignment/engine-service.js';
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
let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

/** The real store, counting its batched writes (a call's answer, a chunk of job verdicts). */
function countingBatchedWrites(base: Store) {
  const calls = {
    schedule: 0,
    scheduledRows: 0,
    jobRows: 0,
    settle: 0,
    settledRows: 0,
    closedRows: 0,
    single: 0,
  };
  const extra: Pick<Store, 'scheduleItems' | 'settleJobs'> = {
    scheduleItems(requestId, jobs, entries, now) {
      calls.schedule += 1;
      calls.scheduledRows += entries.length;
      calls.jobRows += jobs.length;
      return base.scheduleItems(requestId, jobs, entries, now);
    },
    settleJobs(requestId, entries, closed, now) {
      calls.settle += 1;
      calls.settledRows += entries.length;
      calls.closedRows += closed.length;
      return base.settleJobs(requestId, entries, closed, now);
    },
  };
  const wrapped = new Proxy(base, {
    get(target, prop, receiver) {
      if (prop in extra) return extra[prop as keyof typeof extra];
      if (prop === 'updateItem') calls.single += 1;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { wrapped, calls };
}

describe('batched writes', () => {
  it('writes a call’s answer in one batched write, and each chunk of job verdicts in one', async () => {
    store = await openStore('sqlite::memory:');
    const { wrapped, calls } = countingBatchedWrites(store);
    const time = new ManualTime();
    const zoho = new FakeZoho([T1]);
    for (let i = 0; i < 250; i++) zoho.addRecord('Accounts', recordId(i));
    const { engine, tracker } = createAssignmentService({
      api: zoho,
      store: wrapped,
      notifier: new RecordingNotifier(),
      clock: time.clock,
      logger: silentLogger,
      timers: time,
    });
    const id = await seedRequest(
      store,
      Array.from({ length: 250 }, (_, i) => ({ recordId: recordId(i), territoryIds: [T1] })),
    );
    await engine.run(id);
    // Three calls: each answer's 100 (or 50) jobs and items together.
    expect(calls).toMatchObject({ schedule: 3, scheduledRows: 250, jobRows: 250, single: 0 });
    time.clock.advance(2_000);
    await tracker.pollOnce();
    await engine.idle();
    // Three chunks of verdicts: each chunk's items moved on and its jobs closed together.
    expect(calls).toMatchObject({ settle: 3, settledRows: 250, closedRows: 250, single: 0 });
    expect(await store.countItemsByState(id)).toEqual({ done: 250 });
    expect((await store.getRequest(id))!.state).toBe('done');
  });
});
