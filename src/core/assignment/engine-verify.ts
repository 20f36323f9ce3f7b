/**
 * Looking before sending again. An item goes back to Zoho only after checking that doing so
 * cannot apply the change twice or collide with a job: a retry (ALREADY_SCHEDULED, a transient
 * error) and an item left in flight by a stopped process are checked first — pending jobs
 * (feature-info, ≤ 100 ids per call), then the records for those with none pending.
 */

import { jobLifecycle } from '../jobs/job-lifecycle.js';
import type { ItemState, JobRecord, RequestItemRecord } from '../store/types.js';
import type { PendingJob, ZohoModule, ZohoRecord } from '../zoho/types.js';
import { chunk, groupByModule, MAX_RECORDS_PER_CALL, type SendEntry } from './engine-batches.js';
import type { EngineContext } from './engine-context.js';
import type { Lane } from './engine-limiter.js';
import { ItemCodes } from './engine-outcomes.js';
import { changeVisible, type PhasePlan } from './engine-phases.js';
import { type Decided, patchFor, storeDecisions } from './execute.js';
import { itemLifecycle } from './item-lifecycle.js';

export interface VerifyEntry {
  item: RequestItemRecord;
  plan: PhasePlan;
  /**
   * The last call's fate is unknown (in flight at a restart, network error): a pending job on
   * the record is taken to be ours. Otherwise a pending job is someone else's and we wait.
   */
  adopt: boolean;
}

const heldState = (e: VerifyEntry): readonly ItemState[] => [e.item.state];

/** Returns the entries that are safe to send now; every other entry's new state is stored. */
export async function verifyBeforeResend(
  ctx: EngineContext,
  requestId: string,
  entries: readonly VerifyEntry[],
  jobRows: readonly JobRecord[],
  lane: Lane = 'bulk',
): Promise<SendEntry[]> {
  const rest = await adoptStoredJobs(ctx, requestId, entries, jobRows);
  const toSend: SendEntry[] = [];
  const groups = [...groupByModule(rest.map((e) => ({ ...e, module: e.item.module })))];
  const work = groups.flatMap(([module, list]) =>
    chunk(list, MAX_RECORDS_PER_CALL).map((part) => ({ module, part })),
  );
  await Promise.all(
    work.map(({ module, part }) =>
      ctx.limiter.run(async () => {
        toSend.push(...(await verifyChunk(ctx, requestId, module, part)));
      }, lane),
    ),
  );
  return toSend.sort((a, b) => a.item.seq - b.item.seq);
}

/**
 * The process may have stopped after storing a job row but before marking its item: the row
 * proves Zoho took the call, so the item follows the row (re-opened so the tracker confirms it).
 */
async function adoptStoredJobs(
  ctx: EngineContext,
  requestId: string,
  entries: readonly VerifyEntry[],
  jobRows: readonly JobRecord[],
): Promise<VerifyEntry[]> {
  const rest: VerifyEntry[] = [];
  const now = ctx.clock.now();
  for (const e of entries) {
    const row = e.adopt
      ? jobRows.filter((j) => j.seq === e.item.seq && j.operation === e.plan.operation).at(-1)
      : undefined;
    if (!row) {
      rest.push(e);
      continue;
    }
    const reopened = jobLifecycle.apply(row.state, 'reopen');
    if (reopened.ok) await ctx.store.updateJob(row.id, { state: reopened.to, nextPollAt: now }, now);
    await ctx.store.updateItem(
      requestId,
      e.item.seq,
      {
        state: itemLifecycle.target(e.plan.phase === 'remove_first' ? 'schedule_removal' : 'schedule'),
        jobId: row.jobId,
        code: 'SCHEDULED',
        message: `Zoho had scheduled the change (job ${row.jobId}); confirming`,
      },
      heldState(e),
      now,
    );
    ctx.jobsCreated();
  }
  return rest;
}

async function verifyChunk(
  ctx: EngineContext,
  requestId: string,
  module: ZohoModule,
  part: readonly VerifyEntry[],
): Promise<SendEntry[]> {
  const decided: Decided[] = [];
  const toSend: SendEntry[] = [];
  let pending: PendingJob[];
  let records: ZohoRecord[] = [];
  const ids = [...new Set(part.map((e) => e.item.recordId))];
  try {
    pending = await ctx.api.getPendingJobs(module, ids);
    const busy = new Set(pending.map((p) => p.recordId));
    const idle = ids.filter((id) => !busy.has(id));
    if (idle.length > 0) records = await ctx.api.getRecords(module, idle);
  } catch (err) {
    ctx.logger.warn(
      { err, requestId, module, records: ids.length },
      'could not check records before resending',
    );
    await storeCheckFailure(ctx, requestId, part, err);
    return [];
  }
  const pendingBy = new Map(pending.map((p) => [p.recordId, p]));
  const recordBy = new Map(records.map((r) => [r.id, r]));
  for (const e of part) {
    const attempts = e.item.attempts + 1;
    const job = pendingBy.get(e.item.recordId);
    if (job) {
      decided.push(
        e.adopt && mayBeOurs(job, e.plan)
          ? {
              ...e,
              attempts: e.item.attempts,
              verdict: {
                kind: 'scheduled',
                jobId: job.jobId,
                code: 'SCHEDULED',
                message: `Zoho had scheduled the change (job ${job.jobId}); confirming`,
              },
            }
          : {
              ...e,
              attempts,
              verdict: {
                kind: 'retry',
                reason: 'pending_job',
                // An uncertain item stays uncertain: once the other job is gone, the record decides.
                code: e.adopt ? ItemCodes.interrupted : 'ALREADY_SCHEDULED',
                message: 'Another territory job is still pending on this record; waiting for it',
              },
            },
      );
      continue;
    }
    const record = recordBy.get(e.item.recordId);
    if (!record) {
      decided.push({
        ...e,
        attempts: e.item.attempts,
        verdict: {
          kind: 'failed',
          code: ItemCodes.recordNotFound,
          message: `Zoho no longer returns this ${module} record (deleted or merged?)`,
        },
      });
      continue;
    }
    const on = record.territories.map((t) => t.id);
    if (changeVisible(on, e.plan)) {
      await markApplied(ctx, requestId, e, on);
      continue;
    }
    toSend.push({ item: e.item, plan: e.plan });
  }
  await storeDecisions(ctx, requestId, decided, (d) => [d.item.state]);
  return toSend;
}

/**
 * A pending job can be ours only if it is a manual one of our operation; a territory-rule run
 * (`creation`/`update`) on the record is someone else's. Zoho may omit `source`: then assume ours.
 */
function mayBeOurs(job: PendingJob, plan: PhasePlan): boolean {
  if (!job.source) return true;
  return (
    job.source === (plan.operation === 'assign' ? 'manual_territory_assignment' : 'manual_territory_removal')
  );
}

/** The record already shows this phase's change (the earlier call did go through). */
async function markApplied(
  ctx: EngineContext,
  requestId: string,
  e: VerifyEntry,
  on: string[],
): Promise<void> {
  const now = ctx.clock.now();
  const patch =
    e.plan.phase === 'remove_first'
      ? {
          state: itemLifecycle.target('removal_confirmed'),
          jobId: null,
          code: ItemCodes.removedOld,
          message: 'The old territories are gone; assigning the new one',
          notBefore: null,
        }
      : {
          state: itemLifecycle.target('confirm'),
          jobId: null,
          code: ItemCodes.alreadyApplied,
          message: 'The record shows the change',
          after: on,
          notBefore: null,
        };
  await ctx.store.updateItem(requestId, e.item.seq, patch, heldState(e), now);
}

/**
 * Zoho could not be asked: keep the item waiting (its uncertainty included). When the budget
 * is spent, an item whose last call may have gone through is `unconfirmed`, not `failed`.
 */
async function storeCheckFailure(
  ctx: EngineContext,
  requestId: string,
  part: readonly VerifyEntry[],
  err: unknown,
): Promise<void> {
  const now = ctx.clock.now();
  const reason = err instanceof Error ? err.message : String(err);
  for (const e of part) {
    const attempts = e.item.attempts + 1;
    const code = e.adopt ? ItemCodes.interrupted : (e.item.code ?? 'CHECK_FAILED');
    const patch =
      e.adopt && attempts >= ctx.retry.maxAttempts
        ? {
            state: itemLifecycle.target('unconfirm'),
            code,
            attempts,
            notBefore: null,
            message: `Could not check with Zoho whether the change was made (${reason}): check the record in Zoho`,
          }
        : patchFor(
            ctx,
            {
              ...e,
              attempts,
              verdict: {
                kind: 'retry',
                reason: 'transient',
                code,
                message: `Could not reach Zoho to check: ${reason}`,
              },
            },
            now,
          );
    await ctx.store.updateItem(requestId, e.item.seq, patch, heldState(e), now);
  }
}
