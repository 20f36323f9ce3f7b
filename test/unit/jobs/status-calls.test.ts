import { describe, expect, it } from 'vitest';
import { isFirstLook, pendingFirst, recordsFirst } from '../../../src/core/jobs/status-calls.js';
import type { JobRecord } from '../../../src/core/store/types.js';
import type { PendingJob, ZohoModule, ZohoRecord } from '../../../src/core/zoho/types.js';

const T1 = '3652397000000300001';
const T2 = '3652397000000300002';

function job(recordId: string, polls = 0, expectPresent = [T1], expectAbsent: string[] = []): JobRecord {
  return {
    id: Number(recordId.slice(-3)),
    requestId: 'req',
    seq: 0,
    module: 'Accounts',
    recordId,
    jobId: `job-${recordId}`,
    operation: 'assign',
    expectPresent,
    expectAbsent,
    state: 'pending',
    polls,
    createdAt: 0,
    nextPollAt: 0,
    deadlineAt: 1_000_000,
    updatedAt: 0,
  };
}

/** Records with territories, records with a pending job; each call logged with its ids. */
function api(territories: Record<string, string[]>, pending: string[]) {
  const calls: Array<[string, string[]]> = [];
  return {
    calls,
    async getRecords(module: ZohoModule, ids: readonly string[]): Promise<ZohoRecord[]> {
      calls.push(['records', [...ids]]);
      return ids
        .filter((id) => territories[id])
        .map((id) => ({
          module,
          id,
          name: id,
          territories: territories[id]!.map((t) => ({ id: t, name: t, assigned: 'manually' as const })),
        }));
    },
    async getPendingJobs(_module: ZohoModule, ids: readonly string[]): Promise<PendingJob[]> {
      calls.push(['pending', [...ids]]);
      return ids
        .filter((id) => pending.includes(id))
        .map((id) => ({ recordId: id, jobId: `job-${id}`, source: 'manual_territory_assignment' }));
    },
  };
}

describe('status calls', () => {
  it('a job never polled is at its first look', () => {
    expect(isFirstLook(job('r001'))).toBe(true);
    expect(isFirstLook(job('r001', 1))).toBe(false);
  });

  it('first look: one call when every record shows its change', async () => {
    const zoho = api({ r001: [T1], r002: [T1, T2] }, []);
    let calls = 0;
    const seen = await recordsFirst(zoho, 'Accounts', [job('r001'), job('r002')], ['r001', 'r002'], () => {
      calls += 1;
    });
    expect(calls).toBe(1);
    expect(zoho.calls).toEqual([['records', ['r001', 'r002']]]);
    expect(seen.busy.size).toBe(0);
    expect([...seen.records.keys()]).toEqual(['r001', 'r002']);
  });

  it('first look: feature-info is asked only about records not showing the change (missing ones too)', async () => {
    // r002 still has the territory the job removes; r003 is gone; r004 does not show T1 yet.
    const zoho = api({ r001: [T1], r002: [T1, T2], r004: [] }, ['r004']);
    const jobs = [job('r001'), job('r002', 0, [T1], [T2]), job('r003'), job('r004')];
    let calls = 0;
    const seen = await recordsFirst(zoho, 'Accounts', jobs, ['r001', 'r002', 'r003', 'r004'], () => {
      calls += 1;
    });
    expect(calls).toBe(2);
    expect(zoho.calls[1]).toEqual(['pending', ['r002', 'r003', 'r004']]);
    expect([...seen.busy]).toEqual(['r004']);
  });

  it('later looks: feature-info first, then only the records with no pending job are read', async () => {
    const zoho = api({ r001: [T1], r002: [] }, ['r002']);
    let calls = 0;
    const seen = await pendingFirst(zoho, 'Accounts', ['r001', 'r002'], () => {
      calls += 1;
    });
    expect(zoho.calls).toEqual([
      ['pending', ['r001', 'r002']],
      ['records', ['r001']],
    ]);
    expect(calls).toBe(2);
    expect([...seen.busy]).toEqual(['r002']);
    expect([...seen.records.keys()]).toEqual(['r001']);

    const allBusy = api({}, ['r001']);
    await pendingFirst(allBusy, 'Accounts', ['r001'], () => {});
    expect(allBusy.calls).toEqual([['pending', ['r001']]]);
  });
});
