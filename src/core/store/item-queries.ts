/**
 * Queries on `request_items`. Bulk patches group items sharing a SET into one statement and
 * write the rest with one CASE statement per few hundred items (PostgreSQL) or one prepared
 * statement per item (SQLite).
 */
import { CompiledQuery, type Kysely, type RawBuilder, sql, type Updateable } from 'kysely';
import { chunk } from '../chunk.js';
import type { ZohoModule } from '../zoho/types.js';
import { distinctRuns, groupBySet, MAX_PARAMS, type SetGroup } from './bulk-writes.js';
import { getRequest } from './request-queries.js';
import { itemFromRow, standingFromRow, toJson } from './rows.js';
import type { Database, DialectName, RequestItemsTable } from './schema.js';
import type {
  ItemListQuery,
  ItemPatch,
  ItemPatchEntry,
  ItemStanding,
  ItemState,
  RequestItemRecord,
  RequestRecord,
  WorkItemsQuery,
} from './types.js';

function itemPatchToRow(patch: ItemPatch): Updateable<RequestItemsTable> {
  const row: Updateable<RequestItemsTable> = {};
  if (patch.state !== undefined) row.state = patch.state;
  if (patch.jobId !== undefined) row.job_id = patch.jobId;
  if (patch.code !== undefined) row.code = patch.code;
  if (patch.message !== undefined) row.message = patch.message;
  if (patch.attempts !== undefined) row.attempts = patch.attempts;
  if (patch.before !== undefined) row.before = patch.before === null ? null : toJson(patch.before);
  if (patch.after !== undefined) row.after = patch.after === null ? null : toJson(patch.after);
  if (patch.notBefore !== undefined) row.not_before = patch.notBefore;
  if (patch.territoryIds !== undefined) row.territory_ids = toJson(patch.territoryIds);
  if (patch.removeTerritoryIds !== undefined) row.remove_territory_ids = toJson(patch.removeTerritoryIds);
  return row;
}

/** SQL types of the patchable item columns, for CASTs both dialects accept. */
const ITEM_COLUMN_TYPES: Record<string, string> = {
  state: 'text',
  job_id: 'text',
  code: 'text',
  message: 'text',
  attempts: 'integer',
  before: 'text',
  after: 'text',
  not_before: 'bigint',
  territory_ids: 'text',
  remove_territory_ids: 'text',
};

/**
 * Items per statement when each has its own values. Each CASE is scanned per row, so a
 * statement costs rows x branches; a few hundred keeps that small and the statement short.
 */
const ROWS_PER_CASE_STATEMENT = 500;

/**
 * Patches no other entry shares (e.g. each item's own job id). Items whose patches set the same
 * columns under the same guard go in one statement per few hundred items:
 * `SET col = CASE seq WHEN ? THEN CAST(? AS type) ... END WHERE seq IN (...) AND state IN (...)`.
 * The CAST types the parameter for PostgreSQL (an untyped CASE result is text there).
 */
async function updateItemRows(
  trx: Kysely<Database>,
  dialect: DialectName,
  requestId: string,
  groups: ReadonlyArray<SetGroup<Updateable<RequestItemsTable>>>,
  now: number,
): Promise<number> {
  if (dialect === 'sqlite') return updateItemRowsFromJson(trx, requestId, groups, now);
  let changed = 0;
  for (const list of byShape(groups)) {
    const first = list[0]!;
    const columns = Object.keys(first.set) as Array<keyof RequestItemsTable>;
    const perStatement = Math.min(
      ROWS_PER_CASE_STATEMENT,
      Math.floor((MAX_PARAMS - (first.guard?.length ?? 0) - 2) / (2 * columns.length + 1)),
    );
    for (const part of chunk(list, perStatement)) {
      const set: Record<string, RawBuilder<unknown>> = {};
      for (const col of columns) {
        const type = sql.raw(ITEM_COLUMN_TYPES[col] ?? 'text');
        const branches = part.map((g) => sql`when ${g.keys[0]} then cast(${g.set[col]} as ${type})`);
        set[col] = sql`case ${sql.ref('seq')} ${sql.join(branches, sql` `)} end`;
      }
      let q = trx
        .updateTable('request_items')
        .set({ ...(set as Updateable<RequestItemsTable>), updated_at: now })
        .where('request_id', '=', requestId)
        .where(
          'seq',
          'in',
          part.map((g) => g.keys[0]!),
        );
      if (first.guard) q = q.where('state', 'in', [...first.guard]);
      changed += Number((await q.executeTakeFirst()).numUpdatedRows);
    }
  }
  return changed;
}

/** Groups that set the same columns under the same guard: one statement text per shape. */
function byShape(
  groups: ReadonlyArray<SetGroup<Updateable<RequestItemsTable>>>,
): Array<Array<SetGroup<Updateable<RequestItemsTable>>>> {
  const shapes = new Map<string, Array<SetGroup<Updateable<RequestItemsTable>>>>();
  for (const g of groups) {
    const shape = JSON.stringify([Object.keys(g.set), g.guard ?? null]);
    const list = shapes.get(shape);
    if (list) list.push(g);
    else shapes.set(shape, [g]);
  }
  return [...shapes.values()];
}

/** Items per SQLite statement when each has its own values (see updateItemRowsFromJson). */
const ROWS_PER_JSON_STATEMENT = 100;

/**
 * SQLite: items whose patches set the same columns under the same guard go in one statement per
 * hundred, their values in one JSON parameter. One statement text per shape, so the prepared
 * statement is reused; through Kysely, one statement per item cost some 6 KB of garbage each —
 * 60 MB for a 10,000-item bulk (issue 13, allocation profile). Each value is looked up in the
 * hundred-row CTE, so statements stay at about a hundred rows.
 */
async function updateItemRowsFromJson(
  trx: Kysely<Database>,
  requestId: string,
  groups: ReadonlyArray<SetGroup<Updateable<RequestItemsTable>>>,
  now: number,
): Promise<number> {
  let changed = 0;
  for (const list of byShape(groups)) {
    const first = list[0]!;
    const columns = Object.keys(first.set) as Array<keyof RequestItemsTable>;
    const guard = first.guard ?? null;
    const names = columns.map((_, i) => `c${i}`);
    const text =
      `with v(seq, ${names.join(', ')}) as materialized (select value ->> ${columns.length}, ` +
      `${columns.map((_, i) => `value ->> ${i}`).join(', ')} from json_each(?)) ` +
      // One lookup in v per row for all columns (a row-value SET), not one per column.
      `update request_items set (${columns.map((c) => `"${String(c)}"`).join(', ')}) = ` +
      `(select ${names.join(', ')} from v where v.seq = request_items.seq), "updated_at" = ? ` +
      'where "request_id" = ? and "seq" in (select seq from v)' +
      (guard ? ` and "state" in (${guard.map(() => '?').join(', ')})` : '');
    for (const part of chunk(list, ROWS_PER_JSON_STATEMENT)) {
      const values = JSON.stringify(part.map((g) => [...columns.map((c) => g.set[c] ?? null), g.keys[0]]));
      const res = await trx.executeQuery(CompiledQuery.raw(text, [values, now, requestId, ...(guard ?? [])]));
      changed += Number(res.numAffectedRows ?? 0);
    }
  }
  return changed;
}

export async function listItems(
  db: Kysely<Database>,
  requestId: string,
  options: ListItemsOptions,
): Promise<RequestItemRecord[]> {
  if (options.states && options.states.length === 0) return [];
  if (options.seqs) {
    if (options.seqs.length === 0) return [];
    // Only these items (a batch of jobs' items): never the rest of the request.
    const out: RequestItemRecord[] = [];
    const perStatement = MAX_PARAMS - 1 - (options.states?.length ?? 0);
    for (const part of chunk(
      [...options.seqs].sort((a, b) => a - b),
      perStatement,
    )) {
      out.push(...(await listItems(db, requestId, { ...options, seqs: undefined, only: part })));
    }
    return options.limit === undefined ? out : out.slice(0, options.limit);
  }
  let q = db.selectFrom('request_items').selectAll().where('request_id', '=', requestId);
  if (options.only) q = q.where('seq', 'in', [...options.only]);
  if (options.states) q = q.where('state', 'in', [...options.states]);
  if (options.afterSeq !== undefined) q = q.where('seq', '>', options.afterSeq);
  q = q.orderBy('seq', 'asc');
  if (options.limit !== undefined) q = q.limit(options.limit);
  const rows = await q.execute();
  return rows.map(itemFromRow);
}

type ListItemsOptions = ItemListQuery & { only?: readonly number[] };

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

export async function updateItem(
  db: Kysely<Database>,
  requestId: string,
  seq: number,
  patch: ItemPatch,
  expectState: readonly ItemState[] | undefined,
  now: number,
): Promise<boolean> {
  if (expectState && expectState.length === 0) return false;
  let q = db
    .updateTable('request_items')
    .set({ ...itemPatchToRow(patch), updated_at: now })
    .where('request_id', '=', requestId)
    .where('seq', '=', seq);
  if (expectState) q = q.where('state', 'in', [...expectState]);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function updateItems(
  db: Kysely<Database>,
  requestId: string,
  seqs: readonly number[],
  patch: ItemPatch,
  now: number,
): Promise<void> {
  if (seqs.length === 0) return;
  const set = { ...itemPatchToRow(patch), updated_at: now };
  const perStatement = MAX_PARAMS - Object.keys(set).length - 1;
  await db.transaction().execute(async (trx) => {
    for (const part of chunk(seqs, perStatement)) {
      await trx
        .updateTable('request_items')
        .set(set)
        .where('request_id', '=', requestId)
        .where('seq', 'in', part)
        .execute();
    }
  });
}

export async function updateItemsEach(
  db: Kysely<Database>,
  dialect: DialectName,
  requestId: string,
  entries: readonly ItemPatchEntry[],
  now: number,
): Promise<number> {
  // An empty guard never matches (as in updateItem): those entries write nothing.
  const live = entries.filter((e) => !e.expectState || e.expectState.length > 0);
  if (live.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    let changed = 0;
    for (const run of distinctRuns(live, (e) => e.seq)) {
      const groups = groupBySet(
        run.map((e) => ({ key: e.seq, set: itemPatchToRow(e.patch), guard: e.expectState })),
      );
      const singles: Array<SetGroup<Updateable<RequestItemsTable>>> = [];
      for (const g of groups) {
        if (g.keys.length === 1) {
          singles.push(g);
          continue;
        }
        const set = { ...g.set, updated_at: now };
        const perStatement = MAX_PARAMS - Object.keys(set).length - (g.guard?.length ?? 0) - 1;
        for (const part of chunk(g.keys, perStatement)) {
          let q = trx
            .updateTable('request_items')
            .set(set)
            .where('request_id', '=', requestId)
            .where('seq', 'in', part);
          if (g.guard) q = q.where('state', 'in', [...g.guard]);
          changed += Number((await q.executeTakeFirst()).numUpdatedRows);
        }
      }
      changed += await updateItemRows(trx, dialect, requestId, singles, now);
    }
    return changed;
  });
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
