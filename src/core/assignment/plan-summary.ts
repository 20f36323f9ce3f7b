/** A bulk request's plans summed up: counts per module and territory, issues as sentences. */
import { TerritoryIndex } from '../territories/hierarchy.js';
import type { Territory, ZohoModule } from '../zoho/types.js';
import type { PlanIssueCode } from './limits.js';
import { type ChangePlan, plural } from './plan.js';

export interface PlanSummaryTerritory {
  territoryId: string;
  name: string;
  path: string;
  /** Records that would get it. */
  assign: number;
  /** Records that would lose it. */
  remove: number;
}

export interface PlanSummary {
  total: number;
  /** Items that would be sent to Zoho. */
  ready: number;
  /** Items that need nothing (e.g. territory already there). */
  noop: number;
  /** Items with a blocking error. */
  blocked: number;
  byModule: Array<{ module: ZohoModule; count: number }>;
  byTerritory: PlanSummaryTerritory[];
  /** Records per issue code. */
  issueCounts: Partial<Record<PlanIssueCode, number>>;
  /** Aggregated sentences: "3 Deals already have a territory", "2 records would exceed 10 territories". */
  warnings: string[];
}

export const MODULE_ORDER: readonly ZohoModule[] = ['Leads', 'Accounts', 'Contacts', 'Deals'];

/** Counts per module and per territory, and the issues aggregated across a bulk request. */
export function summarizePlans(
  plans: readonly ChangePlan[],
  catalog: TerritoryIndex | readonly Territory[],
): PlanSummary {
  const index = catalog instanceof TerritoryIndex ? catalog : new TerritoryIndex(catalog);
  const modules = new Map<ZohoModule, number>();
  const territories = new Map<string, PlanSummaryTerritory>();
  const issueCounts: Partial<Record<PlanIssueCode, number>> = {};
  let ready = 0;
  let noop = 0;
  let blocked = 0;

  const territory = (id: string) => {
    let t = territories.get(id);
    if (!t) {
      t = { territoryId: id, name: index.byId(id)?.name ?? id, path: index.path(id), assign: 0, remove: 0 };
      territories.set(id, t);
    }
    return t;
  };

  for (const plan of plans) {
    if (plan.module) modules.set(plan.module, (modules.get(plan.module) ?? 0) + 1);
    if (!plan.ok) blocked++;
    else if (plan.noop) noop++;
    else ready++;
    for (const id of plan.assignIds) territory(id).assign++;
    for (const id of plan.removeIds) territory(id).remove++;
    // Count records, not issues: a record with two unknown territories is one record.
    for (const code of new Set(plan.issues.map((i) => i.code))) {
      issueCounts[code] = (issueCounts[code] ?? 0) + 1;
    }
  }

  const warnings: string[] = [];
  for (const code of ISSUE_ORDER) {
    const n = issueCounts[code];
    if (n) warnings.push(AGGREGATE[code](n));
  }

  return {
    total: plans.length,
    ready,
    noop,
    blocked,
    byModule: MODULE_ORDER.filter((m) => modules.has(m)).map((module) => ({
      module,
      count: modules.get(module)!,
    })),
    byTerritory: [...territories.values()].sort(
      (a, b) => b.assign + b.remove - (a.assign + a.remove) || a.path.localeCompare(b.path),
    ),
    issueCounts,
    warnings,
  };
}

const ISSUE_ORDER: readonly PlanIssueCode[] = [
  'record_not_found',
  'unknown_territory',
  'ambiguous_territory',
  'no_territories',
  'deal_has_territory',
  'deal_single_territory',
  'too_many_territories',
  'not_on_record',
  'rule_assigned',
  'rule_assigned_kept',
  'already_assigned',
  'nothing_to_do',
];

const records = (n: number) => `${n} ${plural(n, 'record', 'records')}`;
const deals = (n: number) => `${n} ${plural(n, 'Deal', 'Deals')}`;

const AGGREGATE: Record<PlanIssueCode, (n: number) => string> = {
  record_not_found: (n) => `${records(n)} ${plural(n, 'was', 'were')} not found in Zoho`,
  unknown_territory: (n) => `${records(n)} ${plural(n, 'names', 'name')} a territory that does not exist`,
  ambiguous_territory: (n) => `${records(n)} ${plural(n, 'names', 'name')} a territory that matches several`,
  no_territories: (n) => `${records(n)} ${plural(n, 'has', 'have')} no territory (pick a default territory)`,
  deal_has_territory: (n) => `${deals(n)} already ${plural(n, 'has', 'have')} a territory (a Deal holds one)`,
  deal_single_territory: (n) => `${deals(n)} ${plural(n, 'was', 'were')} given more than one territory`,
  too_many_territories: (n) => `${records(n)} would exceed 10 territories`,
  not_on_record: (n) => `${records(n)} ${plural(n, 'does', 'do')} not have the territory to remove`,
  rule_assigned: (n) =>
    `${records(n)} ${plural(n, 'has', 'have')} a rule-assigned territory that cannot be removed through the API`,
  rule_assigned_kept: (n) => `${records(n)} ${plural(n, 'keeps', 'keep')} a rule-assigned territory`,
  already_assigned: (n) => `${records(n)} already ${plural(n, 'has', 'have')} the territory (skipped)`,
  nothing_to_do: (n) => `${records(n)} ${plural(n, 'needs', 'need')} no change`,
};
