import { describe, expect, it } from 'vitest';
import { pollLane } from '../../../src/core/jobs/tracker.js';
import type { JobRecord } from '../../../src/core/store/types.js';

const job = (id: number, requestId: string): JobRecord => ({
  id,
  requestId,
  seq: id,
  module: 'Accounts',
  recordId: `36523970000000${id}`,
  jobId: `90000000000000${id}`,
  operation: 'assign',
  expectPresent: ['1'],
  expectAbsent: [],
  state: 'pending',
  polls: 0,
  createdAt: 0,
  nextPollAt: 0,
  deadlineAt: 900_000,
  updatedAt: 0,
});

describe('pollLane', () => {
  it("confirms someone's one-record change with people's calls, a bulk's jobs after its sends", () => {
    const waits = new Set(['single-1']);
    expect(pollLane([job(1, 'bulk-1'), job(2, 'bulk-1')], waits)).toBe('background');
    // One call confirms up to 100 records: a chunk mixing a bulk's jobs with a single change's
    // goes in the single change's lane.
    expect(pollLane([job(1, 'bulk-1'), job(3, 'single-1')], waits)).toBe('interactive');
    expect(pollLane([], waits)).toBe('background');
  });
});
