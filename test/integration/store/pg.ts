/**
 * PostgreSQL for the store tests: TEST_DATABASE_URL (default: the local trust-auth server), one
 * throwaway schema per test file so parallel files and runs never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../../../src/core/store/index.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Resolves to null when PostgreSQL answers, else to the reason it does not. */
export async function probePostgres(url = TEST_DATABASE_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

export const TABLES = [
  'requests',
  'request_items',
  'jobs',
  'alerts',
  'audit_log',
  'message_refs',
  'leases',
  'monitor_runs',
  'settings',
] as const;

export interface TestSchema {
  name: string;
  /** TEST_DATABASE_URL with `search_path` set to the schema for every connection. */
  url: string;
  /** Empties every store table (restart identities), keeping the migrated schema. */
  truncate(): Promise<void>;
  drop(): Promise<void>;
}

export async function createTestSchema(baseUrl = TEST_DATABASE_URL): Promise<TestSchema> {
  const name = `store_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 3_000 });
  admin.on('error', () => {});
  await admin.connect();
  await admin.query(`create schema "${name}"`);
  const url = new URL(baseUrl);
  // libpq-style startup option, passed through by pg: every pooled connection gets the path.
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    async truncate() {
      const existing = await admin.query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1',
        [name],
      );
      const present = new Set(existing.rows.map((r) => r.table_name));
      const tables = TABLES.filter((t) => present.has(t)).map((t) => `"${name}"."${t}"`);
      if (tables.length > 0) await admin.query(`truncate ${tables.join(', ')} restart identity cascade`);
    },
    async drop() {
      try {
        await admin.query(`drop schema if exists "${name}" cascade`);
      } finally {
        await admin.end().catch(() => {});
      }
    },
  };
}

export function unreachableMessage(reason: string): string {
  return (
    `PostgreSQL is not reachable at ${redactUrl(TEST_DATABASE_URL)} (${reason}). ` +
    'Start it or point TEST_DATABASE_URL at one (.ci/run starts a throwaway server).'
  );
}
