/**
 * Moves one running request on: takes its lease (one replica at a time sends a request's
 * items), picks what of its open items can go now — straight to Zoho when never sent, through
 * the resend check when an earlier call's fate is unknown or it waits on a retry — sends it in
 * batches with a bounded number of calls in flight, and finishes the request once every item is
 * final. The engine serialises pumps per request and owns the retry wake-ups.
 */
import type { Clock } from '../clock.js';
import type { RequestFinisher } from '../jobs/request-finisher.js';
import type { Timers } from '../jobs/timers.js';
import type { Logger } from '../log.js';
import { LEASE_RENEW_MS, LeaseRenewal } from '../replica.js';
import type { RequestItemRecord, Store } from '../store/types.js';
import { MAX_RECORDS_PER_CALL } from '../zoho/call-limits.js';
import type { Lane, Limiter } from '../zoho/limiter.js';
import type { BatchSender } from './batch-sender.js';
import { planBatches, type ResendEntry, type SendEntry } from './batches.js';
import { OPEN_ITEM_STATES, WORK_ITEM_STATES } from './item-lifecycle.js';
import type { ItemWriter } from './item-writer.js';
import { firstPlan, phaseOf, planFor } from './phases.js';
import type { RequestProgress } from './progress.js';
import type { ResendCheck } from './resend-check.js';
import { UNCERTAIN_CODES } from './verdicts.js';

export interface RequestPumpDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Bounds Zoho calls in flight across every request the engine runs. */
  limiter: Limiter;
  writer: ItemWriter;
  sender: BatchSender;
  resendCheck: ResendCheck;
  finisher: RequestFinisher;
  progress: RequestProgress;
  /** Holder name of the request leases (several replicas share one PostgreSQL store). */
  instanceId: string;
  /** Lease time; checked before every call (renewed when a second old) and on a timer while sending. */
  leaseTtlMs: number;
  timers: Timers;
}

/**
 * Work items read per page: one wave of calls (a call's worth per slot). The next page is read
 * while this one's wave is at Zoho, so a small page costs no empty slots; it gets the first call
 * out sooner and keeps few items alive at a time.
 */
const workPageSize = (slots: number) => slots * MAX_RECORDS_PER_CALL;

/** The pages of one round: whether the lease still holds, whether a page failed. */
interface PageRun {
  held: boolean;
  failed: boolean;
}

/** A pump that keeps finding work this many rounds in a row is stopped and logged (a bug guard). */
const MAX_ROUNDS = 1_000;

export class RequestPump {
  constructor(private readonly deps: RequestPumpDeps) {}

  /**
   * One pump of a request. Returns when its earliest waiting retry is due (the engine wakes it
   * then), or null when nothing waits on a timer.
   */
  async pump(requestId: string): Promise<number | null> {
    const { store, clock, instanceId, leaseTtlMs } = this.deps;
    const lease = `assignment:request:${requestId}`;
    const hold = new LeaseRenewal(
      (now) => store.acquireLease(lease, instanceId, leaseTtlMs, now),
      () => clock.now(),
    );
    const renew = () => hold.renew();
    // Before each call: only a call after a stall, or a second later, writes the lease again.
    const recheck = () => hold.held();
    if (!(await renew())) {
      this.deps.logger.debug({ requestId }, 'another replica is sending this request');
      return null;
    }
    // A Zoho call can outlast the lease (latency, backoff): renew on a timer too, not only
    // before calls. A lost renewal is seen by the check before the next call, which stops sending.
    const { timers } = this.deps;
    let beat: unknown = null;
    let renewing: Promise<unknown> = Promise.resolve();
    const heartbeat = () => {
      beat = timers.setTimeout(
        () => {
          renewing = renew()
            .catch(() => false)
            .then((held) => {
              if (held && beat !== null) heartbeat();
            });
        },
        Math.min(LEASE_RENEW_MS, leaseTtlMs / 3),
      );
    };
    heartbeat();
    try {
      return await this.rounds(requestId, recheck);
    } finally {
      if (beat !== null) timers.clearTimeout(beat);
      beat = null;
      // A renewal still in flight must not take the lease again after it is released.
      await renewing;
      await store.releaseLease(lease, instanceId);
    }
  }

  private async rounds(requestId: string, holdLease: () => Promise<boolean>): Promise<number | null> {
    const { store } = this.deps;
    const request = await store.getRequest(requestId);
    if (request?.state !== 'running') return null;
    // A request that fits in one call is someone waiting in Slack: it goes ahead of bulk batches.
    const lane: Lane = request.itemCount <= MAX_RECORDS_PER_CALL ? 'interactive' : 'bulk';
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const moved = await this.round(requestId, lane, holdLease);
      if (moved === null) return null;
      // Nothing moved: what is left waits on Zoho's jobs or on a retry timer (or nothing is left).
      if (moved === 0) break;
    }
    const counts = await store.countItemsByState(requestId);
    if (OPEN_ITEM_STATES.some((s) => (counts[s] ?? 0) > 0))
      return store.earliestNotBefore(requestId, 'retry');
    await this.deps.finisher.finishIfComplete(requestId);
    return null;
  }

  /**
   * One pass over the work, a page at a time (never the whole request in memory); items sent in
   * it leave the work states, so the cursor only has to move past what was looked at and left.
   * The next page is read once every batch of this one holds a slot, while its last wave is at
   * Zoho: waiting for the whole page first left the slots empty at every page boundary. Returns
   * how many items moved on, or null when the lease was lost.
   */
  private async round(
    requestId: string,
    lane: Lane,
    holdLease: () => Promise<boolean>,
  ): Promise<number | null> {
    const { store, clock } = this.deps;
    const run: PageRun = { held: true, failed: false };
    const pages: Array<Promise<number>> = [];
    let afterSeq = -1;
    let readFailure: { err: unknown } | null = null;
    try {
      while (run.held && !run.failed) {
        const page = await store.listWorkItems(requestId, {
          states: WORK_ITEM_STATES,
          blockedBy: OPEN_ITEM_STATES,
          now: clock.now(),
          afterSeq,
          limit: workPageSize(this.deps.limiter.max),
        });
        if (page.length === 0) break;
        afterSeq = page.at(-1)!.seq;
        let allStarted!: () => void;
        const started = new Promise<void>((resolve) => {
          allStarted = resolve;
        });
        const moving = this.movePage(requestId, page, lane, holdLease, run, allStarted);
        pages.push(moving);
        await Promise.race([started, moving.catch(() => {})]);
      }
    } catch (err) {
      readFailure = { err };
      run.failed = true;
    }
    // Every page's batches end before the pump does (its lease is released after).
    const results = await Promise.allSettled(pages);
    if (readFailure) throw readFailure.err;
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (!run.held) {
      this.deps.logger.warn({ requestId }, 'request lease lost; leaving the request to its new owner');
      return null;
    }
    return results.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0);
  }

  /**
   * Sends what of one page may go (through the resend check where needed); calls `allStarted`
   * once each of its batches holds a slot. Returns how many items it moved on. A lost lease
   * (this process stalled past its TTL: another replica owns the request now) or a failed page
   * stops every batch not yet started.
   */
  private async movePage(
    requestId: string,
    page: readonly RequestItemRecord[],
    lane: Lane,
    holdLease: () => Promise<boolean>,
    run: PageRun,
    allStarted: () => void,
  ): Promise<number> {
    const { limiter, sender } = this.deps;
    try {
      const { send, check, settled } = await this.selectWork(requestId, page);
      if (send.length === 0 && check.length === 0) return settled;
      const checked = check.length > 0 ? await this.checkFirst(requestId, check, lane) : [];
      const batches = planBatches([...send, ...checked].sort((a, b) => a.item.seq - b.item.seq));
      let waiting = batches.length;
      if (waiting === 0) allStarted();
      await Promise.all(
        batches.map(async (b) => {
          // The slot is held for the call only; the answer is stored after it is given back.
          const verdicts = await limiter.run(async () => {
            waiting -= 1;
            if (waiting === 0) allStarted();
            if (!run.held || run.failed) return null;
            // Checked before each call: after a stall past its TTL another replica may own it.
            if (!(await holdLease())) {
              run.held = false;
              return null;
            }
            return sender.call(requestId, b, lane);
          }, lane);
          if (verdicts === null) return;
          await sender.store(requestId, b, verdicts, lane);
        }),
      );
      return settled + send.length + check.length;
    } catch (err) {
      run.failed = true;
      throw err;
    } finally {
      allStarted();
    }
  }

  /** Runs the resend check; returns what may be sent. Settled entries are shown at once. */
  private async checkFirst(requestId: string, check: ResendEntry[], lane: Lane): Promise<SendEntry[]> {
    const jobRows = await this.deps.store.listJobs(
      requestId,
      check.map((e) => e.item.seq),
    );
    const checked = await this.deps.resendCheck.check(requestId, check, jobRows, lane);
    if (check.length > checked.length) await this.deps.progress.updated(requestId);
    return checked;
  }

  /** What of the open items goes to Zoho now: straight (never sent) or after the resend check. */
  private async selectWork(
    requestId: string,
    eligible: readonly RequestItemRecord[],
  ): Promise<{ send: SendEntry[]; check: ResendEntry[]; settled: number }> {
    const send: SendEntry[] = [];
    const check: ResendEntry[] = [];
    let settled = 0;
    const nothingToDo = async (item: RequestItemRecord) => {
      if (await this.deps.writer.markNothingToDo(requestId, item)) settled += 1;
    };
    const needsJobs = eligible.filter(
      (it) => it.action === 'move' && (it.state === 'retry' || it.state === 'sending'),
    );
    const removeDone = await this.confirmedRemovals(
      requestId,
      needsJobs.map((it) => it.seq),
    );
    for (const item of eligible) {
      switch (item.state) {
        case 'pending': {
          const plan = firstPlan(item);
          if (plan) send.push({ item, plan });
          else await nothingToDo(item);
          break;
        }
        case 'pending_assign': {
          const plan = planFor(item, 'main');
          if (plan) send.push({ item, plan });
          else await nothingToDo(item);
          break;
        }
        case 'retry': {
          const plan = planFor(item, phaseOf(item, removeDone.has(item.seq)));
          if (plan) check.push({ item, plan, adopt: UNCERTAIN_CODES.has(item.code ?? '') });
          else await nothingToDo(item);
          break;
        }
        case 'sending':
        case 'removing': {
          // Between pumps nothing of ours is in flight: these were left by a stopped process.
          if (item.state === 'removing' && item.jobId) break;
          const plan = planFor(item, item.state === 'removing' ? 'remove_first' : 'main');
          if (plan) check.push({ item, plan, adopt: true });
          else await nothingToDo(item);
          break;
        }
        default:
          break;
      }
    }
    return { send, check, settled };
  }

  private async confirmedRemovals(requestId: string, seqs: readonly number[]): Promise<Set<number>> {
    if (seqs.length === 0) return new Set();
    const jobs = await this.deps.store.listJobs(requestId, seqs);
    return new Set(jobs.filter((j) => j.operation === 'remove' && j.state === 'done').map((j) => j.seq));
  }
}
