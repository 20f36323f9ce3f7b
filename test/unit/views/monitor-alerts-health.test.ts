/**
 * Alert and health views fed the monitor's own shapes: `details` as alerts.ts writes them
 * (affected with modules, heldBack, resolution) and a MonitorRunResult's CheckResult.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult, MonitorRunResult } from '../../../src/core/monitor/index.js';
import type { AlertRecord } from '../../../src/core/store/types.js';
import { alertContent, buildAlertMessage } from '../../../src/views/alerts.js';
import { buildHealthMessage, healthChecks } from '../../../src/views/health.js';
import { assertBlockKitLimits } from '../../../src/views/limits.js';
import { hostileName, noRawInjection, T0, territoryId } from './fixtures.js';

function alert(overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    fingerprint: 'api_user_outside_hierarchy',
    kind: 'api_user_outside_hierarchy',
    territoryId: null,
    state: 'firing',
    severity: 'critical',
    title: 'The API user is in no territory',
    details: {
      cause: 'territorybot@example.com is not a member of any territory.',
      fix: ['Add the API user to "Global" with Read/Write/Delete', 'Run /territory health to check'],
      affected: [
        { id: territoryId(1), name: 'US West', modules: ['Leads', 'Deals'] },
        { id: null, name: 'Nordics', modules: [] },
      ],
      heldBack: [
        {
          fingerprint: `api_user_not_member:${territoryId(1)}`,
          title: 'The API user cannot use "US West"',
          territoryId: territoryId(1),
        },
        {
          fingerprint: `api_user_not_member:${territoryId(2)}`,
          title: 'The API user cannot use "DACH"',
          territoryId: territoryId(2),
        },
      ],
      facts: {},
    },
    contentHash: 'h',
    inhibitedBy: null,
    startsAt: T0 - 3_600_000,
    updatedAt: T0,
    lastNotifiedAt: T0,
    resolvedAt: null,
    snoozedUntil: null,
    snoozedBy: null,
    channel: 'C0OPS',
    ts: '1.2',
    ...overrides,
  };
}

describe('alert message from monitor details', () => {
  it('shows affected territories with their modules and the held-back alerts from details', () => {
    const m = buildAlertMessage({ alert: alert(), now: T0 });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain(`*US West* \`${territoryId(1)}\` (Leads, Deals)`);
    expect(json).toContain('• *Nordics*');
    expect(json).toContain('held back while this alert fires (2)');
    expect(json).toContain('• The API user cannot use \\"DACH\\"');
    expect(json).toContain('1. Add the API user to \\"Global\\"');
  });

  it('resolved: says how it was resolved, no buttons', () => {
    const m = buildAlertMessage({
      alert: alert({
        state: 'resolved',
        resolvedAt: T0,
        details: { ...alert().details, resolution: 'The condition no longer holds.' },
      }),
      now: T0,
    });
    assertBlockKitLimits(m);
    expect(JSON.stringify(m.blocks)).toContain('The condition no longer holds.');
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('reads the monitor shape leniently and stays within limits when huge and hostile', () => {
    expect(
      alertContent(alert({ details: { affected: [{ id: null, name: '' }, 5], heldBack: [{}, null] } })),
    ).toEqual({
      cause: null,
      fixSteps: [],
      territories: [],
      heldBack: [],
      resolution: null,
    });
    const big = alert({
      title: hostileName(1),
      details: {
        cause: hostileName(2, 10_000),
        fix: Array.from({ length: 300 }, (_, i) => hostileName(i)),
        affected: Array.from({ length: 3000 }, (_, i) => ({
          id: i % 3 ? territoryId(i) : null,
          name: hostileName(i),
          modules: [hostileName(i, 80)],
        })),
        heldBack: Array.from({ length: 20_000 }, (_, i) => ({
          fingerprint: `f${i}`,
          title: hostileName(i),
          territoryId: null,
        })),
        resolution: hostileName(3, 5000),
      },
    });
    for (const a of [big, { ...big, state: 'resolved' as const, resolvedAt: T0 }]) {
      const m = buildAlertMessage({ alert: a, now: T0 });
      assertBlockKitLimits(m);
      expect(noRawInjection(m)).toBe(true);
    }
  });
});

function check(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    status: 'ok',
    inconclusiveReason: null,
    conditions: [],
    evaluatedKinds: [
      'oauth_revoked',
      'territory_management_off',
      'api_user_inactive',
      'api_user_outside_hierarchy',
      'territory_deleted',
      'territory_renamed',
      'api_user_not_member',
      'api_user_read_only',
    ],
    apiUser: { id: 'u1', name: 'Territory Bot', email: 'bot@example.com', status: 'active' },
    territoryCount: 37,
    watched: [
      {
        id: territoryId(1),
        name: 'US West',
        modules: ['Leads'],
        usable: true,
        code: 'ok',
        reason: null,
        viaId: territoryId(9),
        viaName: 'Americas',
      },
      {
        id: territoryId(2),
        name: 'DACH',
        modules: ['Leads'],
        usable: false,
        code: 'read_only',
        reason: 'the API user reaches it only through "EMEA", which is read-only',
        viaId: territoryId(8),
        viaName: 'EMEA',
      },
    ],
    names: {},
    calls: {},
    ...overrides,
  };
}

const run = (c: CheckResult | null, outcome = 'fine'): Pick<MonitorRunResult, 'check' | 'outcome'> => ({
  check: c,
  outcome,
});

describe('health checks from a monitor run', () => {
  it('one line per step and per watched territory', () => {
    const lines = healthChecks(run(check()));
    expect(lines.map((l) => `${l.status} ${l.name}`)).toEqual([
      'ok Zoho OAuth token',
      'ok Territory management',
      'ok API user',
      'fail Territory DACH',
      'ok Territory US West',
    ]);
    expect(lines[3]!.detail).toContain('through "EMEA"');
    expect(lines[4]!.detail).toBe('usable through Americas');
    expect(lines[1]!.detail).toBe('on; 37 territories listed');
  });

  it('an OAuth failure fails its line and marks later steps not checked', () => {
    const lines = healthChecks(
      run(
        check({
          status: 'problems',
          evaluatedKinds: ['oauth_revoked', 'oauth_scope_missing', 'oauth_invalid_client'],
          apiUser: null,
          territoryCount: null,
          watched: [],
          conditions: [
            {
              fingerprint: 'oauth_revoked',
              kind: 'oauth_revoked',
              territoryId: null,
              severity: 'critical',
              title: 'Zoho refresh token no longer works',
              cause: 'Zoho refused the refresh token.',
              fix: [],
              affected: [],
              facts: {},
            },
          ],
        }),
      ),
    );
    expect(lines[0]).toMatchObject({ name: 'Zoho OAuth token', status: 'fail' });
    expect(lines.slice(1).every((l) => l.status === 'warn' && l.detail.startsWith('not checked'))).toBe(true);
  });

  it('inconclusive and failed runs say so; many watched territories are summed up', () => {
    const inconclusive = healthChecks(
      run(
        check({
          status: 'inconclusive',
          inconclusiveReason: 'Zoho throttled the token refresh',
          evaluatedKinds: [],
        }),
      ),
    );
    expect(inconclusive[0]).toMatchObject({ name: 'Monitor run', status: 'warn' });
    expect(healthChecks(run(null, 'failed: store down'))).toEqual([
      { name: 'Monitor run', status: 'fail', detail: 'failed: store down' },
    ]);
    const many = check({
      watched: Array.from({ length: 2000 }, (_, i) => ({
        ...check().watched[i % 2]!,
        id: territoryId(i),
        name: hostileName(i),
      })),
    });
    const lines = healthChecks(run(many));
    expect(lines.filter((l) => l.status === 'ok' && l.name === 'Watched territories')[0]!.detail).toBe(
      '1,000 of 2,000 usable by the API user',
    );
    const m = buildHealthMessage({
      checks: lines,
      lastRun: null,
      openAlerts: [],
      note: hostileName(1),
      now: T0,
    });
    assertBlockKitLimits(m);
    expect(noRawInjection(m)).toBe(true);
  });
});
