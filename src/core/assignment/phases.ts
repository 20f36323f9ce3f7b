/**
 * What an item asks Zoho to do, phase by phase. Zoho's assign *adds* territories and rejects a
 * second one on a Deal (LIMIT_EXCEEDED, zoho-api.md §7.1), so a `move` first removes the
 * record's manual territories and only once that job is confirmed assigns the new ones.
 */
import type { RequestItemRecord } from '../store/types.js';

/** `remove_first`: a move's removal of the old territories; `main`: the item's own operation. */
export type Phase = 'remove_first' | 'main';

export type Operation = 'assign' | 'remove';

export interface PhasePlan {
  phase: Phase;
  operation: Operation;
  /** Territories sent to Zoho in this phase. */
  territoryIds: string[];
  /** What the record must show once this phase's job is done. */
  expectPresent: string[];
  expectAbsent: string[];
}

type ItemShape = Pick<RequestItemRecord, 'action' | 'territoryIds' | 'removeTerritoryIds'>;

const uniq = (ids: readonly string[]) => [...new Set(ids)];

/**
 * A move keeps a territory that is both old and new (removing then re-adding it would be two
 * jobs for nothing), so it removes only the old ones that are not wanted and assigns only the
 * new ones that are not already there.
 */
export function moveSets(item: ItemShape): { removeIds: string[]; assignIds: string[] } {
  const target = uniq(item.territoryIds);
  const old = uniq(item.removeTerritoryIds);
  return {
    removeIds: old.filter((t) => !target.includes(t)),
    assignIds: target.filter((t) => !old.includes(t)),
  };
}

/** The plan for one phase, or null when that phase has nothing to send. */
export function planFor(item: ItemShape, phase: Phase): PhasePlan | null {
  if (item.action === 'move') {
    const { removeIds, assignIds } = moveSets(item);
    if (phase === 'remove_first') {
      return removeIds.length === 0
        ? null
        : { phase, operation: 'remove', territoryIds: removeIds, expectPresent: [], expectAbsent: removeIds };
    }
    return assignIds.length === 0
      ? null
      : {
          phase,
          operation: 'assign',
          territoryIds: assignIds,
          expectPresent: assignIds,
          expectAbsent: removeIds,
        };
  }
  if (phase === 'remove_first') return null;
  const ids = uniq(item.territoryIds);
  if (ids.length === 0) return null;
  return item.action === 'remove'
    ? { phase, operation: 'remove', territoryIds: ids, expectPresent: [], expectAbsent: ids }
    : { phase, operation: 'assign', territoryIds: ids, expectPresent: ids, expectAbsent: [] };
}

/** The first phase with something to send, or null when the item needs no Zoho call at all. */
export function firstPlan(item: ItemShape): PhasePlan | null {
  return planFor(item, 'remove_first') ?? planFor(item, 'main');
}

/**
 * Which phase an item is in, from its state. `removeDone` tells a move in `retry` or `sending`
 * whether its removal job was already confirmed (the engine looks that up in the jobs table).
 */
export function phaseOf(item: ItemShape & Pick<RequestItemRecord, 'state'>, removeDone: boolean): Phase {
  switch (item.state) {
    case 'removing':
      return 'remove_first';
    case 'pending_assign':
    case 'sending':
    case 'scheduled':
      return 'main';
    default:
      if (item.action !== 'move' || removeDone) return 'main';
      return planFor(item, 'remove_first') ? 'remove_first' : 'main';
  }
}

/** True when the record's territories show the expected change. */
export function changeVisible(
  territoryIds: readonly string[],
  expect: { expectPresent: readonly string[]; expectAbsent: readonly string[] },
): boolean {
  const on = new Set(territoryIds);
  return expect.expectPresent.every((t) => on.has(t)) && expect.expectAbsent.every((t) => !on.has(t));
}
