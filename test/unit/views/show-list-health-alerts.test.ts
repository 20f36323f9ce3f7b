import type { ActionsBlock, Button } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { AlertRecord, MonitorRun } from '../../../src/core/store/types.js';
import {
  alertContent,
  buildAlertMessage,
  buildAlertReminderReply,
  buildAlertResolvedReply,
} from '../../../src/views/alerts.js';
import { buildHealthMessage } from '../../../src/views/health.js';
import { ACTION, ALERT_SNOOZE_ACTION, parseSnoozeValue } from '../../../src/views/ids.js';
import { assertBlockKitLimits } from '../../../src/views/limits.js';
import { buildRecordShowMessage } from '../../../src/views/record-show.js';
import { buildTerritoryListMessage, treeRows } from '../../../src/views/territory-list.js';
import {
  hostileName,
  namesOf,
  noRawInjection,
  recordId,
  T0,
  territoryId,
  territoryTree,
} from './fixtures.js';

const names = namesOf(territoryTree(50));

describe('record show', () => {
  it('separates manual and rule territories, lists pending jobs and the last change', () => {
    const m = buildRecordShowMessage({
      record: {
        module: 'Leads',
        id: recordId(1),
        name: 'Jane Doe',
        territories: [
          { id: territoryId(1), name: 'North', assigned: 'manually' },
          { id: territoryId(2), name: 'West', assigned: 'automatically' },
        ],
      },
      pendingJobs: [
        { recordId: recordId(1), jobId: '3652397000000777777', source: 'manual_territory_assignment' },
      ],
      lastChange: {
        requestId: 'req_9',
        action: 'assign',
        state: 'scheduled',
        requesterId: 'U0REQUEST',
        at: T0,
        territoryIds: [territoryId(1)],
      },
      names,
    });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('*Manual (1)*');
    expect(json).toContain('*By territory rules (1)*');
    expect(json).toMatch(/Manual \(1\)\*\\n• \*North\*/);
    expect(json).toMatch(/rules \(1\)\*\\n• \*West\*/);
    expect(json).toContain('job `3652397000000777777` (assignment)');
    expect(json).toContain('<@U0REQUEST> asked to assign *Territory 1*');
    expect(json).toContain('*waiting for Zoho*');
    expect(m.text).toBe(`Leads/${recordId(1)}: 1 manual, 1 by rule, 1 job pending`);
  });

  it('reads well with nothing to show', () => {
    const m = buildRecordShowMessage({
      record: { module: 'Deals', id: recordId(2), name: null, territories: [] },
      pendingJobs: [],
      lastChange: null,
      names,
    });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('This record has no territory.');
    expect(json).toContain('No Zoho territory job is pending');
    expect(json).toContain('No change to this record was made through the bot.');
  });

  it('stays within limits with 2,000 hostile territories and jobs', () => {
    const m = buildRecordShowMessage({
      record: {
        module: 'Accounts',
        id: recordId(3),
        name: hostileName(3),
        territories: Array.from({ length: 2000 }, (_, i) => ({
          id: territoryId(i),
          name: hostileName(i),
          assigned: i % 2 ? ('manually' as const) : ('automatically' as const),
        })),
      },
      pendingJobs: Array.from({ length: 2000 }, (_, i) => ({
        recordId: recordId(3),
        jobId: hostileName(i, 100),
        source: hostileName(i, 100),
      })),
      lastChange: {
        requestId: hostileName(1),
        action: 'move',
        state: 'failed',
        requesterId: 'U0REQUEST',
        at: T0,
        territoryIds: Array.from({ length: 2000 }, (_, i) => territoryId(i)),
        message: hostileName(2, 5000),
      },
      names: namesOf(territoryTree(2000, (i) => hostileName(i))),
    });
    assertBlockKitLimits(m);
    expect(noRawInjection(m)).toBe(true);
  });
});

describe('territory list', () => {
  it('indents the tree and marks unusable territories with the reason', () => {
    const tree = territoryTree(6, (i) => ['Org', 'EMEA', 'APAC', 'Americas', 'North', 'DACH'][i]!);
    const m = buildTerritoryListMessage({
      territories: tree,
      unusable: new Map([[territoryId(5), 'API user is read-only here']]),
    });
    assertBlockKitLimits(m);
    const text = m.blocks.map((b) => (b.type === 'section' ? b.text?.text : '')).join('\n');
    expect(text).toContain(
      '• *Org*\n\u2003• *APAC*\n\u2003• *Americas*\n\u2003• *EMEA*\n' +
        '\u2003\u2003:no_entry: *DACH* — _API user is read-only here_\n\u2003• *North*',
    );
    expect(m.text).toBe('6 territories, 1 the bot cannot use');
  });

  it('filters by name, keeping ancestors for context', () => {
    const tree = territoryTree(6, (i) => ['Org', 'EMEA', 'APAC', 'Americas', 'North', 'DACH'][i]!);
    const m = buildTerritoryListMessage({ territories: tree, unusable: new Map(), filter: 'dach' });
    const text = m.blocks.map((b) => (b.type === 'section' ? b.text?.text : '')).join('\n');
    expect(text).toContain('matching “dach”*: 1 of 6');
    expect(text).toContain('• _Org_\n\u2003• _EMEA_\n\u2003\u2003• *DACH*');
    expect(text).not.toContain('APAC');
    const none = buildTerritoryListMessage({ territories: tree, unusable: new Map(), filter: 'zzz' });
    expect(none.text).toBe('No territory matches "zzz"');
  });

  it('survives cycles, orphans and a 2,000-deep chain', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => ({
      ...territoryTree(1)[0]!,
      id: territoryId(i),
      name: `T${i}`,
      parentId: i === 0 ? territoryId(1999) : territoryId(i - 1),
    }));
    const rows = treeRows(chain);
    expect(rows).toHaveLength(2000);
    const orphan = { ...chain[0]!, id: 'x', parentId: 'missing' };
    expect(treeRows([orphan])[0]).toMatchObject({ depth: 0 });
    assertBlockKitLimits(buildTerritoryListMessage({ territories: chain, unusable: new Map() }));
  });

  it('cuts 2,000 hostile territories safely, counting what was left out and naming unusable ones', () => {
    const tree = territoryTree(2000, (i) => hostileName(i));
    const unusable = new Map(tree.filter((_, i) => i % 97 === 0).map((t) => [t.id, hostileName(1, 300)]));
    const m = buildTerritoryListMessage({ territories: tree, unusable });
    assertBlockKitLimits(m);
    expect(noRawInjection(m)).toBe(true);
    const json = JSON.stringify(m.blocks);
    expect(json).toMatch(/…and [\d,]+ more territories not shown/);
    expect(json).toContain('Also cannot be used (not shown above)');
    const filtered = buildTerritoryListMessage({ territories: tree, unusable, filter: hostileName(0, 300) });
    assertBlockKitLimits(filtered);
  });
});

describe('health', () => {
  const run: MonitorRun = {
    id: 1,
    startedAt: T0 - 60_000,
    finishedAt: T0 - 30_000,
    ok: true,
    outcome: '12 territories checked',
    details: {},
  };

  it('shows checks with icons, failures first, last run and open alerts', () => {
    const m = buildHealthMessage({
      checks: [
        { name: 'OAuth token', status: 'ok', detail: 'refreshed' },
        { name: 'Territory EMEA', status: 'fail', detail: 'deleted in Zoho' },
        { name: 'API user membership', status: 'warn', detail: 'read-only path to DACH' },
      ],
      lastRun: run,
      openAlerts: [alert()],
      now: T0,
    });
    assertBlockKitLimits(m);
    const text = m.blocks.map((b) => (b.type === 'section' ? b.text?.text : '')).join('\n');
    expect(text.indexOf('❌ *Territory EMEA*')).toBeLessThan(text.indexOf('⚠️ *API user membership*'));
    expect(text.indexOf('⚠️')).toBeLessThan(text.indexOf('✅ *OAuth token*'));
    expect(JSON.stringify(m.blocks)).toContain('Last completed run <!date^');
    expect(JSON.stringify(m.blocks)).toContain('Open alerts (1)');
    expect(m.text).toBe('Territory health: some checks failed (2 checks not ok); 1 open alert');
  });

  it('all ok, never run; and huge hostile input', () => {
    const ok = buildHealthMessage({
      checks: [{ name: 'a', status: 'ok', detail: 'fine' }],
      lastRun: null,
      openAlerts: [],
      now: T0,
    });
    assertBlockKitLimits(ok);
    expect(JSON.stringify(ok.blocks)).toContain('has not completed a run yet');
    expect(ok.text).toBe('Territory health: all checks passed; 0 open alerts');
    const big = buildHealthMessage({
      checks: Array.from({ length: 2000 }, (_, i) => ({
        name: hostileName(i),
        status: 'fail' as const,
        detail: hostileName(i, 2000),
      })),
      lastRun: { ...run, outcome: hostileName(5, 5000) },
      openAlerts: Array.from({ length: 2000 }, (_, i) =>
        alert({ fingerprint: `f${i}`, title: hostileName(i) }),
      ),
      now: T0,
    });
    assertBlockKitLimits(big);
    expect(noRawInjection(big)).toBe(true);
  });
});

function alert(overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    fingerprint: `territory_deleted:${territoryId(7)}`,
    kind: 'territory_deleted',
    territoryId: territoryId(7),
    state: 'firing',
    severity: 'critical',
    title: 'Territory EMEA can no longer be used',
    details: {
      cause: 'Reading the territory answers INVALID_DATA: it was deleted in Zoho.',
      fix: [
        'Restore or re-create the territory in Zoho (Setup › Territory Management).',
        'Update the routing file.',
      ],
      territories: [{ id: territoryId(7), name: 'EMEA' }],
    },
    contentHash: 'h',
    inhibitedBy: null,
    startsAt: T0 - 2 * 3_600_000,
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

describe('alerts', () => {
  it('firing: title, cause, numbered fix steps, territories, snooze buttons with fingerprint|duration', () => {
    const m = buildAlertMessage({ alert: alert(), names, now: T0 });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(m.text).toBe('Critical: Territory EMEA can no longer be used');
    expect(json).toContain('*What is wrong:* Reading the territory answers INVALID_DATA');
    expect(json).toContain('1. Restore or re-create the territory');
    expect(json).toContain('2. Update the routing file.');
    expect(json).toContain(`*EMEA* \`${territoryId(7)}\``);
    expect(json).toContain('(2 h)');
    const buttons = (m.blocks.find((b) => b.type === 'actions') as ActionsBlock).elements as Button[];
    expect(buttons.map((b) => b.action_id)).toEqual([
      ACTION.alertSnooze1h,
      ACTION.alertSnooze1d,
      ACTION.alertSnooze1w,
    ]);
    for (const b of buttons) expect(ALERT_SNOOZE_ACTION.test(b.action_id ?? '')).toBe(true);
    expect(parseSnoozeValue(buttons[1]!.value!)).toEqual({
      fingerprint: `territory_deleted:${territoryId(7)}`,
      duration: '1d',
    });
  });

  it('API-user-wide alert lists the alerts it holds back; snoozed state is shown', () => {
    const wide = alert({
      fingerprint: 'api_user_not_member',
      kind: 'api_user_not_member',
      territoryId: null,
      title: 'The API user is no longer in the territory hierarchy',
      details: { reason: 'not a member of any territory', steps: 'Add the API user to the root territory.' },
      snoozedUntil: T0 + 3_600_000,
      snoozedBy: 'U0OPS',
    });
    const held = [
      alert({ title: 'Territory EMEA can no longer be used' }),
      alert({ fingerprint: 'x', title: 'Territory DACH can no longer be used' }),
    ];
    const m = buildAlertMessage({ alert: wide, heldBack: held, now: T0 });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('held back while this alert fires (2)');
    expect(json).toContain('• Territory DACH can no longer be used');
    expect(json).toContain('*What is wrong:* not a member of any territory');
    expect(json).toContain('1. Add the API user to the root territory.');
    expect(json).toContain(':zzz: snoozed until <!date^');
    expect(json).toContain('by <@U0OPS>');
  });

  it('resolved form has no buttons; reminder and resolved replies', () => {
    const resolved = alert({ state: 'resolved', resolvedAt: T0 + 3_600_000 });
    const m = buildAlertMessage({ alert: resolved, names, now: T0 + 3_600_000 });
    assertBlockKitLimits(m);
    expect(m.text).toBe('Resolved: Territory EMEA can no longer be used');
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(m.blocks)).toContain('after 3 h');
    const reminder = buildAlertReminderReply({ alert: alert(), now: T0 + 22 * 3_600_000 });
    assertBlockKitLimits(reminder);
    expect(JSON.stringify(reminder.blocks)).toContain('*Still firing* for 24 h');
    expect(JSON.stringify(reminder.blocks)).toContain('First step: Restore or re-create');
    const reply = buildAlertResolvedReply({ alert: resolved });
    assertBlockKitLimits(reply);
    expect(JSON.stringify(reply.blocks)).toContain('*Resolved* <!date^');
  });

  it('reads free-form details leniently', () => {
    expect(alertContent(alert({ details: { territories: ['a', { id: 'b', name: 'B' }, 3, null] } }))).toEqual(
      {
        cause: null,
        fixSteps: [],
        territories: [
          { id: 'a', name: null },
          { id: 'b', name: 'B' },
        ],
        heldBack: [],
        resolution: null,
      },
    );
    expect(alertContent(alert({ details: {} })).territories).toEqual([{ id: territoryId(7), name: null }]);
  });

  it('stays within limits with 2,000 territories, 10,000 held-back alerts and 500-char texts', () => {
    const big = alert({
      title: hostileName(1),
      details: {
        cause: hostileName(2, 10_000),
        fix: Array.from({ length: 500 }, (_, i) => hostileName(i)),
        territories: Array.from({ length: 2000 }, (_, i) => ({ id: territoryId(i), name: hostileName(i) })),
      },
    });
    const held = Array.from({ length: 10_000 }, (_, i) =>
      alert({ fingerprint: `f${i}`, title: hostileName(i % 50) }),
    );
    for (const a of [big, { ...big, state: 'resolved' as const, resolvedAt: T0 }]) {
      const m = buildAlertMessage({ alert: a, heldBack: held, now: T0 });
      assertBlockKitLimits(m);
      expect(noRawInjection(m)).toBe(true);
    }
    const huge = buildAlertMessage({ alert: alert({ fingerprint: 'f'.repeat(3000) }), now: T0 });
    assertBlockKitLimits(huge);
    expect(huge.blocks.some((b) => b.type === 'actions')).toBe(false);
    assertBlockKitLimits(buildAlertReminderReply({ alert: big, now: T0 }));
    assertBlockKitLimits(buildAlertResolvedReply({ alert: big }));
  });
});
