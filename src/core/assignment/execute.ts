/**
 * Sending one batch (≤ 100 records, one module, one operation) to Zoho and storing every
 * item's outcome as it arrives. Items are marked in flight before the call, so a process that
 * dies mid-call leaves them recognisable (`sending` / `removing` without a job) and the next
 * start checks Zoho before sending again.
 */
import { type ItemPatchEntry, patchItems } from '../jobs/bulk-writes.js';
import type { ItemPatch, ItemState, NewJob, RequestItemRecord } from '../store/types.js';
import type { Batch, SendEntry } from './engine-batches.js';
import { type EngineContext, safeNotify } from './engine-context.js';
import {
  ItemCodes,
  type ItemVerdict,
  mapBatchError,
  mapWriteOutcome,
  territoryDeletedMessage,
} from './engine-outcomes.js';
import type { PhasePlan } from './engine-phases.js';
import { itemLifecycle } from './item-lifecycle.js';
import { retryDelayMs } from './retry.js';

/** The state an item is in while its call is in flight. */
export function inFlightState(plan: PhasePlan): ItemState {
  return itemLifecycle.target(plan.phase === 'remove_first' ? 'send_removal' : 'send');
}

export interface Decided {
  item: RequestItemRecord;
  plan: PhasePlan;
  verdict: ItemVerdict;
  /** Attempts to store (sends plus waits so far, this one included). */
  attempts: number;
}

export function newJob(
  ctx: EngineContext,
  item: RequestItemRecord,
  plan: PhasePlan,
  jobId: string,
  now: number,
): NewJob {
  return {
    requestId: item.requestId,
    seq: item.seq,
    module: item.module,
    recordId: item.recordId,
    jobId,
    operation: plan.operation,
    expectPresent: plan.expectPresent,
    expectAbsent: plan.expectAbsent,
    createdAt: now,
    nextPollAt: now + ctx.poll.firstDelayMs,
    deadlineAt: now + ctx.poll.timeoutMs,
  };
}

function failPrefix(plan: PhasePlan): string {
  return plan.phase === 'remove_first' ? 'Could not remove the old territories first: ' : '';
}

/** The item patch for a verdict (jobs for `scheduled` are created by the caller first). */
export function patchFor(ctx: EngineContext, d: Decided, now: number): ItemPatch {
  const v = d.verdict;
  switch (v.kind) {
    case 'scheduled':
      return {
        state: itemLifecycle.target(d.plan.phase === 'remove_first' ? 'schedule_removal' : 'schedule'),
        jobId: v.jobId,
        code: v.code,
        message: v.message,
        attempts: d.attempts,
        notBefore: null,
      };
    case 'failed':
      return {
        state: itemLifecycle.target('fail'),
        code: v.code,
        message: failPrefix(d.plan) + v.message,
        attempts: d.attempts,
        notBefore: null,
      };
    case 'retry':
    case 'check_territories':
      if (d.attempts >= ctx.retry.maxAttempts) {
        return {
          state: itemLifecycle.target('fail'),
          code: v.code,
          message: `${failPrefix(d.plan)}${v.message} (gave up after ${d.attempts} attempts)`,
          attempts: d.attempts,
          notBefore: null,
        };
      }
      return {
        state: itemLifecycle.target('wait'),
        code: v.code,
        message: v.message,
        attempts: d.attempts,
        notBefore: now + retryDelayMs(d.attempts, ctx.retry, ctx.random),
      };
  }
}

/**
 * Stores outcomes: job rows first, then the items (each only if still in `expect`, so an item
 * the tracker already settled is never overwritten). Returns how many items changed.
 */
export async function storeDecisions(
  ctx: EngineContext,
  requestId: string,
  decided: readonly Decided[],
  expect: (d: Decided) => readonly ItemState[],
): Promise<number> {
  const now = ctx.clock.now();
  // One jitter draw per call: the items of a batch come back together (one check call per
  // 100 records), while different batches and processes still spread out.
  const draw = ctx.random();
  const batchCtx = { ...ctx, random: () => draw };
  const jobs: NewJob[] = [];
  for (const d of decided) {
    if (d.verdict.kind === 'scheduled') jobs.push(newJob(ctx, d.item, d.plan, d.verdict.jobId, now));
  }
  if (jobs.length > 0) await ctx.store.createJobs(jobs);
  let changed = 0;
  // Items without a job (failed, retry) cannot be touched by the tracker meanwhile, and the
  // engine handles one request at a time: equal patches go out as one statement.
  const groups = new Map<string, { patch: ItemPatch; seqs: number[] }>();
  const scheduled: ItemPatchEntry[] = [];
  for (const d of decided) {
    const patch = patchFor(batchCtx, d, now);
    if (d.verdict.kind === 'scheduled') {
      scheduled.push({ seq: d.item.seq, patch, expectState: expect(d) });
      continue;
    }
    const key = JSON.stringify(patch);
    const g = groups.get(key);
    if (g) g.seqs.push(d.item.seq);
    else groups.set(key, { patch, seqs: [d.item.seq] });
  }
  changed += await patchItems(ctx.store, requestId, scheduled, now);
  for (const g of groups.values()) {
    await ctx.store.updateItems(requestId, g.seqs, g.patch, now);
    changed += g.seqs.length;
  }
  if (jobs.length > 0) ctx.jobsCreated();
  return changed;
}

/** INVALID_DATA on a territory: a fresh catalog tells a deleted territory from a passing glitch. */
async function resolveTerritoryChecks(ctx: EngineContext, decided: Decided[]): Promise<void> {
  const toCheck = decided.filter((d) => d.verdict.kind === 'check_territories');
  if (toCheck.length === 0) return;
  let known: Set<string> | null = null;
  try {
    known = await ctx.territoryIds();
  } catch (err) {
    ctx.logger.warn({ err }, 'territory catalog refresh failed; INVALID_DATA items will be retried');
  }
  for (const d of toCheck) {
    const gone = known ? d.plan.territoryIds.filter((t) => !known.has(t)) : [];
    d.verdict =
      gone.length > 0
        ? { kind: 'failed', code: ItemCodes.territoryDeleted, message: territoryDeletedMessage(gone) }
        : {
            kind: 'retry',
            reason: 'transient',
            code: d.verdict.code,
            message: `Zoho did not accept the territory, which still exists: retrying (${d.verdict.message})`,
          };
  }
}

function countCodes(decided: readonly Decided[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of decided) out[d.verdict.code] = (out[d.verdict.code] ?? 0) + 1;
  return out;
}

/** Marks the batch in flight, makes the one Zoho call, stores each item's outcome, notifies once. */
export async function sendBatch(ctx: EngineContext, requestId: string, batch: Batch): Promise<void> {
  const { module, operation, entries } = batch;
  const now = ctx.clock.now();
  await markInFlight(ctx, requestId, entries, now);

  const changes = entries.map((e) => ({ recordId: e.item.recordId, territoryIds: e.plan.territoryIds }));
  let verdicts: ItemVerdict[];
  try {
    const outcomes =
      operation === 'assign'
        ? await ctx.api.assignTerritories(module, changes)
        : await ctx.api.removeTerritories(module, changes);
    verdicts = entries.map((e, i) => {
      const o =
        outcomes[i]?.recordId === e.item.recordId
          ? outcomes[i]
          : outcomes.find((x) => x.recordId === e.item.recordId);
      if (!o) {
        return {
          kind: 'retry',
          reason: 'uncertain',
          code: ItemCodes.badResponse,
          message: 'Zoho answered without this record',
        } as const;
      }
      return mapWriteOutcome(o, {
        module,
        operation,
        territoryIds: e.plan.territoryIds,
        action: e.item.action,
      });
    });
  } catch (err) {
    const v = mapBatchError(err, { module, operation });
    ctx.logger.warn(
      { err, requestId, module, operation, records: entries.length, verdict: v.kind },
      'batch call failed',
    );
    verdicts = entries.map(() => v);
  }

  const decided: Decided[] = entries.map((e, i) => ({
    item: e.item,
    plan: e.plan,
    verdict: verdicts[i]!,
    attempts: e.item.attempts + 1,
  }));
  await resolveTerritoryChecks(ctx, decided);
  await storeDecisions(ctx, requestId, decided, (d) => [inFlightState(d.plan)]);
  await ctx.store.appendAudit({
    at: ctx.clock.now(),
    actor: 'system',
    action: `zoho.${operation}`,
    requestId,
    data: { module, records: entries.length, codes: countCodes(decided) },
  });
  await safeNotify(ctx, requestId);
}

async function markInFlight(
  ctx: EngineContext,
  requestId: string,
  entries: readonly SendEntry[],
  now: number,
): Promise<void> {
  // Items of one batch mostly share state and attempt count: one update per group.
  const groups = new Map<string, { state: ItemState; attempts: number; seqs: number[] }>();
  for (const e of entries) {
    const state = inFlightState(e.plan);
    const attempts = e.item.attempts + 1;
    const key = `${state}:${attempts}`;
    const g = groups.get(key);
    if (g) g.seqs.push(e.item.seq);
    else groups.set(key, { state, attempts, seqs: [e.item.seq] });
  }
  for (const g of groups.values()) {
    await ctx.store.updateItems(
      requestId,
      g.seqs,
      { state: g.state, attempts: g.attempts, jobId: null, notBefore: null, code: null, message: null },
      now,
    );
  }
}
