/**
 * Posts the outbox (src/core/outbox.ts) to Slack. One replica at a time holds the `outbox`
 * lease and posts; the others poll and take over when it lapses. Rows live in the store, so a
 * restart resumes where the last process stopped. Per request, notices go out in the order they
 * were written; a notice that fails waits (Retry-After for rate limits, else exponential backoff
 * with jitter, capped) and holds back the later notices of its request only. Slack's faults
 * delay a notice, never drop it; only a refusal no fallback can get round (e.g. invalid blocks)
 * marks it failed, with the reason, and lets the request's next notice through.
 */
import type { Clock } from '../core/clock.js';
import { globalTimers, type Timers } from '../core/jobs/timers.js';
import type { Logger } from '../core/log.js';
import type { NoticeRecord } from '../core/outbox.js';
import { LEASE_RENEW_MS, LEASE_TTL_MS, LeaseRenewal, REPLICA_ID } from '../core/replica.js';
import type { MessageRef, Store } from '../core/store/types.js';
import { classifySlackFailure } from './slack-failure.js';

export const OUTBOX_LEASE = 'outbox';

export interface OutboxWorkerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Posts one notice (throws when Slack fails). */
  deliver: (notice: NoticeRecord) => Promise<MessageRef | null>;
  holder?: string;
  timers?: Timers;
  /** How often to look for notices written by other replicas (default LEASE_RENEW_MS). */
  pollMs?: number;
  /** Backoff after the first failure, doubled per attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Least time between two edits of one parent message (chat.update is Tier 3). */
  progressIntervalMs?: number;
  /** 0..1; default Math.random (tests pass a constant). */
  random?: () => number;
}

/** Notices posted per look at the store. */
const BATCH = 50;

export class OutboxWorker {
  private readonly holder: string;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private stopping = false;
  /** The outbox lease: a bulk's progress wakes the worker once per batch, renewed once a second. */
  private readonly lease: LeaseRenewal;
  /** When each request's parent was last edited, for progressIntervalMs (bounded by pruning). */
  private readonly lastEdit = new Map<string, number>();

  constructor(private readonly options: OutboxWorkerOptions) {
    this.holder = options.holder ?? REPLICA_ID;
    this.timers = options.timers ?? globalTimers;
    this.logger = options.logger.child({ component: 'outbox' });
    this.lease = new LeaseRenewal(
      (now) => options.store.acquireLease(OUTBOX_LEASE, this.holder, LEASE_TTL_MS, now),
      () => options.clock.now(),
    );
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.wake();
  }

  /** Look at the outbox now (a notice was just written in this process). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.clearTimer();
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Stops after the notice in progress; unposted notices stay in the store for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    this.clearTimer();
    await this.running;
    this.lease.forget();
    await this.options.store
      .releaseLease(OUTBOX_LEASE, this.holder)
      .catch((err: unknown) => this.logger.warn({ err }, 'releasing the outbox lease failed'));
  }

  /**
   * One pass: while this replica holds the lease, posts every due notice. Returns how many were
   * handled (posted, retried later, or failed). Tests call it directly.
   */
  async drain(): Promise<number> {
    const { store, clock } = this.options;
    let handled = 0;
    const lease = () => this.lease.held();
    for (;;) {
      if (!(await lease())) return handled;
      const due = await store.listDueNotices(clock.now(), BATCH);
      if (due.length === 0) return handled;
      for (const notice of due) {
        // Renewed before each notice: a long batch must not outlive the lease, or another
        // replica could take the same notice (each post is bounded well under LEASE_TTL_MS).
        if (this.stopping || !(await lease())) return handled;
        await this.handle(notice);
        handled += 1;
      }
    }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.drain();
      } catch (err) {
        // The store itself failed: try again on the next poll.
        this.logger.error({ err }, 'outbox pass failed');
      }
    } while (this.again && !this.stopped);
    if (!this.stopped) await this.schedule();
  }

  private async schedule(): Promise<void> {
    const now = this.options.clock.now();
    const poll = this.options.pollMs ?? LEASE_RENEW_MS;
    let next = now + poll;
    try {
      const due = await this.options.store.nextNoticeAt();
      if (due !== null) next = Math.min(next, due);
    } catch (err) {
      this.logger.warn({ err }, 'reading the next outbox time failed');
    }
    if (this.stopped) return;
    this.clearTimer();
    this.timer = this.timers.setTimeout(() => this.wake(), Math.max(10, next - now));
  }

  private async handle(notice: NoticeRecord): Promise<void> {
    const { store, clock } = this.options;
    const now = clock.now();
    if (notice.kind === 'progress') {
      const interval = this.options.progressIntervalMs ?? 1_000;
      const last = this.lastEdit.get(notice.requestId);
      if (last !== undefined && now - last < interval) {
        // Later progress notices of this request coalesce into this one meanwhile.
        await store.updateNotice(notice.id, { notBefore: last + interval }, now);
        return;
      }
    }
    // Counted before the attempt: a progress notice in flight no longer takes in newer states
    // (core then writes a new one), and a crash mid-attempt shows in the row.
    const attempts = notice.attempts + 1;
    await store.updateNotice(notice.id, { attempts }, now);
    notice.attempts = attempts;
    try {
      const ref = await this.options.deliver(notice);
      await store.updateNotice(
        notice.id,
        { state: 'sent', channel: ref?.channel ?? null, ts: ref?.ts ?? null, lastError: null },
        clock.now(),
      );
      if (notice.kind === 'progress' || notice.kind === 'final' || notice.kind === 'parent')
        this.noteEdit(notice.requestId, clock.now());
    } catch (err) {
      const failure = classifySlackFailure(err);
      const at = clock.now();
      if (!failure.transient) {
        this.logger.error(
          { err, requestId: notice.requestId, key: notice.key, code: failure.code },
          'Slack refused a notice; giving up on it',
        );
        await store.updateNotice(notice.id, { state: 'failed', lastError: failure.code }, at);
        return;
      }
      // Never at once: a `Retry-After: 0` must not turn the pass into a busy loop.
      const wait = Math.max(250, failure.retryAfterMs ?? this.backoff(attempts));
      this.logger.warn(
        { requestId: notice.requestId, key: notice.key, code: failure.code, attempts, retryInMs: wait },
        'posting a notice failed; will retry',
      );
      await store.updateNotice(notice.id, { notBefore: at + wait, lastError: failure.code }, at);
    }
  }

  private backoff(attempts: number): number {
    const base = this.options.baseBackoffMs ?? 1_000;
    const max = this.options.maxBackoffMs ?? 5 * 60_000;
    const exp = Math.min(max, base * 2 ** Math.min(20, attempts - 1));
    // Full jitter on the upper half: replicas and requests do not retry in lockstep.
    const random = this.options.random ?? Math.random;
    return Math.round(exp / 2 + (exp / 2) * random());
  }

  private noteEdit(requestId: string, at: number): void {
    this.lastEdit.delete(requestId);
    this.lastEdit.set(requestId, at);
    const interval = this.options.progressIntervalMs ?? 1_000;
    // Insertion order is time order: drop entries that no longer hold anything back.
    for (const [id, t] of this.lastEdit) {
      if (at - t < interval) break;
      this.lastEdit.delete(id);
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
