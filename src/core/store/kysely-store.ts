/**
 * The `Store` on Kysely. Every query is written once and runs on both SQLite and PostgreSQL:
 * conditional transitions are single `UPDATE ... WHERE state IN (...) RETURNING`, upserts are
 * `INSERT ... ON CONFLICT`, both supported by SQLite >= 3.35 and PostgreSQL.
 */
import { type Kysely, type RawBuilder, sql, type Transaction, type Updateable } from 'kysely';
import { chunk } from '../chunk.js';
import type { Clock } from '../clock.js';
import type { ZohoModule } from '../zoho/types.js';
import {
  alertFromRow,
  alertToRow,
  auditFromRow,
  itemFromRow,
  jobFromRow,
  monitorRunFromRow,
  requestFromRow,
  toJson,
} from './rows.js';
import type { Database, DialectName, JobsTable, RequestItemsTable } from './schema.js';
import type {
  AlertRecord,
  AlertState,
  AuditEntry,
  ItemPatch,
  ItemPatchEntry,
  ItemState,
  JobPatch,
  JobRecord,
  MessageRef,
  MonitorRun,
  NewJob,
  NewRequest,
  NewRequestItem,
  RequestItemRecord,
  RequestRecord,
  RequestState,
  Store,
} from './types.js';

/**
 * Bound parameters per statement. SQLite's default SQLITE_MAX_VARIABLE_NUMBER is 32766
 * (since 3.32; better-sqlite3 12 keeps the default), PostgreSQL's protocol limit is 65535.
 */
const MAX_PARAMS = 30_000;

function rowsPerStatement(row: object): number {
  return Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, Object.keys(row).length)));
}

function itemPatchToRow(patch: ItemPatch): Updateable<RequestItemsTable> {
  const row: Updateable<RequestItemsTable> = {};
  if (patch.state !== undefined) row.state = patch.state;
  if (patch.jobId !== undefined) row.job_id = patch.jobId;
  if (patch.code !== undefined) row.code = patch.code;
  if (patch.message !== undefined) row.message = patch.message;
  if (patch.attempts !== undefined) row.attempts = patch.attempts;
  if (patch.before !== undefined) row.before = patch.before === null ? null : toJson(patch.before);
  if (patch.after !== undefined) row.after = patch.after === null ? null : toJson(patch.after);
  if (patch.notBefore !== undefined) row.not_before = patch.notBefore;
  if (patch.territoryIds !== undefined) row.territory_ids = toJson(patch.territoryIds);
  if (patch.removeTerritoryIds !== undefined) row.remove_territory_ids = toJson(patch.removeTerritoryIds);
  return row;
}

function jobPatchToRow(patch: JobPatch): Updateable<JobsTable> {
  const row: Updateable<JobsTable> = {};
  if (patch.state !== undefined) row.state = patch.state;
  if (patch.polls !== undefined) row.polls = patch.polls;
  if (patch.nextPollAt !== undefined) row.next_poll_at = patch.nextPollAt;
  return row;
}

/**
 * Splits entries into runs in which no key repeats. Rows of one run are distinct, so the run's
 * writes may be regrouped freely; runs apply in order, as row-by-row writes would.
 */
function distinctRuns<T>(entries: readonly T[], key: (e: T) => number): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let seen = new Set<number>();
  for (const e of entries) {
    const k = key(e);
    if (seen.has(k)) {
      runs.push(run);
      run = [];
      seen = new Set();
    }
    seen.add(k);
    run.push(e);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

interface SetGroup<S> {
  set: S;
  guard: readonly string[] | undefined;
  keys: number[];
}

/**
 * Groups entries with the same SET and guard, so each group is one `UPDATE ... WHERE key IN (...)`:
 * the fixed per-statement cost (Kysely compile, driver round trip) is what a bulk pays for.
 */
function groupBySet<S>(
  entries: ReadonlyArray<{ key: number; set: S; guard?: readonly string[] }>,
): Array<SetGroup<S>> {
  const groups = new Map<string, SetGroup<S>>();
  for (const e of entries) {
    const id = JSON.stringify([e.set, e.guard ?? null]);
    const g = groups.get(id);
    if (g) g.keys.push(e.key);
    else groups.set(id, { set: e.set, guard: e.guard, keys: [e.key] });
  }
  return [...groups.values()];
}

/** SQL types of the patchable item columns, for CASTs both dialects accept. */
const ITEM_COLUMN_TYPES: Record<string, string> = {
  state: 'text',
  job_id: 'text',
  code: 'text',
  message: 'text',
  attempts: 'integer',
  before: 'text',
  after: 'text',
  not_before: 'bigint',
  territory_ids: 'text',
  remove_territory_ids: 'text',
};

/**
 * Items per statement when each has its own values. Each CASE is scanned per row, so a
 * statement costs rows x branches; a few hundred keeps that small and the statement short.
 */
const ROWS_PER_CASE_STATEMENT = 500;

/**
 * Patches no other entry shares (e.g. each item's own job id). Items whose patches set the same
 * columns under the same guard go in one statement per few hundred items:
 * `SET col = CASE seq WHEN ? THEN CAST(? AS type) ... END WHERE seq IN (...) AND state IN (...)`.
 * The CAST types the parameter for PostgreSQL (an untyped CASE result is text there).
 */
async function updateItemRows(
  trx: Transaction<Database>,
  requestId: string,
  groups: ReadonlyArray<SetGroup<Updateable<RequestItemsTable>>>,
  now: number,
): Promise<number> {
  const shapes = new Map<string, Array<SetGroup<Updateable<RequestItemsTable>>>>();
  for (const g of groups) {
    const shape = JSON.stringify([Object.keys(g.set), g.guard ?? null]);
    const list = shapes.get(shape);
    if (list) list.push(g);
    else shapes.set(shape, [g]);
  }
  let changed = 0;
  for (const list of shapes.values()) {
    const first = list[0]!;
    const columns = Object.keys(first.set) as Array<keyof RequestItemsTable>;
    const perStatement = Math.min(
      ROWS_PER_CASE_STATEMENT,
      Math.floor((MAX_PARAMS - (first.guard?.length ?? 0) - 2) / (2 * columns.length + 1)),
    );
    for (const part of chunk(list, perStatement)) {
      const set: Record<string, RawBuilder<unknown>> = {};
      for (const col of columns) {
        const type = sql.raw(ITEM_COLUMN_TYPES[col] ?? 'text');
        const branches = part.map((g) => sql`when ${g.keys[0]} then cast(${g.set[col]} as ${type})`);
        set[col] = sql`case ${sql.ref('seq')} ${sql.join(branches, sql` `)} end`;
      }
      let q = trx
        .updateTable('request_items')
        .set({ ...(set as Updateable<RequestItemsTable>), updated_at: now })
        .where('request_id', '=', requestId)
        .where(
          'seq',
          'in',
          part.map((g) => g.keys[0]!),
        );
      if (first.guard) q = q.where('state', 'in', [...first.guard]);
      changed += Number((await q.executeTakeFirst()).numUpdatedRows);
    }
  }
  return changed;
}

/** Number of code points, which is what SQL `substr` counts in both dialects. */
function codePointLength(s: string): number {
  return [...s].length;
}

export interface KyselyStoreOptions {
  /** Supplies `now` when a caller leaves it out. */
  clock: Clock;
}

export class KyselyStore implements Store {
  private readonly clock: Clock;
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    options: KyselyStoreOptions,
  ) {
    this.clock = options.clock;
  }

  /** The underlying Kysely instance, for migrations tooling and tests. */
  get kysely(): Kysely<Database> {
    return this.db;
  }

  // --- requests and items -------------------------------------------------------------

  async createRequest(request: NewRequest, items: readonly NewRequestItem[]): Promise<RequestRecord> {
    const now = request.createdAt;
    const requestRow = {
      id: request.id,
      kind: request.kind,
      state: request.state,
      requester_id: request.requesterId,
      origin_channel_id: request.originChannelId,
      reason: request.reason,
      item_count: request.itemCount,
      summary: toJson(request.summary),
      created_at: request.createdAt,
      updated_at: now,
      expires_at: request.expiresAt,
      decided_by: null,
      decided_at: null,
      decision_comment: null,
    };
    const itemRows = items.map((it) => ({
      request_id: request.id,
      seq: it.seq,
      line_no: it.lineNo,
      module: it.module,
      record_id: it.recordId,
      action: it.action,
      territory_ids: toJson(it.territoryIds),
      remove_territory_ids: toJson(it.removeTerritoryIds),
      state: it.state ?? 'pending',
      job_id: null,
      code: it.code ?? null,
      message: it.message ?? null,
      attempts: 0,
      before: it.before === null ? null : toJson(it.before),
      after: null,
      not_before: null,
      updated_at: now,
    }));
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('requests').values(requestRow).execute();
      const first = itemRows[0];
      if (!first) return;
      for (const part of chunk(itemRows, rowsPerStatement(first))) {
        await trx.insertInto('request_items').values(part).execute();
      }
    });
    return requestFromRow(requestRow);
  }

  async getRequest(id: string): Promise<RequestRecord | null> {
    const row = await this.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? requestFromRow(row) : null;
  }

  async transitionRequest(
    id: string,
    from: readonly RequestState[],
    to: RequestState,
    patch: Partial<
      Pick<RequestRecord, 'decidedBy' | 'decidedAt' | 'decisionComment' | 'summary' | 'expiresAt'>
    > = {},
    now: number = this.clock.now(),
  ): Promise<RequestRecord | null> {
    if (from.length === 0) return null;
    const set: Updateable<Database['requests']> = { state: to, updated_at: now };
    if (patch.decidedBy !== undefined) set.decided_by = patch.decidedBy;
    if (patch.decidedAt !== undefined) set.decided_at = patch.decidedAt;
    if (patch.decisionComment !== undefined) set.decision_comment = patch.decisionComment;
    if (patch.summary !== undefined) set.summary = toJson(patch.summary);
    if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
    // One conditional statement: whoever's UPDATE matches the state first wins, the other
    // matches no row (SQLite serializes writers; PostgreSQL re-checks the WHERE after a row lock).
    const row = await this.db
      .updateTable('requests')
      .set(set)
      .where('id', '=', id)
      .where('state', 'in', [...from])
      .returningAll()
      .executeTakeFirst();
    return row ? requestFromRow(row) : null;
  }

  async updateRequestSummary(
    id: string,
    summary: Record<string, unknown>,
    now: number = this.clock.now(),
  ): Promise<void> {
    await this.db
      .updateTable('requests')
      .set({ summary: toJson(summary), updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async listRequestsByRequester(requesterId: string, limit: number): Promise<RequestRecord[]> {
    const rows = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('requester_id', '=', requesterId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(requestFromRow);
  }

  async listRequestsByState(states: readonly RequestState[], limit: number): Promise<RequestRecord[]> {
    if (states.length === 0) return [];
    const rows = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('state', 'in', [...states])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(requestFromRow);
  }

  async countDirectItemsSince(
    requesterId: string,
    since: number,
    states: readonly RequestState[],
  ): Promise<number> {
    if (states.length === 0) return 0;
    // Preview-blocked and skipped items are stored with no territories (bulk-request.ts).
    const none = toJson([]);
    const row = await this.db
      .selectFrom('request_items as i')
      .innerJoin('requests as r', 'r.id', 'i.request_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('r.requester_id', '=', requesterId)
      .where('r.created_at', '>=', since)
      .where('r.decided_by', 'is', null)
      .where('r.state', 'in', [...states])
      .where('i.state', '!=', 'skipped')
      .where((eb) => eb.or([eb('i.territory_ids', '!=', none), eb('i.remove_territory_ids', '!=', none)]))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async listExpiredPending(now: number): Promise<RequestRecord[]> {
    const rows = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('state', '=', 'pending_approval')
      .where('expires_at', 'is not', null)
      .where('expires_at', '<=', now)
      .orderBy('expires_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(requestFromRow);
  }

  async listItems(
    requestId: string,
    options: { states?: readonly ItemState[]; afterSeq?: number; limit?: number } = {},
  ): Promise<RequestItemRecord[]> {
    if (options.states && options.states.length === 0) return [];
    let q = this.db.selectFrom('request_items').selectAll().where('request_id', '=', requestId);
    if (options.states) q = q.where('state', 'in', [...options.states]);
    if (options.afterSeq !== undefined) q = q.where('seq', '>', options.afterSeq);
    q = q.orderBy('seq', 'asc');
    if (options.limit !== undefined) q = q.limit(options.limit);
    const rows = await q.execute();
    return rows.map(itemFromRow);
  }

  async getItem(requestId: string, seq: number): Promise<RequestItemRecord | null> {
    const row = await this.db
      .selectFrom('request_items')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row ? itemFromRow(row) : null;
  }

  async latestItemForRecord(
    module: ZohoModule,
    recordId: string,
  ): Promise<{ item: RequestItemRecord; request: RequestRecord } | null> {
    const row = await this.db
      .selectFrom('request_items')
      .selectAll()
      .where('module', '=', module)
      .where('record_id', '=', recordId)
      .orderBy('updated_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return null;
    const item = itemFromRow(row);
    const request = await this.getRequest(item.requestId);
    return request ? { item, request } : null;
  }

  async updateItem(
    requestId: string,
    seq: number,
    patch: ItemPatch,
    expectState?: readonly ItemState[],
    now: number = this.clock.now(),
  ): Promise<boolean> {
    if (expectState && expectState.length === 0) return false;
    let q = this.db
      .updateTable('request_items')
      .set({ ...itemPatchToRow(patch), updated_at: now })
      .where('request_id', '=', requestId)
      .where('seq', '=', seq);
    if (expectState) q = q.where('state', 'in', [...expectState]);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async updateItems(
    requestId: string,
    seqs: readonly number[],
    patch: ItemPatch,
    now: number = this.clock.now(),
  ): Promise<void> {
    if (seqs.length === 0) return;
    const set = { ...itemPatchToRow(patch), updated_at: now };
    const perStatement = MAX_PARAMS - Object.keys(set).length - 1;
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunk(seqs, perStatement)) {
        await trx
          .updateTable('request_items')
          .set(set)
          .where('request_id', '=', requestId)
          .where('seq', 'in', part)
          .execute();
      }
    });
  }

  async updateItemsEach(
    requestId: string,
    entries: readonly ItemPatchEntry[],
    now: number = this.clock.now(),
  ): Promise<number> {
    // An empty guard never matches (as in updateItem): those entries write nothing.
    const live = entries.filter((e) => !e.expectState || e.expectState.length > 0);
    if (live.length === 0) return 0;
    return this.inTransaction(async (trx) => {
      let changed = 0;
      for (const run of distinctRuns(live, (e) => e.seq)) {
        const groups = groupBySet(
          run.map((e) => ({ key: e.seq, set: itemPatchToRow(e.patch), guard: e.expectState })),
        );
        const singles: Array<SetGroup<Updateable<RequestItemsTable>>> = [];
        for (const g of groups) {
          if (g.keys.length === 1) {
            singles.push(g);
            continue;
          }
          const set = { ...g.set, updated_at: now };
          const perStatement = MAX_PARAMS - Object.keys(set).length - (g.guard?.length ?? 0) - 1;
          for (const part of chunk(g.keys, perStatement)) {
            let q = trx
              .updateTable('request_items')
              .set(set)
              .where('request_id', '=', requestId)
              .where('seq', 'in', part);
            if (g.guard) q = q.where('state', 'in', [...g.guard]);
            changed += Number((await q.executeTakeFirst()).numUpdatedRows);
          }
        }
        changed += await updateItemRows(trx, requestId, singles, now);
      }
      return changed;
    });
  }

  async countItemsByState(requestId: string): Promise<Partial<Record<ItemState, number>>> {
    const rows = await this.db
      .selectFrom('request_items')
      .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('request_id', '=', requestId)
      .groupBy('state')
      .execute();
    const out: Partial<Record<ItemState, number>> = {};
    for (const r of rows) out[r.state as ItemState] = Number(r.n);
    return out;
  }

  // --- jobs -----------------------------------------------------------------------------

  async createJobs(jobs: readonly NewJob[]): Promise<void> {
    const rows = jobs.map((j) => ({
      request_id: j.requestId,
      seq: j.seq,
      module: j.module,
      record_id: j.recordId,
      job_id: j.jobId,
      operation: j.operation,
      expect_present: toJson(j.expectPresent),
      expect_absent: toJson(j.expectAbsent),
      state: 'pending',
      polls: 0,
      created_at: j.createdAt,
      next_poll_at: j.nextPollAt,
      deadline_at: j.deadlineAt,
      updated_at: j.createdAt,
    }));
    const first = rows[0];
    if (!first) return;
    await this.inTransaction(async (trx) => {
      for (const part of chunk(rows, rowsPerStatement(first))) {
        await trx.insertInto('jobs').values(part).execute();
      }
    });
  }

  async listDueJobs(now: number, limit: number): Promise<JobRecord[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('state', '=', 'pending')
      .where('next_poll_at', '<=', now)
      .orderBy('next_poll_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
    return rows.map(jobFromRow);
  }

  async listJobs(requestId: string): Promise<JobRecord[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('id', 'asc')
      .execute();
    return rows.map(jobFromRow);
  }

  async updateJob(id: number, patch: JobPatch, now: number = this.clock.now()): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ ...jobPatchToRow(patch), updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async updateJobsEach(
    entries: ReadonlyArray<{ id: number; patch: JobPatch }>,
    now: number = this.clock.now(),
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.inTransaction(async (trx) => {
      for (const run of distinctRuns(entries, (e) => e.id)) {
        for (const g of groupBySet(run.map((e) => ({ key: e.id, set: jobPatchToRow(e.patch) })))) {
          const set = { ...g.set, updated_at: now };
          for (const part of chunk(g.keys, MAX_PARAMS - Object.keys(set).length)) {
            await trx.updateTable('jobs').set(set).where('id', 'in', part).execute();
          }
        }
      }
    });
  }

  async nextJobPollAt(): Promise<number | null> {
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.min('next_poll_at').as('next'))
      .where('state', '=', 'pending')
      .executeTakeFirst();
    const v = row?.next as number | string | null | undefined;
    return v === null || v === undefined ? null : Number(v);
  }

  // --- alerts ---------------------------------------------------------------------------

  async getAlert(fingerprint: string): Promise<AlertRecord | null> {
    const row = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('fingerprint', '=', fingerprint)
      .executeTakeFirst();
    return row ? alertFromRow(row) : null;
  }

  async listAlerts(options: { states?: readonly AlertState[] } = {}): Promise<AlertRecord[]> {
    if (options.states && options.states.length === 0) return [];
    let q = this.db.selectFrom('alerts').selectAll();
    if (options.states) q = q.where('state', 'in', [...options.states]);
    const rows = await q.orderBy('starts_at', 'asc').orderBy('fingerprint', 'asc').execute();
    return rows.map(alertFromRow);
  }

  async upsertAlert(alert: AlertRecord): Promise<void> {
    const row = alertToRow(alert);
    const { fingerprint: _key, ...rest } = row;
    await this.db
      .insertInto('alerts')
      .values(row)
      .onConflict((oc) => oc.column('fingerprint').doUpdateSet(rest))
      .execute();
  }

  async setAlertSnooze(
    fingerprint: string,
    snoozedUntil: number | null,
    snoozedBy: string | null,
    at: number,
  ): Promise<AlertRecord | null> {
    const row = await this.db
      .updateTable('alerts')
      .set({ snoozed_until: snoozedUntil, snoozed_by: snoozedBy, updated_at: at })
      .where('fingerprint', '=', fingerprint)
      .where('state', '=', 'firing')
      .returningAll()
      .executeTakeFirst();
    return row ? alertFromRow(row) : null;
  }

  // --- audit ----------------------------------------------------------------------------

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.db
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

  async listAudit(
    options: { requestId?: string; action?: string; limit?: number; order?: 'asc' | 'desc' } = {},
  ): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (options.requestId !== undefined) q = q.where('request_id', '=', options.requestId);
    if (options.action !== undefined) q = q.where('action', '=', options.action);
    const dir = options.order ?? 'asc';
    q = q.orderBy('id', dir);
    if (options.limit !== undefined) q = q.limit(options.limit);
    const rows = await q.execute();
    return rows.map(auditFromRow);
  }

  // --- Slack message references -----------------------------------------------------------

  async saveMessageRef(key: string, ref: MessageRef): Promise<void> {
    await this.db
      .insertInto('message_refs')
      .values({ key, channel: ref.channel, ts: ref.ts })
      .onConflict((oc) => oc.column('key').doUpdateSet({ channel: ref.channel, ts: ref.ts }))
      .execute();
  }

  async getMessageRef(key: string): Promise<MessageRef | null> {
    const row = await this.db
      .selectFrom('message_refs')
      .select(['channel', 'ts'])
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? { channel: row.channel, ts: row.ts } : null;
  }

  async listMessageRefs(prefix: string): Promise<Array<MessageRef & { key: string }>> {
    // Not LIKE: SQLite's LIKE ignores ASCII case and keys hold `_` (a LIKE wildcard) in
    // fingerprints; an exact substr comparison means the same thing in both dialects.
    const rows = await this.db
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

  // --- leases -----------------------------------------------------------------------------

  async acquireLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    const expiresAt = now + ttlMs;
    // One statement: insert when free; otherwise take over only if expired or already ours.
    // PostgreSQL's ON CONFLICT locks the row, SQLite serializes writers, so two replicas
    // racing for the lease cannot both see it as won.
    const row = await this.db
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

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
  }

  // --- monitor runs -----------------------------------------------------------------------

  async recordMonitorRun(run: Omit<MonitorRun, 'id'>): Promise<void> {
    await this.db
      .insertInto('monitor_runs')
      .values({
        started_at: run.startedAt,
        finished_at: run.finishedAt,
        ok: run.ok ? 1 : 0,
        outcome: run.outcome,
        details: toJson(run.details),
      })
      .execute();
  }

  async lastMonitorRun(): Promise<MonitorRun | null> {
    const row = await this.db
      .selectFrom('monitor_runs')
      .selectAll()
      .orderBy('finished_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? monitorRunFromRow(row) : null;
  }

  // --- settings ---------------------------------------------------------------------------

  async getSetting(key: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? row.value : null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }

  private inTransaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }
}
