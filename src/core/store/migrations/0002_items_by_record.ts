import type { Kysely, Migration } from 'kysely';

/** `/territory show` asks for the last change the bot made to one record. */
export const itemsByRecordMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('request_items_by_record')
      .on('request_items')
      .columns(['module', 'record_id', 'updated_at'])
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('request_items_by_record').execute();
  },
};
