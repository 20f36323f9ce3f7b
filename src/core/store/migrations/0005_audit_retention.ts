import type { Kysely, Migration } from 'kysely';

/**
 * `AUDIT_RETENTION_DAYS` prunes audit rows by time, and `/territory audit` pages requests in
 * creation order (since <date>): both need an index on those times.
 */
export const auditRetentionMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
  async up(db: Kysely<any>) {
    await db.schema.createIndex('audit_log_by_at').on('audit_log').columns(['at']).execute();
    await db.schema.createIndex('requests_by_created').on('requests').columns(['created_at', 'id']).execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('requests_by_created').execute();
    await db.schema.dropIndex('audit_log_by_at').execute();
  },
};
