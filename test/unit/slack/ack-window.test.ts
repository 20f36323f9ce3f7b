import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACK_WINDOW_MS, withinAckWindow } from '../../../src/slack/ack-window.js';

describe('withinAckWindow', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the result of work that settles in time', async () => {
    await expect(withinAckWindow(Promise.resolve(42))).resolves.toBe(42);
  });

  it("answers 'late' when the window passes first, and the work still completes", async () => {
    vi.useFakeTimers();
    let finish!: (v: string) => void;
    const work = new Promise<string>((resolve) => {
      finish = resolve;
    });
    const raced = withinAckWindow(work);
    await vi.advanceTimersByTimeAsync(ACK_WINDOW_MS);
    await expect(raced).resolves.toBe('late');
    finish('done');
    await expect(work).resolves.toBe('done');
  });
});
