/**
 * What the assignment engine and the job tracker report for metrics (src/metrics implements it;
 * core stays free of any metrics library).
 */
export interface WorkObserver {
  /**
   * A request reached its final state: its items by outcome. Reported once per request, by
   * whichever replica won the final transition.
   */
  requestFinished(items: { done: number; failed: number; unconfirmed: number; skipped: number }): void;
  /** A Zoho job settled: from when it was scheduled (stored) to when the tracker settled it. */
  jobSettled(outcome: 'done' | 'failed' | 'unconfirmed', lagMs: number): void;
}
