/**
 * Big bulks end to end: a 2,000-row CSV uploaded in the modal (downloaded with the bot token),
 * approved, sent in 20 calls; a restart while its jobs are pending (nothing lost, nothing sent
 * twice); expiry of an undecided request (card marked, requester told).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bigSeed } from '../../src/sandbox/zoho/index.js';
import {
  approvalCard,
  content,
  csvOf,
  decide,
  finalReply,
  openReview,
  parentMessage,
  previewList,
  submitPreview,
} from './bulk-flow.js';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

function callSnapshot(stack: Stack): Map<string, number> {
  return new Map(stack.zoho.calls().map((c) => [`${c.operation} ${c.method}`, c.count]));
}
function callDelta(stack: Stack, since: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of stack.zoho.calls()) {
    const n = c.count - (since.get(`${c.operation} ${c.method}`) ?? 0);
    if (n > 0) out[c.operation] = (out[c.operation] ?? 0) + n;
  }
  return out;
}

let stack: Stack | null = null;
/** Starts this test's stack; afterEach closes it. */
async function launch(options: Parameters<typeof startStack>[0]): Promise<Stack> {
  stack = await startStack(options);
  return stack;
}
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && stack) {
    for (const l of stack.logs) if (/"level":(40|50)/.test(l)) console.log(l.slice(0, 1500));
  }
  await stack?.close();
  stack = null;
});

describe('big bulks', () => {
  it('a 2,000-row CSV: downloaded, previewed, approved, 20 assign calls, all done', async () => {
    const s = await launch({ zoho: { seed: bigSeed({ territories: 40, records: 2_000 }) } });
    const territory = s.zoho.territories().at(-1)!;
    const ids = s.zoho
      .records('Leads')
      .slice(0, 2_000)
      .map((r) => r.id);
    // Per-line territory by name for half of the lines, the default territory for the rest.
    const lines = ids.map((id, i) => (i % 2 === 0 ? `Leads/${id},${territory.name}` : `Leads/${id},`));
    const before = callSnapshot(s);
    const { requestId, view } = await previewList(s, { csv: csvOf(lines), defaultTerritoryId: territory.id });
    expect(content(view)).toMatch(/2,000/);
    // The file was fetched from url_private with the bot token (the emulator refuses anything else).
    expect(s.slack.calls('files.info')).toHaveLength(1);
    await submitPreview(s);
    const card = await approvalCard(s, requestId, DEMO_IDS.approvals, 60_000);
    const parent = await parentMessage(s, requestId);
    await openReview(s, DEMO_IDS.manager, card);
    expect((await decide(s, DEMO_IDS.manager, 'approve')).outcome?.action).toBe('update');
    const reply = await finalReply(s, parent, 120_000);
    expect(reply.text).toMatch(/2,000 done/);
    const delta = callDelta(s, before);
    console.log(`zoho calls for 2,000 records: ${JSON.stringify(delta)}`);
    expect(delta.assignTerritories).toBe(20);
    const items = await s.bot.services.store.countItemsByState(requestId);
    expect(items).toEqual({ done: 2_000 });
    expect(
      s.zoho.records('Leads').filter((r) => r.territories.some((t) => t.territoryId === territory.id)),
    ).toHaveLength(2_000);
  }, 180_000);

  it('a restart while the jobs of an approved bulk are pending: nothing lost, nothing sent twice', async () => {
    const s = await launch({
      zoho: { seed: bigSeed({ territories: 40, records: 300 }), jobDelayMs: 2_000 },
    });
    const territory = s.zoho.territories().at(-1)!.id;
    const ids = s.zoho
      .records('Leads')
      .slice(0, 250)
      .map((r) => r.id);
    const { requestId } = await previewList(s, {
      csv: csvOf(
        ids.map((id) => `Leads/${id}`),
        'record',
      ),
      defaultTerritoryId: territory,
    });
    await submitPreview(s);
    const card = await approvalCard(s, requestId);
    const parent = await parentMessage(s, requestId);
    await openReview(s, DEMO_IDS.manager, card);
    await decide(s, DEMO_IDS.manager, 'approve');
    await eventually(
      () => s.zoho.callCount('assignTerritories') === 3 && s.zoho.pendingJobs().length > 0,
      20_000,
      'jobs pending',
    );

    await s.restart();

    const reply = await finalReply(s, parent, 60_000);
    expect(reply.text).toMatch(/250 done/);
    await new Promise((r) => setTimeout(r, 500));
    expect(s.zoho.callCount('assignTerritories')).toBe(3);
    // One "approved" note and one final reply: nothing posted twice across the restart.
    expect(s.slack.thread(DEMO_IDS.sales, parent.ts).map((m) => m.text)).toEqual([
      expect.stringMatching(/Approved/),
      expect.stringMatching(/250 done/),
    ]);
    expect(await s.bot.services.store.countItemsByState(requestId)).toEqual({ done: 250 });
  }, 120_000);

  it('an undecided request expires: the card says so and the requester is told', async () => {
    // APPROVAL_TTL_HOURS of about a second; the sweep is called by hand once that time has passed.
    const s = await launch({
      zoho: { seed: bigSeed({ territories: 10, records: 20 }) },
      config: (c) => ({ ...c, policy: { ...c.policy, approvalTtlHours: 1 / 3600 } }),
    });
    const territory = s.zoho.territories().at(-1)!.id;
    const ids = s.zoho
      .records('Leads')
      .slice(0, 3)
      .map((r) => r.id);
    const { requestId } = await previewList(s, {
      paste: ids.map((id) => `Leads/${id}`).join('\n'),
      defaultTerritoryId: territory,
    });
    await submitPreview(s);
    const card = await approvalCard(s, requestId);
    const parent = await parentMessage(s, requestId);
    const pending = await s.bot.services.store.getRequest(requestId);
    expect(pending?.state).toBe('pending_approval');
    await eventually(() => Date.now() > (pending?.expiresAt ?? 0), 5_000, 'expiry time');

    // (The bot's own minute sweep may get there first; either way it expires exactly once.)
    await s.bot.services.approvals.expireDue();
    expect((await s.bot.services.store.getRequest(requestId))?.state).toBe('expired');
    expect(await s.bot.services.store.listAudit({ requestId, action: 'request.expired' })).toHaveLength(1);
    await eventually(
      () => /Expired/.test(s.slack.message(DEMO_IDS.approvals, card.ts)!.text),
      5_000,
      'card expired',
    );
    expect(content(s.slack.message(DEMO_IDS.approvals, card.ts)!)).not.toContain('approval_review');
    const told = await eventually(
      () => s.slack.thread(DEMO_IDS.sales, parent.ts).find((m) => /expired/i.test(content(m))),
      5_000,
      'requester told',
    );
    expect(content(told)).toContain(`<@${DEMO_IDS.rep}>`);
    // A decision arriving after expiry is refused and audited.
    const late = await s.bot.services.approvals.decide(requestId, DEMO_IDS.manager, 'approve');
    expect(late).toMatchObject({ ok: false, reason: 'expired' });
    expect(s.zoho.callCount('assignTerritories')).toBe(0);
    const actions = (await s.bot.services.store.listAudit({ requestId })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['request.expired', 'request.refused']));
  });

  it('without APPROVALS_CHANNEL the card goes to each approver by DM, and every copy shows the decision', async () => {
    const s = await launch({
      zoho: { seed: bigSeed({ territories: 10, records: 20 }) },
      config: (c) => ({
        ...c,
        channels: { ...c.channels, approvals: null },
        roles: { ...c.roles, approverUserIds: [DEMO_IDS.manager, DEMO_IDS.ops], approverUsergroup: null },
      }),
    });
    const territory = s.zoho.territories().at(-1)!.id;
    const ids = s.zoho
      .records('Leads')
      .slice(0, 3)
      .map((r) => r.id);
    const { requestId } = await previewList(s, {
      paste: ids.map((id) => `Leads/${id}`).join('\n'),
      defaultTerritoryId: territory,
    });
    await submitPreview(s);
    const managerDm = s.slack.dmChannel(DEMO_IDS.manager);
    const opsDm = s.slack.dmChannel(DEMO_IDS.ops);
    const card = await approvalCard(s, requestId, managerDm);
    const opsCard = await approvalCard(s, requestId, opsDm);
    // Never to the requester.
    expect(
      s.slack.messages(s.slack.dmChannel(DEMO_IDS.rep)).some((m) => content(m).includes('approval_review')),
    ).toBe(false);
    await openReview(s, DEMO_IDS.ops, opsCard, opsDm);
    await decide(s, DEMO_IDS.ops, 'approve');
    for (const [channel, ts] of [
      [managerDm, card.ts],
      [opsDm, opsCard.ts],
    ] as const) {
      await eventually(() => /Approved/.test(s.slack.message(channel, ts)!.text), 5_000, 'copy approved');
      expect(content(s.slack.message(channel, ts)!)).toContain(`<@${DEMO_IDS.ops}>`);
    }
    await finalReply(s, await parentMessage(s, requestId));
  });
});
