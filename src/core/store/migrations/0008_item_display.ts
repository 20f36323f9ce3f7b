import type { Kysely, Migration } from 'kysely';

/**
 * What the preview and the replies show of each item — the record's name, the preview's warning
 * and its issue code — on the item's own row. They were maps keyed by record and seq inside the
 * request's summary: every read of a 10,000-item request parsed and every transition rewrote
 * megabytes of JSON (issue 13). Requests stored before keep their maps; readers fall back to them.
 */
export const itemDisplayMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
  async up(db: Kysely<any>) {
    for (const column of ['record_name', 'warning', 'issue']) {
      await db.schema.alterTable('request_items').addColumn(column, 'text').execute();
    }
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    for (const column of ['record_name', 'warning', 'issue']) {
      await db.schema.alterTable('request_items').dropColumn(column).execute();
    }
  },
};
