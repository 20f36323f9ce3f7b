import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { openStore } from '../../../src/core/store/index.js';
import { createTestSchema, probePostgres, type TestSchema, unreachableMessage } from './pg.js';
import { CLOCK_NOW, defineStoreSuite } from './store-suite.js';

const unreachable = await probePostgres();

if (unreachable === null) {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema();
  });
  afterAll(async () => {
    await schema?.drop();
  });

  const open = () => openStore(schema.url, { clock: new ManualClock(CLOCK_NOW) });
  defineStoreSuite('postgres', () => ({
    fresh: async () => {
      await schema.truncate();
      return open();
    },
    again: open,
  }));

  describe('PostgreSQL store', () => {
    it('lives in its own schema and stores times as int8, read back as numbers', async () => {
      const store = await open();
      try {
        const where = await sql<{ s: string }>`select current_schema() as s`.execute(store.kysely);
        expect(where.rows[0]?.s).toBe(schema.name);
        const cols = await sql<{ data_type: string }>`
          select data_type from information_schema.columns
          where table_schema = ${schema.name} and table_name = 'requests' and column_name = 'created_at'`.execute(
          store.kysely,
        );
        expect(cols.rows[0]?.data_type).toBe('bigint');
        await store.recordMonitorRun({
          startedAt: 1,
          finishedAt: Date.UTC(2026, 0, 1),
          ok: true,
          outcome: 'ok',
          details: {},
        });
        expect((await store.lastMonitorRun())?.finishedAt).toBe(Date.UTC(2026, 0, 1));
      } finally {
        await store.close();
      }
    });

    it('migrates its own schema although another schema already holds the migration tables', async () => {
      const first = await open(); // the file's schema is migrated by now
      await first.close();
      const other = await createTestSchema();
      try {
        const store = await openStore(other.url);
        try {
          await store.setSetting('k', 'v');
          const tables = await sql<{ n: number }>`
            select count(*)::int as n from information_schema.tables
            where table_schema = ${other.name} and table_name in ('kysely_migration', 'requests')`.execute(
            store.kysely,
          );
          expect(tables.rows[0]?.n).toBe(2);
        } finally {
          await store.close();
        }
      } finally {
        await other.drop();
      }
    });

    it('lets several replicas open (and migrate) a new schema at once', async () => {
      const other = await createTestSchema();
      try {
        const stores = await Promise.all([openStore(other.url), openStore(other.url), openStore(other.url)]);
        try {
          await stores[0]!.setSetting('k', 'v');
          expect(await stores[2]!.getSetting('k')).toBe('v');
        } finally {
          for (const s of stores) await s.close();
        }
      } finally {
        await other.drop();
      }
    });

    it('leaves the global pg int8 parser alone', async () => {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: schema.url });
      await client.connect();
      try {
        const res = await client.query<{ v: unknown }>('select 9007199254740993::int8 as v');
        expect(res.rows[0]?.v).toBe('9007199254740993');
      } finally {
        await client.end();
      }
    });
  });
} else if (process.env.CI) {
  describe('PostgreSQL store', () => {
    it('needs PostgreSQL in CI', () => {
      throw new Error(
        `${unreachableMessage(unreachable)} CI is set, so this half of the suite may not be skipped.`,
      );
    });
  });
} else {
  console.warn(`Skipping the PostgreSQL store tests: ${unreachableMessage(unreachable)}`);
  describe.skip('PostgreSQL store (unreachable)', () => {
    it('runs the store suite on PostgreSQL', () => {});
  });
}
