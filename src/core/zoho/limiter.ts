/**
 * A small counting semaphore: at most `max` tasks run at once, the rest wait in FIFO order.
 * Zoho caps concurrent calls per org by edition (5 on Free, up to 25) and answers 429 beyond it,
 * so the client keeps its own cap below that (default 5, zoho-api.md §11.2).
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

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
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active += 1;
      return Promise.resolve();
    }
    // The slot is handed over directly in release(), so `active` stays constant.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}
