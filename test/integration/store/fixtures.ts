/** Seeded data for the store suite. Zoho ids are 19-digit strings, beyond 2^53 as numbers. */
import type { AlertRecord, NewJob, NewRequest, NewRequestItem } from '../../../src/core/store/types.js';

export const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);

/** 19 digits, larger than Number.MAX_SAFE_INTEGER: any numeric round trip would corrupt it. */
export function recordId(n: number): string {
  return (9_123_456_789_000_000_000n + BigInt(n)).toString();
}

export function territoryId(n: number): string {
  return (3_652_397_000_000_000_000n + BigInt(n)).toString();
}

export function newRequest(id: string, overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    id,
    kind: 'bulk',
    state: 'pending_approval',
    requesterId: 'U0REP0001',
    originChannelId: 'C0SALES01',
    reason: 'Q1 re-territory',
    itemCount: 0,
    summary: { modules: { Leads: 2 }, warnings: ['Deal already has a territory'] },
    createdAt: T0,
    expiresAt: T0 + 72 * 3_600_000,
    ...overrides,
  };
}

export function newItems(count: number, start = 0): NewRequestItem[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: start + i,
    lineNo: start + i + 2,
    module: i % 2 === 0 ? 'Leads' : 'Deals',
    recordId: recordId(start + i),
    action: 'assign' as const,
    territoryIds: [territoryId(i % 7), territoryId(100 + (i % 3))],
    removeTerritoryIds: [],
    before: i % 3 === 0 ? null : [territoryId(500 + i)],
  }));
}

export function newJob(requestId: string, seq: number, nextPollAt: number, createdAt = T0): NewJob {
  return {
    requestId,
    seq,
    module: 'Leads',
    recordId: recordId(seq),
    jobId: recordId(900_000 + seq),
    operation: 'assign',
    expectPresent: [territoryId(1)],
    expectAbsent: [territoryId(2)],
    createdAt,
    nextPollAt,
    deadlineAt: createdAt + 3_600_000,
  };
}

export function alert(fingerprint: string, overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    fingerprint,
    kind: 'territory_deleted',
    territoryId: territoryId(42),
    state: 'firing',
    severity: 'critical',
    title: 'Territory "EMEA North" was deleted',
    details: { steps: ['Recreate the territory', 'Update routing.yaml'], held: [] },
    contentHash: 'h1',
    inhibitedBy: null,
    startsAt: T0,
    updatedAt: T0,
    lastNotifiedAt: null,
    resolvedAt: null,
    snoozedUntil: null,
    snoozedBy: null,
    channel: null,
    ts: null,
    ...overrides,
  };
}
