import { describe, expect, it } from 'vitest';
import { LEASE_RECHECK_MS, LeaseRenewal } from '../../../src/core/replica.js';

/** A lease whose answers are scripted; records when it was written. */
function scripted(answers: boolean[]) {
  let now = 0;
  const writes: number[] = [];
  const renewal = new LeaseRenewal(
    async (at) => {
      writes.push(at);
      return answers.shift() ?? true;
    },
    () => now,
  );
  return { renewal, writes, advance: (ms: number) => (now += ms) };
}

describe('LeaseRenewal', () => {
  it('writes the lease once per LEASE_RECHECK_MS however often it is checked', async () => {
    const { renewal, writes, advance } = scripted([]);
    for (let i = 0; i < 10; i++) {
      expect(await renewal.held()).toBe(true);
      advance(LEASE_RECHECK_MS / 10 - 1);
    }
    expect(writes).toEqual([0]);
    advance(LEASE_RECHECK_MS);
    expect(await renewal.held()).toBe(true);
    expect(writes).toHaveLength(2);
  });

  it('a failed renewal is not covered by an earlier success: the next check writes again', async () => {
    const { renewal, writes, advance } = scripted([true, false, true]);
    expect(await renewal.held()).toBe(true);
    advance(10);
    // The heartbeat's renewal finds another holder.
    expect(await renewal.renew()).toBe(false);
    advance(10);
    expect(await renewal.held()).toBe(true);
    expect(writes).toEqual([0, 10, 20]);
  });

  it('after forget() the next check writes', async () => {
    const { renewal, writes } = scripted([]);
    await renewal.held();
    renewal.forget();
    await renewal.held();
    expect(writes).toEqual([0, 0]);
  });
});
