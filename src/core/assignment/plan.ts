/**
 * What a change would do to one record, decided before anything is sent to Zoho: which
 * territories to assign and remove, the predicted result, and every reason it cannot go
 * (blocking errors) or should be looked at (warnings), in sentences naming the record and
 * the territory. Also the bulk preview summary shown to requesters and approvers.
 */
import type { RecordListEntry } from '../records/list.js';
import { type RecordRef, recordKey } from '../records/ref.js';
import { TerritoryIndex } from '../territories/hierarchy.js';
import { resolveTerritories } from '../territories/resolve.js';
import type { Territory, ZohoApi, ZohoModule, ZohoRecord } from '../zoho/types.js';
import { maxTerritoriesFor, type PlanIssue, type PlanIssueCode, splitByAssignment } from './limits.js';

export type ChangeAction = 'assign' | 'remove' | 'move';

export interface PlanChangeInput {
  action: ChangeAction;
  /** The record as just read from Zoho; null when Zoho did not return it. */
  record: ZohoRecord | null;
  /** Resolved territory ids: to assign (assign), to remove (remove), or the new set (move). */
  territoryIds: readonly string[];
  catalog: TerritoryIndex | readonly Territory[];
  /** Names the record in messages when `record` is null. */
  ref?: RecordRef | null;
}

export interface ChangePlan {
  /** No blocking error: the change can be sent (or needs nothing, see `noop`). */
  ok: boolean;
  action: ChangeAction;
  module: ZohoModule | null;
  recordId: string | null;
  /** How messages name the record: `Deal "Acme renewal" (Deals/…)` or `Deals/…`. */
  recordLabel: string;
  assignIds: string[];
  removeIds: string[];
  /** Territory ids on the record now. */
  before: string[];
  /** Predicted territory ids once Zoho's jobs are done (= before when blocked). */
  after: string[];
  /** ok, but nothing to send. */
  noop: boolean;
  warnings: string[];
  /** Blocking problems. */
  errors: string[];
  issues: PlanIssue[];
}

export function planChange(input: PlanChangeInput): ChangePlan {
  const index = input.catalog instanceof TerritoryIndex ? input.catalog : new TerritoryIndex(input.catalog);
  const { action, record } = input;
  const ref = record ? { module: record.module, recordId: record.id } : (input.ref ?? null);
  const recordLabel = labelRecord(record, ref);
  const issues: PlanIssue[] = [];
  const before = record ? record.territories.map((t) => t.id) : [];
  const nameOf = (id: string) =>
    index.byId(id)?.name ?? record?.territories.find((t) => t.id === id)?.name ?? `territory ${id}`;
  const names = (ids: readonly string[]) => ids.map(nameOf).join(', ');
  const error = (code: PlanIssueCode, message: string, territoryId?: string) =>
    issues.push({ code, severity: 'error', message, ...(territoryId ? { territoryId } : {}) });
  const warn = (code: PlanIssueCode, message: string, territoryId?: string) =>
    issues.push({ code, severity: 'warning', message, ...(territoryId ? { territoryId } : {}) });

  const finish = (assignIds: string[], removeIds: string[]): ChangePlan => {
    const errors = issues.filter((i) => i.severity === 'error').map((i) => i.message);
    const ok = errors.length === 0;
    const after = ok ? [...before.filter((id) => !removeIds.includes(id)), ...assignIds] : [...before];
    return {
      ok,
      action,
      module: ref?.module ?? null,
      recordId: ref?.recordId ?? null,
      recordLabel,
      assignIds: ok ? assignIds : [],
      removeIds: ok ? removeIds : [],
      before,
      after,
      noop: ok && assignIds.length === 0 && removeIds.length === 0,
      warnings: issues.filter((i) => i.severity === 'warning').map((i) => i.message),
      errors,
      issues,
    };
  };

  if (!record) {
    error(
      'record_not_found',
      `${recordLabel} was not found in Zoho CRM: it may have been deleted or merged, or the API user cannot see it.`,
    );
    return finish([], []);
  }

  const ids = [...new Set(input.territoryIds)];
  if (ids.length === 0) {
    error('no_territories', `No territory was given for ${recordLabel}.`);
    return finish([], []);
  }

  const onRecord = new Map(record.territories.map((t) => [t.id, t]));
  const { manual, rule } = splitByAssignment(record);
  const max = maxTerritoriesFor(record.module);
  const isDeal = record.module === 'Deals';

  // A territory still on the record may be missing from the catalog (deleted since); removing it is fine.
  const known = ids.filter((id) => {
    if (index.has(id) || (action === 'remove' && onRecord.has(id))) return true;
    error(
      'unknown_territory',
      `Territory ${id} does not exist in Zoho (it may have been deleted), so it cannot be used for ${recordLabel}.`,
      id,
    );
    return false;
  });

  if (action === 'assign') {
    const toAdd: string[] = [];
    for (const id of known) {
      if (onRecord.has(id)) {
        warn('already_assigned', `${nameOf(id)} is already on ${recordLabel}; skipped.`, id);
      } else toAdd.push(id);
    }
    if (isDeal && toAdd.length > max) {
      error(
        'deal_single_territory',
        `A Deal holds one territory, but ${toAdd.length} were given for ${recordLabel} (${names(toAdd)}).`,
      );
    } else if (isDeal && toAdd.length > 0 && before.length > 0) {
      const ruleOnly = before.every((id) => rule.includes(id));
      error(
        'deal_has_territory',
        ruleOnly
          ? `${recordLabel} already has ${names(before)} from a territory rule, and a Deal holds one territory. ` +
              'A rule-assigned territory cannot be replaced through the API: change the territory rule, or ask a Zoho admin.'
          : `${recordLabel} already has ${names(before)}, and a Deal holds one territory. Use move to replace it with ${names(toAdd)}.`,
        toAdd[0],
      );
    } else if (!isDeal && before.length + toAdd.length > max) {
      error(
        'too_many_territories',
        `${recordLabel} has ${before.length} ${plural(before.length, 'territory', 'territories')}; ` +
          `adding ${names(toAdd)} would make ${before.length + toAdd.length}, and Zoho allows at most ${max} per record.`,
      );
    }
    return finish(toAdd, []);
  }

  if (action === 'remove') {
    const toRemove: string[] = [];
    for (const id of known) {
      const current = onRecord.get(id);
      if (!current) {
        error('not_on_record', `${nameOf(id)} is not on ${recordLabel}, so it cannot be removed.`, id);
      } else if (current.assigned === 'automatically') {
        error('rule_assigned', ruleAssignedMessage(nameOf(id), recordLabel, 'removed'), id);
      } else toRemove.push(id);
    }
    return finish([], toRemove);
  }

  // move: the record's manual territories are replaced by the given ones; rule-assigned ones stay.
  if (isDeal && known.length > max) {
    error(
      'deal_single_territory',
      `A Deal holds one territory, but ${known.length} were given for ${recordLabel} (${names(known)}).`,
    );
  }
  const target = new Set(known);
  const blockingRule = rule.filter((id) => !target.has(id));
  if (isDeal && blockingRule.length > 0 && known.length > 0) {
    for (const id of blockingRule) {
      error('rule_assigned', ruleAssignedMessage(nameOf(id), recordLabel, 'moved away from'), id);
    }
  } else {
    for (const id of blockingRule) {
      warn(
        'rule_assigned_kept',
        `${nameOf(id)} stays on ${recordLabel}: it was assigned by a territory rule, and a move only replaces manual territories.`,
        id,
      );
    }
  }
  const removeIds = manual.filter((id) => !target.has(id));
  const assignIds = known.filter((id) => !onRecord.has(id));
  const predicted = before.length - removeIds.length + assignIds.length;
  if (!isDeal && predicted > max) {
    error(
      'too_many_territories',
      `After the move ${recordLabel} would have ${predicted} territories (${rule.length} from territory rules stay), ` +
        `and Zoho allows at most ${max} per record.`,
    );
  }
  if (known.length === ids.length && removeIds.length === 0 && assignIds.length === 0) {
    warn(
      'nothing_to_do',
      `${recordLabel} already has ${names(known)} and no other manual territory; nothing to move.`,
    );
  }
  return finish(assignIds, removeIds);
}

function ruleAssignedMessage(territory: string, recordLabel: string, verb: string): string {
  return (
    `${territory} was assigned to ${recordLabel} by a territory rule, and Zoho does not let rule-assigned ` +
    `territories be ${verb} through the API. Change the territory rule, or ask a Zoho admin.`
  );
}

function labelRecord(record: ZohoRecord | null, ref: RecordRef | null): string {
  if (!ref) return 'The record';
  const short = recordKey(ref);
  if (!record?.name) return short;
  const noun = { Leads: 'Lead', Accounts: 'Account', Contacts: 'Contact', Deals: 'Deal' }[ref.module];
  return `${noun} "${record.name}" (${short})`;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

// ---- bulk preview ---------------------------------------------------------------------

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

const MODULE_ORDER: readonly ZohoModule[] = ['Leads', 'Accounts', 'Contacts', 'Deals'];

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

// ---- a whole list ---------------------------------------------------------------------

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
