/**
 * The assignment engine: runs a stored request against Zoho. Items were written with the
 * request before any Zoho call; `run` starts an approved request and pumps it (request-pump.ts:
 * lease, work selection, batches through batch-sender.ts, the resend check of resend-check.ts),
 * scheduled jobs go to the job tracker, and items that must wait come back on a timer. The
 * engine owns the parts and their dependencies; it serialises pumps per request.
 */
import { randomUUID } from 'node:crypto';
import { requestLifecycle } from '../approvals/request-lifecycle.js';
import type { Clock } from '../clock.js';
import { DEFAULT_POLL_SCHEDULE, type PollSchedule } from '../jobs/backoff.js';
import { RequestFinisher } from '../jobs/request-finisher.js';
import { globalTimers, type Timers } from '../jobs/timers.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import { LEASE_TTL_MS, REPLICA_ID } from '../replica.js';
import type { ItemState, RequestRecord, RequestState, Store } from '../store/types.js';
import { TerritoryCatalog } from '../territories/catalog.js';
import type { WorkObserver } from '../work-observer.js';
import { Limiter } from '../zoho/limiter.js';
import type { ZohoApi } from '../zoho/types.js';
import { BatchSender } from './batch-sender.js';
import { buildSingleRequest, type SingleRequestInput } from './engine-single.js';
import { ItemWriter } from './item-writer.js';
import { RequestProgress } from './progress.js';
import { RequestPump } from './request-pump.js';
import { ResendCheck } from './resend-check.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import {
  type AskedCheckOutcome,
  type AskedSingleInput,
  SingleCheck,
  type SinglePolicy,
  ZOHO_WAIT_CEILING_MS,
  ZOHO_WAIT_RETRY,
} from './single-check.js';

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
   * Default: this process (REPLICA_ID).
   */
  instanceId?: string;
  /**
   * Lease time; checked before every call and renewed every third of it while sending. A replica that
   * dies frees its requests after this (default LEASE_TTL_MS).
   */
  leaseTtlMs?: number;
  /** Told each finished request's items by outcome and each settled job (metrics). */
  observer?: WorkObserver;
  /** Resolves territory names of single changes stored before their Zoho read (default: its own). */
  catalog?: TerritoryCatalog;
  /** How long a stored single change waits for Zoho, and how often it reads again. */
  zohoWait?: { ceilingMs?: number; retry?: Partial<RetryPolicy> };
}

export interface RunResult {
  requestId: string;
  /** False when the request was not approved (the table's `start` refused it (already running, decided, unknown). */
  started: boolean;
  state: RequestState | null;
  counts: Partial<Record<ItemState, number>>;
}

export class AssignmentEngine {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly progress: RequestProgress;
  private readonly finisher: RequestFinisher;
  private readonly requestPump: RequestPump;
  private readonly retry: RetryPolicy;
  private readonly timers: Timers;
  private readonly newRequestId: () => string;
  private onJobsCreated: () => void;
  private readonly pumps = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly wakeups = new Map<string, unknown>();
  private readonly checker: SingleCheck;
  private singlePolicy: SinglePolicy | null = null;
  private readonly instanceId: string;
  private stopped = false;

  constructor(deps: AssignmentEngineDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.logger = deps.logger.child({ component: 'assignment' });
    this.retry = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
    this.timers = deps.timers ?? globalTimers;
    this.newRequestId = deps.newRequestId ?? randomUUID;
    this.onJobsCreated = deps.onJobsCreated ?? (() => {});
    const { api, store, clock } = deps;
    const logger = this.logger;
    const limiter = new Limiter(deps.concurrency ?? 5);
    this.progress = new RequestProgress(deps.notifier, logger);
    this.finisher = new RequestFinisher({
      store,
      notifier: deps.notifier,
      clock,
      logger,
      ...(deps.observer ? { observer: deps.observer } : {}),
    });
    const writer = new ItemWriter({
      store,
      clock,
      retry: this.retry,
      poll: { ...DEFAULT_POLL_SCHEDULE, ...deps.poll },
      random: deps.random ?? Math.random,
      jobsCreated: () => this.onJobsCreated(),
    });
    const territoryIds =
      deps.catalogRefresh ?? (async () => new Set((await api.listTerritories()).map((t) => t.id)));
    this.instanceId = deps.instanceId ?? REPLICA_ID;
    this.checker = new SingleCheck({
      store,
      zoho: api,
      catalog: deps.catalog ?? new TerritoryCatalog({ api, clock, logger }),
      progress: this.progress,
      finisher: this.finisher,
      clock,
      logger,
      random: deps.random ?? Math.random,
      ceilingMs: deps.zohoWait?.ceilingMs ?? ZOHO_WAIT_CEILING_MS,
      retry: { ...ZOHO_WAIT_RETRY, ...deps.zohoWait?.retry },
      policy: () => this.singlePolicy,
    });
    this.requestPump = new RequestPump({
      store,
      clock,
      logger,
      limiter,
      writer,
      sender: new BatchSender({ api, store, writer, progress: this.progress, clock, logger, territoryIds }),
      resendCheck: new ResendCheck({ api, writer, limiter, logger }),
      finisher: this.finisher,
      progress: this.progress,
      timers: this.timers,
      instanceId: deps.instanceId ?? REPLICA_ID,
      leaseTtlMs: deps.leaseTtlMs ?? LEASE_TTL_MS,
    });
  }

  /**
   * Wires the access policy of single changes after construction (it submits drafts through
   * the approvals, which need the engine's starter). Without one, planned changes run directly.
   */
  setSinglePolicy(policy: SinglePolicy): void {
    this.singlePolicy = policy;
  }

  /** Wires the job tracker's wake-up after construction (the tracker needs the engine too). */
  setJobsCreatedListener(listener: () => void): void {
    this.onJobsCreated = listener;
  }

  /**
   * Starts a stored, approved request and sends its items. Resolves once every item has been
   * answered by Zoho (scheduled, failed or waiting to retry); the job tracker takes it from there.
   */
  async run(requestId: string): Promise<RunResult> {
    const now = this.clock.now();
    const start = requestLifecycle.rule('start');
    const started = await this.store.transitionRequest(requestId, start.from, start.to, undefined, now, [
      'progress',
    ]);
    if (!started) {
      const current = await this.store.getRequest(requestId);
      this.logger.info({ requestId, state: current?.state ?? null }, 'request not started: not approved');
      return this.result(requestId, false);
    }
    await this.store.appendAudit({
      at: now,
      actor: 'system',
      action: 'request.running',
      requestId,
      data: { items: started.itemCount },
    });
    await this.progress.updated(requestId);
    await this.advance(requestId);
    return this.result(requestId, true);
  }

  /** Writes a one-record request (state `approved`: no approval needed) and posts its parent message. */
  async createSingle(input: SingleRequestInput): Promise<RequestRecord> {
    const { request, items } = buildSingleRequest(input, this.newRequestId(), this.clock.now());
    // The parent message is written to the outbox with the request (core/outbox.ts).
    const stored = await this.store.createRequest(request, items, ['parent']);
    await this.store.appendAudit({
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
    // A draft's parent message is posted when it is submitted (core/requests submitDraft).
    if (stored.state !== 'draft') await this.progress.created(stored.id);
    return stored;
  }

  /**
   * Stores a single change as asked, before any Zoho read (state `checking`): from here on an
   * outage delays it but cannot lose it. `checkAsked` reads Zoho and plans it.
   */
  storeAsked(input: AskedSingleInput): Promise<RequestRecord> {
    return this.checker.store(input, this.newRequestId());
  }

  /**
   * Reads Zoho and plans a stored change. Planned: the caller starts it. Waiting: it is read
   * again on a timer (and by the sweep after a restart), and runs by itself once planned.
   */
  async checkAsked(requestId: string): Promise<AskedCheckOutcome> {
    const outcome = await this.checkUnderLease(requestId);
    if (outcome.kind === 'waiting') this.wakeAt(requestId, outcome.nextAt, () => this.recheck(requestId));
    return outcome;
  }

  /** A later read of a waiting change: runs it when planned. */
  private async recheck(requestId: string): Promise<void> {
    try {
      const outcome = await this.checkAsked(requestId);
      if (outcome.kind === 'planned') await this.run(requestId);
    } catch (err) {
      this.logger.error({ err, requestId }, 'checking a waiting request failed');
    }
  }

  /** One replica reads Zoho for a stored change at a time; the transitions decide the rest. */
  private async checkUnderLease(requestId: string): Promise<AskedCheckOutcome> {
    const lease = `assignment:check:${requestId}`;
    if (!(await this.store.acquireLease(lease, this.instanceId, 60_000, this.clock.now()))) {
      return { kind: 'moved', requestId };
    }
    try {
      return await this.checker.check(requestId);
    } finally {
      await this.store.releaseLease(lease, this.instanceId);
    }
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
    const approved = await this.store.listRequestsByState(requestLifecycle.from('start'), 10_000);
    const running = await this.store.listRequestsByState([requestLifecycle.target('start')], 10_000);
    this.logger.info({ approved: approved.length, running: running.length }, 'resuming requests');
    for (const id of await this.checker.due()) await this.recheck(id);
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
    const approved = await this.store.listRequestsByState(requestLifecycle.from('start'), 1_000);
    const running = await this.store.listRequestsByState([requestLifecycle.target('start')], 1_000);
    for (const r of approved) await this.run(r.id);
    for (const r of running) await this.advance(r.id);
    // Stored changes waiting for Zoho whose timer was lost (a restart, another replica's).
    for (const id of await this.checker.due()) await this.recheck(id);
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
          const wakeAt = await this.requestPump.pump(requestId);
          if (wakeAt !== null) this.wakeAt(requestId, wakeAt);
        }
      } catch (err) {
        this.logger.error({ err, requestId }, 'assignment pump failed; retrying shortly');
        this.wakeAt(requestId, this.clock.now() + this.retry.baseDelayMs);
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
    const request = await this.store.getRequest(requestId);
    return {
      requestId,
      started,
      state: request?.state ?? null,
      counts: request ? await this.store.countItemsByState(requestId) : {},
    };
  }

  private wakeAt(
    requestId: string,
    at: number,
    action: () => Promise<void> = () => this.advance(requestId),
  ): void {
    if (this.stopped) return;
    const previous = this.wakeups.get(requestId);
    if (previous !== undefined) this.timers.clearTimeout(previous);
    const delay = Math.max(0, at - this.clock.now());
    const handle = this.timers.setTimeout(() => {
      this.wakeups.delete(requestId);
      void action();
    }, delay);
    this.wakeups.set(requestId, handle);
  }
}
