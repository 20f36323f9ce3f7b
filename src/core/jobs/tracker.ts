/**
 * The job tracker: confirms Zoho's background territory jobs. Each round takes the due jobs,
 * per module in groups of 100 records: a job's first look reads the records and asks the
 * feature-info API only about those not showing the change; later looks ask feature-info first
 * and read only the records without a pending job — so a round costs at most 2·ceil(N/100)
 * calls per module (DESIGN.md §9), and ceil(N/100) when the jobs are done at the first look. Still pending: poll again later (2 s → 60 s);
 * finished and visible on the record: done; finished but not visible: failed after one
 * re-check; past the deadline: unconfirmed. All state lives in the store, so after a restart
 * the tracker simply continues.
 */
import { ITEM_STATES_WAITING_ON_JOB } from '../assignment/item-lifecycle.js';
import { RequestProgress } from '../assignment/progress.js';
import { chunk } from '../chunk.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import { LEASE_RENEW_MS, REPLICA_ID } from '../replica.js';
import type { ItemPatchEntry, JobPatch, JobRecord, Store } from '../store/types.js';
import type { WorkObserver } from '../work-observer.js';
import { MAX_RECORDS_PER_CALL } from '../zoho/call-limits.js';
import { type Lane, Limiter } from '../zoho/limiter.js';
import { apiInLane, type ZohoApi, type ZohoModule } from '../zoho/types.js';
import { DEFAULT_POLL_SCHEDULE, nextPollAt, type PollSchedule } from './backoff.js';
import { JobCodes, type JobVerdict, judgeJob, timeoutMessage } from './confirm.js';
import { itemPatch } from './item-patches.js';
import { JOB_EVENT_OF_VERDICT, jobLifecycle } from './job-lifecycle.js';
import { RequestFinisher } from './request-finisher.js';
import { isFirstLook, pendingFirst, recordsFirst } from './status-calls.js';
import { globalTimers, type Timers } from './timers.js';

export interface JobTrackerDeps {
  api: ZohoApi;
  store: Store;
  notifier: RequestNotifier;
  clock: Clock;
  logger: Logger;
  /** Zoho calls in flight at once for a round (default 5). */
  concurrency?: number;
  schedule?: Partial<PollSchedule>;
  timers?: Timers;
  /**
   * Items of these requests reached a new state: the engine sends what may go next (a move's
   * assign phase, a held-back item on the same record) and finishes the request when all items
   * are final. Without it the tracker only finishes requests itself.
   */
  onItemsSettled?: (requestId: string) => Promise<void>;
  /**
   * Due jobs taken per round (default: one wave of calls, concurrency × 100). A round's jobs are
   * held until its last call is back, and polls wait while a bulk is being sent: 2,000 jobs held
   * across a send were promoted to the old generation by the thousand (issue 13).
   */
  roundLimit?: number;
  /**
   * Longest sleep between rounds when nothing is due (default LEASE_RENEW_MS): the tracker lease
   * lasts three of these, so a dead replica's tracker is replaced within seconds.
   */
  idleMs?: number;
  /**
   * Holder of the tracker lease: with several replicas on one store only one polls. Default:
   * this process (REPLICA_ID).
   */
  instanceId?: string;
  /** Told each settled job and its confirmation lag, and each finished request (metrics). */
  observer?: WorkObserver;
}

const LEASE = 'jobs:tracker';

export interface PollRoundResult {
  jobs: number;
  done: number;
  failed: number;
  unconfirmed: number;
  waiting: number;
  /** Zoho calls made this round. */
  calls: number;
}

export class JobTracker {
  private readonly schedule: PollSchedule;
  private readonly timers: Timers;
  private readonly limiter: Limiter;
  private readonly logger: Logger;
  private readonly roundLimit: number;
  private readonly idleMs: number;
  private readonly instanceId: string;
  private readonly progress: RequestProgress;
  private readonly finisher: RequestFinisher;
  /** Jobs seen finished-but-not-visible once; a restart just grants them one more look. */
  private readonly rechecked = new Set<number>();
  /** Jobs of the rounds in progress: the next round does not take them again. */
  private readonly taken = new Set<number>();
  private timer: unknown = null;
  private running = false;
  private inRound: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: JobTrackerDeps) {
    this.schedule = { ...DEFAULT_POLL_SCHEDULE, ...deps.schedule };
    this.timers = deps.timers ?? globalTimers;
    this.limiter = new Limiter(deps.concurrency ?? 5);
    this.logger = deps.logger.child({ component: 'jobs' });
    this.roundLimit = deps.roundLimit ?? this.limiter.max * MAX_RECORDS_PER_CALL;
    this.idleMs = deps.idleMs ?? LEASE_RENEW_MS;
    this.instanceId = deps.instanceId ?? REPLICA_ID;
    this.progress = new RequestProgress(deps.notifier, this.logger);
    this.finisher = new RequestFinisher(deps);
  }

  /** Starts the timer-driven loop (first round at once). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.sleep(0);
  }

  /** Stops the loop; resolves when a round in progress has been stored. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.inRound;
    await this.deps.store.releaseLease(LEASE, this.instanceId).catch(() => {});
  }

  /** Resolves when no round is in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inRound) await this.inRound;
  }

  /** New jobs were stored: re-plan the next wake-up instead of sleeping through their first poll. */
  nudge(): void {
    if (!this.running) return;
    if (this.inRound) {
      this.again = true;
      return;
    }
    this.sleep(0);
  }

  /** One round over the jobs due now. */
  async pollOnce(): Promise<PollRoundResult> {
    return (await this.startRound()).done;
  }

  /**
   * Takes the due jobs not already in a round and starts their calls. Resolves once every call
   * of the round holds one of the tracker's slots, with the round's result to come: the loop
   * then takes the next round, whose calls go out while this one's verdicts are stored (a
   * 10,000-job bulk is 20 rounds; one after the other, the slots sat idle while each stored).
   */
  private async startRound(): Promise<{ jobs: number; done: Promise<PollRoundResult> }> {
    const now = this.deps.clock.now();
    const due = await this.deps.store.listDueJobs(now, this.roundLimit, [...this.taken]);
    const result: PollRoundResult = {
      jobs: due.length,
      done: 0,
      failed: 0,
      unconfirmed: 0,
      waiting: 0,
      calls: 0,
    };
    if (due.length === 0) return { jobs: 0, done: Promise.resolve(result) };
    for (const job of due) this.taken.add(job.id);
    let allStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      allStarted = resolve;
    });
    const done = this.runRound(due, now, result, allStarted).finally(() => {
      for (const job of due) this.taken.delete(job.id);
      allStarted();
    });
    await Promise.race([started, done.catch(() => {})]);
    return { jobs: due.length, done };
  }

  private async runRound(
    due: readonly JobRecord[],
    now: number,
    result: PollRoundResult,
    allStarted: () => void,
  ): Promise<PollRoundResult> {
    const byModule = new Map<ZohoModule, JobRecord[]>();
    for (const job of due) {
      const list = byModule.get(job.module);
      if (list) list.push(job);
      else byModule.set(job.module, [job]);
    }
    const touched = new Set<string>();
    const work: Array<{ module: ZohoModule; jobs: JobRecord[] }> = [];
    for (const [module, jobs] of byModule) {
      // First looks and later ones go in separate calls: they ask Zoho in a different order.
      for (const group of [jobs.filter(isFirstLook), jobs.filter((j) => !isFirstLook(j))]) {
        // Chunk by distinct record so one call never carries more than 100 ids.
        const byRecord = new Map<string, JobRecord[]>();
        for (const j of group) byRecord.set(j.recordId, [...(byRecord.get(j.recordId) ?? []), j]);
        for (const part of chunk([...byRecord.values()], MAX_RECORDS_PER_CALL))
          work.push({ module, jobs: part.flat() });
      }
    }
    const waiting = await this.requestsSomeoneWaitsOn(due);
    let unstarted = work.length;
    await Promise.all(
      work.map(async ({ module, jobs }) => {
        const lane = pollLane(jobs, waiting);
        // The slot is held for the calls only; the verdicts are stored after it is given back.
        const verdicts = await this.limiter.run(() => {
          unstarted -= 1;
          if (unstarted === 0) allStarted();
          return this.look(module, jobs, now, result, lane);
        }, lane);
        await this.apply(verdicts, now, result, touched);
      }),
    );
    for (const requestId of touched) await this.afterSettled(requestId);
    this.logger.debug(result, 'job poll round');
    return result;
  }

  /** Requests small enough that someone waits on them in Slack (the engine's rule, one call). */
  private async requestsSomeoneWaitsOn(jobs: readonly JobRecord[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const requestId of new Set(jobs.map((j) => j.requestId))) {
      const request = await this.deps.store.getRequest(requestId);
      if (request && request.itemCount <= MAX_RECORDS_PER_CALL) out.add(requestId);
    }
    return out;
  }

  /** Asks Zoho about one chunk of jobs (one or two calls) and judges each job. */
  private async look(
    module: ZohoModule,
    jobs: JobRecord[],
    now: number,
    result: PollRoundResult,
    lane: Lane,
  ): Promise<Array<{ job: JobRecord; verdict: JobVerdict }>> {
    const ids = [...new Set(jobs.map((j) => j.recordId))];
    const verdicts: Array<{ job: JobRecord; verdict: JobVerdict }> = [];
    try {
      const count = () => {
        result.calls += 1;
      };
      const api = apiInLane(this.deps.api, lane);
      const { busy, records } = jobs.every(isFirstLook)
        ? await recordsFirst(api, module, jobs, ids, count)
        : await pendingFirst(api, module, ids, count);
      for (const job of jobs) {
        const pending = busy.has(job.recordId);
        const record = pending ? undefined : (records.get(job.recordId) ?? null);
        const seen = { pending, record, rechecked: this.rechecked.has(job.id) };
        verdicts.push({ job, verdict: judgeJob(job, seen, now, this.schedule) });
      }
    } catch (err) {
      this.logger.warn({ err, module, records: ids.length }, 'job status check failed; polling again later');
      for (const job of jobs) {
        const verdict: JobVerdict =
          now >= job.deadlineAt
            ? { kind: 'unconfirmed', code: JobCodes.timeout, message: timeoutMessage(job) }
            : { kind: 'wait', nextPollAt: nextPollAt(now, job.createdAt, job.deadlineAt, this.schedule) };
        verdicts.push({ job, verdict });
      }
    }
    return verdicts;
  }

  /**
   * Stores the jobs' verdicts and moves their items on (one read of where the items stand per
   * request, not per job).
   */
  private async apply(
    verdicts: ReadonlyArray<{ job: JobRecord; verdict: JobVerdict }>,
    now: number,
    result: PollRoundResult,
    touched: Set<string>,
  ): Promise<void> {
    const { store } = this.deps;
    const settled = new Map<
      string,
      Array<{ job: JobRecord; verdict: Exclude<JobVerdict, { kind: 'wait' }> }>
    >();
    const waits: Array<{ id: number; patch: JobPatch }> = [];
    for (const { job, verdict } of verdicts) {
      if (verdict.kind === 'wait') {
        if (verdict.recheck) this.rechecked.add(job.id);
        waits.push({ id: job.id, patch: { polls: job.polls + 1, nextPollAt: verdict.nextPollAt } });
        result.waiting += 1;
        continue;
      }
      this.rechecked.delete(job.id);
      result[verdict.kind] += 1;
      const list = settled.get(job.requestId);
      if (list) list.push({ job, verdict });
      else settled.set(job.requestId, [{ job, verdict }]);
    }
    await store.updateJobsEach(waits, now);
    for (const [requestId, list] of settled) {
      const items = await store.listItemStandings(
        requestId,
        list.map(({ job }) => job.seq),
        ITEM_STATES_WAITING_ON_JOB,
      );
      const bySeq = new Map(items.map((it) => [it.seq, it]));
      const patches: ItemPatchEntry[] = [];
      for (const { job, verdict } of list) {
        const item = bySeq.get(job.seq);
        // Only the item waiting on this very job moves: a late answer never overwrites a newer state.
        if (!item || (item.jobId !== null && item.jobId !== job.jobId)) continue;
        const phaseOne = job.operation === 'remove' && item.action === 'move';
        if (phaseOne && item.state !== 'removing') continue;
        patches.push({ seq: job.seq, patch: itemPatch(job, verdict, phaseOne), expectState: [item.state] });
      }
      // Items and their jobs commit together: an item never waits on a closed job.
      const closed = list.map(({ job, verdict }) => ({
        id: job.id,
        patch: {
          state: jobLifecycle.to(job.state, JOB_EVENT_OF_VERDICT[verdict.kind]),
          polls: job.polls + 1,
        },
      }));
      if ((await store.settleJobs(requestId, patches, closed, now)) > 0) touched.add(requestId);
      for (const { job, verdict } of list) this.deps.observer?.jobSettled(verdict.kind, now - job.createdAt);
    }
  }

  private async afterSettled(requestId: string): Promise<void> {
    await this.progress.updated(requestId);
    const failed = (err: unknown) =>
      this.logger.error({ err, requestId }, 'moving the request on after job results failed');
    if (this.deps.onItemsSettled) {
      // Not awaited: the engine may be busy sending the rest of a large bulk, and confirming
      // jobs must not wait for that.
      this.deps.onItemsSettled(requestId).catch(failed);
      return;
    }
    await this.finisher.finishIfComplete(requestId).catch(failed);
  }

  private sleep(ms: number): void {
    if (!this.running) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.inRound = this.tick().finally(() => {
        this.inRound = null;
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    let delay = this.idleMs;
    // Rounds whose verdicts are still being stored: at most two at once (two rounds of jobs held).
    const inFlight: Array<Promise<PollRoundResult>> = [];
    try {
      // Three idle periods: a live holder always renews in time; a dead one frees it soon.
      const ttl = 3 * this.idleMs;
      let held = true;
      do {
        held = await this.deps.store.acquireLease(LEASE, this.instanceId, ttl, this.deps.clock.now());
        if (!held) break;
        this.again = false;
        const round = await this.startRound();
        // Its failure is thrown where it is awaited below, not reported as unhandled.
        round.done.catch(() => {});
        inFlight.push(round.done);
        if (inFlight.length > 1) await inFlight.shift();
        // A full round means more may be due right away.
        if (round.jobs >= this.roundLimit) this.again = true;
      } while (this.again && this.running);
      while (inFlight.length > 0) await inFlight.shift();
      if (held) {
        const next = await this.deps.store.nextJobPollAt();
        if (next !== null) delay = Math.min(this.idleMs, Math.max(0, next - this.deps.clock.now()));
      }
    } catch (err) {
      this.logger.error({ err }, 'job poll round failed');
      delay = this.schedule.firstDelayMs;
      await Promise.allSettled(inFlight);
    }
    this.sleep(delay);
  }
}

/**
 * The lane of one poll call (limiter.ts): a call that confirms someone's one-record change goes
 * with people's calls; polls for bulks go after the bulks' sends, which they would otherwise
 * slow (issue 13: 2.4–2.6× the whole-waves bound with polls behind, 2.8–3.3× in turn).
 */
export function pollLane(jobs: readonly JobRecord[], someoneWaits: ReadonlySet<string>): Lane {
  return jobs.some((j) => someoneWaits.has(j.requestId)) ? 'interactive' : 'background';
}
