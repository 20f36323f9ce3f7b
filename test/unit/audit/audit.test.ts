import { parse } from 'csv-parse/sync';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AUDIT_CSV_COLUMNS,
  type AuditFileSender,
  exportAudit,
  parseAuditFilter,
  RetentionPruner,
} from '../../../src/core/audit/index.js';
import { ManualClock } from '../../../src/core/clock.js';
import { openStore } from '../../../src/core/store/index.js';
import type { NewRequestItem, Store } from '../../../src/core/store/types.js';

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const DAY = 86_400_000;
const LEAD = '3652397000001234567';

describe('parseAuditFilter', () => {
  it.each([
    ['', { kind: 'all' }],
    [`Leads/${LEAD}`, { kind: 'record', record: { module: 'Leads', recordId: LEAD } }],
    ['<@U0REP00001|sam>', { kind: 'user', userId: 'U0REP00001' }],
    ['<@U0REP00001>', { kind: 'user', userId: 'U0REP00001' }],
    ['U0REP00001', { kind: 'user', userId: 'U0REP00001' }],
    ['since 2026-01-31', { kind: 'since', since: Date.UTC(2026, 0, 31) }],
    ['SINCE 30d', { kind: 'since', since: NOW - 30 * DAY }],
  ])('reads %j', (text, filter) => {
    expect(parseAuditFilter(text, NOW)).toEqual({ ok: true, filter });
  });

  it.each([
    ['since', /one date/],
    ['since 2026-02-31', /not a date/],
    ['since yesterday', /not a date/],
    ['@sam', /did not send "@sam" as a person/],
    ['Leads/1 Leads/2', /one filter/],
    ['Widgets/123', /./],
  ])('refuses %j with the reason', (text, problem) => {
    const r = parseAuditFilter(text, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
  });
});

describe('exportAudit', () => {
  let store: Store | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  const item = (seq: number, recordId: string): NewRequestItem => ({
    seq,
    lineNo: null,
    module: 'Leads',
    recordId,
    action: 'assign',
    territoryIds: ['111'],
    removeTerritoryIds: [],
    before: [],
  });

  async function seeded(requests: number, perRequest: number, reason = 'Q1') {
    store = await openStore('sqlite::memory:');
    for (let r = 0; r < requests; r += 1) {
      await store.createRequest(
        {
          id: `req-${String(r).padStart(3, '0')}`,
          kind: 'bulk',
          state: 'done',
          requesterId: r % 2 === 0 ? 'UREP' : 'UOTHER',
          originChannelId: null,
          reason,
          itemCount: perRequest,
          summary: {},
          createdAt: NOW - DAY + r,
          expiresAt: null,
        },
        Array.from({ length: perRequest }, (_, i) => item(i, `${9_000 + r * 100 + i}`)),
      );
    }
    return store;
  }

  function sender() {
    const sent: Array<{ userId: string; filename: string; content: string; comment: string }> = [];
    const files: AuditFileSender = {
      async sendCsv(userId, file) {
        sent.push({ userId, ...file });
      },
    };
    return { sent, files };
  }

  const deps = (s: Store, files: AuditFileSender, admin: boolean, extra = {}) => ({
    store: s,
    clock: new ManualClock(NOW),
    isAdmin: async () => admin,
    territoryNames: async () => new Map([['111', 'West']]),
    files,
    ...extra,
  });

  it('pages through the store and caps the file, saying so', async () => {
    const s = await seeded(6, 5);
    const { sent, files } = sender();
    const result = await exportAudit(deps(s, files, true, { maxRows: 12, pageSize: 4 }), {
      userId: 'UADMIN',
      text: '',
    });
    expect(result).toMatchObject({ ok: true, rows: 12, capped: true, maxRows: 12, scope: 'all' });
    const rows = parse(sent[0]!.content, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(12);
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows[0]).toMatchObject({ request_id: 'req-000', record: 'Leads/9000', territories: 'West (111)' });
    expect(sent[0]!.comment).toMatch(/12 rows, capped at 12/);
  });

  it('does not call it capped when the rows fit exactly', async () => {
    const s = await seeded(2, 5);
    const { files } = sender();
    const result = await exportAudit(deps(s, files, true, { maxRows: 10, pageSize: 3 }), {
      userId: 'U',
      text: '',
    });
    expect(result).toMatchObject({ ok: true, rows: 10, capped: false });
  });

  it('limits a non-admin to their own requests', async () => {
    const s = await seeded(4, 2);
    const { sent, files } = sender();
    const result = await exportAudit(deps(s, files, false), { userId: 'UREP', text: '' });
    expect(result).toMatchObject({ ok: true, rows: 4, scope: 'own' });
    const rows = parse(sent[0]!.content, { columns: true }) as Array<Record<string, string>>;
    expect(new Set(rows.map((r) => r.asked_by))).toEqual(new Set(['UREP']));
    expect(sent[0]!.userId).toBe('UREP');
  });

  it('quotes commas, quotes and line breaks, and defuses formulas', async () => {
    const s = await seeded(1, 1, '=HYPERLINK("x"), and\na second line');
    const { sent, files } = sender();
    await exportAudit(deps(s, files, true), { userId: 'U', text: '' });
    const rows = parse(sent[0]!.content, { columns: true }) as Array<Record<string, string>>;
    expect(rows[0]!.reason).toBe('\'=HYPERLINK("x"), and\na second line');
  });

  it('sends nothing when nothing matches, and refuses a bad filter before reading', async () => {
    const s = await seeded(1, 1);
    const { sent, files } = sender();
    expect(await exportAudit(deps(s, files, true), { userId: 'U', text: 'since 2030-01-01' })).toMatchObject({
      ok: true,
      rows: 0,
    });
    expect(await exportAudit(deps(s, files, true), { userId: 'U', text: 'since soon' })).toMatchObject({
      ok: false,
    });
    expect(sent).toEqual([]);
  });
});

describe('RetentionPruner', () => {
  let store: Store | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  it('prunes once a day whichever replica gets there, past the retention only', async () => {
    store = await openStore('sqlite::memory:');
    const clock = new ManualClock(NOW);
    const logger = pino({ enabled: false });
    await store.appendAudit({
      at: NOW - 31 * DAY,
      actor: 'U',
      action: 'request.created',
      requestId: 'a',
      data: {},
    });
    await store.appendAudit({
      at: NOW - 29 * DAY,
      actor: 'U',
      action: 'request.created',
      requestId: 'b',
      data: {},
    });
    const one = new RetentionPruner({ store, clock, logger, retentionDays: 30, instanceId: 'r1' });
    const two = new RetentionPruner({ store, clock, logger, retentionDays: 30, instanceId: 'r2' });
    expect(await one.runIfDue()).toEqual({ auditRows: 1, resolvedAlerts: 0, drafts: 0 });
    // The other replica, an hour later: already done today.
    clock.advance(3_600_000);
    expect(await two.runIfDue()).toBeNull();
    expect((await store.listAudit()).map((e) => e.requestId)).toEqual(['b']);
    // A day later the second row is past the retention too, and either replica prunes it.
    clock.advance(2 * DAY);
    expect(await two.runIfDue()).toEqual({ auditRows: 1, resolvedAlerts: 0, drafts: 0 });
    expect(await store.listAudit()).toEqual([]);
  });

  it('skips a run while another replica holds the lease', async () => {
    store = await openStore('sqlite::memory:');
    const clock = new ManualClock(NOW);
    await store.acquireLease('audit:retention', 'other', 60_000, NOW);
    const mine = new RetentionPruner({
      store,
      clock,
      logger: pino({ enabled: false }),
      retentionDays: 30,
      instanceId: 'me',
    });
    expect(await mine.runIfDue()).toBeNull();
  });
});
