/** The audit log's record types (re-exported by types.ts, where the Store contract uses them). */
import type { ZohoModule } from '../zoho/types.js';
import type { ItemAction, ItemState, RequestKind, RequestState } from './types.js';

export interface AuditEntry {
  at: number;
  /** Slack user id, `system`, `monitor`, ... */
  actor: string;
  /** e.g. request.created, request.approved, item.outcome, alert.firing, zoho.call */
  action: string;
  requestId: string | null;
  data: Record<string, unknown>;
}

/** One record of one request, as `/territory audit` exports it. */
export interface AuditTrailRow {
  requestId: string;
  kind: RequestKind;
  requestState: RequestState;
  requesterId: string;
  reason: string | null;
  createdAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionComment: string | null;
  seq: number;
  module: ZohoModule;
  recordId: string;
  action: ItemAction;
  territoryIds: string[];
  removeTerritoryIds: string[];
  itemState: ItemState;
  code: string | null;
  message: string | null;
  before: string[] | null;
  after: string[] | null;
  updatedAt: number;
}

/** Filters of `listAuditTrail`; all given ones apply. Drafts are never listed. */
export interface AuditTrailQuery {
  /** Only requests this Slack user asked for. */
  requesterId?: string;
  /** Only requests created at or after this time. */
  since?: number;
  /** Only this record. */
  record?: { module: ZohoModule; recordId: string };
  /** What a non-admin may see: their own requests, and changes to the records of those. */
  visibleTo?: string;
  /** Keyset paging: rows after this one (order: request created, request id, item seq). */
  after?: { createdAt: number; requestId: string; seq: number };
  limit: number;
}
