/**
 * The job lifecycle: a Zoho background job for one record, polled until the record shows the
 * change. A job row the resend check adopts (the process stopped after storing it but before
 * marking its item) is re-opened so the tracker confirms it again.
 */
import { Lifecycle, type TransitionRule } from '../lifecycle.js';
import type { JobState } from '../store/types.js';

export type JobEvent = 'confirm' | 'fail' | 'time_out' | 'reopen';

export const JOB_STATES: readonly JobState[] = ['pending', 'done', 'failed', 'unconfirmed'];

export const JOB_TRANSITIONS: readonly TransitionRule<JobState, JobEvent>[] = [
  { event: 'confirm', from: ['pending'], to: 'done', why: 'no job pending and the record shows the change' },
  {
    event: 'fail',
    from: ['pending'],
    to: 'failed',
    why: 'the job finished but the record does not show the change (after one re-check), or the record is gone',
  },
  { event: 'time_out', from: ['pending'], to: 'unconfirmed', why: 'not confirmed before its deadline' },
  {
    event: 'reopen',
    from: ['done', 'failed', 'unconfirmed'],
    to: 'pending',
    why: 'the resend check adopts the row for an item a stopped process never marked: confirm it again',
  },
];

export const jobLifecycle = new Lifecycle('job', JOB_STATES, JOB_TRANSITIONS);

/** What a tracker verdict does to a job. */
export const JOB_EVENT_OF_VERDICT = { done: 'confirm', failed: 'fail', unconfirmed: 'time_out' } as const;
