/**
 * Who may change what without approval (DESIGN.md §4), as one pure function. In
 * `ACCESS_MODE=zoho` a change runs directly only when the requester's Zoho user may act on it:
 * the record is theirs (Owner) or sits in a territory they belong to, and every territory the
 * change adds or removes is one they belong to. A person belongs to a territory when they are a
 * member of it or of an ancestor, or manage it or an ancestor (a manager acts freely in the
 * subtree). Lists over APPROVAL_THRESHOLD and people past MAX_DIRECT_CHANGES_PER_HOUR need
 * approval whatever they own. `ACCESS_MODE=open` keeps only the threshold.
 */
import type { AccessMode } from '../config/index.js';
import { recordKey } from '../records/ref.js';
import type { TerritoryIndex } from '../territories/hierarchy.js';
import type { ZohoModule } from '../zoho/types.js';

/** The requester as Zoho knows them. */
export interface AccessRequester {
  zohoUserId: string;
  /** Territories the user is a member of (`GET /users/{id}/territories`), without ancestors. */
  memberOf: readonly string[];
}

/** A record as the policy needs it, read from Zoho before deciding. */
export interface AccessRecord {
  module: ZohoModule;
  id: string;
  name?: string | null;
  /** Zoho `Owner.id`; null when Zoho did not say (then it is nobody's). */
  ownerId: string | null;
  /** The territories the record is in now. */
  territoryIds: readonly string[];
}

/** One record's change: the territories it adds and removes (a move does both). */
export interface AccessChange {
  record: AccessRecord;
  addIds: readonly string[];
  removeIds: readonly string[];
}

export interface AccessQuestion {
  mode: AccessMode;
  /** null: the Slack user maps to no Zoho user (acceptable in open mode only). */
  requester: AccessRequester | null;
  changes: readonly AccessChange[];
  /** The hierarchy with each territory's manager (TerritoryCatalog snapshot). */
  territories: TerritoryIndex;
  /** Records the requester changed without approval in the last hour (store count). */
  directChangesLastHour: number;
  /** MAX_DIRECT_CHANGES_PER_HOUR */
  maxDirectChangesPerHour: number;
  /** APPROVAL_THRESHOLD: lists of more records than this need approval. */
  approvalThreshold: number;
}

export type AccessReason =
  | { kind: 'not_mapped'; text: string }
  | {
      kind: 'record_not_theirs';
      records: ReadonlyArray<{ module: ZohoModule; id: string; name: string | null }>;
      text: string;
    }
  | { kind: 'territory_outside'; territoryIds: string[]; text: string }
  | { kind: 'hourly_limit'; changedLastHour: number; adding: number; limit: number; text: string }
  | { kind: 'over_threshold'; count: number; threshold: number; text: string };

export type AccessDecision =
  | { kind: 'direct'; touchedTerritoryIds: string[] }
  | {
      kind: 'needs_approval';
      /** Why, in words for the approval card and the requester. */
      reasons: AccessReason[];
      /** The territories the request adds or removes: their managers decide (see approvers.ts). */
      touchedTerritoryIds: string[];
    }
  /** ACCESS_MODE=zoho and the requester has no Zoho user: nothing that changes records. */
  | { kind: 'refused'; reasons: AccessReason[]; touchedTerritoryIds: string[] };

/** Records or territories named one by one in a reason before "and N more". */
const NAMED = 3;

/**
 * The territories `zohoUserId` belongs to, as a predicate: member of it or an ancestor, or
 * manager of it or an ancestor.
 */
export function belongsTo(
  territories: TerritoryIndex,
  zohoUserId: string,
  memberOf: readonly string[],
): (territoryId: string) => boolean {
  const own = new Set(memberOf);
  for (const t of territories.list) if (t.managerId === zohoUserId) own.add(t.id);
  const memo = new Map<string, boolean>();
  return (territoryId) => {
    const hit = memo.get(territoryId);
    if (hit !== undefined) return hit;
    const yes = own.has(territoryId) || territories.ancestors(territoryId).some((a) => own.has(a.id));
    memo.set(territoryId, yes);
    return yes;
  };
}

/**
 * The change a planned item makes, for the policy: a ChangePlan (assignment/plan.ts) of an
 * item that will be sent, and the record's Owner. Typed by shape so the planner can move.
 * Null when the plan names no record (a record Zoho did not return).
 */
export function accessChangeOf(
  plan: {
    module: ZohoModule | null;
    recordId: string | null;
    assignIds: readonly string[];
    removeIds: readonly string[];
    before: readonly string[];
  },
  record: { ownerId: string | null; name?: string | null },
): AccessChange | null {
  if (plan.module === null || plan.recordId === null) return null;
  return {
    record: {
      module: plan.module,
      id: plan.recordId,
      name: record.name ?? null,
      ownerId: record.ownerId,
      territoryIds: [...plan.before],
    },
    addIds: [...plan.assignIds],
    removeIds: [...plan.removeIds],
  };
}

/** The territories a set of changes adds or removes, in first-seen order. */
export function touchedTerritories(changes: readonly AccessChange[]): string[] {
  const out = new Set<string>();
  for (const c of changes) {
    for (const id of c.addIds) out.add(id);
    for (const id of c.removeIds) out.add(id);
  }
  return [...out];
}

/** The decision of DESIGN.md §4 for one request (one record or a list). */
export function decideAccess(q: AccessQuestion): AccessDecision {
  const touched = touchedTerritories(q.changes);
  const count = q.changes.length;
  const overThreshold: AccessReason | null =
    count > q.approvalThreshold
      ? {
          kind: 'over_threshold',
          count,
          threshold: q.approvalThreshold,
          text: `the list of ${count} records is over the approval threshold (${q.approvalThreshold})`,
        }
      : null;

  if (q.mode === 'open') {
    return overThreshold
      ? { kind: 'needs_approval', reasons: [overThreshold], touchedTerritoryIds: touched }
      : { kind: 'direct', touchedTerritoryIds: touched };
  }
  if (q.requester === null) {
    return {
      kind: 'refused',
      reasons: [{ kind: 'not_mapped', text: 'you are not mapped to a Zoho CRM user' }],
      touchedTerritoryIds: touched,
    };
  }

  const reasons: AccessReason[] = [];
  const me = q.requester.zohoUserId;
  const mine = belongsTo(q.territories, me, q.requester.memberOf);

  const notTheirs = q.changes
    .map((c) => c.record)
    .filter((r) => r.ownerId !== me && !r.territoryIds.some(mine));
  if (notTheirs.length > 0) {
    reasons.push({
      kind: 'record_not_theirs',
      records: notTheirs.map((r) => ({ module: r.module, id: r.id, name: r.name ?? null })),
      text: recordsText(notTheirs),
    });
  }
  const outside = touched.filter((id) => !mine(id));
  if (outside.length > 0) {
    const names = outside.map((id) => territoryName(q.territories, id));
    reasons.push({
      kind: 'territory_outside',
      territoryIds: outside,
      text: `${listText(names)} ${outside.length === 1 ? 'is' : 'are'} outside your territories`,
    });
  }
  if (overThreshold) reasons.push(overThreshold);
  if (q.directChangesLastHour + count > q.maxDirectChangesPerHour) {
    reasons.push({
      kind: 'hourly_limit',
      changedLastHour: q.directChangesLastHour,
      adding: count,
      limit: q.maxDirectChangesPerHour,
      text:
        `this is over the hourly limit: you changed ${q.directChangesLastHour} ` +
        `record${q.directChangesLastHour === 1 ? '' : 's'} without approval in the last hour ` +
        `(at most ${q.maxDirectChangesPerHour} per hour)`,
    });
  }
  return reasons.length === 0
    ? { kind: 'direct', touchedTerritoryIds: touched }
    : { kind: 'needs_approval', reasons, touchedTerritoryIds: touched };
}

function territoryName(territories: TerritoryIndex, id: string): string {
  return territories.byId(id)?.name ?? `territory ${id}`;
}

function recordText(r: AccessRecord): string {
  const ref = recordKey({ module: r.module, recordId: r.id });
  return r.name ? `${ref} (${r.name})` : ref;
}

function recordsText(records: readonly AccessRecord[]): string {
  const list = listText(records.map(recordText));
  return records.length === 1
    ? `${list} is owned by someone else and is in none of your territories`
    : `${list} are owned by someone else and are in none of your territories`;
}

/** "A", "A and B", "A, B and C", "A, B, C and 4 more". */
function listText(items: readonly string[]): string {
  if (items.length > NAMED) return `${items.slice(0, NAMED).join(', ')} and ${items.length - NAMED} more`;
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
