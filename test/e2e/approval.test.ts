/**
 * Bulk requests through manager approval, end to end (real Bolt HTTP receiver, Slack emulator,
 * Zoho simulator with a big org): approve a 250-record list (exactly 3 assign calls), reject
 * with a comment, refusals (own request, non-approver, second decision), cancel while pending,
 * `/territory requests`, and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** Zoho calls by operation since `since` (a snapshot of stack.zoho.calls()). */
function callDelta(stack: Stack, since: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of stack.zoho.calls()) {
    const n = c.count - (since.get(`${c.operation} ${c.method}`) ?? 0);
    if (n > 0) out[c.operation] = (out[c.operation] ?? 0) + n;
  }
  return out;
}
function callSnapshot(stack: Stack): Map<string, number> {
  return new Map(stack.zoho.calls().map((c) => [`${c.operation} ${c.method}`, c.count]));
}

describe('bulk requests through manager approval (big org)', () => {
  let stack: Stack;
  let territory: string;
  let next = 0;
  /** Lead ids not used by an earlier test. */
  const leads = (n: number) => {
    const all = stack.zoho.records('Leads');
    const out = all.slice(next, next + n).map((r) => r.id);
    next += n;
    if (out.length < n) throw new Error('seed has too few leads');
    return out;
  };

  beforeAll(async () => {
    stack = await startStack({
      zoho: { seed: bigSeed({ territories: 40, records: 700 }) },
      config: (c) => ({
        ...c,
        roles: { ...c.roles, approverUserIds: [DEMO_IDS.manager, DEMO_IDS.ops], approverUsergroup: null },
      }),
    });
    // A leaf: the seed's API user is a read_write_delete member of the root, so it may write it.
    territory = stack.zoho.territories().at(-1)!.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a 250-record list approved by a manager: 3 assign calls, progress, final reply with counts', async () => {
    const ids = leads(250);
    const before = callSnapshot(stack);
    const { requestId, view } = await previewList(stack, {
      csv: csvOf(
        ids.map((id) => `Leads/${id}`),
        'record',
      ),
      defaultTerritoryId: territory,
      reason: 'Q1 re-territorialisation',
    });
    expect(view.submit?.text).toBe('Submit for approval');
    // The preview is paged: 250 rows, 20 a page.
    expect(content(view)).toMatch(/Page 1 of 13/);
    await stack.driver.clickButton({ user: DEMO_IDS.rep, actionId: 'bulk_preview_page_next' });
    await eventually(
      () => content(stack.slack.viewStack(DEMO_IDS.rep).at(-1)!).includes('Page 2 of 13'),
      5_000,
      'page 2',
    );

    await submitPreview(stack);
    const card = await approvalCard(stack, requestId);
    expect(content(card)).toContain('Q1 re-territorialisation');
    expect(content(card)).toContain(`<@${DEMO_IDS.rep}>`);
    expect(content(card)).toMatch(/Expires/);
    const parent = await parentMessage(stack, requestId);
    await eventually(
      () => /waiting for a manager/i.test(content(stack.slack.message(DEMO_IDS.sales, parent.ts)!)),
      5_000,
      'parent pending approval',
    );
    expect(stack.zoho.callCount('assignTerritories')).toBe(before.get('assignTerritories POST') ?? 0);

    const review = await openReview(stack, DEMO_IDS.manager, card);
    expect(content(review)).toMatch(/Page 1 of 13/);
    await stack.driver.clickButton({ user: DEMO_IDS.manager, actionId: 'review_page_next' });
    await eventually(
      () => content(stack.slack.viewStack(DEMO_IDS.manager).at(-1)!).includes('Page 2 of 13'),
      5_000,
      'review page 2',
    );
    const res = await decide(stack, DEMO_IDS.manager, 'approve');
    expect(res.outcome?.action).toBe('update');

    const reply = await finalReply(stack, parent);
    expect(reply.text).toMatch(/250 done/);
    expect(content(reply)).toContain(`<@${DEMO_IDS.rep}>`);
    const delta = callDelta(stack, before);
    // Reported by the test run (see the report): calls per operation for 250 records.
    console.log(`zoho calls for 250 records: ${JSON.stringify(delta)}`);
    expect(delta.assignTerritories).toBe(3);
    expect(delta.getRecords).toBeGreaterThanOrEqual(3);
    for (const id of ids) {
      expect(stack.zoho.record('Leads', id)!.territories.map((t) => t.territoryId)).toContain(territory);
    }
    // The card shows the decision, by whom.
    const decided = stack.slack.message(DEMO_IDS.approvals, card.ts)!;
    expect(content(decided)).toMatch(/Approved/);
    expect(content(decided)).toContain(`<@${DEMO_IDS.manager}>`);
    expect(content(decided)).not.toContain('approval_review');
    // The parent was updated in place to done.
    await eventually(
      () => /done/i.test(stack.slack.message(DEMO_IDS.sales, parent.ts)!.text),
      5_000,
      'parent done',
    );
    // The requester was told in the thread that it was approved, then the result.
    const thread = stack.slack.thread(DEMO_IDS.sales, parent.ts);
    expect(thread.map((m) => m.text)).toEqual([
      expect.stringMatching(/Approved/),
      expect.stringMatching(/250 done/),
    ]);

    const audit = (await stack.bot.services.store.listAudit({ requestId })).map((e) => e.action);
    expect(audit).toEqual(
      expect.arrayContaining([
        'request.created',
        'request.submitted',
        'request.approved',
        'request.running',
        'zoho.assign',
        'request.done',
      ]),
    );
  });

  it('a rejection needs a comment; the card and the requester show it; nothing is sent', async () => {
    const ids = leads(5);
    const { requestId } = await previewList(stack, {
      paste: ids.map((id) => `Leads/${id}`).join('\n'),
      defaultTerritoryId: territory,
    });
    await submitPreview(stack);
    const card = await approvalCard(stack, requestId);
    const parent = await parentMessage(stack, requestId);
    const assigns = stack.zoho.callCount('assignTerritories');

    await openReview(stack, DEMO_IDS.manager, card);
    const bare = await decide(stack, DEMO_IDS.manager, 'reject');
    expect(bare.outcome?.action).toBe('errors');
    expect(stack.slack.view(bare.viewId)?.errors?.review_comment).toMatch(/comment is required/);
    const res = await decide(stack, DEMO_IDS.manager, 'reject', 'These leads belong to the partner team.');
    expect(res.outcome?.action).toBe('update');

    await eventually(
      () => /Rejected/.test(stack.slack.message(DEMO_IDS.approvals, card.ts)!.text),
      5_000,
      'card rejected',
    );
    expect(content(stack.slack.message(DEMO_IDS.approvals, card.ts)!)).toContain('partner team');
    const told = await eventually(
      () => stack.slack.thread(DEMO_IDS.sales, parent.ts).find((m) => /rejected/i.test(content(m))),
      5_000,
      'requester told',
    );
    expect(content(told)).toContain(`<@${DEMO_IDS.rep}>`);
    expect(content(told)).toContain('partner team');
    await eventually(
      () => /reject/i.test(stack.slack.message(DEMO_IDS.sales, parent.ts)!.text),
      5_000,
      'parent rejected',
    );
    expect(stack.zoho.callCount('assignTerritories')).toBe(assigns);
    expect((await stack.bot.services.store.getRequest(requestId))?.decisionComment).toMatch(/partner team/);
  });

  it('refuses self-approval and non-approvers server-side; the requester can cancel while pending', async () => {
    const ids = leads(3);
    // The manager is an approver, and asks for a change themselves.
    const { requestId } = await previewList(stack, {
      user: DEMO_IDS.manager,
      paste: ids.map((id) => `Leads/${id}`).join('\n'),
      defaultTerritoryId: territory,
    });
    await submitPreview(stack, DEMO_IDS.manager);
    const card = await approvalCard(stack, requestId);

    const own = await openReview(stack, DEMO_IDS.manager, card);
    expect(content(own)).toMatch(/another approver has to approve/);
    expect(own.submit ?? null).toBeNull();

    const outsider = await openReview(stack, DEMO_IDS.rep2, card);
    expect(content(outsider)).toMatch(/Only approvers can approve/);
    expect(outsider.submit ?? null).toBeNull();

    const refusals = await stack.bot.services.store.listAudit({ requestId, action: 'request.refused' });
    expect(refusals.map((e) => e.data.reason)).toEqual(
      expect.arrayContaining(['own_request', 'not_approver']),
    );

    // Someone else clicking Cancel on the parent message is told no, ephemerally.
    const parent = await parentMessage(stack, requestId);
    await stack.driver.clickButton({
      user: DEMO_IDS.rep2,
      channel: DEMO_IDS.sales,
      ts: parent.ts,
      actionId: 'request_cancel',
    });
    await eventually(
      () =>
        stack.slack
          .responses()
          .find((r) =>
            JSON.stringify(r.body).includes('Only the person who made this request can cancel it'),
          ),
      5_000,
      'cancel refusal',
    );
    expect((await stack.bot.services.store.getRequest(requestId))?.state).toBe('pending_approval');

    await stack.driver.clickButton({
      user: DEMO_IDS.manager,
      channel: DEMO_IDS.sales,
      ts: parent.ts,
      actionId: 'request_cancel',
    });
    await eventually(
      () => /Cancelled/.test(stack.slack.message(DEMO_IDS.approvals, card.ts)!.text),
      5_000,
      'card cancelled',
    );
    expect((await stack.bot.services.store.getRequest(requestId))?.state).toBe('cancelled');
    // The card lost its Review button; a late decision (e.g. a modal left open) is refused server-side.
    expect(content(stack.slack.message(DEMO_IDS.approvals, card.ts)!)).not.toContain('approval_review');
    const late = await stack.bot.services.approvals.decide(requestId, DEMO_IDS.ops, 'approve');
    expect(late).toMatchObject({ ok: false, reason: 'already_decided' });
  });

  it('two approvers deciding at once: exactly one decision counts, the request runs once', async () => {
    const ids = leads(4);
    const { requestId } = await previewList(stack, {
      paste: ids.map((id) => `Leads/${id}`).join('\n'),
      defaultTerritoryId: territory,
    });
    await submitPreview(stack);
    const card = await approvalCard(stack, requestId);
    const parent = await parentMessage(stack, requestId);
    const assigns = stack.zoho.callCount('assignTerritories');
    await openReview(stack, DEMO_IDS.manager, card);
    await openReview(stack, DEMO_IDS.ops, card);
    const [a, b] = await Promise.all([
      decide(stack, DEMO_IDS.manager, 'approve'),
      decide(stack, DEMO_IDS.ops, 'reject', 'Not this quarter.'),
    ]);
    const outcomes = [a.outcome?.action, b.outcome?.action].sort();
    expect(outcomes).toEqual(['errors', 'update']);
    const loser = a.outcome?.action === 'errors' ? a : b;
    expect(stack.slack.view(loser.viewId)?.errors?.review_decision).toMatch(
      /already been (approved|rejected)/,
    );

    const request = await stack.bot.services.store.getRequest(requestId);
    const decisions = (await stack.bot.services.store.listAudit({ requestId })).filter((e) =>
      ['request.approved', 'request.rejected'].includes(e.action),
    );
    expect(decisions).toHaveLength(1);
    if (request?.decidedBy === DEMO_IDS.manager) {
      await finalReply(stack, parent);
      expect(stack.zoho.callCount('assignTerritories')).toBe(assigns + 1);
    } else {
      expect(request?.state).toBe('rejected');
      expect(stack.zoho.callCount('assignTerritories')).toBe(assigns);
    }
  });

  it('/territory requests: my requests with their state; approvers see what waits for them', async () => {
    const ids = leads(2);
    const { requestId } = await previewList(stack, {
      paste: ids.map((id) => `Leads/${id}`).join('\n'),
      defaultTerritoryId: territory,
    });
    await submitPreview(stack);
    await approvalCard(stack, requestId);

    await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'requests' });
    const mine = await eventually(
      () =>
        stack.slack
          .responses()
          .find(
            (r) =>
              JSON.stringify(r.body).includes(requestId) &&
              JSON.stringify(r.body).includes('Your territory requests'),
          ),
      5_000,
      'requests list',
    );
    expect(JSON.stringify(mine.body)).not.toContain('Waiting for your approval');

    await stack.driver.command({ user: DEMO_IDS.manager, channel: DEMO_IDS.sales, text: 'requests' });
    const theirs = await eventually(
      () =>
        stack.slack
          .responses()
          .find(
            (r) =>
              JSON.stringify(r.body).includes('Waiting for your approval') &&
              JSON.stringify(r.body).includes(requestId),
          ),
      5_000,
      'approver list',
    );
    expect(JSON.stringify(theirs.body)).toContain('approval_review');
  });
});
