/**
 * The measured app for the memory figure: the assignment engine, job tracker, SQLite store and
 * Zoho client running a 10,000-record bulk against the simulator described on stdin. Prints one
 * JSON line with the peak RSS and exits.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createAssignmentService } from '../src/core/assignment/engine-service.js';
import { systemClock } from '../src/core/clock.js';
import { createLogger } from '../src/core/log.js';
import { silentNotifier } from '../src/core/notify.js';
import { openStore } from '../src/core/store/index.js';
import { ZohoClient } from '../src/core/zoho/index.js';

const [input] = (await once(createInterface({ input: process.stdin }), 'line')) as [string];
const remote = JSON.parse(input) as {
  accountsUrl: string;
  apiDomain: string;
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
  territoryId: string;
  accountIds: string[];
};
const n = Number(process.env.BENCH_RECORDS ?? 10_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 5);
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
  schedule: { firstDelayMs: 250, maxDelayMs: 1_000, recheckDelayMs: 250, timeoutMs: 300_000 },
});
service.tracker.start();
const id = 'bench-memory';
await store.createRequest(
  {
    id,
    kind: 'bulk',
    state: 'approved',
    requesterId: 'U_BENCH',
    originChannelId: null,
    reason: 'bench',
    itemCount: n,
    summary: {},
    createdAt: Date.now(),
    expiresAt: null,
  },
  remote.accountIds.slice(0, n).map((recordId, seq) => ({
    seq,
    lineNo: seq + 1,
    module: 'Accounts' as const,
    recordId,
    action: 'assign' as const,
    territoryIds: [remote.territoryId],
    removeTerritoryIds: [],
    before: [],
  })),
);
const start = process.memoryUsage();
let peak = start.rss;
let peakHeap = start.heapUsed;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peak = Math.max(peak, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 25);
const t0 = performance.now();
await service.engine.run(id);
for (;;) {
  const request = await store.getRequest(id);
  if (request?.state === 'done' || request?.state === 'failed') break;
  await new Promise((r) => setTimeout(r, 100));
}
clearInterval(sampler);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
process.stdout.write(
  `${JSON.stringify({
    peakMb: mb(peak),
    startMb: mb(start.rss),
    peakHeapMb: mb(peakHeap),
    wallMs: Math.round(performance.now() - t0),
    counts: await store.countItemsByState(id),
  })}\n`,
);
await service.stop();
await api.close();
await store.close();
process.exit(0);
