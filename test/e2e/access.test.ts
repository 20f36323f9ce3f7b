/**
 * Who may change what (DESIGN.md §4), end to end in ACCESS_MODE=zoho through the real HTTP path
 * against the demo org and workspace: Rita (California rep) changes her own Lead directly; her
 * move of a colleague's Deal goes to Mona (manager of Americas), who approves it; a manager of
 * another territory (Omar, mapped to the EMEA manager by the overrides file) and Rita herself
 * cannot decide it; an admin (Raj) decides where no manager maps; Uma (no Zoho user) is refused
 * in words with no record read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeed } from '../../src/sandbox/zoho/index.js';
import { approvalCard, content, decide, openReview } from './bulk-flow.js';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

describe('access policy (ACCESS_MODE=zoho) through the real HTTP path', () => {
  let stack: Stack;
  // The demo seed is deterministic: the simulator serves exactly this org.
  const seed = demoSeed();
  const rita = seed.users.find((u) => u.email === 'ritarep00@tbsim.com')!.id;
  const raj = seed.users.find((u) => u.email === 'rajrep000@tbsim.com')!.id;
  const emeaManager = seed.territories.find((t) => t.name === 'EMEA')!.managerId!;
  const dir = mkdtempSync(path.join(tmpdir(), 'territory-access-'));
  const used = new Set<string>();

  beforeAll(async () => {
    const overrides = path.join(dir, 'identity.yml');
    // Omar's Zoho email differs from Slack's: the overrides file makes him the EMEA manager.
    writeFileSync(overrides, `# Slack user: Zoho user\n${DEMO_IDS.ops}: "${emeaManager}"\n`);
    stack = await startStack({
      accessMode: 'zoho',
      config: (c) => ({
        ...c,
        access: { ...c.access, identityOverridesPath: overrides },
        // Raj is the admin approver here; Mona decides as the Zoho manager of Americas only.
        roles: { ...c.roles, approverUserIds: [DEMO_IDS.rep2], approverUsergroup: null },
      }),
    });
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const pendingRequest = () =>
    eventually(
      async () =>
        (await stack.bot.services.store.listRequestsByRequester(DEMO_IDS.rep, 20)).find(
          (r) => r.state === 'pending_approval',
        ),
      10_000,
      'pending request',
    );
  const record = (
    module: 'Leads' | 'Deals',
    ownerId: string,
    pred: (r: { territories: Array<{ territoryId: string }> }) => boolean = (r) => r.territories.length === 0,
  ) => {
    const r = stack.zoho
      .records(module)
      .find((x) => x.ownerId === ownerId && !x.locked && !used.has(x.id) && pred(x));
    if (!r) throw new Error(`no free ${module} owned by ${ownerId}`);
    used.add(r.id);
    return r;
  };
  const finished = (requestId: string) =>
    eventually(
      async () =>
        ['done', 'failed'].includes((await stack.bot.services.store.getRequest(requestId))?.state ?? ''),
      15_000,
      `request ${requestId} finished`,
    );
  const territoriesOf = (module: 'Leads' | 'Deals', id: string) =>
    stack.zoho.record(module, id)!.territories.map((t) => t.territoryId);
  const ephemeralFor = (user: string, pattern: RegExp) =>
    eventually(
      () => stack.slack.responses().find((r) => pattern.test(JSON.stringify(r.body))) ?? undefined,
      10_000,
      `answer for ${user} matching ${pattern}`,
    );

  it('a rep changes their own Lead directly: no approval card, done in Zoho', async () => {
    const california = stack.zoho.territoryByName('California')!.id;
    const lead = record('Leads', rita, (r) => !r.territories.some((t) => t.territoryId === california));
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead.id} California`,
    });
    await eventually(() => territoriesOf('Leads', lead.id).includes(california), 15_000, 'lead assigned');
    expect(stack.slack.messages(DEMO_IDS.approvals).some((m) => content(m).includes(lead.id))).toBe(false);
  });

  it("a colleague's Deal needs approval: card to the territory manager, others refused, the manager approves", async () => {
    const deal = record('Deals', raj);
    const california = stack.zoho.territoryByName('California')!.id;
    const assigns = stack.zoho.callCount('assignTerritories');
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `move Deals/${deal.id} California`,
    });
    await ephemeralFor(DEMO_IDS.rep, /Sent for approval/);
    const request = await pendingRequest();
    const card = await approvalCard(stack, request.id);
    expect(content(card)).toContain(`<@${DEMO_IDS.manager}>`);
    expect(content(card)).toMatch(/owned by someone else/);
    expect(stack.zoho.callCount('assignTerritories')).toBe(assigns);

    // Mona's /territory requests lists it as waiting for her decision.
    await stack.driver.command({ user: DEMO_IDS.manager, channel: DEMO_IDS.sales, text: 'requests' });
    await ephemeralFor(DEMO_IDS.manager, new RegExp(`Waiting for your approval.*${request.id}`));

    // Omar manages EMEA (overrides file): he cannot decide a move into California.
    const outsider = await openReview(stack, DEMO_IDS.ops, card);
    expect(content(outsider)).toMatch(/Only someone who manages California/);
    expect(outsider.submit ?? null).toBeNull();
    // The requester cannot decide their own request.
    const own = await openReview(stack, DEMO_IDS.rep, card);
    expect(content(own)).toMatch(/someone else has to approve/);
    expect(own.submit ?? null).toBeNull();
    // Server-side, whatever the buttons said.
    expect(await stack.bot.services.approvals.decide(request.id, DEMO_IDS.ops, 'approve')).toMatchObject({
      ok: false,
      reason: 'not_approver',
    });

    await openReview(stack, DEMO_IDS.manager, card);
    const res = await decide(stack, DEMO_IDS.manager, 'approve');
    expect(res.outcome?.action).toBe('update');
    await eventually(() => territoriesOf('Deals', deal.id).includes(california), 15_000, 'deal moved');
    await finished(request.id);

    const audit = await stack.bot.services.store.listAudit({ requestId: request.id });
    const submitted = audit.find((e) => e.action === 'request.submitted')!;
    expect(JSON.stringify(submitted.data)).toMatch(/owned by someone else/);
    const approved = audit.find((e) => e.action === 'request.approved')!;
    expect(approved.actor).toBe(DEMO_IDS.manager);
    expect(approved.data).toMatchObject({
      rule: 'territory_manager',
      territoryIds: [stack.zoho.territoryByName('Americas')!.id],
    });
  });

  it('where no territory manager maps to Slack, the admins decide', async () => {
    const lead = record('Leads', raj);
    const japan = stack.zoho.territoryByName('ANZ')!;
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead.id} ${japan.name}`,
    });
    await ephemeralFor(DEMO_IDS.rep, new RegExp(`${japan.name} is outside your territories`));
    const request = await pendingRequest();
    const card = await approvalCard(stack, request.id);
    expect(content(card)).toMatch(/an approver decides/);
    await openReview(stack, DEMO_IDS.rep2, card);
    await decide(stack, DEMO_IDS.rep2, 'approve');
    const approved = await eventually(
      async () =>
        (await stack.bot.services.store.listAudit({ action: 'request.approved' })).find(
          (e) => e.actor === DEMO_IDS.rep2,
        ),
      10_000,
      'admin decision audited',
    );
    expect(approved.data).toMatchObject({ rule: 'admin' });
    await finished(request.id);
    await eventually(
      () => territoriesOf('Leads', lead.id).includes(japan.id),
      15_000,
      'lead assigned by admin',
    );
  });

  it('an unmapped person is refused in words, and no record is read', async () => {
    const lead = stack.zoho.records('Leads').find((r) => !used.has(r.id))!;
    // Earlier requests confirm their changes by reading records: let them finish first.
    await eventually(
      async () =>
        (await stack.bot.services.store.listRequestsByState(['approved', 'running'], 10)).length === 0,
      15_000,
      'earlier requests finished',
    );
    const reads = stack.zoho.callCount('getRecords');
    await stack.driver.command({
      user: DEMO_IDS.unmapped,
      channel: DEMO_IDS.general,
      text: `assign Leads/${lead.id} California`,
    });
    await ephemeralFor(
      DEMO_IDS.unmapped,
      /cannot tell who you are in Zoho CRM: no active Zoho user has your Slack email/,
    );
    await stack.driver.command({
      user: DEMO_IDS.unmapped,
      channel: DEMO_IDS.general,
      text: `show Leads/${lead.id}`,
    });
    await ephemeralFor(DEMO_IDS.unmapped, /Nothing was read/);
    // No read of the record asked about (earlier requests may still confirm theirs).
    const readsOfIt = stack.zoho
      .requestLog()
      .filter((c) => c.operation === 'getRecords' && String(c.query.ids ?? '').includes(lead.id));
    expect(readsOfIt).toEqual([]);
    expect(stack.zoho.callCount('getRecords')).toBeLessThanOrEqual(reads + 2);
    // help and list stay open.
    const help = await stack.driver.command({
      user: DEMO_IDS.unmapped,
      channel: DEMO_IDS.general,
      text: 'help',
    });
    expect(help.status).toBe(200);
  });
});
