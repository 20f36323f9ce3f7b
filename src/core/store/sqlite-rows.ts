/**
 * better-sqlite3 statements whose result rows are built in JavaScript. Its own row objects are
 * set column by column from C++, which cost two to three times as much as reading the rows as
 * arrays and building the objects here (issue 13: a 10,000-item bulk's work pages took 100-170 ms
 * of the send as row objects, 55-75 ms as arrays plus this). Rows are the same plain objects,
 * keyed by column name, a later duplicate name winning as in better-sqlite3.
 */
import type SqliteDatabaseType from 'better-sqlite3';
import type { SqliteStatement } from 'kysely';

export function withJsRows(stmt: SqliteDatabaseType.Statement): SqliteStatement {
  if (!stmt.reader) return stmt;
  const names = stmt.columns().map((c) => c.name);
  stmt.raw(true);
  const toRow = (values: unknown[]): Record<string, unknown> => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
    return row;
  };
  return {
    reader: true,
    all: (parameters) => (stmt.all(parameters) as unknown[][]).map(toRow),
    run: (parameters) => stmt.run(parameters),
    *iterate(parameters) {
      for (const values of stmt.iterate(parameters) as IterableIterator<unknown[]>) yield toRow(values);
    },
  };
}
