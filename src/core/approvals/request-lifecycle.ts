/**
 * The request lifecycle, written once as data plus one transition function (STYLE.md). The
 * store applies a transition atomically with `transitionRequest(id, from, to)`, so "first
 * decision wins" holds across replicas: whoever's conditional update lands first moves the
 * request, everyone else finds it already moved.
 */
import { Lifecycle, type TransitionRule } from '../lifecycle.js';
import type { RequestState } from '../store/types.js';

export type RequestEvent =
  | 'plan'
  | 'hold'
  | 'wait_for_zoho'
  | 'refuse'
  | 'give_up'
  | 'submit'
  | 'approve'
  | 'reject'
  | 'expire'
  | 'cancel'
  | 'start'
  | 'finish'
  | 'fail';

/** Which branch of `submit` applies. */
export type SubmitBranch = 'needs_approval' | 'no_approval';

export type RequestTransitionRule = TransitionRule<RequestState, RequestEvent, SubmitBranch>;

export const REQUEST_STATES: readonly RequestState[] = [
  'checking',
  'waiting_for_zoho',
  'refused',
  'draft',
  'pending_approval',
  'approved',
  'rejected',
  'expired',
  'cancelled',
  'running',
  'done',
  'failed',
];

export const REQUEST_TRANSITIONS: readonly RequestTransitionRule[] = [
  // A single change is stored as asked before Zoho is read, so an outage cannot lose it.
  {
    event: 'plan',
    from: ['checking', 'waiting_for_zoho'],
    to: 'approved',
    why: 'the record was read, the change passed the checks and the access policy lets it go direct',
  },
  {
    event: 'hold',
    from: ['checking', 'waiting_for_zoho'],
    to: 'draft',
    why: 'the access policy asks for approval: a one-item draft, submitted like a bulk list',
  },
  {
    event: 'wait_for_zoho',
    from: ['checking', 'waiting_for_zoho'],
    to: 'waiting_for_zoho',
    why: 'Zoho was down or throttling: the requester is told, and the check runs again later',
  },
  {
    event: 'refuse',
    from: ['checking'],
    to: 'refused',
    why: 'the checks refused it while the requester waited for the answer, which said why',
  },
  {
    event: 'give_up',
    from: ['waiting_for_zoho'],
    to: 'failed',
    why: 'refused by a later check, or Zoho stayed away past the ceiling: told in the thread',
  },
  {
    event: 'submit',
    from: ['draft'],
    to: 'pending_approval',
    when: 'needs_approval',
    why: 'a list above the approval threshold waits for an approver',
  },
  {
    event: 'submit',
    from: ['draft'],
    to: 'approved',
    when: 'no_approval',
    why: 'below the threshold a submitted request is approved at once; the engine starts it',
  },
  {
    event: 'approve',
    from: ['pending_approval'],
    to: 'approved',
    why: 'an approver said yes (first decision wins)',
  },
  { event: 'reject', from: ['pending_approval'], to: 'rejected', why: 'an approver said no' },
  { event: 'expire', from: ['pending_approval'], to: 'expired', why: 'nobody decided in time' },
  { event: 'cancel', from: ['draft', 'pending_approval'], to: 'cancelled', why: 'the requester withdrew it' },
  // Only an approved request starts: a draft is always submitted first (no draft -> running).
  { event: 'start', from: ['approved'], to: 'running', why: 'the engine begins sending its items' },
  { event: 'finish', from: ['running'], to: 'done', why: 'every item is final and some succeeded' },
  {
    event: 'fail',
    from: ['approved', 'running'],
    to: 'failed',
    why: 'nothing succeeded, or it could not start (e.g. its territories were deleted meanwhile)',
  },
];

export const requestLifecycle = new Lifecycle('request', REQUEST_STATES, REQUEST_TRANSITIONS);

/** Derived from the table: the states no transition leaves. */
export const FINAL_REQUEST_STATES: readonly RequestState[] = requestLifecycle.final;
/** Derived from the table: the states a request can still leave. */
export const OPEN_REQUEST_STATES: readonly RequestState[] = requestLifecycle.open;

export function isFinalRequestState(state: RequestState): boolean {
  return requestLifecycle.isFinal(state);
}

/** Derived from the table: the states after `start`, in which items have been sent. */
export const STARTED_REQUEST_STATES: readonly RequestState[] = requestLifecycle.reachableFrom(
  requestLifecycle.target('start'),
);

/** Whether the engine has started the request (its items have outcomes to count). */
export function hasStarted(state: RequestState): boolean {
  return STARTED_REQUEST_STATES.includes(state);
}

export interface TransitionContext {
  /** For submit; defaults to true (the safe side). */
  needsApproval?: boolean;
}

export type TransitionResult =
  | { ok: true; event: RequestEvent; from: RequestState; to: RequestState }
  | { ok: false; event: RequestEvent; from: RequestState; message: string };

const branchOf = (context: TransitionContext): SubmitBranch =>
  (context.needsApproval ?? true) ? 'needs_approval' : 'no_approval';

/** The rule an event follows, for `store.transitionRequest(id, rule.from, rule.to)`. */
export function transitionRule(event: RequestEvent, context: TransitionContext = {}): RequestTransitionRule {
  return requestLifecycle.rule(event, branchOf(context));
}

/** The one transition function: where `event` takes a request in `state`, or why it cannot. */
export function transition(
  state: RequestState,
  event: RequestEvent,
  context: TransitionContext = {},
): TransitionResult {
  const r = requestLifecycle.apply(state, event, branchOf(context));
  if (r.ok) return r;
  return { ok: false, event, from: state, message: refusal(state, event) };
}

const STATE_TEXT: Record<RequestState, string> = {
  checking: 'is being checked',
  waiting_for_zoho: 'is waiting for Zoho',
  refused: 'was refused',
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
  plan: 'planned',
  hold: 'held for approval',
  wait_for_zoho: 'put to wait for Zoho',
  refuse: 'refused',
  give_up: 'given up',
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
