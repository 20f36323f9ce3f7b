/**
 * Outbox and inbound-dedupe queries (migration 0004). Functions over a Kysely handle or a
 * transaction, so a state change and the notices that report it commit together
 * (KyselyStore.transitionRequest / createRequest call `insertNotices` inside their transaction).
 */
import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { InflightPost, NoticeKind, NoticePatch, NoticeRecord, NoticeState } from '../outbox.js';
import { noticeKey } from '../outbox.js';
import type { InboundClaim } from './inbound-claims.js';
import type { Database, OutboxTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Inserts one notice per kind. Every kind but progress is told once per request: its key is
 * fixed and a second insert does nothing. Progress coalesces: no new row while one is still
 * pending and untouched (it renders the newest state when posted); once the worker has started
 * on it, a new row with the next sequence is added so the later state is shown too. The final
 * reply supersedes the progress still pending.
 * Each insert is one statement that writes first: a SQLite transaction that read before writing
 * could deadlock with another process's (SQLITE_BUSY without waiting).
 */
export async function insertNotices(
  db: Db,
  requestId: string,
  kinds: readonly NoticeKind[],
  now: number,
): Promise<void> {
  for (const kind of kinds) {
    if (kind !== 'progress') {
      await db
        .insertInto('outbox')
        .values(newRow(noticeKey(requestId, kind), requestId, kind, now))
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      if (kind === 'final') {
        // The final reply re-renders the parent before it replies: a progress edit still pending
        // would only hold it back, up to the worker's interval between edits (a second; issue 13,
        // 10,000-record final reply lag 2.1-2.4 s instead of 1.4 s when it did).
        await db
          .updateTable('outbox')
          .set({ state: 'superseded', updated_at: now })
          .where('request_id', '=', requestId)
          .where('kind', '=', 'progress')
          .where('state', '=', 'pending')
          .execute();
      }
      continue;
    }
    // Two writers racing for the same sequence collide on the key: one row, which is the point.
    const prefix = `${noticeKey(requestId, kind)}:`;
    // Parameters are cast: PostgreSQL types an untyped parameter in a SELECT list as text.
    await sql`
      insert into outbox (key, request_id, kind, state, attempts, not_before, created_at, updated_at)
      select
        cast(${prefix} as text) || cast((select count(*) + 1 from outbox
          where request_id = cast(${requestId} as text) and kind = 'progress') as text),
        cast(${requestId} as text), 'progress', 'pending', 0,
        cast(${now} as bigint), cast(${now} as bigint), cast(${now} as bigint)
      where not exists (
        select 1 from outbox
        where request_id = cast(${requestId} as text) and kind = 'progress' and state = 'pending'
          and attempts = 0 and inflight is null
      )
      on conflict (key) do nothing`.execute(db);
  }
}

function newRow(key: string, requestId: string, kind: NoticeKind, now: number) {
  return {
    key,
    request_id: requestId,
    kind,
    state: 'pending',
    attempts: 0,
    not_before: now,
    inflight: null,
    channel: null,
    ts: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
}

/** Pending notices (`o`) with no earlier pending notice of the same request. */
function firstPendingOfEachRequest(db: Db) {
  return db
    .selectFrom('outbox as o')
    .where('o.state', '=', 'pending')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('outbox as p')
            .select(sql.lit(1).as('one'))
            .whereRef('p.request_id', '=', 'o.request_id')
            .where('p.state', '=', 'pending')
            .whereRef('p.id', '<', 'o.id'),
        ),
      ),
    );
}

/**
 * The first pending notice of each request, when due, oldest first: a request's notices go out
 * in the order they were written (the parent before its progress, the result after both).
 */
export async function listDueNotices(db: Db, now: number, limit: number): Promise<NoticeRecord[]> {
  const rows = await firstPendingOfEachRequest(db)
    .selectAll('o')
    .where('o.not_before', '<=', now)
    .orderBy('o.id', 'asc')
    .limit(limit)
    .execute();
  return rows.map(noticeFromRow);
}

/**
 * When the next notice can go (null when none is pending): the earliest notBefore among the
 * first pending notice of each request (a later one waits for its request's first anyway).
 */
export async function nextNoticeAt(db: Db): Promise<number | null> {
  const row = await firstPendingOfEachRequest(db)
    .select((eb) => eb.fn.min('o.not_before').as('next'))
    .executeTakeFirst();
  const v = row?.next as number | string | null | undefined;
  return v === null || v === undefined ? null : Number(v);
}

/** Notices not yet posted (the /metrics outbox backlog). */
export async function countPendingNotices(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listNotices(db: Db, requestId: string): Promise<NoticeRecord[]> {
  const rows = await db
    .selectFrom('outbox')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id', 'asc')
    .execute();
  return rows.map(noticeFromRow);
}

export async function updateNotice(db: Db, id: number, patch: NoticePatch, now: number): Promise<void> {
  const set: Updateable<OutboxTable> = { updated_at: now };
  if (patch.state !== undefined) set.state = patch.state;
  if (patch.attempts !== undefined) set.attempts = patch.attempts;
  if (patch.notBefore !== undefined) set.not_before = patch.notBefore;
  if (patch.inflight !== undefined)
    set.inflight = patch.inflight === null ? null : JSON.stringify(patch.inflight);
  if (patch.channel !== undefined) set.channel = patch.channel;
  if (patch.ts !== undefined) set.ts = patch.ts;
  if (patch.lastError !== undefined) set.last_error = patch.lastError;
  await db.updateTable('outbox').set(set).where('id', '=', id).execute();
}

/**
 * Records inbound deliveries (Slack event ids, slash commands' trigger_ids; distinct keys).
 * Returns the keys seen for the first time; the others are retries or replays of one seen within
 * `keepMs`. With `prune`, older keys are dropped on the way, so the table stays the size of a few
 * minutes of traffic.
 */
export async function claimInbound(
  db: Kysely<Database>,
  claims: readonly InboundClaim[],
  keepMs: number,
  prune = true,
): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  if (prune) {
    const oldest = Math.min(...claims.map((c) => c.now));
    await db
      .deleteFrom('inbound_seen')
      .where('seen_at', '<', oldest - keepMs)
      .execute();
  }
  // One statement: a new key is inserted; a key seen longer than keepMs ago (not pruned yet) is
  // a new delivery all the same and takes the row over; a recent one is left alone (no row back).
  // Written as SQL (the same text in SQLite and PostgreSQL): it runs for every slash command and
  // event, and Kysely's builder and compiler took a third of its time (issue 13, round trip).
  const values = sql.join(claims.map((c) => sql`(${c.key}, ${c.now})`));
  const { rows } = await sql<{ key: string }>`
    insert into inbound_seen ("key", seen_at) values ${values}
    on conflict ("key") do update set seen_at = excluded.seen_at
    where inbound_seen.seen_at < excluded.seen_at - ${keepMs}
    returning "key"`.execute(db);
  return new Set(rows.map((r) => r.key));
}

function noticeFromRow(r: {
  id: number | string;
  key: string;
  request_id: string;
  kind: string;
  state: string;
  attempts: number | string;
  not_before: number | string;
  inflight: string | null;
  channel: string | null;
  ts: string | null;
  last_error: string | null;
  created_at: number | string;
  updated_at: number | string;
}): NoticeRecord {
  return {
    id: Number(r.id),
    key: r.key,
    requestId: r.request_id,
    kind: r.kind as NoticeKind,
    state: r.state as NoticeState,
    attempts: Number(r.attempts),
    notBefore: Number(r.not_before),
    inflight: r.inflight === null ? null : (JSON.parse(r.inflight) as InflightPost),
    channel: r.channel,
    ts: r.ts,
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}
