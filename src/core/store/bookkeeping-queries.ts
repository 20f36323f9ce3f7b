/**
 * Queries on the small bookkeeping tables: `audit_log`, `message_refs` (Slack messages to
 * update later), `leases` (one replica runs a loop) and `settings`.
 */
import type { Kysely } from 'kysely';
import { auditFromRow, toJson } from './rows.js';
import type { Database } from './schema.js';
import type { AuditEntry, MessageRef } from './types.js';

export async function appendAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      request_id: entry.requestId,
      data: toJson(entry.data),
    })
    .execute();
}

export async function listAudit(
  db: Kysely<Database>,
  options: { requestId?: string; action?: string; limit?: number; order?: 'asc' | 'desc' },
): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (options.requestId !== undefined) q = q.where('request_id', '=', options.requestId);
  if (options.action !== undefined) q = q.where('action', '=', options.action);
  const dir = options.order ?? 'asc';
  q = q.orderBy('id', dir);
  if (options.limit !== undefined) q = q.limit(options.limit);
  const rows = await q.execute();
  return rows.map(auditFromRow);
}

export async function saveMessageRef(db: Kysely<Database>, key: string, ref: MessageRef): Promise<void> {
  await db
    .insertInto('message_refs')
    .values({ key, channel: ref.channel, ts: ref.ts })
    .onConflict((oc) => oc.column('key').doUpdateSet({ channel: ref.channel, ts: ref.ts }))
    .execute();
}

export async function getMessageRef(db: Kysely<Database>, key: string): Promise<MessageRef | null> {
  const row = await db
    .selectFrom('message_refs')
    .select(['channel', 'ts'])
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? { channel: row.channel, ts: row.ts } : null;
}

/** Number of code points, which is what SQL `substr` counts in both dialects. */
function codePointLength(s: string): number {
  return [...s].length;
}

export async function listMessageRefs(
  db: Kysely<Database>,
  prefix: string,
): Promise<Array<MessageRef & { key: string }>> {
  // Not LIKE: SQLite's LIKE ignores ASCII case and keys hold `_` (a LIKE wildcard) in
  // fingerprints; an exact substr comparison means the same thing in both dialects.
  const rows = await db
    .selectFrom('message_refs')
    .select(['key', 'channel', 'ts'])
    .where((eb) => eb(eb.fn('substr', ['key', eb.lit(1), eb.lit(codePointLength(prefix))]), '=', prefix))
    .execute();
  // Sorted here, not in SQL: a PostgreSQL database with a linguistic collation orders
  // punctuation differently from SQLite's byte order.
  return rows
    .map((r) => ({ key: r.key, channel: r.channel, ts: r.ts }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export async function acquireLease(
  db: Kysely<Database>,
  name: string,
  holder: string,
  ttlMs: number,
  now: number,
): Promise<boolean> {
  const expiresAt = now + ttlMs;
  // One statement: insert when free; otherwise take over only if expired or already ours.
  // PostgreSQL's ON CONFLICT locks the row, SQLite serializes writers, so two replicas
  // racing for the lease cannot both see it as won.
  const row = await db
    .insertInto('leases')
    .values({ name, holder, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: expiresAt })
        .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

export async function releaseLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}

export async function getSetting(db: Kysely<Database>, key: string): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? row.value : null;
}

export async function setSetting(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
