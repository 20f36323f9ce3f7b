/** The stored-state gauges of /metrics, read from the store at scrape time (a few small queries). */
import type { Store } from '../core/store/types.js';
import type { MetricsSnapshotSource } from './bot-metrics.js';

export function storeSnapshotSource(
  store: Store,
  outboxBacklog: () => Promise<number> = async () => 0,
): MetricsSnapshotSource {
  return async () => {
    const [requestsByState, alertsFiring, monitorLastSuccessAt, backlog] = await Promise.all([
      store.countRequestsByState(),
      store.countAlerts('firing'),
      store.lastMonitorSuccessAt(),
      outboxBacklog(),
    ]);
    return { requestsByState, alertsFiring, monitorLastSuccessAt, outboxBacklog: backlog };
  };
}
