/**
 * Helpers for writing many rows in few statements, shared by the item and job queries.
 */

/**
 * Bound parameters per statement. SQLite's default SQLITE_MAX_VARIABLE_NUMBER is 32766
 * (since 3.32; better-sqlite3 12 keeps the default), PostgreSQL's protocol limit is 65535.
 */
export const MAX_PARAMS = 30_000;

export function rowsPerStatement(row: object): number {
  return Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, Object.keys(row).length)));
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
