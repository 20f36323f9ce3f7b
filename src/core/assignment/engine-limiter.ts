/**
 * Bounds the engine's Zoho calls in flight (ZOHO_MAX_CONCURRENCY) with two queues: a person
 * waiting on a one-record change in Slack goes ahead of the queued batches of a large bulk,
 * which otherwise would hold every slot for minutes.
 */
export type Lane = 'interactive' | 'bulk';

export class LaneLimiter {
  private active = 0;
  private readonly queues: Record<Lane, Array<() => void>> = { interactive: [], bulk: [] };

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`concurrency must be a positive integer, got ${max}`);
  }

  get running(): number {
    return this.active;
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
    return new Promise((resolve) => this.queues[lane].push(resolve));
  }

  private release(): void {
    // The slot passes straight to the next waiter, so `active` stays the same.
    const next = this.queues.interactive.shift() ?? this.queues.bulk.shift();
    if (next) next();
    else this.active -= 1;
  }
}
