/**
 * The audit export's CSV: one row per record of each request. Written with csv-stringify
 * (RFC 4180 quoting: commas, quotes and line breaks in reasons and messages stay in their cell).
 */
import { stringify } from 'csv-stringify/sync';
import type { AuditTrailRow } from '../store/types.js';

export const AUDIT_CSV_COLUMNS = [
  'when',
  'requested_at',
  'request_id',
  'kind',
  'asked_by',
  'decided_by',
  'decided_at',
  'decision_comment',
  'reason',
  'record',
  'action',
  'territories',
  'zoho_before',
  'zoho_after',
  'outcome',
  'outcome_code',
  'outcome_message',
] as const;

/** Territory id -> name, for readable cells (`West (3652…)`); unknown ids stay bare. */
export type TerritoryNames = ReadonlyMap<string, string>;

/**
 * Text people typed (reasons, comments) or Zoho sent, opened in a spreadsheet: a leading = + - @
 * would run as a formula (CSV injection, OWASP), so such a cell gets a leading apostrophe.
 */
function text(s: string | null): string {
  if (s === null) return '';
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

function territories(ids: readonly string[] | null, names: TerritoryNames): string {
  if (ids === null) return '';
  return ids.map((id) => (names.has(id) ? `${names.get(id)} (${id})` : id)).join('; ');
}

/**
 * Who decided: an approver, or nobody because the change went ahead without approval. A
 * request still waiting shows nothing yet.
 */
function decider(row: AuditTrailRow): string {
  if (row.decidedBy) return row.decidedBy;
  return ['running', 'done', 'failed'].includes(row.requestState) ? 'no approval needed' : '';
}

export function auditCsvRecord(row: AuditTrailRow, names: TerritoryNames): string[] {
  const changed =
    row.action === 'move' && row.removeTerritoryIds.length > 0
      ? `${territories(row.territoryIds, names)} (replacing ${territories(row.removeTerritoryIds, names)})`
      : territories(row.territoryIds, names);
  return [
    iso(row.updatedAt),
    iso(row.createdAt),
    row.requestId,
    row.kind,
    row.requesterId,
    decider(row),
    iso(row.decidedAt),
    text(row.decisionComment),
    text(row.reason),
    `${row.module}/${row.recordId}`,
    row.action,
    changed,
    territories(row.before, names),
    territories(row.after, names),
    row.itemState,
    row.code ?? '',
    text(row.message),
  ];
}

export function auditCsvHeader(): string {
  return stringify([[...AUDIT_CSV_COLUMNS]]);
}

export function auditCsvRows(rows: readonly AuditTrailRow[], names: TerritoryNames): string {
  return rows.length === 0 ? '' : stringify(rows.map((r) => auditCsvRecord(r, names)));
}
