/**
 * Helpers for writing many rows in few statements, shared by the request, item and job queries.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { chunk } from '../chunk.js';
import type { Database, DialectName } from './schema.js';

/**
 * Bound parameters per statement. SQLite's default SQLITE_MAX_VARIABLE_NUMBER is 32766
 * (since 3.32; better-sqlite3 12 keeps the default), PostgreSQL's protocol limit is 65535.
 */
export const MAX_PARAMS = 30_000;

export function rowsPerStatement(row: object): number {
  return Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, Object.keys(row).length)));
}

/** Rows per SQLite insert when their values travel as one JSON parameter. */
const ROWS_PER_JSON_INSERT = 500;

/**
 * Inserts rows (all with the columns of the first) inside the caller's transaction. SQLite: one
 * statement text whatever the count, each part's values as one JSON parameter; a multi-VALUES
 * insert was compiled by Kysely and prepared afresh for every part, and a 10,000-item request's
 * insert was tens of MB of garbage (issue 13). PostgreSQL: Kysely's multi-VALUES insert.
 */
export async function insertRows<T extends keyof Database>(
  trx: Kysely<Database>,
  dialect: DialectName,
  table: T,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  if (dialect !== 'sqlite') {
    for (const part of chunk(rows, rowsPerStatement(first))) {
      // biome-ignore lint/suspicious/noExplicitAny: rows are the table's insertable rows, typed by the callers
      const values = part as any;
      await trx.insertInto(table).values(values).execute();
    }
    return;
  }
  const columns = Object.keys(first);
  const text =
    `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) ` +
    `select ${columns.map((_, i) => `value ->> ${i}`).join(', ')} from json_each(?)`;
  for (const part of chunk(rows, ROWS_PER_JSON_INSERT)) {
    const values = JSON.stringify(part.map((row) => columns.map((c) => row[c] ?? null)));
    await trx.executeQuery(CompiledQuery.raw(text, [values]));
  }
}

/**
 * Splits entries into runs in which no key repeats. Rows of one run are distinct, so the run's
 * writes may be regrouped freely; runs apply in order, as row-by-row writes would.
 */
export function distinctRuns<T>(entries: readonly T[], key: (e: T) => number): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let seen = new Set<number>();
  for (const e of entries) {
    const k = key(e);
    if (seen.has(k)) {
      runs.push(run);
      run = [];
      seen = new Set();
    }
    seen.add(k);
    run.push(e);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

export interface SetGroup<S> {
  set: S;
  guard: readonly string[] | undefined;
  keys: number[];
}

/**
 * Groups entries with the same SET and guard, so each group is one `UPDATE ... WHERE key IN (...)`:
 * the fixed per-statement cost (Kysely compile, driver round trip) is what a bulk pays for.
 */
export function groupBySet<S>(
  entries: ReadonlyArray<{ key: number; set: S; guard?: readonly string[] }>,
): Array<SetGroup<S>> {
  const groups = new Map<string, SetGroup<S>>();
  for (const e of entries) {
    const id = JSON.stringify([e.set, e.guard ?? null]);
    const g = groups.get(id);
    if (g) g.keys.push(e.key);
    else groups.set(id, { set: e.set, guard: e.guard, keys: [e.key] });
  }
  return [...groups.values()];
}
