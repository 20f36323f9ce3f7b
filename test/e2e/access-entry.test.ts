/**
 * The access rules at every door, end to end: REQUESTER_USERGROUP on slash commands, modal
 * submissions and buttons (before any Zoho read or stored draft); MAX_DIRECT_CHANGES_PER_HOUR;
 * ACCESS_MODE=open (announced at start and in /territory health); a bad overrides file stops
 * the start naming file, line and problem.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedGroupDirectory } from '../../src/core/approvals/index.js';
import { content, previewList, topView, waitForView } from './bulk-flow.js';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

const GROUP_REFUSAL = /Only members of the requester user group/;

function answered(stack: Stack, pattern: RegExp) {
  return eventually(
    () => stack.slack.responses().find((r) => pattern.test(JSON.stringify(r.body))),
    10_000,
    `an answer matching ${pattern}`,
  );
}

/** Territory ids of Americas and everything below it. */
function americas(stack: Stack): Set<string> {
  const all = stack.zoho.territories();
  const out = new Set([stack.zoho.territoryByName('Americas')!.id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of all) {
      if (t.parentId && out.has(t.parentId) && !out.has(t.id)) {
        out.add(t.id);
        grew = true;
      }
    }
  }
  return out;
}

describe('ACCESS_MODE=zoho: requester group at every entry point, hourly limit', () => {
  let stack: Stack;
  const setGroup = (users: string[]) => {
    stack.slack.setUsergroupUsers(DEMO_IDS.approvers, users);
    (stack.bot.services.directory as CachedGroupDirectory).invalidate();
  };

  beforeAll(async () => {
    stack = await startStack({
      accessMode: 'zoho',
      config: (c) => ({
        ...c,
        access: { ...c.access, maxDirectChangesPerHour: 1 },
        roles: {
          ...c.roles,
          requesterUsergroup: DEMO_IDS.approvers,
          approverUserIds: [DEMO_IDS.rep2],
          approverUsergroup: null,
        },
      }),
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('slash commands: outside the group, refused before any record is read', async () => {
    setGroup([DEMO_IDS.manager]);
    const lead = stack.zoho.records('Leads')[0]!;
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead.id} Texas`,
    });
    await answered(stack, GROUP_REFUSAL);
    // `bulk` answers in the ack (it would open a modal); `show` through the response_url.
    const bulk = await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'bulk' });
    expect(JSON.stringify(bulk)).toMatch(GROUP_REFUSAL);
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `show Leads/${lead.id}`,
    });
    await eventually(
      () => stack.slack.responses().filter((r) => GROUP_REFUSAL.test(JSON.stringify(r.body))).length >= 2,
      10_000,
      'assign and show refused',
    );
    expect(stack.slack.viewStack(DEMO_IDS.rep)).toEqual([]);
    const reads = stack.zoho
      .requestLog()
      .filter((c) => c.operation === 'getRecords' && String(c.query.ids ?? '').includes(lead.id));
    expect(reads).toEqual([]);
    expect(await stack.bot.services.store.listRequestsByRequester(DEMO_IDS.rep, 10)).toEqual([]);
  });

  it('modal submission: a modal opened in the group is refused once its person left it', async () => {
    setGroup([DEMO_IDS.manager, DEMO_IDS.rep]);
    await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'assign' });
    await waitForView(stack, DEMO_IDS.rep, 'assign_modal', 5_000);
    setGroup([DEMO_IDS.manager]);
    const lead = stack.zoho.records('Leads')[1]!;
    const res = await stack.driver.submitView({
      user: DEMO_IDS.rep,
      values: {
        assign_record: `Leads/${lead.id}`,
        assign_territories: [stack.zoho.territoryByName('Texas')!.id],
      },
    });
    expect(res.outcome?.action).toBe('update');
    expect(content(topView(stack, DEMO_IDS.rep)!)).toMatch(GROUP_REFUSAL);
    expect(await stack.bot.services.store.listRequestsByRequester(DEMO_IDS.rep, 10)).toEqual([]);
  });

  it("buttons and the preview's submit: refused once the person left the group", async () => {
    setGroup([DEMO_IDS.manager, DEMO_IDS.rep]);
    const ids = stack.zoho
      .records('Leads')
      .slice(10, 35)
      .map((r) => `Leads/${r.id}`);
    const { requestId } = await previewList(stack, {
      paste: ids.join('\n'),
      defaultTerritoryId: stack.zoho.territoryByName('Texas')!.id,
    });
    setGroup([DEMO_IDS.manager]);
    await stack.driver.clickButton({ user: DEMO_IDS.rep, actionId: 'bulk_preview_page_next' });
    await eventually(
      () => GROUP_REFUSAL.test(content(topView(stack, DEMO_IDS.rep)!)),
      5_000,
      'pager refused',
    );

    // The preview modal's own submit (a view submission) is refused the same way.
    setGroup([DEMO_IDS.manager, DEMO_IDS.rep]);
    const again = await previewList(stack, {
      paste: ids.slice(0, 3).join('\n'),
      defaultTerritoryId: stack.zoho.territoryByName('Texas')!.id,
    });
    setGroup([DEMO_IDS.manager]);
    await stack.driver.submitView({ user: DEMO_IDS.rep });
    await eventually(
      () => GROUP_REFUSAL.test(content(topView(stack, DEMO_IDS.rep)!)),
      5_000,
      'submit refused',
    );
    expect((await stack.bot.services.store.getRequest(again.requestId))?.state).toBe('draft');
    expect((await stack.bot.services.store.getRequest(requestId))?.state).toBe('draft');
  });

  it('MAX_DIRECT_CHANGES_PER_HOUR: past the limit, even a manager in their own territory needs approval', async () => {
    setGroup([DEMO_IDS.manager]);
    const mine = americas(stack);
    const texas = stack.zoho.territoryByName('Texas')!.id;
    const [first, second] = stack.zoho
      .records('Leads')
      .filter(
        (r) =>
          !r.locked &&
          r.territories.length > 0 &&
          r.territories.every((t) => mine.has(t.territoryId) && t.territoryId !== texas),
      );
    if (!first || !second) throw new Error('demo org has too few Americas leads');
    await stack.driver.command({
      user: DEMO_IDS.manager,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${first.id} Texas`,
    });
    await eventually(
      () => stack.zoho.record('Leads', first.id)!.territories.some((t) => t.territoryId === texas),
      15_000,
      'first change direct',
    );
    await stack.driver.command({
      user: DEMO_IDS.manager,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${second.id} Texas`,
    });
    await answered(stack, /over the hourly limit/);
    const pending = await stack.bot.services.store.listRequestsByRequester(DEMO_IDS.manager, 10);
    expect(pending.map((r) => r.state)).toContain('pending_approval');
  });
});

describe('ACCESS_MODE=open and the identity overrides file at start', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'territory-access-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('open mode: anyone may change any record directly; the start log and /territory health say so', async () => {
    const stack = await startStack({ accessMode: 'open', monitorSchedule: false });
    try {
      expect(stack.logs.join('')).toMatch(/Access mode: open/);
      const lead = stack.zoho.records('Leads').find((r) => !r.locked && r.territories.length === 0)!;
      const anz = stack.zoho.territoryByName('ANZ')!.id;
      // Uma has no Zoho user: in open mode nobody is looked up.
      await stack.driver.command({
        user: DEMO_IDS.unmapped,
        channel: DEMO_IDS.general,
        text: `assign Leads/${lead.id} ANZ`,
      });
      await eventually(
        () => stack.zoho.record('Leads', lead.id)!.territories.some((t) => t.territoryId === anz),
        15_000,
        'open-mode change',
      );
      await stack.driver.command({ user: DEMO_IDS.ops, channel: DEMO_IDS.general, text: 'health' });
      await answered(stack, /Access mode: open/);
    } finally {
      await stack.close();
    }
  });

  it('a bad overrides file stops the start, naming the file, the line and the problem', async () => {
    const file = path.join(dir, 'bad.yml');
    writeFileSync(file, `${DEMO_IDS.rep}: "123"\nnot a slack id: "456"\n`);
    await expect(
      startStack({
        accessMode: 'zoho',
        config: (c) => ({ ...c, access: { ...c.access, identityOverridesPath: file } }),
      }),
    ).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*line 2`));
  });
});
