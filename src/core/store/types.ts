/**
 * The persistence contract. `openStore(url)` (src/core/store/index.ts) returns a `Store`
 * backed by Kysely on SQLite (default) or PostgreSQL. Core code depends on this interface;
 * no SQL lives outside src/core/store. Times are epoch milliseconds.
 */

import type { AlertKind, Severity } from '../monitor/alert-kinds.js';
import type { NoticeKind, NoticePatch, NoticeRecord } from '../outbox.js';
import type { ZohoModule } from '../zoho/types.js';
import type { AuditEntry, AuditTrailQuery, AuditTrailRow } from './audit-types.js';

import type {
  ItemListQuery,
  ItemPatch,
  ItemPatchEntry,
  ItemStanding,
  ItemState,
  NewRequestItem,
  RequestItemRecord,
  WorkItemsQuery,
} from './item-types.js';

// The audit and item record types live in their own files; callers keep importing them from here.
export type { AuditEntry, AuditTrailQuery, AuditTrailRow } from './audit-types.js';
export type * from './item-types.js';

export type RequestKind = 'assign' | 'remove' | 'move' | 'bulk';

/** Request states; the transitions are the table in src/core/approvals/request-lifecycle.ts. */
export type RequestState =
  /** A single change stored as asked, before its first Zoho read (issue 11 item 4). */
  | 'checking'
  /** Zoho was down or throttling when it was checked: read again later, up to a ceiling. */
  | 'waiting_for_zoho'
  /** The checks refused it (unknown record, Zoho's limits…); the requester was told at once. */
  | 'refused'
  | 'draft'
  | 'pending_approval'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'running'
  | 'done'
  | 'failed';

export interface RequestRecord {
  id: string;
  kind: RequestKind;
  state: RequestState;
  /** Slack user id of the person who asked. */
  requesterId: string;
  /** Slack channel where it was asked (null when asked from a DM-less surface). */
  originChannelId: string | null;
  reason: string | null;
  /** Number of items (records) in the request. */
  itemCount: number;
  /** Free-form JSON the app keeps with the request (preview summary, warnings, default territory...). */
  summary: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  /** When a pending approval expires. */
  expiresAt: number | null;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionComment: string | null;
}

export type NewRequest = Omit<RequestRecord, 'updatedAt' | 'decidedBy' | 'decidedAt' | 'decisionComment'>;

/** Job states; the transitions are the table in src/core/jobs/job-lifecycle.ts. */
export type JobState = 'pending' | 'done' | 'failed' | 'unconfirmed';

/** A Zoho background job for one record, tracked until confirmed by reading the record. */
export interface JobRecord {
  id: number;
  requestId: string;
  seq: number;
  module: ZohoModule;
  recordId: string;
  /** Zoho's job id (from the SCHEDULED answer). */
  jobId: string;
  operation: 'assign' | 'remove';
  /** Territory ids that must be on the record once the job is done. */
  expectPresent: string[];
  /** Territory ids that must be gone from the record once the job is done. */
  expectAbsent: string[];
  state: JobState;
  polls: number;
  createdAt: number;
  nextPollAt: number;
  /** After this the job is marked unconfirmed. */
  deadlineAt: number;
  updatedAt: number;
}

export type JobPatch = Partial<Pick<JobRecord, 'state' | 'polls' | 'nextPollAt'>>;

export type NewJob = Omit<JobRecord, 'id' | 'state' | 'polls' | 'updatedAt'>;

/** Alert states; the transitions are the table in src/core/monitor/alert-lifecycle.ts. */
export type AlertState = 'firing' | 'resolved';

export interface AlertRecord {
  /** Stable identity of the condition, e.g. `territory_deleted:3652397000000123456`. */
  fingerprint: string;
  kind: AlertKind;
  /** Territory id, or null for org-wide / API-user-wide alerts. */
  territoryId: string | null;
  state: AlertState;
  severity: Severity;
  title: string;
  /** What the message shows (cause, fix steps, held-back alerts...), as JSON. */
  details: Record<string, unknown>;
  /** Hash of what was last posted: a change means the message is edited. */
  contentHash: string;
  /** Fingerprint of the alert that holds this one back, if any. */
  inhibitedBy: string | null;
  startsAt: number;
  updatedAt: number;
  lastNotifiedAt: number | null;
  resolvedAt: number | null;
  snoozedUntil: number | null;
  snoozedBy: string | null;
  channel: string | null;
  ts: string | null;
}

/** What one retention prune deleted. */
export interface PruneCounts {
  auditRows: number;
  resolvedAlerts: number;
  drafts: number;
}

export interface MessageRef {
  channel: string;
  ts: string;
}

export interface MonitorRun {
  id: number;
  startedAt: number;
  finishedAt: number;
  ok: boolean;
  /** Short outcome, e.g. "12 territories checked, 1 alert firing". */
  outcome: string;
  details: Record<string, unknown>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  // --- requests and items -------------------------------------------------------------
  /**
   * Writes the request and all its items in one transaction (before any Zoho call), with the
   * outbox notices that report it (e.g. its parent message).
   */
  createRequest(
    request: NewRequest,
    items: readonly NewRequestItem[],
    notices?: readonly NoticeKind[],
  ): Promise<RequestRecord>;
  getRequest(id: string): Promise<RequestRecord | null>;
  /**
   * Atomic conditional transition: moves the request to `to` only if its state is one of
   * `from`. Returns the updated request when this call won, null otherwise (someone else did).
   * `notices` are written to the outbox in the same transaction, only when this call won.
   */
  transitionRequest(
    id: string,
    from: readonly RequestState[],
    to: RequestState,
    patch?: Partial<
      Pick<RequestRecord, 'decidedBy' | 'decidedAt' | 'decisionComment' | 'summary' | 'expiresAt'>
    >,
    now?: number,
    notices?: readonly NoticeKind[],
  ): Promise<RequestRecord | null>;
  updateRequestSummary(id: string, summary: Record<string, unknown>, now?: number): Promise<void>;
  listRequestsByRequester(requesterId: string, limit: number): Promise<RequestRecord[]>;
  listRequestsByState(states: readonly RequestState[], limit: number): Promise<RequestRecord[]>;
  /** Pending approvals whose expiresAt is at or before `now`. */
  listExpiredPending(now: number): Promise<RequestRecord[]>;
  /**
   * Records a person changed without approval since `since` (MAX_DIRECT_CHANGES_PER_HOUR): the
   * items with territories to send of `requesterId`'s requests created at or after `since`
   * that went ahead undecided (decidedBy null) and are in one of `states`. Items the preview
   * set aside (skipped, or blocked with nothing to send) do not count.
   */
  countDirectItemsSince(requesterId: string, since: number, states: readonly RequestState[]): Promise<number>;

  listItems(requestId: string, options?: ItemListQuery): Promise<RequestItemRecord[]>;
  /**
   * Where these items stand, those of them in one of `states`: four columns, not the rows (the
   * job tracker reads this for every hundred jobs it confirms).
   */
  listItemStandings(
    requestId: string,
    seqs: readonly number[],
    states: readonly ItemState[],
  ): Promise<ItemStanding[]>;
  /** A page of the items the engine may act on now (see WorkItemsQuery). */
  listWorkItems(requestId: string, query: WorkItemsQuery): Promise<RequestItemRecord[]>;
  /** The earliest `notBefore` among the request's items in `state` (e.g. retry), or null. */
  earliestNotBefore(requestId: string, state: ItemState): Promise<number | null>;
  getItem(requestId: string, seq: number): Promise<RequestItemRecord | null>;
  /** Updates one item; with `expectState`, only if it is still in one of those states (returns whether it did). */
  updateItem(
    requestId: string,
    seq: number,
    patch: ItemPatch,
    expectState?: readonly ItemState[],
    now?: number,
  ): Promise<boolean>;
  /** Same patch on many items in one transaction. */
  updateItems(requestId: string, seqs: readonly number[], patch: ItemPatch, now?: number): Promise<void>;
  /**
   * A patch per item, all in one transaction; each entry keeps its own `expectState` guard,
   * exactly as `updateItem` (entries apply in order). Returns how many rows changed.
   */
  updateItemsEach(requestId: string, entries: readonly ItemPatchEntry[], now?: number): Promise<number>;
  countItemsByState(requestId: string): Promise<Partial<Record<ItemState, number>>>;
  /** The most recently updated item for a record, with its request (the bot's last change to it). */
  latestItemForRecord(
    module: ZohoModule,
    recordId: string,
  ): Promise<{ item: RequestItemRecord; request: RequestRecord } | null>;

  // --- jobs -----------------------------------------------------------------------------
  /**
   * A call's answer, in one transaction: the jobs Zoho scheduled and the items they schedule
   * (each under its own guard). Returns how many items changed.
   */
  scheduleItems(
    requestId: string,
    jobs: readonly NewJob[],
    entries: readonly ItemPatchEntry[],
    now?: number,
  ): Promise<number>;
  /**
   * Job verdicts, in one transaction: the items they move on (each under its own guard), then
   * the jobs closed. Returns how many items changed.
   */
  settleJobs(
    requestId: string,
    entries: readonly ItemPatchEntry[],
    closed: ReadonlyArray<{ id: number; patch: JobPatch }>,
    now?: number,
  ): Promise<number>;
  /** Pending jobs with nextPollAt <= now, oldest first; `exclude`: ids already being polled. */
  listDueJobs(now: number, limit: number, exclude?: readonly number[]): Promise<JobRecord[]>;
  /** The request's jobs, oldest first; with `seqs`, only those items' jobs. */
  listJobs(requestId: string, seqs?: readonly number[]): Promise<JobRecord[]>;
  updateJob(
    id: number,
    patch: Partial<Pick<JobRecord, 'state' | 'polls' | 'nextPollAt'>>,
    now?: number,
  ): Promise<void>;
  /** A patch per job, all in one transaction (entries apply in order). */
  updateJobsEach(entries: ReadonlyArray<{ id: number; patch: JobPatch }>, now?: number): Promise<void>;
  /** Earliest nextPollAt among pending jobs, or null when none is pending. */
  nextJobPollAt(): Promise<number | null>;

  // --- alerts ---------------------------------------------------------------------------
  getAlert(fingerprint: string): Promise<AlertRecord | null>;
  listAlerts(options?: { states?: readonly AlertState[] }): Promise<AlertRecord[]>;
  upsertAlert(alert: AlertRecord): Promise<void>;
  /**
   * Sets (or clears, with nulls) a snooze on an alert that is still firing, in one conditional
   * update: a run that resolved it meanwhile wins. Returns the alert, or null when not firing.
   */
  setAlertSnooze(
    fingerprint: string,
    snoozedUntil: number | null,
    snoozedBy: string | null,
    at: number,
  ): Promise<AlertRecord | null>;

  // --- audit ----------------------------------------------------------------------------
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Oldest first by default; `order: 'desc'` gives the newest first (e.g. "last change made"). */
  listAudit(options?: {
    requestId?: string;
    action?: string;
    limit?: number;
    order?: 'asc' | 'desc';
  }): Promise<AuditEntry[]>;

  /** A page of the audit export (one row per record of each submitted request). */
  listAuditTrail(query: AuditTrailQuery): Promise<AuditTrailRow[]>;
  /**
   * AUDIT_RETENTION_DAYS: deletes audit rows older than `cutoff`, alerts resolved before it and
   * drafts last touched before it (with their items).
   */
  pruneBefore(cutoff: number): Promise<PruneCounts>;

  // --- counts for /metrics (cheap aggregate queries, read at scrape time) -----------------
  countRequestsByState(): Promise<Partial<Record<RequestState, number>>>;
  countAlerts(state: AlertState): Promise<number>;
  /** When the last monitor run that completed ok finished, or null. */
  lastMonitorSuccessAt(): Promise<number | null>;

  // --- Slack message references -----------------------------------------------------------
  /** key examples: `request:<id>:parent`, `request:<id>:approval`, `alert:<fingerprint>`. */
  saveMessageRef(key: string, ref: MessageRef): Promise<void>;
  getMessageRef(key: string): Promise<MessageRef | null>;
  /** All refs whose key starts with prefix (e.g. every approval DM of a request). */
  listMessageRefs(prefix: string): Promise<Array<MessageRef & { key: string }>>;

  // --- outbox (core/outbox.ts; migration 0004) ------------------------------------------------
  /** Writes notices (once per key; progress coalesces with a pending untouched one). */
  enqueueNotices(requestId: string, kinds: readonly NoticeKind[], now?: number): Promise<void>;
  /** The first pending notice of each request, when due (notBefore <= now), oldest first. */
  listDueNotices(now: number, limit: number): Promise<NoticeRecord[]>;
  /** Earliest notBefore among pending notices, or null when none is pending. */
  nextNoticeAt(): Promise<number | null>;
  /** Notices not yet posted (the outbox backlog of /metrics). */
  countPendingNotices(): Promise<number>;
  /** Every notice of a request, oldest first. */
  listNotices(requestId: string): Promise<NoticeRecord[]>;
  updateNotice(id: number, patch: NoticePatch, now?: number): Promise<void>;
  /**
   * Records an inbound Slack delivery by key (event id, slash command trigger_id). True the first
   * time; false for a retry or replay of one seen within `keepMs`.
   */
  claimInbound(key: string, now: number, keepMs: number): Promise<boolean>;

  // --- leases (one replica runs the monitor) ----------------------------------------------
  /** Takes or renews the lease when free, expired, or already ours. Returns whether we hold it. */
  acquireLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;

  // --- monitor runs -----------------------------------------------------------------------
  recordMonitorRun(run: Omit<MonitorRun, 'id'>): Promise<void>;
  lastMonitorRun(): Promise<MonitorRun | null>;

  // --- App Home ---------------------------------------------------------------------------
  /** Remembers that a person opened the Home tab (only their Home is republished on changes). */
  recordHomeOpened(userId: string, at: number): Promise<void>;
  /** Of `userIds` (everyone when omitted), those who opened Home, by user id. */
  listHomeOpeners(userIds?: readonly string[]): Promise<Array<{ userId: string; openedAt: number }>>;

  // --- key/value (small bits of state: sandbox settings, catalog snapshot time...) ---------
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}
