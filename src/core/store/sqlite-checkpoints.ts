/**
 * When SQLite copies its write-ahead log back into the database file (a checkpoint). By default
 * the commit that takes the log past 1,000 pages does it, inside that commit, with an fsync:
 * 10-40 ms with the event loop held, ten times during a 10,000-record bulk, three quarters of
 * the send's commit time (issue 13). Here a commit checkpoints only past a much longer log, and
 * the usual checkpoint runs once writes have paused for a second.
 */
import type SqliteDatabaseType from 'better-sqlite3';

/** ~40 MB of 4 KB pages: a commit checkpoints only when writes never pause that long. */
export const WAL_CEILING_PAGES = 10_000;
/** The log file is cut back to this after a checkpoint (bytes), so a bulk's log does not stay on disk. */
export const WAL_KEEP_BYTES = 8 * 1024 * 1024;
/** How often the writes are counted; a checkpoint follows a whole quiet interval. */
export const QUIET_CHECK_MS = 1_000;

export interface Checkpointer {
  /** Checkpoints when nothing was written since the last tick and something since the last checkpoint. */
  tick(): void;
  stop(): void;
}

export function idleCheckpoints(sqlite: SqliteDatabaseType.Database, everyMs = QUIET_CHECK_MS): Checkpointer {
  sqlite.pragma(`wal_autocheckpoint = ${WAL_CEILING_PAGES}`);
  sqlite.pragma(`journal_size_limit = ${WAL_KEEP_BYTES}`);
  // total_changes() counts rows written by this connection: other processes on the file run
  // their own checkpointer.
  const changes = sqlite.prepare('select total_changes() as n').pluck();
  let seen = changes.get() as number;
  let checkpointed = seen;
  const checkpointer: Checkpointer = {
    tick() {
      const now = changes.get() as number;
      if (now === seen && now !== checkpointed) {
        // PASSIVE: never waits for readers or writers of other connections.
        sqlite.pragma('wal_checkpoint(PASSIVE)');
        checkpointed = now;
      }
      seen = now;
    },
    stop: () => clearInterval(timer),
  };
  const timer = setInterval(() => {
    try {
      checkpointer.tick();
    } catch {
      // Closed under us or busy: the next tick, or the ceiling, checkpoints.
    }
  }, everyMs);
  timer.unref();
  return checkpointer;
}
