import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.js';
import { IdleCollector, inspectorCollect } from '../../src/idle-collector.js';

const silent = createLogger('silent');
const MB = 2 ** 20;

/** A collector over scripted readings: the heap's size and the loop's utilization per check. */
function scripted(heap: { mb: number }, busy: { u: number }, onCollect: () => void = () => {}) {
  const collections: number[] = [];
  const collector = new IdleCollector({
    collect: async () => {
      collections.push(heap.mb);
      onCollect();
    },
    heapTotal: () => heap.mb * MB,
    utilization: () => busy.u,
    logger: silent,
  });
  return { collector, collections };
}

describe('IdleCollector', () => {
  it('collects once the loop is idle after the heap grew, and not again until it grows again', async () => {
    const heap = { mb: 30 };
    const busy = { u: 0.9 };
    const { collector, collections } = scripted(heap, busy, () => {
      heap.mb = 32;
    });
    // A bulk: the heap grows while the loop is busy; no pause in the middle of the work.
    heap.mb = 100;
    expect(await collector.check()).toBe(false);
    // Idle again: one collection.
    busy.u = 0.01;
    expect(await collector.check()).toBe(true);
    expect(collections).toEqual([100]);
    // Idle with the heap where the collection left it: nothing to do.
    expect(await collector.check()).toBe(false);
    heap.mb = 40;
    expect(await collector.check()).toBe(false);
    // Grown well past the last collection's size: collected again.
    heap.mb = 60;
    expect(await collector.check()).toBe(true);
    expect(collections).toEqual([100, 60]);
  });

  it('leaves a heap that grew a little alone, however idle', async () => {
    const heap = { mb: 30 };
    const { collector, collections } = scripted(heap, { u: 0 });
    heap.mb = 44;
    expect(await collector.check()).toBe(false);
    expect(collections).toEqual([]);
  });

  it('stops after a failed collection instead of failing every period', async () => {
    let calls = 0;
    let mb = 200;
    const pending: Array<() => void> = [];
    const collector = new IdleCollector({
      collect: async () => {
        calls += 1;
        throw new Error('inspector gone');
      },
      heapTotal: () => mb * MB,
      utilization: () => 0,
      logger: silent,
      timers: {
        setTimeout: (fn) => pending.push(fn),
        clearTimeout: () => {},
      },
    });
    collector.start();
    mb = 300;
    expect(pending).toHaveLength(1);
    pending.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
    // No next check was scheduled.
    expect(pending).toHaveLength(0);
  });

  it('runs a full collection through the inspector, without --expose-gc', async () => {
    const collect = await inspectorCollect();
    expect(collect).not.toBeNull();
    // 40 MB of objects that survive long enough to reach the old generation, then dropped.
    let garbage: Array<{ n: number; s: string }> | null = [];
    for (let i = 0; i < 400_000; i++) garbage.push({ n: i, s: `item-${i}` });
    await new Promise((r) => setTimeout(r, 10));
    const before = getHeapStatistics().used_heap_size;
    expect(garbage.length).toBe(400_000);
    garbage = null;
    await collect!();
    expect(getHeapStatistics().used_heap_size).toBeLessThan(before - 10 * MB);
  });
});
