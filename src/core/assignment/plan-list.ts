/** A whole pasted list planned: every record read (one call per module) and every line planned. */
import type { RecordListEntry } from '../records/list.js';
import { type RecordRef, recordKey } from '../records/ref.js';
import { TerritoryIndex } from '../territories/hierarchy.js';
import { resolveTerritories } from '../territories/resolve.js';
import type { Territory, ZohoApi, ZohoModule, ZohoRecord } from '../zoho/types.js';
import type { PlanIssue } from './limits.js';
import { type ChangeAction, type ChangePlan, planChange } from './plan.js';
import { MODULE_ORDER, type PlanSummary, summarizePlans } from './plan-summary.js';

/**
 * Reads the current territories of every record in the list: one getRecords per module
 * (the client sends at most 100 ids per call). Keyed by `Module/ID`; missing records are absent.
 */
export async function readRecords(
  api: Pick<ZohoApi, 'getRecords'>,
  refs: Iterable<RecordRef>,
): Promise<Map<string, ZohoRecord>> {
  const byModule = new Map<ZohoModule, Set<string>>();
  for (const ref of refs) {
    const ids = byModule.get(ref.module) ?? new Set<string>();
    ids.add(ref.recordId);
    byModule.set(ref.module, ids);
  }
  const out = new Map<string, ZohoRecord>();
  for (const module of MODULE_ORDER) {
    const ids = byModule.get(module);
    if (!ids) continue;
    for (const record of await api.getRecords(module, [...ids])) {
      out.set(recordKey({ module: record.module, recordId: record.id }), record);
    }
  }
  return out;
}

export interface ListPlanInput {
  action: ChangeAction;
  entries: readonly RecordListEntry[];
  /** From readRecords: `Module/ID` → record. */
  records: ReadonlyMap<string, ZohoRecord>;
  catalog: TerritoryIndex | readonly Territory[];
  /** Used for lines that name no territory (the bulk modal's default territory). */
  defaultTerritoryIds?: readonly string[];
}

export interface ListPlanItem {
  lineNo: number;
  lineNos: number[];
  ref: RecordRef;
  /** Resolved territory ids (from the line, else the default). */
  territoryIds: string[];
  plan: ChangePlan;
}

export interface ListPlan {
  items: ListPlanItem[];
  summary: PlanSummary;
}

/**
 * Plans every line of a parsed list: resolves the line's territories (or takes the default),
 * then applies planChange with the record as read. A territory that does not resolve blocks
 * that line only, with the resolver's sentence ("did you mean …").
 */
export function planList(input: ListPlanInput): ListPlan {
  const index = input.catalog instanceof TerritoryIndex ? input.catalog : new TerritoryIndex(input.catalog);
  const defaults = [...new Set(input.defaultTerritoryIds ?? [])];
  const items: ListPlanItem[] = input.entries.map((entry) => {
    const record = input.records.get(recordKey(entry.ref)) ?? null;
    let territoryIds = defaults;
    const resolutionIssues: PlanIssue[] = [];
    if (entry.territories.length > 0) {
      const resolved = resolveTerritories(index, entry.territories);
      territoryIds = resolved.territories.map((t) => t.id);
      for (const f of resolved.failures) {
        resolutionIssues.push({
          code: f.reason === 'ambiguous' ? 'ambiguous_territory' : 'unknown_territory',
          severity: 'error',
          message: f.message,
        });
      }
    }
    let plan = planChange({ action: input.action, record, territoryIds, catalog: index, ref: entry.ref });
    for (const issue of resolutionIssues) issue.message = `${plan.recordLabel}: ${issue.message}`;
    if (resolutionIssues.length > 0) {
      // With an unresolved name, "no territory given" would be misleading: drop it.
      const kept = plan.issues.filter((i) => i.code !== 'no_territories');
      plan = blocked(plan, [...resolutionIssues, ...kept]);
    }
    return { lineNo: entry.lineNo, lineNos: [...entry.lineNos], ref: entry.ref, territoryIds, plan };
  });
  return {
    items,
    summary: summarizePlans(
      items.map((i) => i.plan),
      index,
    ),
  };
}

function blocked(plan: ChangePlan, issues: PlanIssue[]): ChangePlan {
  return {
    ...plan,
    ok: false,
    noop: false,
    assignIds: [],
    removeIds: [],
    after: [...plan.before],
    issues,
    errors: issues.filter((i) => i.severity === 'error').map((i) => i.message),
    warnings: issues.filter((i) => i.severity === 'warning').map((i) => i.message),
  };
}
