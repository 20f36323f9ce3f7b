import { describe, expect, it } from 'vitest';
import {
  PREVIEW_CODES,
  PREVIEW_PAGE_RECORDS,
  prepareBulkRequest,
  type ValidatedEntry,
  validateBulkList,
} from '../../../src/core/assignment/bulk-request.js';
import {
  keepableBulkSummary,
  keptBulkSummary,
  loadBulkSummary,
  previewItems,
  type StoreDraftDeps,
  storeDraft,
  summarizeItems,
} from '../../../src/core/requests/index.js';
import { openStore } from '../../../src/core/store/index.js';
import { TerritoryIndex } from '../../../src/core/territories/index.js';
import type { Territory, ZohoModule, ZohoRecord } from '../../../src/core/zoho/types.js';
import { demoTerritories, territory } from '../territories/fixtures.js';

const T = demoTerritories();

/** ACCESS_MODE=open as the use case sees it: no identity, every change direct, admins decide. */
const openAccess: StoreDraftDeps['access'] = {
  settings: { mode: 'open', maxDirectChangesPerHour: 200, approvalThreshold: 1 },
  identify: async () => {
    throw new Error('open mode looks nobody up');
  },
  check: async () => ({
    decision: { kind: 'direct', touchedTerritoryIds: [] },
    requester: null,
    unmapped: null,
  }),
  route: async () => ({ mention: [], mentioned: [], adminsDecide: true }),
};
const LEAD_A = '3652397000001000001';
const LEAD_B = '3652397000001000002';
const LEAD_C = '3652397000001000003';
const DEAL = '3652397000002000001';

function catalogOf(list: Territory[], later: Territory[] = list) {
  let refreshes = 0;
  let current = new TerritoryIndex(list);
  return {
    get: async () => current,
    refresh: async () => {
      refreshes += 1;
      current = new TerritoryIndex(later);
      return current;
    },
    refreshes: () => refreshes,
  };
}

function zohoOf(records: ZohoRecord[]) {
  const calls: Array<{ module: ZohoModule; ids: string[] }> = [];
  return {
    calls,
    getRecords: async (module: ZohoModule, ids: readonly string[]) => {
      calls.push({ module, ids: [...ids] });
      return records.filter((r) => r.module === module && ids.includes(r.id));
    },
  };
}

const entry = (module: ZohoModule, id: string, territoryIds: string[], lineNo: number): ValidatedEntry => ({
  entry: { lineNo, lineNos: [lineNo], ref: { module, recordId: id }, territories: [] },
  territoryIds,
});

const meta = {
  requesterId: 'U1',
  originChannelId: 'C1',
  reason: 'test',
  source: 'paste' as const,
  notes: [],
};

describe('validateBulkList', () => {
  it('keeps good lines, reports each bad one with its number, merges duplicates', async () => {
    const catalog = catalogOf(T.all);
    const bad = await validateBulkList(
      { catalog },
      {
        text: `Leads/${LEAD_A}, US West\nnonsense\nLeads/${LEAD_B}, Nowhere Land\nLeads/${LEAD_A}, US East`,
        maxRecords: 100,
      },
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.lineErrors.map((e) => e.lineNo)).toEqual([2, 3]);
    // An unknown name makes one fresh catalog read (a territory created minutes ago).
    expect(catalog.refreshes()).toBe(1);

    const good = await validateBulkList(
      { catalog },
      {
        text: `Leads/${LEAD_A}, US West\nLeads/${LEAD_A}, US East\n${LEAD_B}`,
        maxRecords: 100,
        defaultModule: 'Leads',
        defaultTerritoryId: T.dach.id,
      },
    );
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    expect(good.entries.map((e) => [e.entry.ref.recordId, e.territoryIds])).toEqual([
      [LEAD_A, [T.usWest.id, T.usEast.id]],
      [LEAD_B, [T.dach.id]],
    ]);
    expect(good.notes.join(' ')).toMatch(/merged/);
  });

  it('refuses a line whose territory name matches several territories', async () => {
    const res = await validateBulkList(
      { catalog: catalogOf(T.all) },
      { text: `Leads/${LEAD_A}, West`, maxRecords: 10 },
    );
    expect(res).toMatchObject({
      ok: false,
      lineErrors: [{ lineNo: 1, message: expect.stringMatching(/matches 2 territories|several/) }],
    });
  });

  it('finds a territory created after the catalog was cached', async () => {
    const fresh = territory('Nordics', T.emea.id, { id: '3652397000000199999' });
    const catalog = catalogOf(T.all, [...T.all, fresh]);
    const res = await validateBulkList({ catalog }, { text: `Leads/${LEAD_A}, Nordics`, maxRecords: 10 });
    expect(res.ok).toBe(true);
  });

  it('refuses an oversized list, both paste and file, and lines without any territory', async () => {
    const catalog = catalogOf(T.all);
    const big = await validateBulkList(
      { catalog },
      { text: [LEAD_A, LEAD_B, LEAD_C].join('\n'), defaultModule: 'Leads', maxRecords: 2 },
    );
    expect(big).toMatchObject({ ok: false, listError: expect.stringMatching(/3 records.*at most 2/) });
    const both = await validateBulkList(
      { catalog },
      { text: `Leads/${LEAD_A}`, csv: `Leads/${LEAD_B}`, maxRecords: 2 },
    );
    expect(both).toMatchObject({ ok: false, listError: expect.stringMatching(/not both/) });
    const none = await validateBulkList({ catalog }, { text: `Leads/${LEAD_A}`, maxRecords: 2 });
    expect(none).toMatchObject({
      ok: false,
      lineErrors: [{ lineNo: 1, message: expect.stringMatching(/default territory/) }],
    });
  });
});

describe('prepareBulkRequest', () => {
  it('sends only what Zoho would accept, exactly the missing territories; marks the rest with the reason', async () => {
    const zoho = zohoOf([
      // Already has US West: only US East is sent (Zoho answers DUPLICATE_DATA for US West).
      {
        module: 'Leads',
        id: LEAD_A,
        name: 'Ada',
        territories: [{ id: T.usWest.id, name: 'US West', assigned: 'manually' }],
      },
      // Already has both: nothing to send.
      {
        module: 'Leads',
        id: LEAD_B,
        name: 'Bob',
        territories: [
          { id: T.usWest.id, name: 'US West', assigned: 'manually' },
          { id: T.usEast.id, name: 'US East', assigned: 'manually' },
        ],
      },
      {
        module: 'Deals',
        id: DEAL,
        name: 'Big deal',
        territories: [{ id: T.dach.id, name: 'DACH', assigned: 'manually' }],
      },
    ]);
    const prepared = await prepareBulkRequest(
      { zoho, catalog: catalogOf(T.all), now: 1_000 },
      [
        entry('Leads', LEAD_A, [T.usWest.id, T.usEast.id], 1),
        entry('Leads', LEAD_B, [T.usWest.id, T.usEast.id], 2),
        entry('Leads', LEAD_C, [T.usWest.id], 3),
        entry('Deals', DEAL, [T.usWest.id], 4),
      ],
      meta,
      'req-1',
    );
    expect(zoho.calls).toEqual([
      { module: 'Leads', ids: [LEAD_A, LEAD_B, LEAD_C] },
      { module: 'Deals', ids: [DEAL] },
    ]);
    const [a, b, c, d] = prepared.items;
    expect(a).toMatchObject({ territoryIds: [T.usEast.id], before: [T.usWest.id] });
    expect(a?.state).toBeUndefined();
    expect(b).toMatchObject({ state: 'skipped', code: PREVIEW_CODES.nothingToDo, territoryIds: [] });
    expect(c).toMatchObject({
      state: 'failed',
      code: PREVIEW_CODES.blocked,
      message: expect.stringMatching(/not found/),
      before: null,
    });
    expect(d).toMatchObject({ state: 'failed', message: expect.stringMatching(/Deal holds one territory/) });
    expect(prepared.request).toMatchObject({
      id: 'req-1',
      kind: 'bulk',
      state: 'draft',
      itemCount: 4,
      reason: 'test',
    });
    // What the preview shows of each item rides on the item, not in the request's summary.
    expect(prepared.items.map((i) => i.recordName)).toEqual(['Ada', 'Bob', null, 'Big deal']);
    expect(prepared.items.map((i) => i.issue)).toEqual([
      'already_assigned',
      'already_assigned',
      'record_not_found',
      'deal_has_territory',
    ]);
    expect(prepared.request.summary).not.toHaveProperty('recordNames');
    const summary = summarizeItems(previewItems(prepared.request, prepared.items, 'label'));
    expect(summary).toMatchObject({ total: 4, skipped: 1, blocked: 2, byModule: { Leads: 3, Deals: 1 } });
    expect(summary.byTerritory).toEqual([{ territoryId: T.usEast.id, count: 1 }]);
    // Ada is sent with a warning (US West is already there), Bob is skipped for the same reason.
    expect(summary.warnings).toEqual([
      { text: 'Territory already on the record', count: 2 },
      { text: 'Deal already has a territory', count: 1 },
      { text: 'Record not found in Zoho', count: 1 },
    ]);
  });

  it('stores the draft and audits its counts, derived from the stored items', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      const zoho = zohoOf([
        { module: 'Leads', id: LEAD_A, name: 'Ada', territories: [] },
        {
          module: 'Leads',
          id: LEAD_B,
          name: 'Bob',
          territories: [{ id: T.usWest.id, name: 'US West', assigned: 'manually' }],
        },
      ]);
      const stored = await storeDraft(
        {
          zoho,
          catalog: catalogOf(T.all),
          store,
          now: () => 5_000,
          // ACCESS_MODE=open: everyone may ask, nobody is looked up (the policy has its own tests).
          approvals: { checkRequester: async () => ({ ok: true as const }) },
          access: openAccess,
        },
        [
          entry('Leads', LEAD_A, [T.usWest.id], 1),
          entry('Leads', LEAD_B, [T.usWest.id], 2),
          entry('Leads', LEAD_C, [T.usWest.id], 3),
        ],
        meta,
      );
      if (!stored.ok) throw new Error(stored.message);
      const { request } = stored;
      const [created] = await store.listAudit({ requestId: request.id, action: 'request.created' });
      expect(created?.data).toEqual({
        kind: 'bulk',
        items: 3,
        ready: 1,
        blocked: 1,
        noop: 1,
        byModule: { Leads: 3 },
        warnings: [
          { text: 'Record not found in Zoho', count: 1 },
          { text: 'Territory already on the record', count: 1 },
        ],
        source: 'paste',
      });
      const [outcomes] = await store.listAudit({ requestId: request.id, action: 'item.preview_outcome' });
      expect(outcomes?.data.items).toHaveLength(2);

      // The summary is kept with the request: the views read it without going through the items.
      const fromItems = summarizeItems(previewItems(request, await store.listItems(request.id), 'label'));
      let itemReads = 0;
      const counting = new Proxy(store, {
        get(target, prop, receiver) {
          if (prop === 'listItems') itemReads += 1;
          return Reflect.get(target, prop, receiver);
        },
      });
      expect(await loadBulkSummary(counting, request)).toEqual(fromItems);
      expect(itemReads).toBe(0);
      // A request stored without one (before it was kept) is summarised from its items.
      const { bulkSummary: _kept, ...older } = request.summary;
      expect(await loadBulkSummary(counting, { ...request, summary: older })).toEqual(fromItems);
      expect(itemReads).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('plans and sums up 10,000 records, reading a page of records at a time per module', async () => {
    const modules: ZohoModule[] = ['Leads', 'Accounts', 'Contacts', 'Deals'];
    const calls: string[] = [];
    const zoho = {
      getRecords: async (module: ZohoModule, ids: readonly string[]) => {
        calls.push(`${module}:${ids.length}`);
        // Every hundredth record is gone from Zoho.
        return ids
          .filter((id) => BigInt(id) % 100n !== 0n)
          .map((id) => ({ module, id, name: null, territories: [] }));
      },
    };
    const entries = Array.from({ length: 10_000 }, (_, i) =>
      entry(modules[i % 4]!, String(3652397000002000000n + BigInt(i)), [T.usWest.id], i + 1),
    );
    const prepared = await prepareBulkRequest({ zoho, catalog: catalogOf(T.all), now: 1 }, entries, meta);
    // Each page is planned before the next is read: only the items outlive it.
    expect(calls).toEqual(
      modules.flatMap((m) =>
        Array.from({ length: 2_500 / PREVIEW_PAGE_RECORDS }, () => `${m}:${PREVIEW_PAGE_RECORDS}`),
      ),
    );
    const summary = summarizeItems(previewItems(prepared.request, prepared.items, 'label'));
    expect(summary).toMatchObject({
      total: 10_000,
      blocked: 100,
      skipped: 0,
      byModule: { Leads: 2_500, Accounts: 2_500, Contacts: 2_500, Deals: 2_500 },
    });
    expect(summary.byTerritory).toEqual([{ territoryId: T.usWest.id, count: 9_900 }]);
    expect(summary.warnings).toEqual([{ text: 'Record not found in Zoho', count: 100 }]);
  });
});

describe('the bulk summary kept with a draft', () => {
  const summary = {
    total: 3,
    byModule: { Leads: 3 },
    byTerritory: [{ territoryId: '1', count: 3 }],
    warnings: [{ text: 'Record not found in Zoho', count: 1 }],
    skipped: 0,
    blocked: 1,
    invalidLines: 0,
  };

  it('is kept only while small: distinct warning sentences by the hundred are summarised from the items', () => {
    expect(keepableBulkSummary(summary)).toBe(true);
    const many = Array.from({ length: 201 }, (_, i) => ({ text: `Changed since: ${i}`, count: 1 }));
    expect(keepableBulkSummary({ ...summary, warnings: many })).toBe(false);
  });

  it('is read back only when it has the shape of a summary', () => {
    expect(keptBulkSummary({ bulkSummary: summary })).toEqual(summary);
    expect(keptBulkSummary({})).toBeNull();
    expect(keptBulkSummary({ bulkSummary: { ...summary, total: -1 } })).toBeNull();
  });
});
