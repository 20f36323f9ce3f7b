/**
 * Gives memory back once a burst of work is over. V8 collects its old generation when it grows,
 * not when the process goes quiet, and Node does not tell V8 when it is idle: after a
 * 10,000-record bulk the heap kept 50-70 MB of garbage for minutes (issue 13: RSS up to 190 MB
 * when idle again; one full collection brings it to about 120 MB). When the event loop was
 * nearly idle for a whole check period and the heap has grown well past its size after the last
 * collection, this runs one full collection: 25-50 ms, at a time nothing is waiting on it.
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { globalTimers, type Timers } from './core/jobs/timers.js';
import type { Logger } from './core/log.js';

/** Check period; the loop must have been idle over all of it. */
const CHECK_EVERY_MS = 5_000;
/** Share of the period the loop may have been busy and still count as idle (timers, polls). */
const IDLE_UTILIZATION = 0.05;
/** Heap growth since the last collection worth a full collection (less is not worth the pause). */
const GROWTH_BYTES = 16 * 1024 * 1024;

export interface IdleCollectorDeps {
  /** One full collection. */
  collect: () => Promise<void>;
  /** V8's committed heap, bytes. */
  heapTotal: () => number;
  /** Event loop utilization (0..1) since the previous call. */
  utilization: () => number;
  logger: Logger;
  timers?: Timers;
}

export class IdleCollector {
  private timer: unknown = null;
  private baseline: number;
  private readonly timers: Timers;

  constructor(private readonly deps: IdleCollectorDeps) {
    this.timers = deps.timers ?? globalTimers;
    this.baseline = deps.heapTotal();
  }

  start(): void {
    if (this.timer !== null) return;
    this.deps.utilization();
    this.schedule();
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** One check; true when it collected. Tests call it directly. */
  async check(): Promise<boolean> {
    const busy = this.deps.utilization();
    const before = this.deps.heapTotal();
    if (busy > IDLE_UTILIZATION || before - this.baseline < GROWTH_BYTES) return false;
    const started = performance.now();
    try {
      await this.deps.collect();
    } catch (err) {
      this.deps.logger.warn({ err }, 'idle garbage collection failed');
      this.stop();
      return false;
    }
    this.baseline = this.deps.heapTotal();
    // Measured again: the collection's own time must not count as work at the next check.
    this.deps.utilization();
    this.deps.logger.debug(
      {
        ms: Math.round(performance.now() - started),
        heapTotalMb: Math.round(before / 2 ** 20),
        afterMb: Math.round(this.baseline / 2 ** 20),
      },
      'collected garbage once idle',
    );
    return true;
  }

  private schedule(): void {
    this.timer = this.timers.setTimeout(() => {
      void this.check().then(() => {
        if (this.timer !== null) this.schedule();
      });
    }, CHECK_EVERY_MS);
  }
}

/**
 * A full collection through the in-process inspector (HeapProfiler.collectGarbage): no
 * `--expose-gc` flag, no port opened. Null where Node was built without the inspector.
 */
export async function inspectorCollect(): Promise<(() => Promise<void>) | null> {
  let Session: typeof import('node:inspector').Session;
  try {
    ({ Session } = await import('node:inspector'));
  } catch {
    return null;
  }
  let session: InstanceType<typeof Session> | null = null;
  return () =>
    new Promise<void>((resolve, reject) => {
      if (!session) {
        session = new Session();
        session.connect();
      }
      session.post('HeapProfiler.collectGarbage', (err) => (err ? reject(err) : resolve()));
    });
}

/** The collector for this process: real collections, the loop's own utilization. */
export async function startIdleCollector(logger: Logger): Promise<IdleCollector | null> {
  const collect = await inspectorCollect();
  if (!collect) return null;
  let last = performance.eventLoopUtilization();
  const collector = new IdleCollector({
    collect,
    heapTotal: () => getHeapStatistics().total_heap_size,
    utilization: () => {
      const now = performance.eventLoopUtilization();
      const since = performance.eventLoopUtilization(now, last);
      last = now;
      return since.utilization;
    },
    logger,
  });
  collector.start();
  return collector;
}
