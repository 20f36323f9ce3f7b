/** Reads of `request_items` (their writes are in item-writes.ts). */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { chunk } from '../chunk.js';
import type { ZohoModule } from '../zoho/types.js';
import { MAX_PARAMS } from './bulk-writes.js';
import { getRequest } from './request-queries.js';
import { itemFromRow, standingFromRow } from './rows.js';
import type { Database } from './schema.js';
import type {
  ItemListQuery,
  ItemStanding,
  ItemState,
  RequestItemRecord,
  RequestRecord,
  WorkItemsQuery,
} from './types.js';

export async function listItems(
  db: Kysely<Database>,
  requestId: string,
  options: ItemListQuery,
): Promise<RequestItemRecord[]> {
  if (options.states && options.states.length === 0) return [];
  let q = db.selectFrom('request_items').selectAll().where('request_id', '=', requestId);
  if (options.states) q = q.where('state', 'in', [...options.states]);
  if (options.afterSeq !== undefined) q = q.where('seq', '>', options.afterSeq);
  q = q.orderBy('seq', 'asc');
  if (options.limit !== undefined) q = q.limit(options.limit);
  const rows = await q.execute();
  return rows.map(itemFromRow);
}

/** Store.listItemStandings: four columns of the items asked for, in seq order. */
export async function listItemStandings(
  db: Kysely<Database>,
  requestId: string,
  seqs: readonly number[],
  states: readonly ItemState[],
): Promise<ItemStanding[]> {
  if (seqs.length === 0 || states.length === 0) return [];
  const out: ItemStanding[] = [];
  for (const part of chunk(
    [...seqs].sort((a, b) => a - b),
    MAX_PARAMS - 1 - states.length,
  )) {
    const rows = await db
      .selectFrom('request_items')
      .select(['seq', 'state', 'job_id', 'action'])
      .where('request_id', '=', requestId)
      .where('seq', 'in', part)
      .where('state', 'in', [...states])
      .orderBy('seq', 'asc')
      .execute();
    for (const r of rows) out.push(standingFromRow(r));
  }
  return out;
}

/**
 * The items the engine may act on now, in seq order (Store.listWorkItems): a page of them, so a
 * 10,000-item request is never read whole. An item waits behind an earlier open item on the
 * same record (their changes must reach Zoho in list order).
 */
export async function listWorkItems(
  db: Kysely<Database>,
  requestId: string,
  options: WorkItemsQuery,
): Promise<RequestItemRecord[]> {
  if (options.states.length === 0) return [];
  let q = db
    .selectFrom('request_items as i')
    .selectAll('i')
    .where('i.request_id', '=', requestId)
    .where('i.state', 'in', [...options.states])
    .where('i.seq', '>', options.afterSeq)
    .where((eb) =>
      eb.and([
        // A removal already scheduled waits on its job, not on us.
        eb.or([eb('i.state', '<>', 'removing'), eb('i.job_id', 'is', null)]),
        eb.or([
          eb('i.state', '<>', 'retry'),
          eb(eb.fn.coalesce('i.not_before', sql.lit(0)), '<=', options.now),
        ]),
      ]),
    );
  if (options.blockedBy.length > 0) {
    q = q.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('request_items as p')
            .select(sql.lit(1).as('one'))
            .whereRef('p.module', '=', 'i.module')
            .whereRef('p.record_id', '=', 'i.record_id')
            .whereRef('p.request_id', '=', 'i.request_id')
            .whereRef('p.seq', '<', 'i.seq')
            .where('p.state', 'in', [...options.blockedBy]),
        ),
      ),
    );
  }
  const rows = await q.orderBy('i.seq', 'asc').limit(options.limit).execute();
  return rows.map(itemFromRow);
}

/** The earliest `not_before` among the request's items in `state`, or null. */
export async function earliestNotBefore(
  db: Kysely<Database>,
  requestId: string,
  state: ItemState,
): Promise<number | null> {
  const row = await db
    .selectFrom('request_items')
    .select((eb) => eb.fn.min('not_before').as('at'))
    .where('request_id', '=', requestId)
    .where('state', '=', state)
    .where('not_before', 'is not', null)
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

export async function getItem(
  db: Kysely<Database>,
  requestId: string,
  seq: number,
): Promise<RequestItemRecord | null> {
  const row = await db
    .selectFrom('request_items')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row ? itemFromRow(row) : null;
}

export async function latestItemForRecord(
  db: Kysely<Database>,
  module: ZohoModule,
  recordId: string,
): Promise<{ item: RequestItemRecord; request: RequestRecord } | null> {
  const row = await db
    .selectFrom('request_items')
    .selectAll()
    .where('module', '=', module)
    .where('record_id', '=', recordId)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const item = itemFromRow(row);
  const request = await getRequest(db, item.requestId);
  return request ? { item, request } : null;
}

export async function countItemsByState(
  db: Kysely<Database>,
  requestId: string,
): Promise<Partial<Record<ItemState, number>>> {
  const rows = await db
    .selectFrom('request_items')
    .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('request_id', '=', requestId)
    .groupBy('state')
    .execute();
  const out: Partial<Record<ItemState, number>> = {};
  for (const r of rows) out[r.state as ItemState] = Number(r.n);
  return out;
}
