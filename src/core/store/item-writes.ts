/**
 * Writes to `request_items`. Bulk patches group items sharing a SET into one statement and
 * write the rest with one CASE statement per few hundred items (PostgreSQL) or one JSON-parameter
 * statement per hundred items (SQLite).
 */
import { CompiledQuery, type Kysely, type RawBuilder, sql, type Updateable } from 'kysely';
import { chunk } from '../chunk.js';
import { distinctRuns, groupBySet, MAX_PARAMS, type SetGroup } from './bulk-writes.js';
import { toJson } from './rows.js';
import type { Database, DialectName, RequestItemsTable } from './schema.js';
import type { ItemPatch, ItemPatchEntry, ItemState } from './types.js';

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
  if (!entries.some(isLive)) return 0;
  return db.transaction().execute((trx) => updateItemsEachIn(trx, dialect, requestId, entries, now));
}

// An empty guard never matches (as in updateItem): those entries write nothing.
const isLive = (e: ItemPatchEntry) => !e.expectState || e.expectState.length > 0;

/** updateItemsEach inside the caller's transaction (a call's jobs and items commit together). */
export async function updateItemsEachIn(
  trx: Kysely<Database>,
  dialect: DialectName,
  requestId: string,
  entries: readonly ItemPatchEntry[],
  now: number,
): Promise<number> {
  const live = entries.filter(isLive);
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
}
