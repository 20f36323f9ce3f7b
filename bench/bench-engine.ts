/** The app's assignment core as the benchmarks run it: SQLite store, real Zoho client, engine + tracker. */
import { createAssignmentService } from '../src/core/assignment/engine-service.js';
import { systemClock } from '../src/core/clock.js';
import { createLogger } from '../src/core/log.js';
import { silentNotifier } from '../src/core/notify.js';
import { openStore } from '../src/core/store/index.js';
import type { NewRequestItem, Store } from '../src/core/store/types.js';
import { ZohoClient } from '../src/core/zoho/index.js';

/** What the simulator process (bench/sim-process.ts) prints on its first line. */
export interface RemoteOrg {
  accountsUrl: string;
  apiDomain: string;
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
  territoryId: string;
  territoryIds: string[];
  accountIds: string[];
}

export async function startBenchEngine(remote: RemoteOrg, concurrency: number, timeoutMs: number) {
  const logger = createLogger('silent');
  const store = await openStore('sqlite::memory:');
  const api = new ZohoClient({
    accountsUrl: remote.accountsUrl,
    ...remote.credentials,
    apiDomain: remote.apiDomain,
    maxConcurrency: concurrency,
    logger,
  });
  const service = createAssignmentService({
    api,
    store,
    notifier: silentNotifier,
    clock: systemClock,
    logger,
    concurrency,
    schedule: { firstDelayMs: 250, maxDelayMs: 1_000, recheckDelayMs: 250, timeoutMs },
  });
  service.tracker.start();
  return {
    store,
    api,
    service,
    /** Polls the store until the request is done or failed. */
    async finished(requestId: string): Promise<void> {
      for (;;) {
        const request = await store.getRequest(requestId);
        if (request?.state === 'done' || request?.state === 'failed') return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close(): Promise<void> {
      await service.stop();
      await api.close();
      await store.close();
    },
  };
}

/** An approved bulk request assigning one territory to the given Accounts, as the app stores it. */
export async function bulkRequest(
  store: Store,
  ids: readonly string[],
  territoryId: string,
): Promise<string> {
  const items: NewRequestItem[] = ids.map((recordId, seq) => ({
    seq,
    lineNo: seq + 1,
    module: 'Accounts',
    recordId,
    action: 'assign',
    territoryIds: [territoryId],
    removeTerritoryIds: [],
    before: [],
  }));
  const id = `bench-${ids.length}-${Date.now()}`;
  await store.createRequest(
    {
      id,
      kind: 'bulk',
      state: 'approved',
      requesterId: 'U_BENCH',
      originChannelId: null,
      reason: 'bench',
      itemCount: ids.length,
      summary: {},
      createdAt: Date.now(),
      expiresAt: null,
    },
    items,
  );
  return id;
}
