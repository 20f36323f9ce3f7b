import { afterEach, describe, expect, it } from 'vitest';
import { createAssignmentService } from '../../../src/core/assignment/engine-service.js';
import type { ItemPatchEntry, JobPatch } from '../../../src/core/jobs/bulk-writes.js';
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

/** The real store plus the batched writes the engine uses when a store offers them. */
function withBatchedWrites(base: Store) {
  const calls = { items: 0, itemRows: 0, jobs: 0, jobRows: 0, single: 0 };
  const extra = {
    async updateItemsEach(requestId: string, entries: readonly ItemPatchEntry[], now?: number) {
      calls.items += 1;
      calls.itemRows += entries.length;
      let n = 0;
      for (const e of entries)
        if (await base.updateItem(requestId, e.seq, e.patch, e.expectState, now)) n += 1;
      return n;
    },
    async updateJobsEach(entries: ReadonlyArray<{ id: number; patch: JobPatch }>, now?: number) {
      calls.jobs += 1;
      calls.jobRows += entries.length;
      for (const e of entries) await base.updateJob(e.id, e.patch, now);
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
  it('uses the store’s batched item and job writes when it has them: one per batch / per round', async () => {
    store = await openStore('sqlite::memory:');
    const { wrapped, calls } = withBatchedWrites(store);
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
    expect(calls).toMatchObject({ items: 3, itemRows: 250 });
    time.clock.advance(2_000);
    await tracker.pollOnce();
    await engine.idle();
    expect(calls).toMatchObject({ items: 6, itemRows: 500, jobs: 3, jobRows: 250 });
    expect(await store.countItemsByState(id)).toEqual({ done: 250 });
    expect((await store.getRequest(id))!.state).toBe('done');
  });
});
