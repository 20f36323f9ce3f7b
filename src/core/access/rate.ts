/**
 * MAX_DIRECT_CHANGES_PER_HOUR (DESIGN.md §4): how many records a person changed without
 * approval in the last hour, counted from the requests table (no counter of its own to keep
 * in step across replicas).
 */
import { REQUEST_TRANSITIONS, transitionRule } from '../approvals/request-lifecycle.js';
import type { RequestState, Store } from '../store/types.js';

export const DIRECT_CHANGE_WINDOW_MS = 60 * 60 * 1000;

/**
 * The states of a request that went ahead: where a submit without approval lands, and every
 * state reachable from there. Derived from the lifecycle table, never listed again.
 */
export const WENT_AHEAD_STATES: readonly RequestState[] = (() => {
  const reached = new Set<RequestState>([transitionRule('submit', { needsApproval: false }).to]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const rule of REQUEST_TRANSITIONS) {
      if (!reached.has(rule.to) && rule.from.some((s) => reached.has(s))) {
        reached.add(rule.to);
        grew = true;
      }
    }
  }
  return [...reached];
})();

/** Records `slackUserId` changed without approval in the hour before `now`. */
export function directChangesLastHour(
  store: Pick<Store, 'countDirectItemsSince'>,
  slackUserId: string,
  now: number,
): Promise<number> {
  return store.countDirectItemsSince(slackUserId, now - DIRECT_CHANGE_WINDOW_MS, WENT_AHEAD_STATES);
}
