/**
 * Queries on the `requests` table (a new request is stored with its items in one transaction).
 */
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { NoticeKind } from '../outbox.js';
import { insertRows } from './bulk-writes.js';
import { insertNotices } from './outbox-store.js';
import { requestFromRow, toJson } from './rows.js';
import type { Database, DialectName } from './schema.js';
import type { NewRequest, NewRequestItem, RequestRecord, RequestState } from './types.js';

export type RequestPatch = Partial<
  Pick<RequestRecord, 'decidedBy' | 'decidedAt' | 'decisionComment' | 'summary' | 'expiresAt'>
>;

export async function createRequest(
  db: Kysely<Database>,
  dialect: DialectName,
  request: NewRequest,
  items: readonly NewRequestItem[],
  notices: readonly NoticeKind[] = [],
): Promise<RequestRecord> {
  const now = request.createdAt;
  const requestRow = {
    id: request.id,
    kind: request.kind,
    state: request.state,
    requester_id: request.requesterId,
    origin_channel_id: request.originChannelId,
    reason: request.reason,
    item_count: request.itemCount,
    summary: toJson(request.summary),
    created_at: request.createdAt,
    updated_at: now,
    expires_at: request.expiresAt,
    decided_by: null,
    decided_at: null,
    decision_comment: null,
  };
  const itemRows = items.map((it) => ({
    request_id: request.id,
    seq: it.seq,
    line_no: it.lineNo,
    module: it.module,
    record_id: it.recordId,
    action: it.action,
    territory_ids: toJson(it.territoryIds),
    remove_territory_ids: toJson(it.removeTerritoryIds),
    state: it.state ?? 'pending',
    job_id: null,
    code: it.code ?? null,
    message: it.message ?? null,
    attempts: 0,
    before: it.before === null ? null : toJson(it.before),
    after: null,
    not_before: null,
    updated_at: now,
    record_name: it.recordName ?? null,
    warning: it.warning ?? null,
    issue: it.issue ?? null,
  }));
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('requests').values(requestRow).execute();
    await insertRows(trx, dialect, 'request_items', itemRows);
    // What reports the new request (its parent message) commits with it (core/outbox.ts).
    if (notices.length > 0) await insertNotices(trx, request.id, notices, now);
  });
  return requestFromRow(requestRow);
}

export async function getRequest(db: Kysely<Database>, id: string): Promise<RequestRecord | null> {
  const row = await db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? requestFromRow(row) : null;
}

export async function transitionRequest(
  db: Kysely<Database>,
  id: string,
  from: readonly RequestState[],
  to: RequestState,
  patch: RequestPatch,
  now: number,
  notices: readonly NoticeKind[] = [],
): Promise<RequestRecord | null> {
  if (from.length === 0) return null;
  const set: Updateable<Database['requests']> = { state: to, updated_at: now };
  if (patch.decidedBy !== undefined) set.decided_by = patch.decidedBy;
  if (patch.decidedAt !== undefined) set.decided_at = patch.decidedAt;
  if (patch.decisionComment !== undefined) set.decision_comment = patch.decisionComment;
  if (patch.summary !== undefined) set.summary = toJson(patch.summary);
  if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
  // One conditional statement: whoever's UPDATE matches the state first wins, the other
  // matches no row (SQLite serializes writers; PostgreSQL re-checks the WHERE after a row lock).
  const update = (q: Kysely<Database> | Transaction<Database>) =>
    q
      .updateTable('requests')
      .set(set)
      .where('id', '=', id)
      .where('state', 'in', [...from])
      .returningAll()
      .executeTakeFirst();
  if (notices.length === 0) {
    const row = await update(db);
    return row ? requestFromRow(row) : null;
  }
  // The notices that report this change commit with it, or not at all (core/outbox.ts). The
  // UPDATE comes first, so the transaction takes the write lock before reading anything.
  const row = await db.transaction().execute(async (trx) => {
    const won = await update(trx);
    if (won) await insertNotices(trx, id, notices, now);
    return won;
  });
  return row ? requestFromRow(row) : null;
}

export async function updateRequestSummary(
  db: Kysely<Database>,
  id: string,
  summary: Record<string, unknown>,
  now: number,
): Promise<void> {
  await db
    .updateTable('requests')
    .set({ summary: toJson(summary), updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function listRequestsByRequester(
  db: Kysely<Database>,
  requesterId: string,
  limit: number,
): Promise<RequestRecord[]> {
  const rows = await db
    .selectFrom('requests')
    .selectAll()
    .where('requester_id', '=', requesterId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(requestFromRow);
}

export async function listRequestsByState(
  db: Kysely<Database>,
  states: readonly RequestState[],
  limit: number,
): Promise<RequestRecord[]> {
  if (states.length === 0) return [];
  const rows = await db
    .selectFrom('requests')
    .selectAll()
    .where('state', 'in', [...states])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(requestFromRow);
}

export async function countDirectItemsSince(
  db: Kysely<Database>,
  requesterId: string,
  since: number,
  states: readonly RequestState[],
): Promise<number> {
  if (states.length === 0) return 0;
  // Preview-blocked and skipped items are stored with no territories (bulk-request.ts).
  const none = toJson([]);
  const row = await db
    .selectFrom('request_items as i')
    .innerJoin('requests as r', 'r.id', 'i.request_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('r.requester_id', '=', requesterId)
    .where('r.created_at', '>=', since)
    .where('r.decided_by', 'is', null)
    .where('r.state', 'in', [...states])
    .where('i.state', '!=', 'skipped')
    .where((eb) => eb.or([eb('i.territory_ids', '!=', none), eb('i.remove_territory_ids', '!=', none)]))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listExpiredPending(db: Kysely<Database>, now: number): Promise<RequestRecord[]> {
  const rows = await db
    .selectFrom('requests')
    .selectAll()
    .where('state', '=', 'pending_approval')
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', now)
    .orderBy('expires_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(requestFromRow);
}
