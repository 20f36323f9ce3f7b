/**
 * Turns DATABASE_URL into a Kysely instance: `sqlite:<path>` / `sqlite::memory:` (better-sqlite3)
 * or `postgres://` / `postgresql://` (pg Pool).
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type SqliteDatabaseType from 'better-sqlite3';
import {
  Kysely,
  type KyselyConfig,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase as SqliteDialectDatabase,
  type SqliteStatement,
} from 'kysely';
import type pgType from 'pg';
import type { Logger } from '../log.js';
import type { Database, DialectName } from './schema.js';
import { idleCheckpoints } from './sqlite-checkpoints.js';
import { withJsRows } from './sqlite-rows.js';

export type DatabaseTarget =
  | { dialect: 'sqlite' /** absolute file path, or `:memory:` */; path: string }
  | { dialect: 'postgres'; connectionString: string };

export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { dialect: 'postgres', connectionString: trimmed };
  const m = /^sqlite:(.*)$/i.exec(trimmed);
  if (m) {
    let path = m[1] ?? '';
    // Accept the URL-ish `sqlite:///abs/path` and `sqlite://rel/path` spellings too.
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '' || path === ':memory:' || path === '/:memory:')
      return { dialect: 'sqlite', path: ':memory:' };
    return { dialect: 'sqlite', path: resolve(path) };
  }
  throw new Error(
    `Unsupported DATABASE_URL "${redactUrl(trimmed)}": expected sqlite:<path>, sqlite::memory: or postgres://...`,
  );
}

/** Hides a password in a connection string before it reaches a message or a log line. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1[Redacted]@');
}

// Each driver is loaded only when a URL asks for it: pg alone weighs ~7 MB of RSS, which a
// SQLite deployment should not carry (issue 13). Both are CommonJS, so a synchronous require.
const require = createRequire(import.meta.url);
const loadPg = () => require('pg') as typeof pgType;
const loadSqlite = () => require('better-sqlite3') as typeof SqliteDatabaseType;

const PG_INT8_OID = 20;

/**
 * Times are bigint epoch ms; pg returns int8 as a string by default. Parse it to a number for
 * this pool only (the global `pg.types` would change every pg user in the process). Epoch ms
 * and row counts stay far below 2^53.
 */
const pgTypes = (pg: typeof pgType) =>
  ({
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === PG_INT8_OID && format !== 'binary') return (value: string) => Number(value);
      // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept the union format type
      return pg.types.getTypeParser(oid, format as any);
    },
  }) as unknown as pgType.CustomTypesConfig;

const turns = new Map<string, Promise<unknown>>();

/** Runs fn after every earlier fn queued under the same key in this process has settled. */
async function inProcessTurn<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = turns.get(key) ?? Promise.resolve();
  const mine = previous.then(fn, fn);
  const settled = mine.catch(() => {});
  turns.set(key, settled);
  try {
    return await mine;
  } finally {
    if (turns.get(key) === settled) turns.delete(key);
  }
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  /**
   * Runs a store transaction in its turn among the stores of this process on the same SQLite
   * file. better-sqlite3 waits for a busy lock synchronously: a second store's statement issued
   * while the first holds a transaction across an await would block the very event loop the
   * first needs to commit (SQLITE_BUSY after busy_timeout). Other processes wait normally.
   */
  transactionTurn: <T>(fn: () => Promise<T>) => Promise<T>;
  dialect: DialectName;
  /** Human-readable target, no secrets. */
  describe: string;
  /** Runs the migrations so that concurrent openers of one database take turns. */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
}

/** Failed statements at debug level (SQL text only: parameters may hold user data). */
function queryLog(logger: Logger | undefined): KyselyConfig['log'] {
  if (!logger) return undefined;
  return (event) => {
    if (event.level === 'error')
      logger.debug({ sql: event.query.sql, err: event.error }, 'store query failed');
  };
}

/** Prepared statements kept per SQL text; Kysely prepares every query it runs otherwise. */
const STATEMENT_CACHE_SIZE = 256;
/** Longer statements are mostly one-off (lists of values): not worth a cache slot. */
const CACHEABLE_SQL_CHARS = 4_000;

/**
 * better-sqlite3 behind Kysely, preparing each distinct SQL text once (issue 13: preparing was
 * a tenth of a bulk's store time), rows built in JavaScript (sqlite-rows.ts). A cached statement
 * still iterating (a streamed query) is busy: that call gets a fresh one.
 */
function cachingStatements(sqlite: SqliteDatabaseType.Database, onClose = () => {}): SqliteDialectDatabase {
  const cache = new Map<string, { stmt: SqliteDatabaseType.Statement; rows: SqliteStatement }>();
  return {
    close: () => {
      onClose();
      sqlite.close();
    },
    prepare(text: string) {
      if (text.length > CACHEABLE_SQL_CHARS) return withJsRows(sqlite.prepare(text));
      const cached = cache.get(text);
      if (cached) {
        if (cached.stmt.busy) return withJsRows(sqlite.prepare(text));
        // Move to the end: the Map's order is the eviction order.
        cache.delete(text);
        cache.set(text, cached);
        return cached.rows;
      }
      const stmt = sqlite.prepare(text);
      const rows = withJsRows(stmt);
      cache.set(text, { stmt, rows });
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return rows;
    },
  };
}

export function createDatabase(url: string, logger?: Logger): OpenedDatabase {
  const target = parseDatabaseUrl(url);
  const log = queryLog(logger);
  if (target.dialect === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
    const SqliteDatabase = loadSqlite();
    const sqlite = new SqliteDatabase(target.path);
    // Several processes (replicas, CLI) may share the file: wait for a writer instead of failing.
    // Set first: switching to WAL itself needs the lock.
    sqlite.pragma('busy_timeout = 5000');
    if (target.path !== ':memory:') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    const checkpoints = target.path === ':memory:' ? null : idleCheckpoints(sqlite);
    const database = cachingStatements(sqlite, () => checkpoints?.stop());
    return {
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database }), log }),
      dialect: 'sqlite',
      describe: `sqlite:${target.path}`,
      transactionTurn: (fn) => (target.path === ':memory:' ? fn() : inProcessTurn(`tx:${target.path}`, fn)),
      // Kysely's SQLite migration lock is a no-op and it runs SQLite migrations outside a
      // transaction (it assumes one connection), so two processes opening a new file would both
      // create the tables. BEGIN IMMEDIATE takes the write lock up front (others wait up to
      // busy_timeout) and makes the migration all-or-nothing; Kysely's statements run inside it.
      // better-sqlite3 waits for a busy lock synchronously, which would block the very event loop
      // the holder needs to finish, so openers in one process queue on a promise first.
      withMigrationLock: (fn) =>
        inProcessTurn(target.path, async () => {
          sqlite.exec('BEGIN IMMEDIATE');
          try {
            const result = await fn();
            sqlite.exec('COMMIT');
            return result;
          } catch (err) {
            if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
            throw err;
          }
        }),
    };
  }
  const pg = loadPg();
  const pool = new pg.Pool({ connectionString: target.connectionString, types: pgTypes(pg), max: 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log }),
    dialect: 'postgres',
    describe: redactUrl(target.connectionString),
    transactionTurn: (fn) => fn(),
    // Kysely takes a PostgreSQL advisory lock around the migrations itself.
    withMigrationLock: (fn) => fn(),
  };
}
