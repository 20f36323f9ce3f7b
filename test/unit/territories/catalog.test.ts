import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { TerritoryCatalog } from '../../../src/core/territories/index.js';
import type { Territory } from '../../../src/core/zoho/types.js';
import { demoTerritories } from './fixtures.js';

/** A listTerritories the test resolves by hand, counting calls. */
function controlledApi() {
  const calls: Array<{ resolve: (t: Territory[]) => void; reject: (e: Error) => void }> = [];
  return {
    calls,
    api: {
      listTerritories: () =>
        new Promise<Territory[]>((resolve, reject) => {
          calls.push({ resolve, reject });
        }),
    },
  };
}

const flush = () => new Promise((r) => setImmediate(r));

function countingApi() {
  const counter = { reads: 0 };
  const api = {
    listTerritories: async () => {
      counter.reads++;
      return demoTerritories().all;
    },
  };
  return { counter, api };
}

describe('TerritoryCatalog', () => {
  it('shares one in-flight read among concurrent callers', async () => {
    const { api, calls } = controlledApi();
    const catalog = new TerritoryCatalog({ api, clock: new ManualClock() });
    const waiting = Array.from({ length: 50 }, () => catalog.get());
    waiting.push(catalog.refresh());
    await flush();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(demoTerritories().all);
    const results = await Promise.all(waiting);
    expect(new Set(results).size).toBe(1);
    expect(results[0]!.size).toBe(12);
    expect(catalog.readCount).toBe(1);
  });

  it('serves the cache within the TTL and reads again after it', async () => {
    let reads = 0;
    const clock = new ManualClock(1_000_000);
    const catalog = new TerritoryCatalog({
      api: {
        listTerritories: async () => {
          reads++;
          return demoTerritories().all;
        },
      },
      clock,
      ttlMs: 60_000,
    });
    const first = await catalog.get();
    expect(first.loadedAt).toBe(1_000_000);
    clock.advance(59_999);
    expect(await catalog.get()).toBe(first);
    expect(reads).toBe(1);
    clock.advance(1);
    const second = await catalog.get();
    expect(second).not.toBe(first);
    expect(reads).toBe(2);
  });

  it('defaults to a 10-minute TTL', async () => {
    const clock = new ManualClock();
    const { api, counter } = countingApi();
    const catalog = new TerritoryCatalog({ api, clock });
    await catalog.get();
    clock.advance(10 * 60 * 1000 - 1);
    await catalog.get();
    expect(counter.reads).toBe(1);
    clock.advance(1);
    await catalog.get();
    expect(counter.reads).toBe(2);
  });

  it('refresh() reads even when fresh; invalidate() makes the next get() read', async () => {
    const { api, counter } = countingApi();
    const catalog = new TerritoryCatalog({ api, clock: new ManualClock() });
    await catalog.get();
    await catalog.refresh();
    expect(counter.reads).toBe(2);
    const before = catalog.peek();
    catalog.invalidate();
    expect(catalog.peek()).toBe(before);
    expect(before!.loadedAt).toBe(new ManualClock().now());
    await catalog.get();
    expect(counter.reads).toBe(3);
    await catalog.get();
    expect(counter.reads).toBe(3);
  });

  it('does not cache a failed read; the next call retries and peek() keeps the old snapshot', async () => {
    const { api, calls } = controlledApi();
    const clock = new ManualClock();
    const catalog = new TerritoryCatalog({ api, clock, ttlMs: 1000 });
    expect(catalog.peek()).toBeNull();
    const p1 = catalog.get();
    await flush();
    calls[0]!.resolve(demoTerritories().all);
    const first = await p1;
    clock.advance(1000);
    const p2 = catalog.get();
    const p3 = catalog.get();
    await flush();
    expect(calls).toHaveLength(2);
    calls[1]!.reject(new Error('Zoho is down'));
    await expect(p2).rejects.toThrow('Zoho is down');
    await expect(p3).rejects.toThrow('Zoho is down');
    expect(catalog.peek()).toBe(first);
    const p4 = catalog.get();
    await flush();
    expect(calls).toHaveLength(3);
    calls[2]!.resolve(demoTerritories().all.slice(0, 3));
    expect((await p4).size).toBe(3);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const catalog = new TerritoryCatalog({
      api: {
        listTerritories: () => {
          throw new Error('boom');
        },
      },
      clock: new ManualClock(),
    });
    await expect(catalog.get()).rejects.toThrow('boom');
  });

  it('names(): id → name from the last snapshot, read once when none, empty when Zoho fails', async () => {
    const { api, counter } = countingApi();
    const clock = new ManualClock();
    const catalog = new TerritoryCatalog({ api, clock, ttlMs: 1000 });
    const all = demoTerritories().all;
    const names = await catalog.names();
    expect(names.size).toBe(all.length);
    expect(names.get(all[0]!.id)).toBe(all[0]!.name);
    clock.advance(5000);
    // Stale is fine for labels: no second read, and the same map (built once per snapshot).
    expect(await catalog.names()).toBe(names);
    expect(counter.reads).toBe(1);
    await catalog.refresh();
    const fresh = await catalog.names();
    expect(fresh).not.toBe(names);
    expect(fresh).toEqual(names);

    const down = new TerritoryCatalog({
      api: { listTerritories: async () => Promise.reject(new Error('Zoho is down')) },
      clock,
    });
    expect((await down.names()).size).toBe(0);
  });
});
