/** Row <-> record mapping: JSON text columns parsed here, integers kept, ids kept as strings. */
import type { Selectable } from 'kysely';
import { parseAlertKind } from '../monitor/alert-kinds.js';
import type { ZohoModule } from '../zoho/types.js';
import type {
  AlertsTable,
  AuditLogTable,
  JobsTable,
  MonitorRunsTable,
  RequestItemsTable,
  RequestsTable,
} from './schema.js';
import type {
  AlertRecord,
  AlertState,
  AuditEntry,
  ItemAction,
  ItemStanding,
  ItemState,
  JobRecord,
  JobState,
  MonitorRun,
  RequestItemRecord,
  RequestKind,
  RequestRecord,
  RequestState,
} from './types.js';

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function jsonObject(text: string): Record<string, unknown> {
  const v: unknown = JSON.parse(text);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function jsonStrings(text: string): string[] {
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? v.map(String) : [];
}

function jsonStringsOrNull(text: string | null): string[] | null {
  return text === null ? null : jsonStrings(text);
}

/** pg may hand back numeric strings for computed columns; SQLite gives numbers. */
function num(v: number | string): number {
  return typeof v === 'number' ? v : Number(v);
}

function numOrNull(v: number | string | null): number | null {
  return v === null ? null : num(v);
}

export function requestFromRow(r: Selectable<RequestsTable>): RequestRecord {
  return {
    id: r.id,
    kind: r.kind as RequestKind,
    state: r.state as RequestState,
    requesterId: r.requester_id,
    originChannelId: r.origin_channel_id,
    reason: r.reason,
    itemCount: num(r.item_count),
    summary: jsonObject(r.summary),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    expiresAt: numOrNull(r.expires_at),
    decidedBy: r.decided_by,
    decidedAt: numOrNull(r.decided_at),
    decisionComment: r.decision_comment,
  };
}

export function standingFromRow(
  r: Pick<Selectable<RequestItemsTable>, 'seq' | 'state' | 'job_id' | 'action'>,
): ItemStanding {
  return { seq: num(r.seq), state: r.state as ItemState, jobId: r.job_id, action: r.action as ItemAction };
}

export function itemFromRow(r: Selectable<RequestItemsTable>): RequestItemRecord {
  return {
    requestId: r.request_id,
    seq: num(r.seq),
    lineNo: numOrNull(r.line_no),
    module: r.module as ZohoModule,
    recordId: r.record_id,
    action: r.action as ItemAction,
    territoryIds: jsonStrings(r.territory_ids),
    removeTerritoryIds: jsonStrings(r.remove_territory_ids),
    state: r.state as ItemState,
    jobId: r.job_id,
    code: r.code,
    message: r.message,
    attempts: num(r.attempts),
    before: jsonStringsOrNull(r.before),
    after: jsonStringsOrNull(r.after),
    notBefore: numOrNull(r.not_before),
    updatedAt: num(r.updated_at),
    recordName: r.record_name ?? null,
    warning: r.warning ?? null,
    issue: r.issue ?? null,
  };
}

export function jobFromRow(r: Selectable<JobsTable>): JobRecord {
  return {
    id: num(r.id),
    requestId: r.request_id,
    seq: num(r.seq),
    module: r.module as ZohoModule,
    recordId: r.record_id,
    jobId: r.job_id,
    operation: r.operation as JobRecord['operation'],
    expectPresent: jsonStrings(r.expect_present),
    expectAbsent: jsonStrings(r.expect_absent),
    state: r.state as JobState,
    polls: num(r.polls),
    createdAt: num(r.created_at),
    nextPollAt: num(r.next_poll_at),
    deadlineAt: num(r.deadline_at),
    updatedAt: num(r.updated_at),
  };
}

export function alertFromRow(r: Selectable<AlertsTable>): AlertRecord {
  return {
    fingerprint: r.fingerprint,
    kind: parseAlertKind(r.kind, r.fingerprint),
    territoryId: r.territory_id,
    state: r.state as AlertState,
    severity: r.severity as AlertRecord['severity'],
    title: r.title,
    details: jsonObject(r.details),
    contentHash: r.content_hash,
    inhibitedBy: r.inhibited_by,
    startsAt: num(r.starts_at),
    updatedAt: num(r.updated_at),
    lastNotifiedAt: numOrNull(r.last_notified_at),
    resolvedAt: numOrNull(r.resolved_at),
    snoozedUntil: numOrNull(r.snoozed_until),
    snoozedBy: r.snoozed_by,
    channel: r.channel,
    ts: r.ts,
  };
}

export function alertToRow(a: AlertRecord): Selectable<AlertsTable> {
  return {
    fingerprint: a.fingerprint,
    kind: a.kind,
    territory_id: a.territoryId,
    state: a.state,
    severity: a.severity,
    title: a.title,
    details: toJson(a.details),
    content_hash: a.contentHash,
    inhibited_by: a.inhibitedBy,
    starts_at: a.startsAt,
    updated_at: a.updatedAt,
    last_notified_at: a.lastNotifiedAt,
    resolved_at: a.resolvedAt,
    snoozed_until: a.snoozedUntil,
    snoozed_by: a.snoozedBy,
    channel: a.channel,
    ts: a.ts,
  };
}

export function auditFromRow(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    at: num(r.at),
    actor: r.actor,
    action: r.action,
    requestId: r.request_id,
    data: jsonObject(r.data),
  };
}

export function monitorRunFromRow(r: Selectable<MonitorRunsTable>): MonitorRun {
  return {
    id: num(r.id),
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
    ok: num(r.ok) !== 0,
    outcome: r.outcome,
    details: jsonObject(r.details),
  };
}
