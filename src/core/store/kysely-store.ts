/**
 * The `Store` on Kysely. Every query is written once and runs on both SQLite and PostgreSQL:
 * conditional transitions are single `UPDATE ... WHERE state IN (...) RETURNING`, upserts are
 * `INSERT ... ON CONFLICT`, both supported by SQLite >= 3.35 and PostgreSQL. The queries live
 * in one module per group of tables; this class holds the connection and the default clock.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { NoticeKind, NoticePatch, NoticeRecord } from '../outbox.js';
import type { ZohoModule } from '../zoho/types.js';
import * as alerts from './alert-queries.js';
import * as audit from './audit-queries.js';
import * as bookkeeping from './bookkeeping-queries.js';
import * as home from './home-queries.js';
import { InboundClaims } from './inbound-claims.js';
import * as items from './item-queries.js';
import * as itemWrites from './item-writes.js';
import * as jobs from './job-queries.js';
import * as jobWrites from './job-writes.js';
import * as outbox from './outbox-store.js';
import * as requests from './request-queries.js';
import type { Database, DialectName } from './schema.js';
import type {
  AlertRecord,
  AlertState,
  AuditEntry,
  AuditTrailQuery,
  AuditTrailRow,
  ItemListQuery,
  ItemPatch,
  ItemPatchEntry,
  ItemStanding,
  ItemState,
  JobPatch,
  JobRecord,
  MessageRef,
  MonitorRun,
  NewJob,
  NewRequest,
  NewRequestItem,
  PruneCounts,
  RequestItemRecord,
  RequestRecord,
  RequestState,
  Store,
  WorkItemsQuery,
} from './types.js';

/** Old inbound keys are dropped at most this often (they are ignored once past keepMs anyway). */
const INBOUND_PRUNE_EVERY_MS = 60_000;

export interface KyselyStoreOptions {
  /** Supplies `now` when a caller leaves it out. */
  clock: Clock;
  /**
   * Serializes this process's transactions on one SQLite file (dialects.ts); the outbox made
   * transitions transactions, which two stores of one process (tests) would otherwise deadlock.
   */
  transactionTurn?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export class KyselyStore implements Store {
  private readonly clock: Clock;
  private readonly turn: <T>(fn: () => Promise<T>) => Promise<T>;
  /** When this process last dropped old inbound keys (claimInbound). */
  private inboundPrunedAt = Number.NEGATIVE_INFINITY;
  /** One statement for the claims of one turn of the event loop (inbound-claims.ts). */
  private readonly inboundClaims = new InboundClaims((claims, keepMs) => {
    // Old keys are dropped once a minute, not on every delivery.
    const now = claims[0]?.now ?? 0;
    const prune = now - this.inboundPrunedAt >= INBOUND_PRUNE_EVERY_MS;
    if (prune) this.inboundPrunedAt = now;
    return outbox.claimInbound(this.db, claims, keepMs, prune);
  });
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    options: KyselyStoreOptions,
  ) {
    this.clock = options.clock;
    this.turn = options.transactionTurn ?? ((fn) => fn());
  }

  /** The underlying Kysely instance, for migrations tooling and tests. */
  get kysely(): Kysely<Database> {
    return this.db;
  }

  // --- requests and items (request-queries.ts, item-queries.ts, item-writes.ts) ----------

  createRequest(
    request: NewRequest,
    list: readonly NewRequestItem[],
    notices: readonly NoticeKind[] = [],
  ): Promise<RequestRecord> {
    return this.turn(() => requests.createRequest(this.db, this.dialect, request, list, notices));
  }

  getRequest(id: string): Promise<RequestRecord | null> {
    return requests.getRequest(this.db, id);
  }

  transitionRequest(
    id: string,
    from: readonly RequestState[],
    to: RequestState,
    patch: requests.RequestPatch = {},
    now: number = this.clock.now(),
    notices: readonly NoticeKind[] = [],
  ): Promise<RequestRecord | null> {
    if (notices.length === 0) return requests.transitionRequest(this.db, id, from, to, patch, now);
    return this.turn(() => requests.transitionRequest(this.db, id, from, to, patch, now, notices));
  }

  updateRequestSummary(
    id: string,
    summary: Record<string, unknown>,
    now: number = this.clock.now(),
  ): Promise<void> {
    return requests.updateRequestSummary(this.db, id, summary, now);
  }

  listRequestsByRequester(requesterId: string, limit: number): Promise<RequestRecord[]> {
    return requests.listRequestsByRequester(this.db, requesterId, limit);
  }

  listRequestsByState(states: readonly RequestState[], limit: number): Promise<RequestRecord[]> {
    return requests.listRequestsByState(this.db, states, limit);
  }

  countDirectItemsSince(
    requesterId: string,
    since: number,
    states: readonly RequestState[],
  ): Promise<number> {
    return requests.countDirectItemsSince(this.db, requesterId, since, states);
  }

  listExpiredPending(now: number): Promise<RequestRecord[]> {
    return requests.listExpiredPending(this.db, now);
  }

  listItems(requestId: string, options: ItemListQuery = {}): Promise<RequestItemRecord[]> {
    return items.listItems(this.db, requestId, options);
  }

  listItemStandings(
    requestId: string,
    seqs: readonly number[],
    states: readonly ItemState[],
  ): Promise<ItemStanding[]> {
    return items.listItemStandings(this.db, requestId, seqs, states);
  }

  listWorkItems(requestId: string, query: WorkItemsQuery): Promise<RequestItemRecord[]> {
    return items.listWorkItems(this.db, requestId, query);
  }

  earliestNotBefore(requestId: string, state: ItemState): Promise<number | null> {
    return items.earliestNotBefore(this.db, requestId, state);
  }

  getItem(requestId: string, seq: number): Promise<RequestItemRecord | null> {
    return items.getItem(this.db, requestId, seq);
  }

  latestItemForRecord(
    module: ZohoModule,
    recordId: string,
  ): Promise<{ item: RequestItemRecord; request: RequestRecord } | null> {
    return items.latestItemForRecord(this.db, module, recordId);
  }

  updateItem(
    requestId: string,
    seq: number,
    patch: ItemPatch,
    expectState?: readonly ItemState[],
    now: number = this.clock.now(),
  ): Promise<boolean> {
    return itemWrites.updateItem(this.db, requestId, seq, patch, expectState, now);
  }

  updateItems(
    requestId: string,
    seqs: readonly number[],
    patch: ItemPatch,
    now: number = this.clock.now(),
  ): Promise<void> {
    return itemWrites.updateItems(this.db, requestId, seqs, patch, now);
  }

  updateItemsEach(
    requestId: string,
    entries: readonly ItemPatchEntry[],
    now: number = this.clock.now(),
  ): Promise<number> {
    return itemWrites.updateItemsEach(this.db, this.dialect, requestId, entries, now);
  }

  countItemsByState(requestId: string): Promise<Partial<Record<ItemState, number>>> {
    return items.countItemsByState(this.db, requestId);
  }

  // --- jobs (job-queries.ts, job-writes.ts) -----------------------------------------------

  scheduleItems(
    requestId: string,
    list: readonly NewJob[],
    entries: readonly ItemPatchEntry[],
    now: number = this.clock.now(),
  ): Promise<number> {
    return jobWrites.scheduleItems(this.db, this.dialect, requestId, list, entries, now);
  }

  settleJobs(
    requestId: string,
    entries: readonly ItemPatchEntry[],
    closed: ReadonlyArray<{ id: number; patch: JobPatch }>,
    now: number = this.clock.now(),
  ): Promise<number> {
    return jobWrites.settleJobs(this.db, this.dialect, requestId, entries, closed, now);
  }

  listDueJobs(now: number, limit: number, exclude?: readonly number[]): Promise<JobRecord[]> {
    return jobs.listDueJobs(this.db, now, limit, exclude);
  }

  listJobs(requestId: string, seqs?: readonly number[]): Promise<JobRecord[]> {
    return jobs.listJobs(this.db, requestId, seqs);
  }

  updateJob(id: number, patch: JobPatch, now: number = this.clock.now()): Promise<void> {
    return jobs.updateJob(this.db, id, patch, now);
  }

  updateJobsEach(
    entries: ReadonlyArray<{ id: number; patch: JobPatch }>,
    now: number = this.clock.now(),
  ): Promise<void> {
    return jobs.updateJobsEach(this.db, entries, now);
  }

  nextJobPollAt(): Promise<number | null> {
    return jobs.nextJobPollAt(this.db);
  }

  // --- alerts and monitor runs (alert-queries.ts) -----------------------------------------

  getAlert(fingerprint: string): Promise<AlertRecord | null> {
    return alerts.getAlert(this.db, fingerprint);
  }

  listAlerts(options: { states?: readonly AlertState[] } = {}): Promise<AlertRecord[]> {
    return alerts.listAlerts(this.db, options);
  }

  upsertAlert(alert: AlertRecord): Promise<void> {
    return alerts.upsertAlert(this.db, alert);
  }

  setAlertSnooze(
    fingerprint: string,
    snoozedUntil: number | null,
    snoozedBy: string | null,
    at: number,
  ): Promise<AlertRecord | null> {
    return alerts.setAlertSnooze(this.db, fingerprint, snoozedUntil, snoozedBy, at);
  }

  recordMonitorRun(run: Omit<MonitorRun, 'id'>): Promise<void> {
    return alerts.recordMonitorRun(this.db, run);
  }

  lastMonitorRun(): Promise<MonitorRun | null> {
    return alerts.lastMonitorRun(this.db);
  }

  // --- outbox and inbound dedupe (outbox-store.ts) -----------------------------------------

  async enqueueNotices(
    requestId: string,
    kinds: readonly NoticeKind[],
    now: number = this.clock.now(),
  ): Promise<void> {
    if (kinds.length === 0) return;
    if (kinds.length === 1) return outbox.insertNotices(this.db, requestId, kinds, now);
    await this.turn(() =>
      this.db.transaction().execute((trx) => outbox.insertNotices(trx, requestId, kinds, now)),
    );
  }

  listDueNotices(now: number, limit: number): Promise<NoticeRecord[]> {
    return outbox.listDueNotices(this.db, now, limit);
  }

  countPendingNotices(): Promise<number> {
    return outbox.countPendingNotices(this.db);
  }

  nextNoticeAt(): Promise<number | null> {
    return outbox.nextNoticeAt(this.db);
  }

  listNotices(requestId: string): Promise<NoticeRecord[]> {
    return outbox.listNotices(this.db, requestId);
  }

  updateNotice(id: number, patch: NoticePatch, now: number = this.clock.now()): Promise<void> {
    return outbox.updateNotice(this.db, id, patch, now);
  }

  claimInbound(key: string, now: number, keepMs: number): Promise<boolean> {
    return this.inboundClaims.claim(key, now, keepMs);
  }

  // --- audit, message refs, leases, settings (bookkeeping-queries.ts) ---------------------

  appendAudit(entry: AuditEntry): Promise<void> {
    return bookkeeping.appendAudit(this.db, entry);
  }

  listAudit(
    options: { requestId?: string; action?: string; limit?: number; order?: 'asc' | 'desc' } = {},
  ): Promise<AuditEntry[]> {
    return bookkeeping.listAudit(this.db, options);
  }

  // --- audit export, retention, /metrics counts (audit-queries.ts) -------------------------

  listAuditTrail(query: AuditTrailQuery): Promise<AuditTrailRow[]> {
    return audit.listAuditTrail(this.db, query);
  }

  pruneBefore(cutoff: number): Promise<PruneCounts> {
    return audit.pruneBefore(this.db, cutoff);
  }

  countRequestsByState(): Promise<Partial<Record<RequestState, number>>> {
    return audit.countRequestsByState(this.db);
  }

  countAlerts(state: AlertState): Promise<number> {
    return audit.countAlerts(this.db, state);
  }

  lastMonitorSuccessAt(): Promise<number | null> {
    return audit.lastMonitorSuccessAt(this.db);
  }

  saveMessageRef(key: string, ref: MessageRef): Promise<void> {
    return bookkeeping.saveMessageRef(this.db, key, ref);
  }

  getMessageRef(key: string): Promise<MessageRef | null> {
    return bookkeeping.getMessageRef(this.db, key);
  }

  listMessageRefs(prefix: string): Promise<Array<MessageRef & { key: string }>> {
    return bookkeeping.listMessageRefs(this.db, prefix);
  }

  recordHomeOpened(userId: string, at: number): Promise<void> {
    return home.recordHomeOpened(this.db, userId, at);
  }

  listHomeOpeners(userIds?: readonly string[]): Promise<Array<{ userId: string; openedAt: number }>> {
    return home.listHomeOpeners(this.db, userIds);
  }

  acquireLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    return bookkeeping.acquireLease(this.db, name, holder, ttlMs, now);
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return bookkeeping.releaseLease(this.db, name, holder);
  }

  getSetting(key: string): Promise<string | null> {
    return bookkeeping.getSetting(this.db, key);
  }

  setSetting(key: string, value: string): Promise<void> {
    return bookkeeping.setSetting(this.db, key, value);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }
}
