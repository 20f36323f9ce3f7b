/**
 * AUDIT_RETENTION_DAYS (DESIGN.md §4, §6): once a day, audit rows, resolved alerts and
 * abandoned drafts older than the retention are deleted. With several replicas on one store, a
 * lease lets one of them in at a time and the stored time of the last prune makes it once a
 * day, whichever replica gets there.
 */
import type { Clock } from '../clock.js';
import { globalTimers, type Timers } from '../jobs/timers.js';
import type { Logger } from '../log.js';
import { REPLICA_ID } from '../replica.js';
import type { PruneCounts, Store } from '../store/types.js';

const DAY_MS = 86_400_000;
const LEASE = 'audit:retention';
/** Set after each prune: the next one is due a day later. */
export const LAST_PRUNE_SETTING = 'audit.retention.lastPrunedAt';

export interface RetentionDeps {
  store: Pick<Store, 'acquireLease' | 'releaseLease' | 'getSetting' | 'setSetting' | 'pruneBefore'>;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
  timers?: Timers;
  /** How often replicas look whether a prune is due (default hourly). */
  checkEveryMs?: number;
  instanceId?: string;
}

export class RetentionPruner {
  private readonly timers: Timers;
  private timer: unknown = null;
  private running = false;
  private inFlight: Promise<unknown> | null = null;

  constructor(private readonly deps: RetentionDeps) {
    this.timers = deps.timers ?? globalTimers;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /**
   * Prunes when a day has passed since the last prune (by any replica) and this replica holds
   * the lease. Returns what was deleted, or null when it was not this replica's turn.
   */
  async runIfDue(): Promise<PruneCounts | null> {
    const { store, clock, logger } = this.deps;
    const holder = this.deps.instanceId ?? REPLICA_ID;
    const now = clock.now();
    if (!(await store.acquireLease(LEASE, holder, 10 * 60_000, now))) return null;
    try {
      const last = Number((await store.getSetting(LAST_PRUNE_SETTING)) ?? Number.NaN);
      if (Number.isFinite(last) && now - last < DAY_MS) return null;
      const cutoff = now - this.deps.retentionDays * DAY_MS;
      const counts = await store.pruneBefore(cutoff);
      await store.setSetting(LAST_PRUNE_SETTING, String(now));
      logger.info(
        { ...counts, retentionDays: this.deps.retentionDays, cutoff: new Date(cutoff).toISOString() },
        'audit retention: pruned',
      );
      return counts;
    } finally {
      await store.releaseLease(LEASE, holder).catch(() => {});
    }
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.inFlight = this.runIfDue()
        .catch((err: unknown) =>
          this.deps.logger.warn({ err }, 'audit retention prune failed; retrying later'),
        )
        .finally(() => {
          this.inFlight = null;
          this.schedule(this.deps.checkEveryMs ?? 3_600_000);
        });
    }, ms);
  }
}
