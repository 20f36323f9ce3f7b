import { expect, it } from 'vitest';
import {
  FINAL_ITEM_STATES,
  ITEM_STATES_WAITING_ON_JOB,
  type ItemEvent,
  itemLifecycle,
  OPEN_ITEM_STATES,
} from '../../../src/core/assignment/item-lifecycle.js';
import { describeLifecycle } from '../helpers/lifecycle-table.js';

const EVENTS: ItemEvent[] = [
  'send',
  'send_removal',
  'schedule',
  'schedule_removal',
  'wait',
  'removal_confirmed',
  'confirm',
  'nothing_to_do',
  'fail',
  'unconfirm',
];

describeLifecycle(itemLifecycle, {
  events: EVENTS,
  final: ['done', 'failed', 'unconfirmed', 'skipped'],
  allowed: {
    'pending+send': 'sending',
    'pending_assign+send': 'sending',
    'retry+send': 'sending',
    'sending+send': 'sending',
    'pending+send_removal': 'removing',
    'retry+send_removal': 'removing',
    'removing+send_removal': 'removing',
    'sending+schedule': 'scheduled',
    'retry+schedule': 'scheduled',
    'removing+schedule_removal': 'removing',
    'retry+schedule_removal': 'removing',
    'sending+wait': 'retry',
    'removing+wait': 'retry',
    'retry+wait': 'retry',
    'removing+removal_confirmed': 'pending_assign',
    'retry+removal_confirmed': 'pending_assign',
    'scheduled+confirm': 'done',
    'sending+confirm': 'done',
    'retry+confirm': 'done',
    'pending+nothing_to_do': 'done',
    'pending_assign+nothing_to_do': 'done',
    'retry+nothing_to_do': 'done',
    'sending+nothing_to_do': 'done',
    'removing+nothing_to_do': 'done',
    'sending+fail': 'failed',
    'removing+fail': 'failed',
    'retry+fail': 'failed',
    'scheduled+fail': 'failed',
    'scheduled+unconfirm': 'unconfirmed',
    'removing+unconfirm': 'unconfirmed',
    'sending+unconfirm': 'unconfirmed',
    'retry+unconfirm': 'unconfirmed',
  },
});

it('exports the derived sets, and the tracker only settles items that can leave by a confirmation', () => {
  expect(FINAL_ITEM_STATES).toBe(itemLifecycle.final);
  expect(OPEN_ITEM_STATES).toBe(itemLifecycle.open);
  const settles = new Set([...itemLifecycle.from('confirm'), ...itemLifecycle.from('removal_confirmed')]);
  for (const s of ITEM_STATES_WAITING_ON_JOB) {
    expect(settles.has(s)).toBe(true);
    expect(itemLifecycle.apply(s, 'fail').ok).toBe(true);
    expect(itemLifecycle.apply(s, 'unconfirm').ok).toBe(true);
  }
});
