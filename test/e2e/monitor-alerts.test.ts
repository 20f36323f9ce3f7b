/**
 * The territory health monitor end to end: the simulator's org is broken in each way the
 * monitor knows, a run posts exactly one alert in the ops channel, the repair resolves it in
 * the same thread. Runs are driven with runNow (no cron) and time with a ManualClock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { EmuMessage } from '../../src/sandbox/slack/index.js';
import { demoSeed } from '../../src/sandbox/zoho/index.js';
import { ACTION } from '../../src/views/ids.js';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

const content = (m: { text: string; blocks?: unknown }) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;
const HOUR = 3_600_000;
const OPS = DEMO_IDS.opsAlerts;

describe('territory health monitor: ops alerts through Slack', () => {
  let stack: Stack;
  let routingFile: string;
  let routingDir: string;
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9, 0, 0));
  let indiaId: string;

  /** The territories the lead routing depends on; all usable by the API user in the demo org. */
  const routing = (withIndia: boolean) =>
    [
      'territories:',
      '  - name: US West',
      '    modules: [Leads, Deals]',
      '  - name: California',
      '    modules: [Leads, Accounts]',
      '  - name: DACH',
      '    modules: [Leads, Deals]',
      '  - name: ANZ',
      ...(withIndia ? [`  - id: "${indiaId}"`, '    name: India', '    modules: [Leads]'] : []),
      '',
    ].join('\n');

  beforeAll(async () => {
    indiaId = demoSeed().territories.find((t) => t.name === 'India')!.id;
    routingDir = mkdtempSync(path.join(tmpdir(), 'territory-routing-'));
    routingFile = path.join(routingDir, 'routing.yml');
    writeFileSync(routingFile, routing(true));
    stack = await startStack({
      clock,
      monitorSchedule: false,
      config: (c) => ({
        ...c,
        monitor: { ...c.monitor, routingConfigPath: routingFile, alertRepeatHours: 24 },
      }),
    });
  }, 30_000);
  afterAll(async () => {
    await stack?.close();
    rmSync(routingDir, { recursive: true, force: true });
  });

  const ops = () => stack.slack.messages(OPS);
  const run = () => stack.bot.services.monitor.runNow();
  const thread = (m: EmuMessage) => stack.slack.thread(OPS, m.ts);
  const fresh = (m: EmuMessage) => stack.slack.message(OPS, m.ts)!;

  /** Breaks the org, runs, expects exactly one new alert message; repairs, expects it resolved. */
  async function breakAndRepair(
    brk: () => void,
    repair: () => void,
    expectText: RegExp,
  ): Promise<{ alert: EmuMessage }> {
    const before = ops().length;
    let alert: EmuMessage;
    let edits: number;
    brk();
    try {
      const r1 = await run();
      expect(r1.alertsUpdated).toBe(true);
      const posted = ops().slice(before);
      expect(posted).toHaveLength(1);
      alert = posted[0]!;
      expect(content(alert)).toMatch(expectText);
      expect(content(alert)).toContain('How to fix it:');
      expect(content(alert)).toMatch(/1\. /);
      expect(content(alert)).toContain(ACTION.alertSnooze1h);
      // A second run while still broken posts nothing new and edits nothing.
      edits = fresh(alert).editCount;
      await run();
      expect(ops()).toHaveLength(before + 1);
      expect(fresh(alert).editCount).toBe(edits);
    } catch (err) {
      // Leave the org healthy for the next scenario.
      repair();
      await run();
      throw err;
    }

    repair();
    const r2 = await run();
    expect(r2.firing).toHaveLength(0);
    expect(ops()).toHaveLength(before + 1);
    const resolved = fresh(alert);
    expect(resolved.editCount).toBeGreaterThan(edits);
    expect(content(resolved)).toContain('Resolved');
    expect(content(resolved)).not.toContain(ACTION.alertSnooze1h);
    const replies = thread(alert);
    expect(replies.at(-1) && content(replies.at(-1)!)).toContain('*Resolved*');
    return { alert };
  }

  it('baseline: the routing file watches usable territories, so no alert fires', async () => {
    expect(stack.zoho.territoryByName('India')!.id).toBe(indiaId);
    const r = await run();
    expect(r.ok).toBe(true);
    expect(r.check?.watched.map((w) => w.name).sort()).toEqual([
      'ANZ',
      'California',
      'DACH',
      'India',
      'US West',
    ]);
    expect(r.firing).toEqual([]);
    expect(ops()).toHaveLength(0);
  });

  it('API user removed from a parent territory: one alert, resolved when added back', async () => {
    const emea = stack.zoho.territoryByName('EMEA')!;
    const api = stack.zoho.apiUserId;
    const { alert } = await breakAndRepair(
      () => stack.zoho.removeUserFromTerritory(api, emea.id),
      () => stack.zoho.addUserToTerritory(api, emea.id),
      /DACH/,
    );
    expect(content(alert)).toContain('Leads, Deals');
  });

  it('read-only path: one alert naming the read-only territory, resolved when writable again', async () => {
    const emea = stack.zoho.territoryByName('EMEA')!;
    const original = emea.permissionType;
    await breakAndRepair(
      () => stack.zoho.setPermissionType(emea.id, 'read_only'),
      () => stack.zoho.setPermissionType(emea.id, original),
      /only through \\"EMEA\\", whose permission is Read Only/,
    );
  });

  it('territory management off: one org-wide alert, resolved when switched back on', async () => {
    await breakAndRepair(
      () => stack.zoho.setTerritoryManagement(false),
      () => stack.zoho.setTerritoryManagement(true),
      /[Tt]erritory management/,
    );
  });

  it('renamed territory: one alert with the old and new name, resolved when renamed back', async () => {
    const dach = stack.zoho.territoryByName('DACH')!;
    const { alert } = await breakAndRepair(
      () => stack.zoho.renameTerritory(dach.id, 'DACH Region'),
      () => stack.zoho.renameTerritory(dach.id, 'DACH'),
      /DACH Region/,
    );
    expect(content(alert)).toContain('routing');
  });

  it('revoked refresh token: one alert with new-token steps, resolved when the token works again', async () => {
    await breakAndRepair(
      () => {
        stack.zoho.faults.revokeRefreshToken();
        stack.zoho.faults.expireAccessTokens();
      },
      () => stack.zoho.faults.restoreRefreshToken(),
      /refresh token/i,
    );
  });

  it('API-user-wide alert holds back the per-territory alerts it causes and lists them', async () => {
    const api = stack.zoho.apiUserId;
    const memberships = stack.zoho.userTerritoryIds(api);
    expect(memberships.length).toBeGreaterThan(1);
    const before = ops().length;
    for (const id of memberships) stack.zoho.removeUserFromTerritory(api, id);
    const r = await run();
    const posted = ops().slice(before);
    expect(posted).toHaveLength(1);
    const wide = posted[0]!;
    expect(r.firing.filter((a) => a.inhibitedBy === null).map((a) => a.kind)).toEqual([
      'api_user_outside_hierarchy',
    ]);
    const held = r.firing.filter((a) => a.inhibitedBy !== null);
    expect(held.length).toBeGreaterThanOrEqual(3);
    expect(content(wide)).toContain(`held back while this alert fires (${held.length})`);
    for (const h of held) expect(content(wide)).toContain(h.title.replace(/"/g, '\\"'));

    for (const id of memberships) stack.zoho.addUserToTerritory(api, id);
    const r2 = await run();
    expect(r2.firing).toEqual([]);
    expect(ops()).toHaveLength(before + 1);
    expect(content(fresh(wide))).toContain('Resolved');
    expect(content(thread(wide).at(-1)!)).toContain('*Resolved*');
  });

  it('reminds in the thread after ALERT_REPEAT_HOURS; ops can snooze, a rep cannot', async () => {
    const emea = stack.zoho.territoryByName('EMEA')!;
    const before = ops().length;
    stack.zoho.setPermissionType(emea.id, 'read_only');
    await run();
    const alert = ops()[before]!;
    expect(ops()).toHaveLength(before + 1);

    clock.advance(23 * HOUR);
    await run();
    expect(thread(alert)).toHaveLength(0);
    clock.advance(1 * HOUR);
    await run();
    expect(thread(alert)).toHaveLength(1);
    expect(content(thread(alert)[0]!)).toContain('*Still firing* for 24 h');

    // A rep clicks a snooze button: refused privately, the alert is unchanged.
    const edits = fresh(alert).editCount;
    const refused = await stack.driver.clickButton({
      user: DEMO_IDS.rep,
      channel: OPS,
      ts: alert.ts,
      actionId: ACTION.alertSnooze1d,
    });
    expect(refused.status).toBe(200);
    const refusal = await eventually(
      () =>
        stack.slack
          .responses()
          .find((x) => x.at >= 0 && JSON.stringify(x.body).includes('Only ops can snooze territory alerts')),
      10_000,
      'snooze refusal',
    );
    expect(refusal.body.response_type).toBe('ephemeral');
    expect(fresh(alert).editCount).toBe(edits);
    expect((await stack.bot.services.store.getAlert(alertFingerprint()))?.snoozedUntil).toBeNull();

    // Ops snoozes for a week: the card says by whom until when.
    await stack.driver.clickButton({
      user: DEMO_IDS.ops,
      channel: OPS,
      ts: alert.ts,
      actionId: ACTION.alertSnooze1w,
    });
    await eventually(() => fresh(alert).editCount > edits, 10_000, 'snoozed card');
    expect(content(fresh(alert))).toContain(':zzz: snoozed until');
    expect(content(fresh(alert))).toContain(`<@${DEMO_IDS.ops}>`);
    await eventually(
      () => stack.slack.responses().find((x) => JSON.stringify(x.body).includes('Snoozed: no reminders')),
      10_000,
      'snooze confirmation',
    );

    // Past the repeat interval while snoozed: no reminder.
    clock.advance(25 * HOUR);
    await run();
    expect(thread(alert)).toHaveLength(1);

    // Fixing it still resolves it (and says so in the thread), snooze or not.
    stack.zoho.setPermissionType(emea.id, 'read_write_delete');
    await run();
    expect(content(fresh(alert))).toContain('Resolved');
    expect(thread(alert)).toHaveLength(2);
    expect(ops()).toHaveLength(before + 1);

    function alertFingerprint(): string {
      const row = JSON.stringify(alert.blocks ?? []).match(/"value":"([^"|]+)\|1h"/);
      return row![1]!;
    }
  });

  it('a restart with an open alert does not post it again; the repair resolves it in the same thread', async () => {
    const emea = stack.zoho.territoryByName('EMEA')!;
    const api = stack.zoho.apiUserId;
    const before = ops().length;
    stack.zoho.removeUserFromTerritory(api, emea.id);
    await run();
    expect(ops()).toHaveLength(before + 1);
    const alert = ops()[before]!;
    const edits = fresh(alert).editCount;

    await stack.restart();
    const r = await run();
    expect(r.firing).toHaveLength(1);
    expect(ops()).toHaveLength(before + 1);
    expect(fresh(alert).editCount).toBe(edits);

    stack.zoho.addUserToTerritory(api, emea.id);
    await run();
    expect(ops()).toHaveLength(before + 1);
    expect(content(fresh(alert))).toContain('Resolved');
    expect(content(thread(alert).at(-1)!)).toContain('*Resolved*');
  });

  it('/territory health runs the checks and shows the result only to the person who asked', async () => {
    const emea = stack.zoho.territoryByName('EMEA')!;
    stack.zoho.setPermissionType(emea.id, 'read_only');
    const runsBefore = (await stack.bot.services.store.lastMonitorRun())?.id ?? 0;
    const res = await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'health' });
    expect(res.status).toBe(200);
    const answer = await eventually(
      () => stack.slack.responses().find((x) => JSON.stringify(x.body).includes('Territory health:')),
      10_000,
      'health answer',
    );
    expect(answer.body.response_type).toBe('ephemeral');
    const body = JSON.stringify(answer.body);
    expect(body).toContain('❌ *Territory DACH*');
    expect(body).toContain('✅ *Zoho OAuth token*');
    expect(body).toContain('✅ *Territory US West*');
    expect(body).toContain('Last completed run <!date^');
    expect(body).toContain('Open alerts (1)');
    expect((await stack.bot.services.store.lastMonitorRun())!.id).toBeGreaterThan(runsBefore);
    // Nothing for everyone in the channel where it was typed.
    expect(stack.slack.messages(DEMO_IDS.sales).some((m) => content(m).includes('Territory health'))).toBe(
      false,
    );

    stack.zoho.setPermissionType(emea.id, 'read_write_delete');
    await run();
  });

  it('/territory list marks the territories the API user cannot use, with the reason, and filters', async () => {
    const emea = stack.zoho.territoryByName('EMEA')!;
    stack.zoho.setPermissionType(emea.id, 'read_only');
    await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'list' });
    const all = await eventually(
      () => stack.slack.responses().find((x) => JSON.stringify(x.body).includes('*Territories*:')),
      10_000,
      'list answer',
    );
    expect(all.body.response_type).toBe('ephemeral');
    const text = JSON.stringify(all.body);
    // The demo org keeps the API user outside Global and read-only on Strategic Accounts.
    expect(text).toMatch(/:no_entry: \*Global\* — _the API user is not a member/);
    expect(text).toContain(':no_entry: *Strategic Accounts*');
    expect(text).toMatch(
      /:no_entry: \*DACH\* — _the API user reaches it only through \\"EMEA\\", which is read-only_/,
    );
    expect(text).toContain('• *US West*');

    await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'list key acc' });
    const filtered = await eventually(
      () => stack.slack.responses().find((x) => JSON.stringify(x.body).includes('matching “key acc”')),
      10_000,
      'filtered list',
    );
    const ftext = JSON.stringify(filtered.body);
    expect(ftext).toContain('Key Accounts West');
    expect(ftext).not.toContain('US West');
    stack.zoho.setPermissionType(emea.id, 'read_write_delete');
  });

  it('a Slack failure is retried by the next run: posted once, resolved once', async () => {
    const emea = stack.zoho.territoryByName('EMEA')!;
    const before = ops().length;
    stack.zoho.setPermissionType(emea.id, 'read_only');
    stack.slack.faults.failNext('chat.postMessage', 'channel_not_found');
    const r1 = await run();
    expect(r1.alerts?.events).toEqual([expect.objectContaining({ type: 'firing', ok: false })]);
    expect(ops()).toHaveLength(before);
    await run();
    expect(ops()).toHaveLength(before + 1);
    const alert = ops()[before]!;

    // The resolved reply fails once: the next run edits again and replies once.
    stack.zoho.setPermissionType(emea.id, 'read_write_delete');
    stack.slack.faults.failNext('chat.postMessage', 'channel_not_found');
    const r3 = await run();
    expect(r3.firing).toHaveLength(1);
    expect(thread(alert)).toHaveLength(0);
    const r4 = await run();
    expect(r4.firing).toHaveLength(0);
    expect(thread(alert)).toHaveLength(1);
    expect(content(thread(alert)[0]!)).toContain('*Resolved*');
    expect(content(fresh(alert))).toContain('Resolved');
    await run();
    expect(thread(alert)).toHaveLength(1);
    expect(ops()).toHaveLength(before + 1);
  });

  it('deleted territory: one alert, resolved once the routing file no longer lists it', async () => {
    await breakAndRepair(
      () => stack.zoho.deleteTerritory(indiaId),
      () => writeFileSync(routingFile, routing(false)),
      /India/,
    );
  });
});
