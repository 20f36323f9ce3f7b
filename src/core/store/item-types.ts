/**
 * A request's items as the store keeps them, and the queries and patches on them (re-exported by
 * types.ts, where the Store contract uses them).
 */
import type { ZohoModule } from '../zoho/types.js';

export type ItemAction = 'assign' | 'remove' | 'move';

/** Item states; the transitions are the table in src/core/assignment/item-lifecycle.ts. */
export type ItemState =
  | 'pending'
  | 'sending'
  | 'removing'
  | 'pending_assign'
  | 'scheduled'
  | 'retry'
  | 'done'
  | 'failed'
  | 'unconfirmed'
  | 'skipped';

export interface RequestItemRecord {
  requestId: string;
  /** 0-based position in the request; with requestId the item's key. */
  seq: number;
  /** Line number in the pasted list or CSV, when the item came from one. */
  lineNo: number | null;
  module: ZohoModule;
  recordId: string;
  action: ItemAction;
  /** Territories to assign (assign, move) or remove (remove). */
  territoryIds: string[];
  /** For move: the manual territories to remove first. */
  removeTerritoryIds: string[];
  state: ItemState;
  jobId: string | null;
  /** Zoho's code or our own reason code for the last outcome. */
  code: string | null;
  /** Human-readable outcome, shown to people. */
  message: string | null;
  attempts: number;
  /** The record's territories (ids) before the change, when known. */
  before: string[] | null;
  /** The record's territories (ids) after the change, once confirmed. */
  after: string[] | null;
  /** When the item may next be retried (state `retry`). */
  notBefore: number | null;
  updatedAt: number;
  /** The record's name as Zoho showed it when the request was prepared (display only). */
  recordName: string | null;
  /** The preview's warning for this item, in a sentence (display only). */
  warning: string | null;
  /** The preview's main issue code for this item, for grouped counts (display only). */
  issue: string | null;
}

/** Where an item stands: what the job tracker checks before it moves an item on. */
export type ItemStanding = Pick<RequestItemRecord, 'seq' | 'state' | 'jobId' | 'action'>;

export type NewRequestItem = Omit<
  RequestItemRecord,
  | 'requestId'
  | 'state'
  | 'jobId'
  | 'code'
  | 'message'
  | 'attempts'
  | 'after'
  | 'notBefore'
  | 'updatedAt'
  | 'recordName'
  | 'warning'
  | 'issue'
> &
  Partial<Pick<RequestItemRecord, 'state' | 'code' | 'message' | 'recordName' | 'warning' | 'issue'>>;

export type ItemPatch = Partial<
  Pick<
    RequestItemRecord,
    | 'state'
    | 'jobId'
    | 'code'
    | 'message'
    | 'attempts'
    | 'before'
    | 'after'
    | 'notBefore'
    /** Set once, when a request stored before its Zoho read is planned. */
    | 'territoryIds'
    | 'removeTerritoryIds'
  >
>;

/** One item's patch for `updateItemsEach`; applies only while the item is in one of `expectState`. */
export interface ItemPatchEntry {
  seq: number;
  patch: ItemPatch;
  expectState?: readonly ItemState[];
}

/** Which of a request's items to list (all when empty), in seq order. */
export interface ItemListQuery {
  states?: readonly ItemState[];
  afterSeq?: number;
  limit?: number;
}

/**
 * Items the engine may act on now, one page in seq order: in one of `states` (a `retry` only once
 * its `notBefore` is past `now`, a `removing` only without a job), and with no earlier item of the
 * request on the same record still in one of `blockedBy` (changes to one record go in list order).
 */
export interface WorkItemsQuery {
  states: readonly ItemState[];
  blockedBy: readonly ItemState[];
  now: number;
  afterSeq: number;
  limit: number;
}
