import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL_SCHEDULE, nextPollAt, pollDelayMs } from '../../../src/core/jobs/backoff.js';
import { judgeJob } from '../../../src/core/jobs/confirm.js';
import type { ZohoRecord } from '../../../src/core/zoho/types.js';

const T0 = Date.UTC(2026, 0, 5);
const job = {
  jobId: 'job-1',
  operation: 'assign' as const,
  expectPresent: ['T2'],
  expectAbsent: ['T1'],
  polls: 0,
  createdAt: T0,
  deadlineAt: T0 + 15 * 60_000,
};
const record = (ids: string[]): ZohoRecord => ({
  module: 'Deals',
  id: 'rec',
  name: null,
  territories: ids.map((id) => ({ id, name: id, assigned: 'manually' })),
});

describe('poll schedule', () => {
  it('waits 8% of the job age, at least 1 s and at most 60 s', () => {
    expect([0, 5_000, 12_500, 30_000, 100_000, 750_000, 900_000].map((age) => pollDelayMs(age))).toEqual([
      1_000, 1_000, 1_000, 2_400, 8_000, 60_000, 60_000,
    ]);
  });

  it('never schedules past the deadline', () => {
    expect(nextPollAt(T0 + 200_000, T0, T0 + 210_000)).toBe(T0 + 210_000);
    expect(nextPollAt(T0, T0, T0 + 60_000)).toBe(T0 + 1_000);
  });
});

describe('judgeJob', () => {
  it('still pending: waits in proportion to its age; past the deadline: unconfirmed with what to check', () => {
    expect(judgeJob({ ...job, polls: 2 }, { pending: true, rechecked: false }, T0 + 50_000)).toEqual({
      kind: 'wait',
      nextPollAt: T0 + 50_000 + 4_000,
    });
    const late = judgeJob(job, { pending: true, rechecked: false }, job.deadlineAt);
    expect(late.kind).toBe('unconfirmed');
    if (late.kind === 'unconfirmed') {
      expect(late.message).toContain('job-1');
      expect(late.message).toContain('15 min');
      expect(late.message).toContain('should show territory T2 and no longer show territory T1');
    }
  });

  it('no job pending and the record shows the change: done with the after territories', () => {
    expect(judgeJob(job, { pending: false, record: record(['T2', 'T9']), rechecked: false }, T0)).toEqual({
      kind: 'done',
      after: ['T2', 'T9'],
    });
  });

  it('finished but not visible: one re-check after a short delay, then failed', () => {
    const first = judgeJob(job, { pending: false, record: record(['T1']), rechecked: false }, T0);
    expect(first).toEqual({
      kind: 'wait',
      nextPollAt: T0 + DEFAULT_POLL_SCHEDULE.recheckDelayMs,
      recheck: true,
    });
    const second = judgeJob(job, { pending: false, record: record(['T1']), rechecked: true }, T0 + 5_000);
    expect(second).toEqual({
      kind: 'failed',
      code: 'JOB_NOT_APPLIED',
      message: 'Zoho finished the job but the record does not show territory T2 and still shows territory T1',
      after: ['T1'],
    });
  });

  it('a record Zoho no longer returns fails', () => {
    expect(judgeJob(job, { pending: false, record: null, rechecked: false }, T0)).toMatchObject({
      kind: 'failed',
      code: 'RECORD_NOT_FOUND',
    });
  });
});
