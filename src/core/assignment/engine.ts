/**
 * The assignment engine: runs a stored request against Zoho. Items were written with the
 * request before any Zoho call; the engine sends them in batches of ≤ 100 records per module
 * with a bounded number of calls in flight, stores each outcome as it arrives, hands scheduled
 * jobs to the job tracker, and brings back items that must wait (retry) or go on (a move's
 * assign phase once its removal is confirmed). Nothing is sent twice: anything whose last call
 * has an unknown fate is checked against Zoho first (see engine-verify.ts).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { requestLifecycle } from '../approvals/request-lifecycle.js';
import type { Clock } from '../clock.js';
import { DEFAULT_POLL_SCHEDULE, type PollSchedule } from '../jobs/backoff.js';
import { finishIfComplete, resendMissedFinishes } from '../jobs/finish.js';
import { globalTimers, type Timers } from '../jobs/timers.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import type {
  ItemState,
  JobRecord,
  RequestItemRecord,
  RequestRecord,
  RequestState,
  Store,
} from '../store/types.js';
import type { ZohoApi } from '../zoho/types.js';
import { firstPerRecord, MAX_RECORDS_PER_CALL, planBatches, type SendEntry } from './engine-batches.js';
import { type EngineContext, safeNotify } from './engine-context.js';
import { type Lane, LaneLimiter } from './engine-limiter.js';
import { ItemCodes, UNCERTAIN_CODES } from './engine-outcomes.js';
import { firstPlan, phaseOf, planFor } from './engine-phases.js';
import { buildSingleRequest, type SingleRequestInput } from './engine-single.js';
import { type VerifyEntry, verifyBeforeResend } from './engine-verify.js';
import { sendBatch } from './execute.js';
import { itemLifecycle, OPEN_ITEM_STATES } from './item-lifecycle.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

export interface AssignmentEngineDeps {
  api: ZohoApi;
  store: Store;
  notifier: RequestNotifier;
  clock: Clock;
  logger: Logger;
  /** Zoho calls in flight at once across all requests (ZOHO_MAX_CONCURRENCY, default 5). */
  concurrency?: number;
  /** Current territory ids, freshly read; defaults to `api.listTerritories()`. */
  catalogRefresh?: () => Promise<Set<string>>;
  retry?: Partial<RetryPolicy>;
  /** First poll delay and job deadline for the jobs this engine creates. */
  poll?: Partial<PollSchedule>;
  /** [0,1) source for retry jitter. */
  random?: () => number;
  timers?: Timers;
  /** Called whenever job rows were stored (wire to JobTracker.nudge). */
  onJobsCreated?: () => void;
  newRequestId?: () => string;
  /**
   * Who holds a request's lease while sending (several replicas share one PostgreSQL store).
   * Default: the host name, so a process restarted on the same host resumes at once.
   */
  instanceId?: string;
  /** Lease time; renewed after every batch. A replica that dies frees its requests after this. */
  leaseTtlMs?: number;
}

export interface RunResult {
  requestId: string;
  /** False when the request was not approved (the table's `start` refused it (already running, decided, unknown). */
  started: boolean;
  state: RequestState | null;
  counts: Partial<Record<ItemState, number>>;
}

/** A pump round that keeps finding work this many times in a row is stopped and logged (a bug guard). */
const MAX_ROUNDS = 1_000;

export class AssignmentEngine {
  private readonly ctx: EngineContext;
  private readonly timers: Timers;
  private readonly newRequestId: () => string;
  private onJobsCreated: () => void;
  private readonly pumps = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly wakeups = new Map<string, unknown>();
  private stopped = false;
  private readonly instanceId: string;
  private readonly leaseTtlMs: number;

  constructor(deps: AssignmentEngineDeps) {
    const retry = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
    const poll = { ...DEFAULT_POLL_SCHEDULE, ...deps.poll };
    this.onJobsCreated = deps.onJobsCreated ?? (() => {});
    this.timers = deps.timers ?? globalTimers;
    this.newRequestId = deps.newRequestId ?? randomUUID;
    this.instanceId = deps.instanceId ?? hostname();
    this.leaseTtlMs = deps.leaseTtlMs ?? 2 * 60_000;
    this.ctx = {
      api: deps.api,
      store: deps.store,
      notifier: deps.notifier,
      clock: deps.clock,
      logger: deps.logger.child({ component: 'assignment' }),
      limiter: new LaneLimiter(deps.concurrency ?? 5),
      retry,
      poll,
      random: deps.random ?? Math.random,
      territoryIds:
        deps.catalogRefresh ?? (async () => new Set((await deps.api.listTerritories()).map((t) => t.id))),
      jobsCreated: () => this.onJobsCreated(),
    };
  }

  /** Wires the job tracker's wake-up after construction (the tracker needs the engine too). */
  setJobsCreatedListener(listener: () => void): void {
    this.onJobsCreated = listener;
  }

  /**
   * Starts a stored request (approved, or a draft that needs no approval) and sends its items.
   * Resolves once every item has been answered by Zoho (scheduled, failed or waiting to retry);
   * the job tracker takes it from there.
   */
  async run(requestId: string): Promise<RunResult> {
    const now = this.ctx.clock.now();
    const started = await this.ctx.store.transitionRequest(
      requestId,
      requestLifecycle.from('start'),
      requestLifecycle.target('start'),
      undefined,
      now,
    );
    if (!started) {
      const current = await this.ctx.store.getRequest(requestId);
      this.ctx.logger.info(
        { requestId, state: current?.state ?? null },
        'request not started: not startable',
      );
      return this.result(requestId, false);
    }
    await this.ctx.store.appendAudit({
      at: now,
      actor: 'system',
      action: 'request.running',
      requestId,
      data: { items: started.itemCount },
    });
    await safeNotify(this.ctx, requestId);
    await this.advance(requestId);
    return this.result(requestId, true);
  }

  /** Writes a one-record request (state `approved`: no approval needed) and posts its parent message. */
  async createSingle(input: SingleRequestInput): Promise<RequestRecord> {
    const { request, items } = buildSingleRequest(input, this.newRequestId(), this.ctx.clock.now());
    const stored = await this.ctx.store.createRequest(request, items);
    await this.ctx.store.appendAudit({
      at: request.createdAt,
      actor: input.requesterId,
      action: 'request.created',
      requestId: stored.id,
      data: {
        kind: request.kind,
        module: input.module,
        recordId: input.recordId,
        territoryIds: input.territoryIds,
      },
    });
    try {
      await this.ctx.notifier.requestCreated(stored.id);
    } catch (err) {
      this.ctx.logger.warn({ err, requestId: stored.id }, 'notifier.requestCreated failed');
    }
    return stored;
  }

  /** createSingle + run: the single-record path is the bulk path with one item. */
  async submitSingle(input: SingleRequestInput): Promise<RunResult> {
    const request = await this.createSingle(input);
    return this.run(request.id);
  }

  /**
   * At start-up: runs approved requests that never started and continues running ones. Items a
   * stopped process left in flight are checked against Zoho before anything is sent again.
   */
  async resume(): Promise<string[]> {
    const approved = await this.ctx.store.listRequestsByState(['approved'], 10_000);
    const running = await this.ctx.store.listRequestsByState(['running'], 10_000);
    this.ctx.logger.info({ approved: approved.length, running: running.length }, 'resuming requests');
    const missed = await resendMissedFinishes(this.ctx);
    if (missed.length > 0)
      this.ctx.logger.info({ requests: missed }, 'posted final replies a stop had cut off');
    await Promise.all([...approved.map((r) => this.run(r.id)), ...running.map((r) => this.advance(r.id))]);
    return [...approved, ...running].map((r) => r.id);
  }

  /**
   * Safety net run periodically by the service: moves every running request on (a retry whose
   * timer was lost with a replica, an item another replica's tracker settled) and starts
   * approved requests nobody started.
   */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    const approved = await this.ctx.store.listRequestsByState(['approved'], 1_000);
    const running = await this.ctx.store.listRequestsByState(['running'], 1_000);
    for (const r of approved) await this.run(r.id);
    for (const r of running) await this.advance(r.id);
  }

  /**
   * Sends whatever of a running request can go now and finishes it when every item is final.
   * Calls for the same request are serialised: a call during a pump makes it go round again.
   */
  advance(requestId: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const current = this.pumps.get(requestId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const pump = { again: true, done: Promise.resolve() };
    pump.done = (async () => {
      try {
        while (pump.again && !this.stopped) {
          pump.again = false;
          await this.pump(requestId);
        }
      } catch (err) {
        this.ctx.logger.error({ err, requestId }, 'assignment pump failed; retrying shortly');
        this.wakeAt(requestId, this.ctx.clock.now() + this.ctx.retry.baseDelayMs);
      } finally {
        this.pumps.delete(requestId);
      }
    })();
    this.pumps.set(requestId, pump);
    return pump.done;
  }

  /** Resolves when no pump is running (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.pumps.size > 0) await Promise.all([...this.pumps.values()].map((p) => p.done));
  }

  /** Stops retry wake-ups and new pumps; waits for calls in flight to be stored. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.wakeups.values()) this.timers.clearTimeout(handle);
    this.wakeups.clear();
    await this.idle();
  }

  private async result(requestId: string, started: boolean): Promise<RunResult> {
    const request = await this.ctx.store.getRequest(requestId);
    return {
      requestId,
      started,
      state: request?.state ?? null,
      counts: request ? await this.ctx.store.countItemsByState(requestId) : {},
    };
  }

  /**
   * One replica at a time sends a request's items: the lease keeps a second replica (whose
   * tracker may settle this request's jobs) from sending the same pending items again.
   */
  private async pump(requestId: string): Promise<void> {
    const lease = `assignment:request:${requestId}`;
    const renew = () =>
      this.ctx.store.acquireLease(lease, this.instanceId, this.leaseTtlMs, this.ctx.clock.now());
    if (!(await renew())) {
      this.ctx.logger.debug({ requestId }, 'another replica is sending this request');
      return;
    }
    try {
      await this.pumpRounds(requestId, renew);
    } finally {
      await this.ctx.store.releaseLease(lease, this.instanceId);
    }
  }

  private async pumpRounds(requestId: string, renew: () => Promise<boolean>): Promise<void> {
    const { store } = this.ctx;
    const request = await store.getRequest(requestId);
    if (request?.state !== 'running') return;
    // A request that fits in one call is someone waiting in Slack: it goes ahead of bulk batches.
    const lane: Lane = request.itemCount <= MAX_RECORDS_PER_CALL ? 'interactive' : 'bulk';
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const now = this.ctx.clock.now();
      const open = await store.listItems(requestId, { states: OPEN_ITEM_STATES });
      if (open.length === 0) break;
      const { send, verify, settled } = await this.selectWork(requestId, open, now);
      if (send.length === 0 && verify.length === 0) {
        if (settled > 0) continue;
        this.scheduleRetryWakeup(requestId, open);
        return;
      }
      const jobRows = verify.length > 0 ? await store.listJobs(requestId) : [];
      const checked =
        verify.length > 0 ? await verifyBeforeResend(this.ctx, requestId, verify, jobRows, lane) : [];
      if (verify.length > checked.length) await safeNotify(this.ctx, requestId);
      const batches = planBatches([...send, ...checked].sort((a, b) => a.item.seq - b.item.seq));
      let held = true;
      await Promise.all(
        batches.map((b) =>
          this.ctx.limiter.run(async () => {
            // Lease lost (this process stalled past its TTL): another replica owns the request now.
            if (!held) return;
            await sendBatch(this.ctx, requestId, b);
            held = await renew();
          }, lane),
        ),
      );
      if (!held) {
        this.ctx.logger.warn({ requestId }, 'request lease lost; leaving the request to its new owner');
        return;
      }
    }
    await finishIfComplete(this.ctx, requestId);
  }

  /** What of the open items goes to Zoho now: straight (never sent) or after a check. */
  private async selectWork(
    requestId: string,
    open: readonly RequestItemRecord[],
    now: number,
  ): Promise<{ send: SendEntry[]; verify: VerifyEntry[]; settled: number }> {
    const send: SendEntry[] = [];
    const verify: VerifyEntry[] = [];
    let settled = 0;
    const eligible = firstPerRecord(open);
    const needsJobs = eligible.some(
      (it) => it.action === 'move' && (it.state === 'retry' || it.state === 'sending'),
    );
    const removeDone = needsJobs ? await this.confirmedRemovals(requestId) : new Set<number>();
    for (const item of eligible) {
      switch (item.state) {
        case 'pending': {
          const plan = firstPlan(item);
          if (plan) send.push({ item, plan });
          else settled += await this.markNothingToDo(requestId, item, now);
          break;
        }
        case 'pending_assign': {
          const plan = planFor(item, 'main');
          if (plan) send.push({ item, plan });
          else settled += await this.markNothingToDo(requestId, item, now);
          break;
        }
        case 'retry': {
          if ((item.notBefore ?? 0) > now) break;
          const plan = planFor(item, phaseOf(item, removeDone.has(item.seq)));
          if (plan) verify.push({ item, plan, adopt: UNCERTAIN_CODES.has(item.code ?? '') });
          else settled += await this.markNothingToDo(requestId, item, now);
          break;
        }
        case 'sending':
        case 'removing': {
          // Between pumps nothing of ours is in flight: these were left by a stopped process.
          if (item.state === 'removing' && item.jobId) break;
          const plan = planFor(item, item.state === 'removing' ? 'remove_first' : 'main');
          if (plan) verify.push({ item, plan, adopt: true });
          else settled += await this.markNothingToDo(requestId, item, now);
          break;
        }
        default:
          break;
      }
    }
    return { send, verify, settled };
  }

  private async confirmedRemovals(requestId: string): Promise<Set<number>> {
    const jobs: JobRecord[] = await this.ctx.store.listJobs(requestId);
    return new Set(jobs.filter((j) => j.operation === 'remove' && j.state === 'done').map((j) => j.seq));
  }

  /** A move whose target is already on the record and nothing to remove: no Zoho call needed. */
  private async markNothingToDo(requestId: string, item: RequestItemRecord, now: number): Promise<number> {
    const changed = await this.ctx.store.updateItem(
      requestId,
      item.seq,
      {
        state: itemLifecycle.to(item.state, 'nothing_to_do'),
        code: item.state === 'pending_assign' ? ItemCodes.removedOld : ItemCodes.nothingToDo,
        message:
          item.state === 'pending_assign'
            ? 'The old territories were removed; the new one was already on the record'
            : 'The record already has these territories; nothing to send',
        notBefore: null,
      },
      [item.state],
      now,
    );
    return changed ? 1 : 0;
  }

  private scheduleRetryWakeup(requestId: string, open: readonly RequestItemRecord[]): void {
    let at = Number.POSITIVE_INFINITY;
    for (const it of open) if (it.state === 'retry' && it.notBefore !== null) at = Math.min(at, it.notBefore);
    if (Number.isFinite(at)) this.wakeAt(requestId, at);
  }

  private wakeAt(requestId: string, at: number): void {
    if (this.stopped) return;
    const previous = this.wakeups.get(requestId);
    if (previous !== undefined) this.timers.clearTimeout(previous);
    const delay = Math.max(0, at - this.ctx.clock.now());
    const handle = this.timers.setTimeout(() => {
      this.wakeups.delete(requestId);
      void this.advance(requestId);
    }, delay);
    this.wakeups.set(requestId, handle);
  }
}
