/**
 * The one concurrency limiter: at most `max` tasks run at once, the rest wait in FIFO order per
 * lane. Zoho caps concurrent calls per org by edition (5 on Free, up to 25) and answers 429
 * beyond it, so callers keep their own cap below that (default 5, zoho-api.md §11.2).
 *
 * Two lanes: a person waiting on a one-record change in Slack (`interactive`) goes ahead of the
 * queued batches of a large bulk (`bulk`, the default), which otherwise would hold every slot
 * for minutes. A caller that never names a lane gets a plain FIFO semaphore.
 */
export type Lane = 'interactive' | 'bulk';

export class Limiter {
  private active = 0;
  private readonly queues: Record<Lane, Array<() => void>> = { interactive: [], bulk: [] };

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`Limiter: max must be a positive integer, got ${max}`);
  }

  /** Tasks currently running. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.queues.interactive.length + this.queues.bulk.length;
  }

  async run<T>(task: () => Promise<T>, lane: Lane = 'bulk'): Promise<T> {
    await this.acquire(lane);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(lane: Lane): Promise<void> {
    if (this.active < this.max) {
      this.active += 1;
      return Promise.resolve();
    }
    // The slot is handed over directly in release(), so `active` stays constant.
    return new Promise((resolve) => this.queues[lane].push(resolve));
  }

  private release(): void {
    const next = this.queues.interactive.shift() ?? this.queues.bulk.shift();
    if (next) next();
    else this.active -= 1;
  }
}
