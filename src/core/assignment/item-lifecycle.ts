/**
 * The item lifecycle: one record's change inside a request, from stored to final. An item is
 * marked in flight before its Zoho call, so a process that dies mid-call leaves it
 * recognisable (`sending` / `removing` without a job) and the resend check looks at Zoho before
 * anything is sent again. A `move` removes the record's old territories first (`removing`),
 * then assigns (`pending_assign` -> `sending` -> `scheduled`). `skipped` items are stored so
 * by the preview (e.g. the territory is already on the record) and never sent.
 */
import { Lifecycle, type TransitionRule } from '../lifecycle.js';
import type { ItemState } from '../store/types.js';

export type ItemEvent =
  | 'send'
  | 'send_removal'
  | 'schedule'
  | 'schedule_removal'
  | 'wait'
  | 'removal_confirmed'
  | 'confirm'
  | 'nothing_to_do'
  | 'fail'
  | 'refuse'
  | 'unconfirm';

export const ITEM_STATES: readonly ItemState[] = [
  'pending',
  'sending',
  'removing',
  'pending_assign',
  'scheduled',
  'retry',
  'done',
  'failed',
  'unconfirmed',
  'skipped',
];

export const ITEM_TRANSITIONS: readonly TransitionRule<ItemState, ItemEvent>[] = [
  {
    event: 'send',
    from: ['pending', 'pending_assign', 'retry', 'sending'],
    to: 'sending',
    why: "the item's own call goes out (a `sending` left by a stopped process goes again after the check)",
  },
  {
    event: 'send_removal',
    from: ['pending', 'retry', 'removing'],
    to: 'removing',
    why: "a move's removal of the old territories goes out",
  },
  {
    event: 'schedule',
    from: ['sending', 'retry'],
    to: 'scheduled',
    why: 'Zoho scheduled the job (or the resend check found our job pending); the tracker confirms it',
  },
  {
    event: 'schedule_removal',
    from: ['removing', 'retry'],
    to: 'removing',
    why: "Zoho scheduled the move's removal job; the item keeps waiting on it",
  },
  {
    event: 'wait',
    from: ['sending', 'removing', 'retry'],
    to: 'retry',
    why: 'a pending job on the record, a transient error, or an answer lost: checked again later',
  },
  {
    event: 'removal_confirmed',
    from: ['removing', 'retry'],
    to: 'pending_assign',
    why: 'the old territories are gone from the record; the assign phase comes next',
  },
  {
    event: 'confirm',
    from: ['scheduled', 'sending', 'retry'],
    to: 'done',
    why: 'the record shows the change (job confirmed, or the resend check saw it already made)',
  },
  {
    event: 'nothing_to_do',
    from: ['pending', 'pending_assign', 'retry', 'sending', 'removing'],
    to: 'done',
    why: 'the record already holds what the item asks for: no call needed',
  },
  {
    event: 'fail',
    from: ['sending', 'removing', 'retry', 'scheduled'],
    to: 'failed',
    why: 'Zoho refused, the record is gone, the job did not apply, or the retries ran out',
  },
  {
    event: 'refuse',
    from: ['pending'],
    to: 'failed',
    why: 'a request stored before its Zoho read: a later check refused it, or Zoho stayed away past the ceiling',
  },
  {
    event: 'unconfirm',
    from: ['scheduled', 'removing', 'sending', 'retry'],
    to: 'unconfirmed',
    why: 'the job outlived its deadline, or Zoho could never be asked whether a lost call went through',
  },
];

export const itemLifecycle = new Lifecycle('item', ITEM_STATES, ITEM_TRANSITIONS);

/** Derived from the table: items nothing more happens to. */
export const FINAL_ITEM_STATES: readonly ItemState[] = itemLifecycle.final;
/** Derived from the table: items the engine or the tracker still has to move on. */
export const OPEN_ITEM_STATES: readonly ItemState[] = itemLifecycle.open;

/**
 * Items the tracker may settle from a job: waiting on it (`scheduled`, a move's `removing`), or
 * `sending` when a process stopped between storing the job row and marking the item. A subset
 * of the states `confirm`/`removal_confirmed` leave; `retry` is left out on purpose, because a
 * retried item has no job of ours that a late answer could belong to.
 */
export const ITEM_STATES_WAITING_ON_JOB: readonly ItemState[] = ['scheduled', 'removing', 'sending'];

/**
 * Items the engine itself moves on (request-pump.ts): never sent (`pending`, a move's
 * `pending_assign`), waiting on a retry, or left in flight by a stopped process (`sending`, a
 * `removing` without its job). The other open states wait on Zoho's jobs (the tracker's part).
 */
export const WORK_ITEM_STATES: readonly ItemState[] = [
  'pending',
  'pending_assign',
  'retry',
  'sending',
  'removing',
];
