/** Queries of the home_openers table (who opened the Home tab, and when last). */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export async function recordHomeOpened(db: Kysely<Database>, userId: string, at: number): Promise<void> {
  await db
    .insertInto('home_openers')
    .values({ user_id: userId, opened_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ opened_at: at }))
    .execute();
}

/** Of `userIds` (all when omitted), those who opened Home, with when they last did. */
export async function listHomeOpeners(
  db: Kysely<Database>,
  userIds?: readonly string[],
): Promise<Array<{ userId: string; openedAt: number }>> {
  if (userIds && userIds.length === 0) return [];
  let q = db.selectFrom('home_openers').selectAll().orderBy('user_id');
  if (userIds) q = q.where('user_id', 'in', [...new Set(userIds)]);
  const rows = await q.execute();
  return rows.map((r) => ({ userId: r.user_id, openedAt: Number(r.opened_at) }));
}
