import { describe, expect, it } from 'vitest';
import type { AlertRecord, RequestRecord } from '../../../src/core/store/types.js';
import { buildAppHome } from '../../../src/views/app-home.js';
import { assertBlockKitLimits } from '../../../src/views/limits.js';

const NOW = Date.UTC(2026, 10, 23, 12);
const long = (n: number) => '<!channel> *bold* '.repeat(Math.ceil(n / 18)).slice(0, n);

function request(i: number, extra: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: `req-${i}-${'x'.repeat(80)}`,
    kind: 'bulk',
    state: 'running',
    requesterId: `U${i}`,
    originChannelId: 'C1',
    reason: long(5_000),
    itemCount: 10_000,
    summary: {},
    createdAt: NOW - i * 1000,
    updatedAt: NOW,
    expiresAt: NOW + 3_600_000,
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    ...extra,
  };
}

function alert(i: number): AlertRecord {
  return {
    fingerprint: `f${i}`,
    kind: 'territory_deleted',
    territoryId: null,
    state: 'firing',
    severity: i % 2 ? 'critical' : 'warning',
    title: long(4_000),
    details: {},
    contentHash: 'h',
    inhibitedBy: null,
    startsAt: NOW - i,
    updatedAt: NOW,
    lastNotifiedAt: null,
    resolvedAt: null,
    snoozedUntil: i === 0 ? NOW + 1000 : null,
    snoozedBy: null,
    channel: null,
    ts: null,
  };
}

describe('App Home view', () => {
  it('stays within Block Kit limits with hundreds of requests, approvals and alerts, escaped', () => {
    const view = buildAppHome({
      userId: 'U1',
      mine: Array.from({ length: 500 }, (_, i) => ({
        request: request(i),
        counts: { done: 5_000, pending: 5_000 },
      })),
      waiting: {
        canDecide: true,
        requests: Array.from({ length: 500 }, (_, i) => request(i, { state: 'pending_approval' })),
      },
      ops: {
        alerts: Array.from({ length: 500 }, (_, i) => alert(i)),
        lastRun: {
          id: 1,
          startedAt: NOW - 5000,
          finishedAt: NOW - 4000,
          ok: false,
          outcome: long(10_000),
          details: {},
        },
      },
      now: NOW,
    });
    assertBlockKitLimits(view);
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const json = JSON.stringify(view);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('more request');
    expect(json).toContain('more alert');
    expect(json).toContain('5,000/10,000');
  });

  it('shows only what concerns the person: no approvals or health sections for a rep', () => {
    const view = buildAppHome({
      userId: 'U1',
      mine: [],
      waiting: { canDecide: false, requests: [] },
      ops: null,
      now: NOW,
    });
    assertBlockKitLimits(view);
    const json = JSON.stringify(view);
    expect(json).toContain('home_open_assign');
    expect(json).toContain('home_open_bulk');
    expect(json).toContain('no requests yet');
    expect(json).not.toContain('Waiting for your decision');
    expect(json).not.toContain('Territory health');
  });

  it('tells ops when the monitor has not run and nothing fires', () => {
    const json = JSON.stringify(
      buildAppHome({
        userId: 'U',
        mine: [],
        waiting: { canDecide: true, requests: [] },
        ops: { alerts: [], lastRun: null },
        now: NOW,
      }),
    );
    expect(json).toContain('has not completed a run yet');
    expect(json).toContain('No alert is firing');
    expect(json).toContain('Nothing waits for you');
  });
});
