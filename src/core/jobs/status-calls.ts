/**
 * How the tracker asks Zoho where a chunk of jobs stands (≤ 100 records of one module): the
 * records (do they show the change?) and the feature-info API (is a job still pending for the
 * record?, zoho-api.md §9.1), in the order that costs fewer calls at that point of a job's life.
 */
import type { JobRecord } from '../store/types.js';
import type { ZohoApi, ZohoModule, ZohoRecord } from '../zoho/types.js';
import { showsChange } from './confirm.js';

/** What Zoho showed: records with a pending job, and the records read (by id). */
export interface StatusSeen {
  busy: Set<string>;
  records: Map<string, ZohoRecord>;
}

/** Never polled yet: its first look. */
export function isFirstLook(job: JobRecord): boolean {
  return job.polls === 0;
}

/**
 * A job's first look: most jobs have finished by then, so the records are read first, and only
 * those that do not show the change yet are asked about pending jobs — one call per hundred
 * records instead of two when the jobs are done (a 10,000-record bulk: 100 calls, not 200).
 * A record showing the change is what `done` means whatever Zoho still has queued for it.
 */
export async function recordsFirst(
  api: Pick<ZohoApi, 'getRecords' | 'getPendingJobs'>,
  module: ZohoModule,
  jobs: readonly JobRecord[],
  ids: readonly string[],
  counted: () => void,
): Promise<StatusSeen> {
  counted();
  const records = new Map((await api.getRecords(module, [...ids])).map((r) => [r.id, r]));
  const unseen = new Set<string>();
  for (const job of jobs) {
    const record = records.get(job.recordId);
    if (!record || !showsChange(job, record)) unseen.add(job.recordId);
  }
  if (unseen.size === 0) return { busy: new Set(), records };
  counted();
  const busy = new Set((await api.getPendingJobs(module, [...unseen])).map((p) => p.recordId));
  return { busy, records };
}

/**
 * Later looks: a job still pending at its last look is likely still pending, so Zoho is asked
 * for pending jobs first and only the records without one are read.
 */
export async function pendingFirst(
  api: Pick<ZohoApi, 'getRecords' | 'getPendingJobs'>,
  module: ZohoModule,
  ids: readonly string[],
  counted: () => void,
): Promise<StatusSeen> {
  counted();
  const busy = new Set((await api.getPendingJobs(module, [...ids])).map((p) => p.recordId));
  const idle = ids.filter((id) => !busy.has(id));
  if (idle.length === 0) return { busy, records: new Map() };
  counted();
  return { busy, records: new Map((await api.getRecords(module, idle)).map((r) => [r.id, r])) };
}
