import type { Kysely, Migration } from 'kysely';

/**
 * The engine's work query holds an item back while an earlier item of the same request on the
 * same record is open (item-queries.ts listWorkItems): without this index that check scanned the
 * request's items by state, once per candidate — quadratic in a 10,000-item bulk.
 */
export const itemsSameRecordMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('request_items_same_record')
      .on('request_items')
      .columns(['request_id', 'module', 'record_id', 'seq'])
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('request_items_same_record').execute();
  },
};
