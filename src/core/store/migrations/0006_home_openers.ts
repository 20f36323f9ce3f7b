import type { Kysely, Migration } from 'kysely';

/**
 * The people who opened the app's Home tab: only their Home is republished when something it
 * shows changes (views.publish for everyone else would be wasted calls).
 */
export const homeOpenersMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('home_openers')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('opened_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropTable('home_openers').execute();
  },
};
