import { describe, expect, it } from 'vitest';
import {
  FINAL_REQUEST_STATES,
  hasStarted,
  isFinalRequestState,
  OPEN_REQUEST_STATES,
  REQUEST_TRANSITIONS,
  type RequestEvent,
  requestLifecycle,
  STARTED_REQUEST_STATES,
  transition,
  transitionRule,
} from '../../../src/core/approvals/index.js';
import type { RequestState } from '../../../src/core/store/types.js';

const STATES: RequestState[] = [
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
const EVENTS: RequestEvent[] = ['submit', 'approve', 'reject', 'expire', 'cancel', 'start', 'finish', 'fail'];

/** The whole table, spelled out: any change to the machine must change this test. */
const ALLOWED: Record<string, RequestState> = {
  'draft+submit': 'pending_approval',
  'draft+cancel': 'cancelled',
  'pending_approval+approve': 'approved',
  'pending_approval+reject': 'rejected',
  'pending_approval+expire': 'expired',
  'pending_approval+cancel': 'cancelled',
  'approved+start': 'running',
  'approved+fail': 'failed',
  'running+finish': 'done',
  'running+fail': 'failed',
};

describe('request state machine', () => {
  for (const state of STATES) {
    for (const event of EVENTS) {
      const expected = ALLOWED[`${state}+${event}`];
      it(`${state} --${event}--> ${expected ?? 'refused'}`, () => {
        const r = transition(state, event);
        if (expected) {
          expect(r).toEqual({ ok: true, event, from: state, to: expected });
        } else {
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.message).toMatch(/^This request .+, so it cannot be .+\.$/);
        }
      });
    }
  }

  it('submit goes straight to approved when no approval is needed', () => {
    expect(transition('draft', 'submit', { needsApproval: false })).toEqual({
      ok: true,
      event: 'submit',
      from: 'draft',
      to: 'approved',
    });
    expect(transition('draft', 'submit', { needsApproval: true })).toMatchObject({ to: 'pending_approval' });
    expect(transition('pending_approval', 'submit', { needsApproval: false }).ok).toBe(false);
  });

  it('gives the store its from-states and target', () => {
    expect(transitionRule('approve')).toMatchObject({ from: ['pending_approval'], to: 'approved' });
    expect(transitionRule('cancel').from).toEqual(['draft', 'pending_approval']);
    expect(transitionRule('submit', { needsApproval: false }).to).toBe('approved');
    expect(transitionRule('submit').to).toBe('pending_approval');
  });

  it('has a rule for every event and never leaves a final state', () => {
    for (const e of EVENTS) expect(REQUEST_TRANSITIONS.some((r) => r.event === e)).toBe(true);
    for (const s of FINAL_REQUEST_STATES) {
      expect(isFinalRequestState(s)).toBe(true);
      for (const e of EVENTS) expect(transition(s, e).ok).toBe(false);
    }
    expect(isFinalRequestState('running')).toBe(false);
  });

  it('explains refusals in words', () => {
    const r = transition('approved', 'approve');
    expect(!r.ok && r.message).toBe('This request was already approved, so it cannot be approved.');
    const e = transition('expired', 'reject');
    expect(!e.ok && e.message).toBe('This request expired without a decision, so it cannot be rejected.');
  });

  it('derives the final and open sets from the table', () => {
    expect([...FINAL_REQUEST_STATES].sort()).toEqual([
      'cancelled',
      'done',
      'expired',
      'failed',
      'refused',
      'rejected',
    ]);
    expect([...OPEN_REQUEST_STATES].sort()).toEqual([
      'approved',
      'checking',
      'draft',
      'pending_approval',
      'running',
      'waiting_for_zoho',
    ]);
    expect(requestLifecycle.final).toBe(FINAL_REQUEST_STATES);
  });

  it('derives the started states (items have outcomes) from the table', () => {
    expect(STARTED_REQUEST_STATES).toEqual(['running', 'done', 'failed']);
    expect(hasStarted('failed')).toBe(true);
    expect(hasStarted('approved')).toBe(false);
    expect(hasStarted('draft')).toBe(false);
    expect(requestLifecycle.reachableFrom('pending_approval')).toEqual([
      'pending_approval',
      'approved',
      'rejected',
      'expired',
      'cancelled',
      'running',
      'done',
      'failed',
    ]);
  });

  it('a single change stored before its Zoho read is planned, waits, is refused, or gives up', () => {
    expect(transition('checking', 'plan')).toMatchObject({ ok: true, to: 'approved' });
    expect(transition('checking', 'wait_for_zoho')).toMatchObject({ ok: true, to: 'waiting_for_zoho' });
    expect(transition('waiting_for_zoho', 'plan')).toMatchObject({ ok: true, to: 'approved' });
    expect(transition('waiting_for_zoho', 'give_up')).toMatchObject({ ok: true, to: 'failed' });
    expect(transition('checking', 'refuse')).toMatchObject({ ok: true, to: 'refused' });
    // A waiting request is never refused silently: after waiting, the thread says why (give_up).
    expect(transition('waiting_for_zoho', 'refuse').ok).toBe(false);
    expect(transition('checking', 'start').ok).toBe(false);
    // Needing approval, it becomes a one-item draft and is submitted like a bulk list.
    expect(transition('checking', 'hold')).toMatchObject({ ok: true, to: 'draft' });
    expect(transition('waiting_for_zoho', 'hold')).toMatchObject({ ok: true, to: 'draft' });
    expect(transition('draft', 'hold').ok).toBe(false);
  });

  it('starts only an approved request (a draft is submitted first, never run)', () => {
    expect(requestLifecycle.from('start')).toEqual(['approved']);
    expect(transition('draft', 'start').ok).toBe(false);
  });
});
