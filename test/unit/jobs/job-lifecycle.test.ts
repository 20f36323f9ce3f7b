import { expect, it } from 'vitest';
import { JOB_EVENT_OF_VERDICT, type JobEvent, jobLifecycle } from '../../../src/core/jobs/job-lifecycle.js';
import { describeLifecycle } from '../helpers/lifecycle-table.js';

const EVENTS: JobEvent[] = ['confirm', 'fail', 'time_out', 'reopen'];

describeLifecycle(jobLifecycle, {
  events: EVENTS,
  // An adopted job row may be re-opened from any settled state, so none is final.
  final: [],
  allowed: {
    'pending+confirm': 'done',
    'pending+fail': 'failed',
    'pending+time_out': 'unconfirmed',
    'done+reopen': 'pending',
    'failed+reopen': 'pending',
    'unconfirmed+reopen': 'pending',
  },
});

it("maps each of the tracker's verdicts to the job state of the same name", () => {
  for (const [verdict, event] of Object.entries(JOB_EVENT_OF_VERDICT)) {
    expect(jobLifecycle.to('pending', event)).toBe(verdict);
  }
});
