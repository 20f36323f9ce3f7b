import { describe, expect, it } from 'vitest';
import {
  ISSUE_LABELS,
  MAX_RECORDS_PER_CALL,
  maxTerritoriesFor,
  primaryIssue,
  splitByAssignment,
} from '../../../src/core/assignment/limits.js';
import { planChange } from '../../../src/core/assignment/plan.js';
import { TerritoryIndex } from '../../../src/core/territories/index.js';
import type { RecordTerritory, Territory, ZohoModule, ZohoRecord } from '../../../src/core/zoho/types.js';

const T = (n: number) => String(3652397000000200000n + BigInt(n));
const territories: Territory[] = [
  {
    id: T(0),
    name: 'Global',
    apiName: 'Global',
    description: null,
    parentId: null,
    managerId: null,
    managerName: null,
    permissionType: 'read_write_delete',
  },
  ...Array.from({ length: 15 }, (_, i) => ({
    id: T(i + 1),
    name: `Region ${i + 1}`,
    apiName: null,
    description: null,
    parentId: T(0),
    managerId: null,
    managerName: null,
    permissionType: 'read_write_delete' as const,
  })),
];
const catalog = new TerritoryIndex(territories);
const name = (id: string) => catalog.byId(id)!.name;

const REC = '3652397000001234567';

function record(
  module: ZohoModule,
  current: Array<[number, RecordTerritory['assigned']]> = [],
  recordName: string | null = null,
): ZohoRecord {
  return {
    module,
    id: REC,
    name: recordName,
    territories: current.map(([n, assigned]) => ({ id: T(n), name: name(T(n)), assigned })),
  };
}

describe('limits', () => {
  it('knows Zoho limits', () => {
    expect(maxTerritoriesFor('Deals')).toBe(1);
    expect(maxTerritoriesFor('Leads')).toBe(10);
    expect(maxTerritoriesFor('Accounts')).toBe(10);
    expect(maxTerritoriesFor('Contacts')).toBe(10);
    expect(MAX_RECORDS_PER_CALL).toBe(100);
  });

  it('labels issues briefly, errors first', () => {
    expect(primaryIssue([])).toBeUndefined();
    const main = primaryIssue([
      { code: 'already_assigned', severity: 'warning', message: 'x' },
      { code: 'deal_has_territory', severity: 'error', message: 'y' },
    ]);
    expect(main && ISSUE_LABELS[main.code]).toBe('Deal already has a territory');
    expect(primaryIssue([{ code: 'rule_assigned_kept', severity: 'warning', message: 'z' }])?.code).toBe(
      'rule_assigned_kept',
    );
    for (const label of Object.values(ISSUE_LABELS)) expect(label.length).toBeLessThanOrEqual(50);
  });

  it('splits territories by $assigned, unknown counted as manual', () => {
    expect(
      splitByAssignment(
        record('Leads', [
          [1, 'manually'],
          [2, 'automatically'],
          [3, 'unknown'],
        ]),
      ),
    ).toEqual({ manual: [T(1), T(3)], rule: [T(2)] });
  });
});

describe('planChange: assign', () => {
  it('assigns new territories and predicts the result', () => {
    const p = planChange({
      action: 'assign',
      record: record('Leads', [[1, 'manually']]),
      territoryIds: [T(2), T(3)],
      catalog,
    });
    expect(p).toMatchObject({
      ok: true,
      noop: false,
      module: 'Leads',
      recordId: REC,
      recordLabel: `Leads/${REC}`,
      assignIds: [T(2), T(3)],
      removeIds: [],
      before: [T(1)],
      after: [T(1), T(2), T(3)],
      errors: [],
      warnings: [],
    });
  });

  it('skips a territory already on the record with a note, not an error', () => {
    const p = planChange({
      action: 'assign',
      record: record('Accounts', [[1, 'manually']], 'Acme'),
      territoryIds: [T(1), T(2), T(2)],
      catalog,
    });
    expect(p.ok).toBe(true);
    expect(p.assignIds).toEqual([T(2)]);
    expect(p.warnings).toEqual([`Region 1 is already on Account "Acme" (Accounts/${REC}); skipped.`]);
  });

  it('is a noop when every territory is already there', () => {
    const p = planChange({
      action: 'assign',
      record: record('Leads', [[1, 'automatically']]),
      territoryIds: [T(1)],
      catalog,
    });
    expect(p.ok).toBe(true);
    expect(p.noop).toBe(true);
    expect(p.assignIds).toEqual([]);
    expect(p.after).toEqual([T(1)]);
    expect(p.issues.map((i) => i.code)).toEqual(['already_assigned']);
  });

  it('assigns one territory to a Deal without one', () => {
    const p = planChange({ action: 'assign', record: record('Deals'), territoryIds: [T(4)], catalog });
    expect(p.ok).toBe(true);
    expect(p.after).toEqual([T(4)]);
  });

  it('refuses a second territory on a Deal and points to move', () => {
    const p = planChange({
      action: 'assign',
      record: record('Deals', [[1, 'manually']], 'Big renewal'),
      territoryIds: [T(2)],
      catalog,
    });
    expect(p.ok).toBe(false);
    expect(p.assignIds).toEqual([]);
    expect(p.after).toEqual(p.before);
    expect(p.errors).toEqual([
      `Deal "Big renewal" (Deals/${REC}) already has Region 1, and a Deal holds one territory. Use move to replace it with Region 2.`,
    ]);
    expect(p.issues[0]!.code).toBe('deal_has_territory');
  });

  it('explains a Deal whose territory came from a rule', () => {
    const p = planChange({
      action: 'assign',
      record: record('Deals', [[1, 'automatically']]),
      territoryIds: [T(2)],
      catalog,
    });
    expect(p.errors[0]).toMatch(/from a territory rule.*change the territory rule, or ask a Zoho admin/);
  });

  it('refuses two territories for one Deal', () => {
    const p = planChange({ action: 'assign', record: record('Deals'), territoryIds: [T(2), T(3)], catalog });
    expect(p.ok).toBe(false);
    expect(p.errors).toEqual([
      `A Deal holds one territory, but 2 were given for Deals/${REC} (Region 2, Region 3).`,
    ]);
  });

  it('allows exactly 10 territories and refuses 11, counting existing ones', () => {
    const nine = Array.from({ length: 9 }, (_, i) => [i + 1, 'manually'] as [number, 'manually']);
    const ok = planChange({
      action: 'assign',
      record: record('Contacts', nine),
      territoryIds: [T(10)],
      catalog,
    });
    expect(ok.ok).toBe(true);
    expect(ok.after).toHaveLength(10);
    const tooMany = planChange({
      action: 'assign',
      record: record('Contacts', nine),
      territoryIds: [T(10), T(11)],
      catalog,
    });
    expect(tooMany.ok).toBe(false);
    expect(tooMany.errors).toEqual([
      `Contacts/${REC} has 9 territories; adding Region 10, Region 11 would make 11, and Zoho allows at most 10 per record.`,
    ]);
  });

  it('does not count already-present territories twice toward the limit', () => {
    const ten = Array.from({ length: 10 }, (_, i) => [i + 1, 'manually'] as [number, 'manually']);
    const p = planChange({ action: 'assign', record: record('Leads', ten), territoryIds: [T(1)], catalog });
    expect(p.ok).toBe(true);
    expect(p.noop).toBe(true);
  });

  it('refuses an unknown territory', () => {
    const p = planChange({ action: 'assign', record: record('Leads'), territoryIds: [T(99), T(1)], catalog });
    expect(p.ok).toBe(false);
    expect(p.errors).toEqual([
      `Territory ${T(99)} does not exist in Zoho (it may have been deleted), so it cannot be used for Leads/${REC}.`,
    ]);
    expect(p.issues[0]).toMatchObject({ code: 'unknown_territory', territoryId: T(99) });
  });

  it('refuses a missing record, naming it from the ref', () => {
    const p = planChange({
      action: 'assign',
      record: null,
      ref: { module: 'Deals', recordId: REC },
      territoryIds: [T(1)],
      catalog,
    });
    expect(p.ok).toBe(false);
    expect(p.module).toBe('Deals');
    expect(p.errors[0]).toBe(
      `Deals/${REC} was not found in Zoho CRM: it may have been deleted or merged, or the API user cannot see it.`,
    );
    expect(p.before).toEqual([]);
  });

  it('refuses an empty territory list', () => {
    const p = planChange({ action: 'assign', record: record('Leads'), territoryIds: [], catalog });
    expect(p.errors).toEqual([`No territory was given for Leads/${REC}.`]);
  });

  it('accepts a plain territory array as the catalog', () => {
    const p = planChange({
      action: 'assign',
      record: record('Leads'),
      territoryIds: [T(1)],
      catalog: territories,
    });
    expect(p.ok).toBe(true);
  });
});

describe('planChange: remove', () => {
  it('removes manual territories', () => {
    const p = planChange({
      action: 'remove',
      record: record('Leads', [
        [1, 'manually'],
        [2, 'unknown'],
        [3, 'manually'],
      ]),
      territoryIds: [T(1), T(2)],
      catalog,
    });
    expect(p).toMatchObject({ ok: true, removeIds: [T(1), T(2)], assignIds: [], after: [T(3)] });
  });

  it('gives a clear error for a territory not on the record', () => {
    const p = planChange({
      action: 'remove',
      record: record('Leads', [[1, 'manually']]),
      territoryIds: [T(2)],
      catalog,
    });
    expect(p.ok).toBe(false);
    expect(p.errors).toEqual([`Region 2 is not on Leads/${REC}, so it cannot be removed.`]);
  });

  it('explains that rule-assigned territories cannot be removed', () => {
    const p = planChange({
      action: 'remove',
      record: record('Leads', [[1, 'automatically']], 'Ann Lee'),
      territoryIds: [T(1)],
      catalog,
    });
    expect(p.ok).toBe(false);
    expect(p.errors).toEqual([
      `Region 1 was assigned to Lead "Ann Lee" (Leads/${REC}) by a territory rule, and Zoho does not let ` +
        'rule-assigned territories be removed through the API. Change the territory rule, or ask a Zoho admin.',
    ]);
    expect(p.issues[0]).toMatchObject({ code: 'rule_assigned', territoryId: T(1) });
  });

  it('removes a territory that is on the record but gone from the catalog', () => {
    const rec: ZohoRecord = {
      module: 'Leads',
      id: REC,
      name: null,
      territories: [{ id: T(77), name: 'Old region', assigned: 'manually' }],
    };
    const p = planChange({ action: 'remove', record: rec, territoryIds: [T(77)], catalog });
    expect(p.ok).toBe(true);
    expect(p.removeIds).toEqual([T(77)]);
  });
});

describe('planChange: move', () => {
  it('moves a Deal from one territory to another', () => {
    const p = planChange({
      action: 'move',
      record: record('Deals', [[1, 'manually']]),
      territoryIds: [T(2)],
      catalog,
    });
    expect(p).toMatchObject({
      ok: true,
      removeIds: [T(1)],
      assignIds: [T(2)],
      before: [T(1)],
      after: [T(2)],
    });
  });

  it('moves a Deal without a territory (assign only)', () => {
    const p = planChange({ action: 'move', record: record('Deals'), territoryIds: [T(2)], catalog });
    expect(p).toMatchObject({ ok: true, removeIds: [], assignIds: [T(2)], after: [T(2)] });
  });

  it('refuses to move a Deal away from a rule-assigned territory', () => {
    const p = planChange({
      action: 'move',
      record: record('Deals', [[1, 'automatically']]),
      territoryIds: [T(2)],
      catalog,
    });
    expect(p.ok).toBe(false);
    expect(p.errors[0]).toMatch(
      /Region 1 was assigned to Deals\/\d+ by a territory rule.*moved away from.*Change the territory rule/,
    );
  });

  it('refuses a move of a Deal to two territories', () => {
    const p = planChange({ action: 'move', record: record('Deals'), territoryIds: [T(2), T(3)], catalog });
    expect(p.issues.map((i) => i.code)).toEqual(['deal_single_territory']);
  });

  it('replaces only manual territories of other records, keeping rule-assigned ones with a warning', () => {
    const p = planChange({
      action: 'move',
      record: record('Accounts', [
        [1, 'manually'],
        [2, 'automatically'],
        [3, 'manually'],
      ]),
      territoryIds: [T(3), T(4)],
      catalog,
    });
    expect(p.ok).toBe(true);
    expect(p.removeIds).toEqual([T(1)]);
    expect(p.assignIds).toEqual([T(4)]);
    expect(p.after.sort()).toEqual([T(2), T(3), T(4)].sort());
    expect(p.warnings).toEqual([
      `Region 2 stays on Accounts/${REC}: it was assigned by a territory rule, and a move only replaces manual territories.`,
    ]);
  });

  it('keeps a rule-assigned territory that is also a target without warning', () => {
    const p = planChange({
      action: 'move',
      record: record('Leads', [
        [1, 'automatically'],
        [2, 'manually'],
      ]),
      territoryIds: [T(1)],
      catalog,
    });
    expect(p).toMatchObject({ ok: true, removeIds: [T(2)], assignIds: [], after: [T(1)], warnings: [] });
  });

  it('is a noop when the record already has exactly the targets', () => {
    const p = planChange({
      action: 'move',
      record: record('Deals', [[5, 'manually']]),
      territoryIds: [T(5)],
      catalog,
    });
    expect(p.ok).toBe(true);
    expect(p.noop).toBe(true);
    expect(p.warnings[0]).toMatch(/already has Region 5 and no other manual territory; nothing to move/);
  });

  it('refuses a move that ends above 10 territories because of rule-assigned ones', () => {
    const rules = Array.from({ length: 9 }, (_, i) => [i + 1, 'automatically'] as [number, 'automatically']);
    const p = planChange({
      action: 'move',
      record: record('Leads', rules),
      territoryIds: [T(10), T(11)],
      catalog,
    });
    expect(p.ok).toBe(false);
    expect(p.errors.at(-1)).toMatch(/would have 11 territories \(9 from territory rules stay\).*at most 10/);
  });
});
