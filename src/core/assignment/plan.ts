import { type RecordRef, recordKey } from '../records/ref.js';
import { TerritoryIndex } from '../territories/hierarchy.js';
import type { Territory, ZohoModule, ZohoRecord } from '../zoho/types.js';
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

export function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
