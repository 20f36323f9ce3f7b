import { describe, expect, it } from 'vitest';
import { ALL_KINDS } from '../../../src/core/monitor/alert-kinds.js';
import type { CheckResult } from '../../../src/core/monitor/index.js';
import type { AlertRecord } from '../../../src/core/store/types.js';
import { alertContent, buildAlertMessage } from '../../../src/views/alerts.js';
import { buildHealthMessage, healthChecks } from '../../../src/views/health.js';
import { assertBlockKitLimits } from '../../../src/views/limits.js';
import { hostileName, noRawInjection, T0, territoryId } from './fixtures.js';

function check(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    status: 'ok',
    inconclusiveReason: null,
    conditions: [],
    evaluatedKinds: [...ALL_KINDS],
    apiUser: { id: '111', name: 'API User', email: 'api@example.com', status: 'active' },
    territoryCount: 12,
    watched: [
      {
        id: territoryId(1),
        name: 'EMEA',
        modules: ['Leads'],
        usable: true,
        code: 'ok' as never,
        reason: null,
        viaId: territoryId(0),
        viaName: 'Org',
      },
    ],
    names: null,
    calls: {},
    ...overrides,
  };
}

describe('healthChecks (monitor run -> check lines)', () => {
  it('all good: token, territory management, API user and each watched territory are ok', () => {
    const lines = healthChecks({ check: check(), outcome: 'ok' });
    expect(lines.map((l) => [l.name, l.status])).toEqual([
      ['Zoho OAuth token', 'ok'],
      ['Territory management', 'ok'],
      ['API user', 'ok'],
      ['Territory EMEA', 'ok'],
    ]);
    expect(lines[1]?.detail).toBe('on; 12 territories listed');
    expect(lines[2]?.detail).toContain('API User (api@example.com), active');
    expect(lines[3]?.detail).toBe('usable through Org');
  });

  it('a failed run without a check result is one failing line', () => {
    expect(healthChecks({ check: null, outcome: 'Zoho did not answer' })).toEqual([
      { name: 'Monitor run', status: 'fail', detail: 'Zoho did not answer' },
    ]);
  });

  it('conditions turn their line red/amber; steps not reached are "not checked"', () => {
    const lines = healthChecks({
      check: check({
        status: 'problems',
        evaluatedKinds: ['oauth_revoked'],
        conditions: [
          {
            fingerprint: 'oauth_revoked',
            kind: 'oauth_revoked',
            territoryId: null,
            severity: 'critical',
            title: 'The Zoho refresh token was revoked',
            cause: 'Zoho answers invalid_code.',
            fix: [],
            affected: [],
            facts: {},
          },
        ],
      }),
      outcome: 'problems',
    });
    expect(lines[0]).toMatchObject({ name: 'Zoho OAuth token', status: 'fail' });
    expect(lines[0]?.detail).toContain('revoked');
    expect(lines.slice(1).every((l) => l.status === 'warn' && l.detail.startsWith('not checked'))).toBe(true);
  });

  it('sums up many usable watched territories but lists every unusable one', () => {
    const watched = Array.from({ length: 2000 }, (_, i) => ({
      id: territoryId(i),
      name: hostileName(i),
      modules: ['Deals' as const],
      usable: i % 100 !== 0,
      code: (i % 100 !== 0 ? 'ok' : 'read_only') as never,
      reason: i % 100 !== 0 ? null : hostileName(i, 300),
      viaId: null,
      viaName: null,
    }));
    const lines = healthChecks({ check: check({ watched, status: 'problems' }), outcome: 'x' });
    expect(lines.filter((l) => l.status === 'fail')).toHaveLength(20);
    expect(lines.find((l) => l.name === 'Watched territories')?.detail).toBe(
      '1,980 of 2,000 usable by the API user',
    );
    const m = buildHealthMessage({
      checks: lines,
      lastRun: null,
      openAlerts: [],
      now: T0,
      note: hostileName(3, 2000),
    });
    assertBlockKitLimits(m);
    expect(noRawInjection(m)).toBe(true);
  });
});

describe('alert details as the monitor writes them', () => {
  const base: AlertRecord = {
    fingerprint: 'api_user_not_member',
    kind: 'api_user_not_member',
    territoryId: null,
    state: 'firing',
    severity: 'critical',
    title: 'The API user is not in the territory hierarchy',
    details: {
      cause: 'not a member',
      fix: ['Add it'],
      affected: [
        { id: territoryId(1), name: 'EMEA', modules: ['Leads', 'Deals'] },
        { id: null, name: 'Nordics (routing file)', modules: [] },
      ],
      heldBack: [{ title: 'Territory EMEA can no longer be used', kind: 'territory_unreadable' }],
      resolution: 'The API user was added back.',
    },
    contentHash: '',
    inhibitedBy: null,
    startsAt: T0,
    updatedAt: T0,
    lastNotifiedAt: null,
    resolvedAt: null,
    snoozedUntil: null,
    snoozedBy: null,
    channel: null,
    ts: null,
  };

  it('reads affected (with modules and unknown ids), heldBack and resolution', () => {
    const c = alertContent(base);
    expect(c.territories).toEqual([
      { id: territoryId(1), name: 'EMEA', modules: ['Leads', 'Deals'] },
      { id: null, name: 'Nordics (routing file)' },
    ]);
    expect(c.heldBack).toEqual([{ title: 'Territory EMEA can no longer be used' }]);
    expect(c.resolution).toBe('The API user was added back.');
    const firing = buildAlertMessage({ alert: base, now: T0 });
    assertBlockKitLimits(firing);
    const json = JSON.stringify(firing.blocks);
    expect(json).toContain(`*EMEA* \`${territoryId(1)}\` (Leads, Deals)`);
    expect(json).toContain('*Nordics (routing file)*');
    expect(json).toContain('• Territory EMEA can no longer be used');
    const resolved = buildAlertMessage({
      alert: { ...base, state: 'resolved', resolvedAt: T0 + 60_000 },
      now: T0,
    });
    assertBlockKitLimits(resolved);
    expect(JSON.stringify(resolved.blocks)).toContain('The API user was added back.');
  });
});
