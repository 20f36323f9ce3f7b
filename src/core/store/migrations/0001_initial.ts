import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../schema.js';

/**
 * Initial schema. The only dialect difference is how an autoincrement key is spelled:
 * SQLite's `integer primary key autoincrement` vs PostgreSQL's identity column.
 */
export function initialMigration(dialect: DialectName): Migration {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
  type Db = Kysely<any>;
  const serialId = (db: Db, table: string) =>
    dialect === 'sqlite'
      ? db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : db.schema
          .createTable(table)
          .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity());

  return {
    async up(db: Db) {
      await db.schema
        .createTable('requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('requester_id', 'text', (c) => c.notNull())
        .addColumn('origin_channel_id', 'text')
        .addColumn('reason', 'text')
        .addColumn('item_count', 'integer', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'bigint')
        .addColumn('decision_comment', 'text')
        .execute();
      await db.schema
        .createIndex('requests_by_requester')
        .on('requests')
        .columns(['requester_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('requests_by_state_expiry')
        .on('requests')
        .columns(['state', 'expires_at'])
        .execute();

      await db.schema
        .createTable('request_items')
        .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('line_no', 'integer')
        .addColumn('module', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('territory_ids', 'text', (c) => c.notNull())
        .addColumn('remove_territory_ids', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text')
        .addColumn('code', 'text')
        .addColumn('message', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('not_before', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('request_items_pk', ['request_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('request_items_by_state')
        .on('request_items')
        .columns(['request_id', 'state', 'seq'])
        .execute();

      await serialId(db, 'jobs')
        .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('module', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('expect_present', 'text', (c) => c.notNull())
        .addColumn('expect_absent', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('polls', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('next_poll_at', 'bigint', (c) => c.notNull())
        .addColumn('deadline_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_due').on('jobs').columns(['state', 'next_poll_at']).execute();
      await db.schema.createIndex('jobs_by_request').on('jobs').columns(['request_id', 'seq']).execute();

      await db.schema
        .createTable('alerts')
        .addColumn('fingerprint', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('territory_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('inhibited_by', 'text')
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('last_notified_at', 'bigint')
        .addColumn('resolved_at', 'bigint')
        .addColumn('snoozed_until', 'bigint')
        .addColumn('snoozed_by', 'text')
        .addColumn('channel', 'text')
        .addColumn('ts', 'text')
        .execute();
      await db.schema.createIndex('alerts_by_state').on('alerts').columns(['state']).execute();

      await serialId(db, 'audit_log')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_by_request').on('audit_log').columns(['request_id', 'id']).execute();
      await db.schema.createIndex('audit_by_action').on('audit_log').columns(['action', 'id']).execute();

      await db.schema
        .createTable('message_refs')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('ts', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();

      await serialId(db, 'monitor_runs')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('monitor_runs_by_finish')
        .on('monitor_runs')
        .columns(['finished_at', 'id'])
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },

    async down(db: Db) {
      for (const table of [
        'settings',
        'monitor_runs',
        'leases',
        'message_refs',
        'audit_log',
        'alerts',
        'jobs',
        'request_items',
        'requests',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
