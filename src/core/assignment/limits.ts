/**
 * Zoho's territory rules, checked before calling Zoho so people get a clear answer at once
 * instead of a per-record error from a background batch (zoho-api.md §7.1, §8, §11.4).
 */
import type { ZohoModule, ZohoRecord } from '../zoho/types.js';

/** "one territory per Deal" (Assign Territories doc). */
export const MAX_TERRITORIES_PER_DEAL = 1;
/** "max 10 territories per Lead, Contact or Account", total including existing ones. */
export const MAX_TERRITORIES_PER_RECORD = 10;
export { MAX_RECORDS_PER_CALL } from '../zoho/call-limits.js';

export function maxTerritoriesFor(module: ZohoModule): number {
  return module === 'Deals' ? MAX_TERRITORIES_PER_DEAL : MAX_TERRITORIES_PER_RECORD;
}

export type PlanIssueCode =
  /** The record does not exist or the API user cannot see it. */
  | 'record_not_found'
  /** No territory was given. */
  | 'no_territories'
  /** A territory id not in the catalog (deleted, or never existed), or a name that matches none. */
  | 'unknown_territory'
  /** A territory name that matches several territories. */
  | 'ambiguous_territory'
  /** assign: the territory is already on the record (skipped; Zoho would answer DUPLICATE_DATA). */
  | 'already_assigned'
  /** remove: the territory is not on the record (Zoho would answer INVALID_DATA). */
  | 'not_on_record'
  /** remove/move: a rule-assigned territory would have to go (Zoho answers NOT_ALLOWED). */
  | 'rule_assigned'
  /** move on a non-Deal: rule-assigned territories stay next to the new ones. */
  | 'rule_assigned_kept'
  /** assign to a Deal that already has its one territory. */
  | 'deal_has_territory'
  /** more than one territory for a Deal. */
  | 'deal_single_territory'
  /** more than 10 territories on a record (Zoho answers LIMIT_EXCEEDED). */
  | 'too_many_territories'
  /** Nothing would change. */
  | 'nothing_to_do';

export interface PlanIssue {
  code: PlanIssueCode;
  /** error: the item cannot be sent; warning: it can (or is skipped) but people should know. */
  severity: 'error' | 'warning';
  message: string;
  territoryId?: string;
}

/** Territory ids on the record split by how they got there (`$assigned`). */
export function splitByAssignment(record: ZohoRecord): { manual: string[]; rule: string[] } {
  const manual: string[] = [];
  const rule: string[] = [];
  for (const t of record.territories) {
    // `unknown` (no $assigned in Zoho's answer) is treated as manual: Zoho has the last word.
    if (t.assigned === 'automatically') rule.push(t.id);
    else manual.push(t.id);
  }
  return { manual, rule };
}

/** Short labels for one item's issue, for preview rows and grouped warnings. */
export const ISSUE_LABELS: Readonly<Record<PlanIssueCode, string>> = {
  record_not_found: 'record not found in Zoho',
  no_territories: 'no territory given',
  unknown_territory: 'unknown territory',
  ambiguous_territory: 'territory name matches several',
  already_assigned: 'territory already on the record',
  not_on_record: 'territory not on the record',
  rule_assigned: 'rule-assigned territory cannot be removed',
  rule_assigned_kept: 'rule-assigned territory stays',
  deal_has_territory: 'Deal already has a territory',
  deal_single_territory: 'a Deal holds one territory',
  too_many_territories: 'record at 10 territories',
  nothing_to_do: 'nothing to change',
};

/** The label of the most important issue of an item (errors before warnings), or null. */
export function primaryIssueLabel(issues: readonly PlanIssue[]): string | null {
  const first = issues.find((i) => i.severity === 'error') ?? issues[0];
  return first ? ISSUE_LABELS[first.code] : null;
}
