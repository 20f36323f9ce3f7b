/**
 * `npx tsx bench/store-writes.ts [sqlite|postgres-url]`: the store's share of a 10,000-item bulk,
 * alone: per-item outcome writes (each item its own job id, under a state guard) in batches of
 * 100, as the engine writes them, then the tracker's per-job patches. Prints CPU and wall ms.
 */
import { openStore } from '../src/core/store/index.js';
import type { NewJob } from '../src/core/store/types.js';
import { bulkRequest } from './bench-engine.js';

const N = Number(process.env.N ?? 10_000);
const url = process.argv[2] ?? 'sqlite::memory:';
const store = await openStore(url);
const id = await bulkRequest(
  store,
  Array.from({ length: N }, (_, i) => String(4_000_000_000_000 + i)),
  '999',
);
const t0 = performance.now();
const c0 = process.cpuUsage();
const now = Date.now();
for (let start = 0; start < N; start += 100) {
  const seqs = Array.from({ length: Math.min(100, N - start) }, (_, i) => start + i);
  await store.updateItemsEach(
    id,
    seqs.map((seq) => ({
      seq,
      patch: { state: 'scheduled', jobId: `job-${seq}`, attempts: 1, notBefore: null },
      expectState: ['pending', 'sending'],
    })),
    now,
  );
}
const writes = performance.now() - t0;
const jobs: NewJob[] = Array.from({ length: N }, (_, seq) => ({
  requestId: id,
  seq,
  module: 'Accounts',
  recordId: String(4_000_000_000_000 + seq),
  jobId: `job-${seq}`,
  operation: 'assign',
  expectPresent: ['999'],
  expectAbsent: [],
  state: 'pending',
  polls: 0,
  deadlineAt: now + 900_000,
  createdAt: now,
  nextPollAt: now + 1_000,
}));
await store.scheduleItems(id, jobs, []);
const listed = await store.listJobs(id);
const t1 = performance.now();
for (let start = 0; start < listed.length; start += 100) {
  await store.updateJobsEach(
    listed.slice(start, start + 100).map((j, i) => ({ id: j.id, patch: { polls: 1, nextPollAt: now + i } })),
    now,
  );
}
const jobWrites = performance.now() - t1;
const cpu = process.cpuUsage(c0);
console.log(
  JSON.stringify({
    items: N,
    item_writes_ms: Math.round(writes),
    job_writes_ms: Math.round(jobWrites),
    cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    counts: await store.countItemsByState(id),
  }),
);
await store.close();
