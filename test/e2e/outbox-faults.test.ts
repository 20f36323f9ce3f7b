/**
 * The outbox end to end (issue 11 item 2): the real app, Bolt receiver and store against the
 * Slack emulator's fault injection. Every case checks the requester gets exactly one result.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

const content = (m: { text: string; blocks?: unknown }) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the outbox under Slack faults', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Jobs take a moment, so a fault can be armed after the parent message and before the result.
    stack = await startStack({ zoho: { jobDelayMs: 600 } });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => {
    stack.slack.faults.clear();
  });

  const freshLead = (() => {
    const used = new Set<string>();
    return () => {
      const lead = stack.zoho
        .records('Leads')
        .find((r) => r.territories.length === 0 && !r.locked && !used.has(r.id));
      if (!lead) throw new Error('demo org has no free lead left');
      used.add(lead.id);
      return lead;
    };
  })();

  async function assign(leadId: string) {
    const res = await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${leadId} Ontario`,
    });
    expect(res.status).toBe(200);
    return eventually(
      () => stack.slack.messages(DEMO_IDS.sales).find((m) => content(m).includes(leadId)),
      10_000,
      `parent message for ${leadId}`,
    );
  }

  /** The result replies in the parent's thread, once Slack lets them through. */
  async function repliesOnce(parentTs: string, label: string) {
    await eventually(
      () => stack.slack.thread(DEMO_IDS.sales, parentTs).some((m) => content(m).includes('Ontario')),
      20_000,
      label,
    );
    // Give a duplicate every chance to show up.
    await pause(1_500);
    return stack.slack.thread(DEMO_IDS.sales, parentTs);
  }

  const postsIn = (channel: string, threadTs: string) =>
    stack.slack
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);

  it('ratelimited on the final reply: posted once, after Retry-After', async () => {
    const lead = freshLead();
    const parent = await assign(lead.id);
    stack.slack.faults.rateLimit('chat.postMessage', { count: 1, retryAfterSec: 1 });
    expect(await repliesOnce(parent.ts, 'reply after the rate limit')).toHaveLength(1);
    const [limited, posted] = postsIn(DEMO_IDS.sales, parent.ts);
    expect(limited?.status).toBe(429);
    expect(posted?.status).toBe(200);
    // The emulator's clock stamps each call: the retry honoured Retry-After (1 s).
    expect(posted!.at - limited!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('ratelimited on updates: the parent still ends in its final state, edited after Retry-After', async () => {
    const lead = freshLead();
    const parent = await assign(lead.id);
    const before = stack.slack.calls('chat.update').length;
    stack.slack.faults.rateLimit('chat.update', { count: 1, retryAfterSec: 1 });
    expect(await repliesOnce(parent.ts, 'reply with updates rate limited')).toHaveLength(1);
    const updates = stack.slack
      .calls('chat.update')
      .slice(before)
      .filter((c) => c.args.ts === parent.ts);
    const limited = updates.find((c) => c.status === 429);
    const after = updates.filter((c) => c.status === 200 && limited && c.at >= limited.at);
    expect(limited).toBeDefined();
    expect(after.length).toBeGreaterThan(0);
    expect(after[0]!.at - limited!.at).toBeGreaterThanOrEqual(1_000);
    expect(content(stack.slack.message(DEMO_IDS.sales, parent.ts)!)).toMatch(/done/i);
  });

  it('Slack failing the final reply 3 times (internal_error): retried, posted once', async () => {
    const lead = freshLead();
    const parent = await assign(lead.id);
    stack.slack.faults.failNext('chat.postMessage', 'internal_error', 3);
    expect(await repliesOnce(parent.ts, 'reply after 3 failures')).toHaveLength(1);
    expect(postsIn(DEMO_IDS.sales, parent.ts).map((c) => c.response.ok)).toEqual([false, false, false, true]);
  });

  it('a 500 after Slack posted the final reply: read back, not posted twice', async () => {
    const lead = freshLead();
    const parent = await assign(lead.id);
    stack.slack.faults.httpError('chat.postMessage', { status: 500, afterApplying: true });
    expect(await repliesOnce(parent.ts, 'reply whose answer was lost')).toHaveLength(1);
    expect(postsIn(DEMO_IDS.sales, parent.ts).map((c) => c.status)).toEqual([500]);
    // The second attempt looked for its marker in the thread instead of posting again.
    expect(stack.slack.calls('conversations.replies').some((c) => c.args.ts === parent.ts)).toBe(true);
  });

  it('a restart with the final reply pending: the next process posts it, once', async () => {
    const lead = freshLead();
    const parent = await assign(lead.id);
    stack.slack.faults.httpError('chat.postMessage', { status: 503, count: 1_000 });
    await eventually(
      () => postsIn(DEMO_IDS.sales, parent.ts).some((c) => c.status === 503),
      10_000,
      'a failed attempt at the final reply',
    );
    await stack.restart();
    stack.slack.faults.clear();
    expect(await repliesOnce(parent.ts, 'reply after the restart')).toHaveLength(1);
  });

  it('the parent could not be posted anywhere: the result goes to the requester by DM, once', async () => {
    const lead = freshLead();
    // The channel refuses the parent, and the DM fallback fails too: no parent message at all.
    stack.slack.faults.failNext('chat.postMessage', 'channel_not_found', 1);
    stack.slack.faults.failNext('conversations.open', 'user_not_found', 1);
    const res = await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead.id} Ontario`,
    });
    expect(res.status).toBe(200);
    const dm = stack.slack.dmChannel(DEMO_IDS.rep);
    const results = () => stack.slack.messages(dm).filter((m) => content(m).includes(lead.id));
    await eventually(() => results().length > 0, 20_000, 'the result by DM');
    await pause(1_500);
    expect(results()).toHaveLength(1);
    expect(content(results()[0]!)).toContain('Ontario');
    expect(stack.slack.messages(DEMO_IDS.sales).some((m) => content(m).includes(lead.id))).toBe(false);
  });

  it('a replayed slash command (same payload, same trigger_id) does not start a second request', async () => {
    const lead = freshLead();
    const before = stack.zoho.callCount('assignTerritories');
    const parent = await assign(lead.id);
    const replay = await stack.driver.replay();
    expect(replay.status).toBe(200);
    expect(await repliesOnce(parent.ts, 'the one result')).toHaveLength(1);
    expect(stack.slack.messages(DEMO_IDS.sales).filter((m) => content(m).includes(lead.id))).toHaveLength(1);
    expect(stack.zoho.callCount('assignTerritories') - before).toBe(1);
  });

  it("Slack's retry of an event (X-Slack-Retry-Num) is dropped before any listener", async () => {
    const first = await stack.driver.event({ type: 'app_home_opened', user: DEMO_IDS.rep, tab: 'home' });
    expect(first.status).toBe(200);
    const retry = await stack.driver.replay({ retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    await eventually(
      () =>
        stack.logs.some(
          (l) => l.includes('dropped a delivery Slack sent again') && l.includes('"retryNum":1'),
        ),
      5_000,
      'the retry dropped',
    );
  });
});
