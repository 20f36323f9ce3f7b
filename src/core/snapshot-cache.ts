/**
 * A list read from Zoho once per cache period and shared (the territory catalog, the active
 * users): served while fresh; concurrent callers share one read in flight (single flight); a
 * failed read is not cached, so the next caller tries again.
 */
import type { Clock } from './clock.js';

export class SnapshotCache<T> {
  private snapshot: T | null = null;
  /** The snapshot is served until this time (epoch ms). */
  private freshUntil = Number.NEGATIVE_INFINITY;
  private inflight: Promise<T> | null = null;
  private reads = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    /** Reads Zoho; `started` is when this read began (the snapshot's age counts from it). */
    private readonly read: (started: number) => Promise<T>,
  ) {}

  /** The cached snapshot while fresh; otherwise reads (once, however many callers wait). */
  async get(): Promise<T> {
    const s = this.snapshot;
    if (s && this.clock.now() < this.freshUntil) return s;
    return this.load();
  }

  /** Reads now; joins a read already in flight rather than starting a second one. */
  load(): Promise<T> {
    if (this.inflight) return this.inflight;
    const started = this.clock.now();
    this.reads++;
    const p = this.read(started)
      .then((value) => {
        this.snapshot = value;
        this.freshUntil = started + this.ttlMs;
        return value;
      })
      .finally(() => {
        if (this.inflight === p) this.inflight = null;
      });
    this.inflight = p;
    return p;
  }

  /** The last snapshot, fresh or not, without reading (null before the first read). */
  peek(): T | null {
    return this.snapshot;
  }

  /** Makes the next get() read. */
  invalidate(): void {
    this.freshUntil = Number.NEGATIVE_INFINITY;
  }

  /** Number of reads made so far (for benchmarks and health). */
  get readCount(): number {
    return this.reads;
  }
}
