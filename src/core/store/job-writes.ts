/**
 * Writes that change jobs and the items waiting on them together, in one transaction: a call's
 * answer (the jobs Zoho scheduled and the items they schedule) and a chunk of job verdicts (the
 * items moved on and their jobs closed). A stop in between leaves both or neither.
 */
import type { Kysely } from 'kysely';
import { updateItemsEachIn } from './item-writes.js';
import { insertJobs, updateJobsEachIn } from './job-queries.js';
import type { Database, DialectName } from './schema.js';
import type { ItemPatchEntry, JobPatch, NewJob } from './types.js';

/** Store.scheduleItems: returns how many items changed. */
export async function scheduleItems(
  db: Kysely<Database>,
  dialect: DialectName,
  requestId: string,
  jobs: readonly NewJob[],
  entries: readonly ItemPatchEntry[],
  now: number,
): Promise<number> {
  if (jobs.length === 0 && entries.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    await insertJobs(trx, dialect, jobs);
    return updateItemsEachIn(trx, dialect, requestId, entries, now);
  });
}

/** Store.settleJobs: returns how many items changed. */
export async function settleJobs(
  db: Kysely<Database>,
  dialect: DialectName,
  requestId: string,
  entries: readonly ItemPatchEntry[],
  closed: ReadonlyArray<{ id: number; patch: JobPatch }>,
  now: number,
): Promise<number> {
  if (entries.length === 0 && closed.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const changed = await updateItemsEachIn(trx, dialect, requestId, entries, now);
    await updateJobsEachIn(trx, closed, now);
    return changed;
  });
}
