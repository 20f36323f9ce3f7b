import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../schema.js';

/**
 * The outbox of everything people are told about a request (DESIGN.md §3 "Telling people"), and
 * the keys of inbound Slack deliveries already handled (event retries, replayed slash commands).
 */
export function outboxMigration(dialect: DialectName): Migration {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
  type Db = Kysely<any>;
  return {
    async up(db: Db) {
      const table =
        dialect === 'sqlite'
          ? db.schema.createTable('outbox').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
          : db.schema
              .createTable('outbox')
              .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity());
      await table
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('not_before', 'bigint', (c) => c.notNull())
        .addColumn('inflight', 'text')
        .addColumn('channel', 'text')
        .addColumn('ts', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // The worker's "first pending notice of each request" and the progress coalescing.
      await db.schema
        .createIndex('outbox_pending_by_request')
        .on('outbox')
        .columns(['request_id', 'state', 'id'])
        .execute();
      await db.schema
        .createIndex('outbox_by_state_due')
        .on('outbox')
        .columns(['state', 'not_before'])
        .execute();

      await db.schema
        .createTable('inbound_seen')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('seen_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('inbound_seen_by_time').on('inbound_seen').column('seen_at').execute();
    },
    async down(db: Db) {
      await db.schema.dropTable('inbound_seen').ifExists().execute();
      await db.schema.dropTable('outbox').ifExists().execute();
    },
  };
}
