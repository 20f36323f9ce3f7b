import { afterEach, describe, expect, it, vi } from 'vitest';
import { UpdateThrottle } from '../../../src/notify/slack-poster.js';

describe('UpdateThrottle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forgets messages once their interval has passed: it does not grow with every request ever updated', async () => {
    let now = 0;
    const runs: string[] = [];
    const throttle = new UpdateThrottle(
      1_500,
      () => now,
      () => {},
    );
    for (let i = 0; i < 5_000; i += 1) {
      throttle.schedule(`request:${i}:parent`, async () => {
        runs.push(`request:${i}:parent`);
      });
      now += 1_000;
    }
    await throttle.flush('request:4999:parent');
    expect(runs).toHaveLength(5_000);
    // Only the messages updated within the last 1.5 s are remembered.
    expect(throttle.size).toBeLessThanOrEqual(2);
  });

  it('still holds back a second update of the same message within the interval', async () => {
    vi.useFakeTimers();
    let now = 0;
    let runs = 0;
    const throttle = new UpdateThrottle(
      1_500,
      () => now,
      () => {},
    );
    const run = async () => {
      runs += 1;
    };
    throttle.schedule('a', run);
    // Other messages come and go meanwhile; pruning them must not forget 'a'.
    now = 1_000;
    throttle.schedule('b', run);
    throttle.schedule('a', run);
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(2); // 'a' once, 'b' once; the second 'a' waits
    now = 1_500;
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(3);
    throttle.stop();
  });
});
