/**
 * Every item and job write the engine makes, in one place: marking a batch in flight, storing
 * Zoho's verdicts (job rows first, then the items, each under a guard on the state it was read
 * in, so an item the tracker already settled is never overwritten), and the resend check's
 * outcomes. Each write names the item-lifecycle event it applies.
 */
import type { Clock } from '../clock.js';
import type { PollSchedule } from '../jobs/backoff.js';
import { jobLifecycle } from '../jobs/job-lifecycle.js';
import type {
  ItemPatch,
  ItemPatchEntry,
  ItemState,
  JobRecord,
  NewJob,
  RequestItemRecord,
  Store,
} from '../store/types.js';
import type { ResendEntry, SendEntry } from './batches.js';
import { itemLifecycle } from './item-lifecycle.js';
import type { PhasePlan } from './phases.js';
import { type RetryPolicy, retryDelayMs } from './retry.js';
import { ItemCodes, type ItemVerdict, mapBatchError } from './verdicts.js';

/** An item with Zoho's verdict on it, ready to store. */
export interface Decided {
  item: RequestItemRecord;
  plan: PhasePlan;
  verdict: ItemVerdict;
  /** Attempts to store (sends plus waits so far, this one included). */
  attempts: number;
}

export interface ItemWriterDeps {
  store: Store;
  clock: Clock;
  retry: RetryPolicy;
  poll: PollSchedule;
  /** [0,1) source for retry jitter. */
  random: () => number;
  /** New job rows were stored: wake the job tracker. */
  jobsCreated: () => void;
}

/** The state an item is in while its call is in flight. */
export function inFlightState(plan: PhasePlan): ItemState {
  return itemLifecycle.target(plan.phase === 'remove_first' ? 'send_removal' : 'send');
}

const scheduledState = (plan: PhasePlan): ItemState =>
  itemLifecycle.target(plan.phase === 'remove_first' ? 'schedule_removal' : 'schedule');

function failPrefix(plan: PhasePlan): string {
  return plan.phase === 'remove_first' ? 'Could not remove the old territories first: ' : '';
}

export class ItemWriter {
  constructor(private readonly deps: ItemWriterDeps) {}

  /** Marks a batch in flight before its call, so a stop mid-call leaves it recognisable. */
  async markInFlight(requestId: string, entries: readonly SendEntry[]): Promise<void> {
    const now = this.deps.clock.now();
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
      await this.deps.store.updateItems(
        requestId,
        g.seqs,
        { state: g.state, attempts: g.attempts, jobId: null, notBefore: null, code: null, message: null },
        now,
      );
    }
  }

  /** The item patch for a verdict (jobs for `scheduled` are created by `recordDecisions` first). */
  patchFor(d: Decided, now: number, random: () => number = this.deps.random): ItemPatch {
    const v = d.verdict;
    switch (v.kind) {
      case 'scheduled':
        return {
          state: scheduledState(d.plan),
          jobId: v.jobId,
          code: v.code,
          message: v.message,
          attempts: d.attempts,
          notBefore: null,
        };
      case 'applied':
        return {
          state: itemLifecycle.target('confirm'),
          jobId: null,
          code: v.code,
          message: v.message,
          after: v.after,
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
      case 'check_record':
        if (d.attempts >= this.budget(v)) {
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
          notBefore: now + retryDelayMs(d.attempts, this.deps.retry, random),
        };
    }
  }

  /** Checks an item gets for this verdict: an outage of Zoho's is waited out longer. */
  private budget(v: ItemVerdict): number {
    return v.kind === 'retry' && v.reason === 'unavailable'
      ? Math.max(this.deps.retry.maxAttempts, this.deps.retry.outageAttempts)
      : this.deps.retry.maxAttempts;
  }

  /**
   * Stores verdicts: job rows with the items they schedule, then the others (each only if still
   * in `expect`, so an item the tracker already settled is never overwritten). Returns how many
   * items changed.
   */
  async recordDecisions(
    requestId: string,
    decided: readonly Decided[],
    expect: (d: Decided) => readonly ItemState[],
  ): Promise<number> {
    const { store } = this.deps;
    const now = this.deps.clock.now();
    // One jitter draw per call: the items of a batch come back together (one check call per
    // 100 records), while different batches and processes still spread out.
    const draw = this.deps.random();
    const jobs: NewJob[] = [];
    for (const d of decided) {
      if (d.verdict.kind === 'scheduled') jobs.push(this.newJob(d.item, d.plan, d.verdict.jobId, now));
    }
    let changed = 0;
    // Items without a job (failed, retry) cannot be touched by the tracker meanwhile, and the
    // engine handles one request at a time: equal patches go out as one statement.
    const groups = new Map<string, { patch: ItemPatch; seqs: number[] }>();
    const scheduled: ItemPatchEntry[] = [];
    for (const d of decided) {
      const patch = this.patchFor(d, now, () => draw);
      if (d.verdict.kind === 'scheduled') {
        scheduled.push({ seq: d.item.seq, patch, expectState: expect(d) });
        continue;
      }
      const key = JSON.stringify(patch);
      const g = groups.get(key);
      if (g) g.seqs.push(d.item.seq);
      else groups.set(key, { patch, seqs: [d.item.seq] });
    }
    // The job rows and the items they schedule commit together: after a stop in the middle,
    // neither is stored, and the resend check asks Zoho what the call did.
    if (jobs.length > 0 || scheduled.length > 0)
      changed += await store.scheduleItems(requestId, jobs, scheduled, now);
    for (const g of groups.values()) {
      await store.updateItems(requestId, g.seqs, g.patch, now);
      changed += g.seqs.length;
    }
    if (jobs.length > 0) this.deps.jobsCreated();
    return changed;
  }

  /**
   * The process stopped after storing a job row but before marking its item: the row proves
   * Zoho took the call, so the item follows the row (re-opened so the tracker confirms it).
   */
  async adoptJob(requestId: string, e: ResendEntry, row: JobRecord): Promise<void> {
    const { store } = this.deps;
    const now = this.deps.clock.now();
    const reopened = jobLifecycle.apply(row.state, 'reopen');
    if (reopened.ok) await store.updateJob(row.id, { state: reopened.to, nextPollAt: now }, now);
    await store.updateItem(
      requestId,
      e.item.seq,
      {
        state: scheduledState(e.plan),
        jobId: row.jobId,
        code: 'SCHEDULED',
        message: `Zoho had scheduled the change (job ${row.jobId}); confirming`,
      },
      [e.item.state],
      now,
    );
    this.deps.jobsCreated();
  }

  /** The record already shows this phase's change: the earlier call did go through. */
  async markApplied(requestId: string, e: ResendEntry, on: string[]): Promise<void> {
    const now = this.deps.clock.now();
    const patch: ItemPatch =
      e.plan.phase === 'remove_first'
        ? {
            state: itemLifecycle.to(e.item.state, 'removal_confirmed'),
            jobId: null,
            code: ItemCodes.removedOld,
            message: 'The old territories are gone; assigning the new one',
            notBefore: null,
          }
        : {
            state: itemLifecycle.to(e.item.state, 'confirm'),
            jobId: null,
            code: ItemCodes.alreadyApplied,
            message: 'The record shows the change',
            after: on,
            notBefore: null,
          };
    await this.deps.store.updateItem(requestId, e.item.seq, patch, [e.item.state], now);
  }

  /** The record already holds what the item asks for: done without a call. */
  async markNothingToDo(requestId: string, item: RequestItemRecord): Promise<boolean> {
    const removedFirst = item.state === 'pending_assign';
    return this.deps.store.updateItem(
      requestId,
      item.seq,
      {
        state: itemLifecycle.to(item.state, 'nothing_to_do'),
        code: removedFirst ? ItemCodes.removedOld : ItemCodes.nothingToDo,
        message: removedFirst
          ? 'The old territories were removed; the new one was already on the record'
          : 'The record already has these territories; nothing to send',
        notBefore: null,
      },
      [item.state],
      this.deps.clock.now(),
    );
  }

  /**
   * Zoho could not be asked whether the change is there: keep the item waiting (its uncertainty
   * included). When the budget is spent, an item whose last call may have gone through is
   * `unconfirmed`, not `failed`.
   */
  async markCheckFailed(requestId: string, part: readonly ResendEntry[], err: unknown): Promise<void> {
    const now = this.deps.clock.now();
    const reason = err instanceof Error ? err.message : String(err);
    // Zoho itself is down or throttling: the check is waited out like any outage.
    const outage = mapBatchError(err, { module: part[0]?.item.module ?? 'Accounts', operation: 'assign' });
    const verdictReason =
      outage.kind === 'retry' && outage.reason === 'unavailable' ? 'unavailable' : 'transient';
    const budget =
      verdictReason === 'unavailable'
        ? Math.max(this.deps.retry.maxAttempts, this.deps.retry.outageAttempts)
        : this.deps.retry.maxAttempts;
    for (const e of part) {
      const attempts = e.item.attempts + 1;
      const code = e.adopt ? ItemCodes.interrupted : (e.item.code ?? 'CHECK_FAILED');
      const patch: ItemPatch =
        e.adopt && attempts >= budget
          ? {
              state: itemLifecycle.to(e.item.state, 'unconfirm'),
              code,
              attempts,
              notBefore: null,
              message: `Could not check with Zoho whether the change was made (${reason}): check the record in Zoho`,
            }
          : this.patchFor(
              {
                ...e,
                attempts,
                verdict: {
                  kind: 'retry',
                  reason: verdictReason,
                  code,
                  message: `Could not reach Zoho to check: ${reason}`,
                },
              },
              now,
            );
      await this.deps.store.updateItem(requestId, e.item.seq, patch, [e.item.state], now);
    }
  }

  private newJob(item: RequestItemRecord, plan: PhasePlan, jobId: string, now: number): NewJob {
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
      nextPollAt: now + this.deps.poll.firstDelayMs,
      deadlineAt: now + this.deps.poll.timeoutMs,
    };
  }
}
