import { expect, it } from 'vitest';
import {
  ALERT_INITIAL_STATE,
  type AlertEvent,
  alertLifecycle,
} from '../../../src/core/monitor/alert-lifecycle.js';
import { describeLifecycle } from '../helpers/lifecycle-table.js';

const EVENTS: AlertEvent[] = ['resolve', 'refire'];

describeLifecycle(alertLifecycle, {
  events: EVENTS,
  // A resolved alert fires again when its condition comes back: no state is final.
  final: [],
  allowed: { 'firing+resolve': 'resolved', 'resolved+refire': 'firing' },
});

it('starts a new alert firing', () => {
  expect(ALERT_INITIAL_STATE).toBe('firing');
});
