/**
 * `openStore(DATABASE_URL)`: connects (SQLite via better-sqlite3, PostgreSQL via pg), runs the
 * migrations, and returns the `Store`. `openStore('sqlite::memory:')` gives tests a fresh store.
 */
import { type Kysely, Migrator, sql } from 'kysely';
import { type Clock, systemClock } from '../clock.js';
import type { Logger } from '../log.js';
import { createDatabase } from './dialects.js';
import { KyselyStore } from './kysely-store.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export { parseDatabaseUrl, redactUrl } from './dialects.js';
export { KyselyStore } from './kysely-store.js';
export type * from './types.js';

export interface OpenStoreOptions {
  logger?: Logger;
  /** Default time for the `now` arguments callers leave out. */
  clock?: Clock;
}

export async function openStore(databaseUrl: string, opts: OpenStoreOptions = {}): Promise<KyselyStore> {
  const log = opts.logger?.child({ component: 'store' });
  const { db, dialect, describe, withMigrationLock, transactionTurn } = createDatabase(databaseUrl, log);
  try {
    const migrator = new Migrator({
      db,
      provider: migrationProvider(dialect),
      migrationTableSchema: dialect === 'postgres' ? await currentSchema(db) : undefined,
    });
    await withMigrationLock(async () => {
      const { error, results } = await migrator.migrateToLatest();
      for (const r of results ?? []) {
        if (r.status === 'Success') log?.info({ migration: r.migrationName }, 'store migration applied');
        else if (r.status === 'Error') log?.error({ migration: r.migrationName }, 'store migration failed');
      }
      if (error) throw error instanceof Error ? error : new Error(String(error));
    });
  } catch (err) {
    await db.destroy().catch(() => {});
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Cannot open store at ${describe}: ${reason}`, { cause: err });
  }
  log?.debug({ database: describe, dialect }, 'store open');
  return new KyselyStore(db, dialect, { clock: opts.clock ?? systemClock, transactionTurn });
}

/**
 * The schema our tables go to (first existing entry of search_path). Kysely's Migrator looks
 * for its bookkeeping tables in every schema unless told which one, so a `kysely_migration`
 * in another schema (another app, a parallel test run) would make it skip creating ours.
 */
async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('search_path names no existing schema');
  return schema;
}
