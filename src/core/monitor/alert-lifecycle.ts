/**
 * The alert lifecycle (one row per condition fingerprint). A condition seen for the first time
 * is stored `firing`; a resolved alert whose condition comes back fires again as a new episode,
 * so no alert state is final. Edits, reminders, snoozes and inhibition happen while `firing`
 * and do not change the state (see alerts.ts).
 */
import { Lifecycle, type TransitionRule } from '../lifecycle.js';
import type { AlertState } from '../store/types.js';

export type AlertEvent = 'refire' | 'resolve';

export const ALERT_STATES: readonly AlertState[] = ['firing', 'resolved'];

/** A new alert starts here (there is no row before its condition is first seen). */
export const ALERT_INITIAL_STATE: AlertState = 'firing';

export const ALERT_TRANSITIONS: readonly TransitionRule<AlertState, AlertEvent>[] = [
  {
    event: 'resolve',
    from: ['firing'],
    to: 'resolved',
    why: 'a run that could judge its kind no longer sees the condition',
  },
  { event: 'refire', from: ['resolved'], to: 'firing', why: 'the condition came back: a new episode' },
];

export const alertLifecycle = new Lifecycle('alert', ALERT_STATES, ALERT_TRANSITIONS);
