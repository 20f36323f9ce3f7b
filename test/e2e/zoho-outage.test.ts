/**
 * Zoho down when a rep asks (issue 11 item 4), through the real Bolt receiver, the Slack
 * emulator and the Zoho simulator: the request is stored before its first read, the rep is told
 * it waits for Zoho (ephemeral answer and the parent message), and once Zoho answers again it
 * runs by itself: one write, the done reply in the thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

const content = (m: { text: string; blocks?: unknown }) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;

describe('/territory assign while Zoho is down', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is told it waits, then runs once Zoho is back: one write, done in the thread', async () => {
    const lead = stack.zoho.records('Leads').find((r) => r.territories.length === 0 && !r.locked)!;
    stack.zoho.faults.failNext({ count: 1_000_000, status: 500 });
    try {
      const res = await stack.driver.command({
        user: DEMO_IDS.rep,
        channel: DEMO_IDS.sales,
        text: `assign Leads/${lead.id} us west`,
      });
      expect(res.status).toBe(200);
      const waiting = await eventually(
        () => stack.slack.responses().find((r) => JSON.stringify(r.body).includes('Your request is saved')),
        20_000,
        'the waiting answer',
      );
      expect(JSON.stringify(waiting.body)).toContain('Zoho');
      await eventually(
        () =>
          stack.slack
            .messages(DEMO_IDS.sales)
            .find((m) => content(m).includes(lead.id) && content(m).includes('Waiting for Zoho')),
        10_000,
        'the parent message saying it waits',
      );
      expect(stack.zoho.record('Leads', lead.id)!.territories).toEqual([]);
    } finally {
      stack.zoho.faults.clear();
    }
    const parent = stack.slack.messages(DEMO_IDS.sales).find((m) => content(m).includes(lead.id))!;
    const reply = await eventually(
      () =>
        stack.slack.thread(DEMO_IDS.sales, parent.ts).find((m) => content(m).includes(`<@${DEMO_IDS.rep}>`)),
      60_000,
      'the done reply in the thread',
    );
    expect(content(reply)).toContain('Done');
    const usWest = stack.zoho.territoryByName('US West')!;
    expect(stack.zoho.record('Leads', lead.id)!.territories.map((t) => t.territoryId)).toEqual([usWest.id]);
    const writes = stack.zoho
      .requestLog()
      .filter((c) => c.operation === 'assignTerritories' && c.status < 300)
      .filter((c) => JSON.stringify(c.requestBody).includes(lead.id));
    expect(writes).toHaveLength(1);
  }, 120_000);
});
