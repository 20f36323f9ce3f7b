/**
 * The measured app for the memory figure: the assignment engine, job tracker, SQLite store and
 * Zoho client running a 10,000-record bulk against the simulator described on stdin. Prints one
 * JSON line with the peak RSS and exits.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { bulkRequest, type RemoteOrg, startBenchEngine } from './bench-engine.js';

const [input] = (await once(createInterface({ input: process.stdin }), 'line')) as [string];
const remote = JSON.parse(input) as RemoteOrg;
const n = Number(process.env.BENCH_RECORDS ?? 10_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 5);

const engine = await startBenchEngine(remote, concurrency, 300_000);
const id = await bulkRequest(engine.store, remote.accountIds.slice(0, n), remote.territoryId);
const start = process.memoryUsage();
let peak = start.rss;
let peakHeap = start.heapUsed;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peak = Math.max(peak, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 25);
const t0 = performance.now();
await engine.service.engine.run(id);
await engine.finished(id);
clearInterval(sampler);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
process.stdout.write(
  `${JSON.stringify({
    peakMb: mb(peak),
    startMb: mb(start.rss),
    peakHeapMb: mb(peakHeap),
    wallMs: Math.round(performance.now() - t0),
    counts: await engine.store.countItemsByState(id),
  })}\n`,
);
await engine.close();
process.exit(0);
