import type { Kysely, Migration } from 'kysely';

/**
 * `/territory show` finds a record's items by (module, record_id) and sorts the few it finds by
 * time. The index held `updated_at` too, so each of an item's three writes in a bulk (in flight,
 * Zoho's answer, confirmed) moved its entry, and the records of a batch are scattered across the
 * index: a 100-record batch wrote ~100 index pages per commit (issue 13, send overhead).
 */
export const itemsByRecordIdMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
  async up(db: Kysely<any>) {
    await db.schema.dropIndex('request_items_by_record').execute();
    await db.schema
      .createIndex('request_items_by_record_id')
      .on('request_items')
      .columns(['module', 'record_id'])
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('request_items_by_record_id').execute();
    await db.schema
      .createIndex('request_items_by_record')
      .on('request_items')
      .columns(['module', 'record_id', 'updated_at'])
      .execute();
  },
};
