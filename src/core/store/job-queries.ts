/**
 * Queries on `jobs`: the Zoho asynchronous jobs the poller follows.
 */
import type { Kysely, Updateable } from 'kysely';
import { chunk } from '../chunk.js';
import { distinctRuns, groupBySet, insertRows, MAX_PARAMS } from './bulk-writes.js';
import { jobFromRow, toJson } from './rows.js';
import type { Database, DialectName, JobsTable } from './schema.js';
import type { JobPatch, JobRecord, NewJob } from './types.js';

function jobPatchToRow(patch: JobPatch): Updateable<JobsTable> {
  const row: Updateable<JobsTable> = {};
  if (patch.state !== undefined) row.state = patch.state;
  if (patch.polls !== undefined) row.polls = patch.polls;
  if (patch.nextPollAt !== undefined) row.next_poll_at = patch.nextPollAt;
  return row;
}

/** Inserts the jobs inside the caller's transaction. */
export async function insertJobs(
  db: Kysely<Database>,
  dialect: DialectName,
  jobs: readonly NewJob[],
): Promise<void> {
  const rows = jobs.map((j) => ({
    request_id: j.requestId,
    seq: j.seq,
    module: j.module,
    record_id: j.recordId,
    job_id: j.jobId,
    operation: j.operation,
    expect_present: toJson(j.expectPresent),
    expect_absent: toJson(j.expectAbsent),
    state: 'pending',
    polls: 0,
    created_at: j.createdAt,
    next_poll_at: j.nextPollAt,
    deadline_at: j.deadlineAt,
    updated_at: j.createdAt,
  }));
  if (rows.length === 0) return;
  await insertRows(db, dialect, 'jobs', rows);
}

export async function listDueJobs(
  db: Kysely<Database>,
  now: number,
  limit: number,
  exclude: readonly number[] = [],
): Promise<JobRecord[]> {
  const rows = await db
    .selectFrom('jobs')
    .selectAll()
    .where('state', '=', 'pending')
    .where('next_poll_at', '<=', now)
    .$if(exclude.length > 0, (q) => q.where('id', 'not in', [...exclude]))
    .orderBy('next_poll_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  return rows.map(jobFromRow);
}

export async function listJobs(
  db: Kysely<Database>,
  requestId: string,
  seqs?: readonly number[],
): Promise<JobRecord[]> {
  if (seqs && seqs.length === 0) return [];
  const out: JobRecord[] = [];
  // Only the jobs of some items (a page the engine is about to resend): never the whole request.
  for (const part of seqs ? chunk(seqs, MAX_PARAMS - 1) : [undefined]) {
    let q = db.selectFrom('jobs').selectAll().where('request_id', '=', requestId);
    if (part) q = q.where('seq', 'in', part);
    const rows = await q.orderBy('id', 'asc').execute();
    for (const row of rows) out.push(jobFromRow(row));
  }
  return seqs ? out.sort((a, b) => a.id - b.id) : out;
}

export async function updateJob(
  db: Kysely<Database>,
  id: number,
  patch: JobPatch,
  now: number,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ ...jobPatchToRow(patch), updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function updateJobsEach(
  db: Kysely<Database>,
  entries: ReadonlyArray<{ id: number; patch: JobPatch }>,
  now: number,
): Promise<void> {
  if (entries.length === 0) return;
  await db.transaction().execute((trx) => updateJobsEachIn(trx, entries, now));
}

/** updateJobsEach inside the caller's transaction. */
export async function updateJobsEachIn(
  trx: Kysely<Database>,
  entries: ReadonlyArray<{ id: number; patch: JobPatch }>,
  now: number,
): Promise<void> {
  for (const run of distinctRuns(entries, (e) => e.id)) {
    for (const g of groupBySet(run.map((e) => ({ key: e.id, set: jobPatchToRow(e.patch) })))) {
      const set = { ...g.set, updated_at: now };
      for (const part of chunk(g.keys, MAX_PARAMS - Object.keys(set).length)) {
        await trx.updateTable('jobs').set(set).where('id', 'in', part).execute();
      }
    }
  }
}

export async function nextJobPollAt(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('next_poll_at').as('next'))
    .where('state', '=', 'pending')
    .executeTakeFirst();
  const v = row?.next as number | string | null | undefined;
  return v === null || v === undefined ? null : Number(v);
}
