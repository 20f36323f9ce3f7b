import { describe, expect, it } from 'vitest';
import { CachedGroupDirectory } from '../../../src/core/approvals/index.js';
import { ManualClock } from '../../../src/core/clock.js';

function source() {
  const state = { calls: 0, fail: false, members: ['U1', 'U2'] };
  return {
    state,
    members: async (groupId: string) => {
      state.calls++;
      if (state.fail) throw new Error('slack down');
      return groupId === 'SEMPTY' ? [] : [...state.members];
    },
  };
}

describe('CachedGroupDirectory', () => {
  it('caches per group for the TTL and shares concurrent lookups', async () => {
    const clock = new ManualClock();
    const src = source();
    const dir = new CachedGroupDirectory({ source: src, clock, ttlMs: 1000 });
    const all = await Promise.all([dir.members('SA'), dir.members('SA'), dir.members('SA')]);
    expect(all).toEqual([
      ['U1', 'U2'],
      ['U1', 'U2'],
      ['U1', 'U2'],
    ]);
    expect(src.state.calls).toBe(1);
    await dir.members('SEMPTY');
    expect(src.state.calls).toBe(2);
    clock.advance(999);
    await dir.members('SA');
    expect(src.state.calls).toBe(2);
    clock.advance(1);
    src.state.members = ['U3'];
    expect(await dir.members('SA')).toEqual(['U3']);
    expect(src.state.calls).toBe(3);
  });

  it('serves a recent answer when Slack fails, and fails when it has none or it is too old', async () => {
    const clock = new ManualClock();
    const src = source();
    const dir = new CachedGroupDirectory({ source: src, clock, ttlMs: 1000, staleMs: 10_000 });
    src.state.fail = true;
    await expect(dir.members('SA')).rejects.toThrow('slack down');
    src.state.fail = false;
    await dir.members('SA');
    src.state.fail = true;
    clock.advance(5000);
    expect(await dir.members('SA')).toEqual(['U1', 'U2']);
    clock.advance(5000);
    await expect(dir.members('SA')).rejects.toThrow('slack down');
  });

  it('invalidates one group or all, and callers cannot mutate the cache', async () => {
    const clock = new ManualClock();
    const src = source();
    const dir = new CachedGroupDirectory({ source: src, clock });
    const first = await dir.members('SA');
    first.push('UEVIL');
    expect(await dir.members('SA')).toEqual(['U1', 'U2']);
    expect(src.state.calls).toBe(1);
    dir.invalidate('SA');
    expect(await dir.members('SA')).toEqual(['U1', 'U2']);
    expect(src.state.calls).toBe(2);
    dir.invalidate();
    await dir.members('SA');
    expect(src.state.calls).toBe(3);
  });
});
