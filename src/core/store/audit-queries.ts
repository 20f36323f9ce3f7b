/**
 * Queries behind `/territory audit`, `AUDIT_RETENTION_DAYS` and the stored-state gauges of
 * /metrics. KyselyStore delegates to these; they run unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from 'kysely';
import type { ZohoModule } from '../zoho/types.js';
import { jsonStrings } from './rows.js';
import type { Database } from './schema.js';
import type {
  AlertState,
  AuditTrailQuery,
  AuditTrailRow,
  ItemAction,
  ItemState,
  PruneCounts,
  RequestKind,
  RequestState,
} from './types.js';

/** Rows deleted per statement while pruning: keeps each delete's locks short. */
const PRUNE_BATCH = 5_000;

/** pg may hand back counts as strings; SQLite gives numbers. */
const num = (v: number | string | bigint): number => Number(v);

export async function listAuditTrail(db: Kysely<Database>, q: AuditTrailQuery): Promise<AuditTrailRow[]> {
  let query = db
    .selectFrom('request_items as i')
    .innerJoin('requests as r', 'r.id', 'i.request_id')
    .select([
      'r.id as request_id',
      'r.kind',
      'r.state as request_state',
      'r.requester_id',
      'r.reason',
      'r.created_at',
      'r.decided_by',
      'r.decided_at',
      'r.decision_comment',
      'i.seq',
      'i.module',
      'i.record_id',
      'i.action',
      'i.territory_ids',
      'i.remove_territory_ids',
      'i.state as item_state',
      'i.code',
      'i.message',
      'i.before',
      'i.after',
      'i.updated_at',
    ])
    // A draft was never submitted: nothing was asked of anyone yet.
    .where('r.state', '!=', 'draft');
  if (q.requesterId !== undefined) query = query.where('r.requester_id', '=', q.requesterId);
  if (q.since !== undefined) query = query.where('r.created_at', '>=', q.since);
  if (q.record) {
    const { module, recordId } = q.record;
    query = query.where('i.module', '=', module).where('i.record_id', '=', recordId);
  }
  if (q.visibleTo !== undefined) {
    const viewer = q.visibleTo;
    // Their own requests, and every change to a record one of their requests touched.
    query = query.where((eb) =>
      eb.or([
        eb('r.requester_id', '=', viewer),
        eb.exists(
          eb
            .selectFrom('request_items as mine')
            .innerJoin('requests as mr', 'mr.id', 'mine.request_id')
            .select(sql`1`.as('one'))
            .where('mr.requester_id', '=', viewer)
            .where('mr.state', '!=', 'draft')
            .whereRef('mine.module', '=', 'i.module')
            .whereRef('mine.record_id', '=', 'i.record_id'),
        ),
      ]),
    );
  }
  if (q.after) {
    const { createdAt, requestId, seq } = q.after;
    query = query.where((eb) =>
      eb.or([
        eb('r.created_at', '>', createdAt),
        eb.and([eb('r.created_at', '=', createdAt), eb('r.id', '>', requestId)]),
        eb.and([eb('r.created_at', '=', createdAt), eb('r.id', '=', requestId), eb('i.seq', '>', seq)]),
      ]),
    );
  }
  const rows = await query.orderBy('r.created_at').orderBy('r.id').orderBy('i.seq').limit(q.limit).execute();
  return rows.map((r) => ({
    requestId: r.request_id,
    kind: r.kind as RequestKind,
    requestState: r.request_state as RequestState,
    requesterId: r.requester_id,
    reason: r.reason,
    createdAt: num(r.created_at),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at === null ? null : num(r.decided_at),
    decisionComment: r.decision_comment,
    seq: num(r.seq),
    module: r.module as ZohoModule,
    recordId: r.record_id,
    action: r.action as ItemAction,
    territoryIds: jsonStrings(r.territory_ids),
    removeTerritoryIds: jsonStrings(r.remove_territory_ids),
    itemState: r.item_state as ItemState,
    code: r.code,
    message: r.message,
    before: r.before === null ? null : jsonStrings(r.before),
    after: r.after === null ? null : jsonStrings(r.after),
    updatedAt: num(r.updated_at),
  }));
}

/**
 * Deletes what `AUDIT_RETENTION_DAYS` no longer keeps: audit rows written before `cutoff`,
 * alerts resolved before it, and drafts (never submitted) last touched before it, with their
 * items. Deletes run in bounded batches.
 */
export async function pruneBefore(db: Kysely<Database>, cutoff: number): Promise<PruneCounts> {
  const audit = await deleteInBatches(async () => {
    const res = await db
      .deleteFrom('audit_log')
      .where('id', 'in', db.selectFrom('audit_log').select('id').where('at', '<', cutoff).limit(PRUNE_BATCH))
      .executeTakeFirst();
    return num(res.numDeletedRows);
  });
  const resolved: AlertState = 'resolved';
  const alertsRes = await db
    .deleteFrom('alerts')
    .where('state', '=', resolved)
    .where('resolved_at', '<', cutoff)
    .executeTakeFirst();
  let drafts = 0;
  for (;;) {
    const ids = (
      await db
        .selectFrom('requests')
        .select('id')
        .where('state', '=', 'draft')
        .where('updated_at', '<', cutoff)
        .limit(500)
        .execute()
    ).map((r) => r.id);
    if (ids.length === 0) break;
    await db.transaction().execute(async (tx) => {
      // A draft lives in its modal only: it has items but no job, message or audit row yet.
      await tx.deleteFrom('request_items').where('request_id', 'in', ids).execute();
      // Only while still a draft: a draft submitted meanwhile is kept.
      const res = await tx
        .deleteFrom('requests')
        .where('id', 'in', ids)
        .where('state', '=', 'draft')
        .executeTakeFirst();
      drafts += num(res.numDeletedRows);
    });
  }
  return { auditRows: audit, resolvedAlerts: num(alertsRes.numDeletedRows), drafts };
}

async function deleteInBatches(step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < PRUNE_BATCH) return total;
  }
}

export async function countRequestsByState(
  db: Kysely<Database>,
): Promise<Partial<Record<RequestState, number>>> {
  const rows = await db
    .selectFrom('requests')
    .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, num(r.n)]));
}

export async function countAlerts(db: Kysely<Database>, state: AlertState): Promise<number> {
  const row = await db
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('state', '=', state)
    .executeTakeFirst();
  return row ? num(row.n) : 0;
}

export async function lastMonitorSuccessAt(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('monitor_runs')
    .select('finished_at')
    .where('ok', '=', 1)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? num(row.finished_at) : null;
}
