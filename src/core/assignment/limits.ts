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

/** Short labels for one item's issue, for grouped counts (preview summary, approval card, audit). */
export const ISSUE_LABELS: Readonly<Record<PlanIssueCode, string>> = {
  record_not_found: 'Record not found in Zoho',
  unknown_territory: 'Territory does not exist',
  ambiguous_territory: 'Territory name matches several',
  no_territories: 'No territory given',
  deal_has_territory: 'Deal already has a territory',
  deal_single_territory: 'More than one territory for a Deal',
  too_many_territories: 'Record would exceed 10 territories',
  not_on_record: 'Territory not on the record',
  rule_assigned: 'Rule-assigned territory cannot be removed',
  rule_assigned_kept: 'Rule-assigned territory stays',
  already_assigned: 'Territory already on the record',
  nothing_to_do: 'Nothing to change',
};

/** The most important issue of an item (errors before warnings), if any. */
export function primaryIssue(issues: readonly PlanIssue[]): PlanIssue | undefined {
  return issues.find((i) => i.severity === 'error') ?? issues[0];
}
