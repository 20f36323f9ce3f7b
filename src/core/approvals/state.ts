/**
 * The request lifecycle, written once as data plus one transition function (STYLE.md). The
 * store applies a transition atomically with `transitionRequest(id, from, to)`, so "first
 * decision wins" holds across replicas: whoever's conditional update lands first moves the
 * request, everyone else finds it already moved.
 */
import type { RequestState } from '../store/types.js';

export type RequestEvent =
  | 'submit'
  | 'approve'
  | 'reject'
  | 'expire'
  | 'cancel'
  | 'start'
  | 'finish'
  | 'fail';

export interface RequestTransitionRule {
  event: RequestEvent;
  from: readonly RequestState[];
  to: RequestState;
  /** For submit: which branch applies. */
  when?: 'needs_approval' | 'no_approval';
}

export const REQUEST_TRANSITIONS: readonly RequestTransitionRule[] = [
  { event: 'submit', from: ['draft'], to: 'pending_approval', when: 'needs_approval' },
  // Below the approval threshold a submitted request is approved at once; the engine starts it.
  { event: 'submit', from: ['draft'], to: 'approved', when: 'no_approval' },
  { event: 'approve', from: ['pending_approval'], to: 'approved' },
  { event: 'reject', from: ['pending_approval'], to: 'rejected' },
  { event: 'expire', from: ['pending_approval'], to: 'expired' },
  { event: 'cancel', from: ['draft', 'pending_approval'], to: 'cancelled' },
  { event: 'start', from: ['approved'], to: 'running' },
  { event: 'finish', from: ['running'], to: 'done' },
  // An approved request can fail before it runs (e.g. its territories were deleted meanwhile).
  { event: 'fail', from: ['approved', 'running'], to: 'failed' },
];

export const FINAL_REQUEST_STATES: readonly RequestState[] = [
  'rejected',
  'expired',
  'cancelled',
  'done',
  'failed',
];

export function isFinalRequestState(state: RequestState): boolean {
  return FINAL_REQUEST_STATES.includes(state);
}

export interface TransitionContext {
  /** For submit; defaults to true (the safe side). */
  needsApproval?: boolean;
}

export type TransitionResult =
  | { ok: true; event: RequestEvent; from: RequestState; to: RequestState }
  | { ok: false; event: RequestEvent; from: RequestState; message: string };

/** The rule an event follows, for `store.transitionRequest(id, rule.from, rule.to)`. */
export function transitionRule(event: RequestEvent, context: TransitionContext = {}): RequestTransitionRule {
  const branch = (context.needsApproval ?? true) ? 'needs_approval' : 'no_approval';
  const rule = REQUEST_TRANSITIONS.find(
    (r) => r.event === event && (r.when === undefined || r.when === branch),
  );
  // Every event has a rule: REQUEST_TRANSITIONS covers the RequestEvent union.
  return rule!;
}

/** The one transition function: where `event` takes a request in `state`, or why it cannot. */
export function transition(
  state: RequestState,
  event: RequestEvent,
  context: TransitionContext = {},
): TransitionResult {
  const rule = transitionRule(event, context);
  if (rule.from.includes(state)) return { ok: true, event, from: state, to: rule.to };
  return { ok: false, event, from: state, message: refusal(state, event) };
}

const STATE_TEXT: Record<RequestState, string> = {
  draft: 'is still a draft',
  pending_approval: 'is waiting for approval',
  approved: 'was already approved',
  rejected: 'was rejected',
  expired: 'expired without a decision',
  cancelled: 'was cancelled',
  running: 'is already running',
  done: 'is already done',
  failed: 'has failed',
};

const EVENT_TEXT: Record<RequestEvent, string> = {
  submit: 'submitted',
  approve: 'approved',
  reject: 'rejected',
  expire: 'expired',
  cancel: 'cancelled',
  start: 'started',
  finish: 'finished',
  fail: 'marked failed',
};

function refusal(state: RequestState, event: RequestEvent): string {
  return `This request ${STATE_TEXT[state]}, so it cannot be ${EVENT_TEXT[event]}.`;
}
