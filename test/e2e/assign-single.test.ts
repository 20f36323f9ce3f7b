import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

/** Text of everything the emulator holds for a message (text + blocks). */
const content = (m: { text: string; blocks?: unknown }) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;

describe('/territory assign|remove|move for one record, through the real HTTP path', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
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

  async function parentAndReply(channel: string, recordId: string) {
    const parent = await eventually(
      () => stack.slack.messages(channel).find((m) => content(m).includes(recordId)),
      10_000,
      `parent message for ${recordId}`,
    );
    const reply = await eventually(
      () => stack.slack.thread(channel, parent.ts).find((m) => content(m).includes(`<@${DEMO_IDS.rep}>`)),
      10_000,
      `thread reply for ${recordId}`,
    );
    return { parent, reply };
  }

  it('assigns by Module/ID and name: parent message, then the threaded done reply with territories', async () => {
    const lead = freshLead();
    const res = await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead.id} us west`,
    });
    expect(res.status).toBe(200);
    const { parent, reply } = await parentAndReply(DEMO_IDS.sales, lead.id);
    expect(content(reply)).toContain('US West');
    expect(content(reply)).toContain('Done');
    const usWest = stack.zoho.territoryByName('US West')!;
    expect(stack.zoho.record('Leads', lead.id)!.territories.map((t) => t.territoryId)).toContain(usWest.id);
    // The parent message was updated in place to its final state.
    expect(stack.slack.message(DEMO_IDS.sales, parent.ts)?.edited).toBeDefined();
  });

  it("shows a record: territories by how they got there, and the bot's last change", async () => {
    const lead = freshLead();
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead.id} Midwest`,
    });
    await parentAndReply(DEMO_IDS.sales, lead.id);
    await stack.driver.command({
      user: DEMO_IDS.rep2,
      channel: DEMO_IDS.sales,
      text: `show Leads/${lead.id}`,
    });
    const shown = await eventually(
      () =>
        stack.slack
          .responses()
          .find(
            (r) => JSON.stringify(r.body).includes(lead.id) && JSON.stringify(r.body).includes('Midwest'),
          ),
      10_000,
      'show answer',
    );
    expect(JSON.stringify(shown.body)).toContain(`<@${DEMO_IDS.rep}>`);
  });

  it('assigns by Zoho URL and territory id', async () => {
    const lead = freshLead();
    const emea = stack.zoho.territoryByName('EMEA')!;
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign https://crm.zoho.eu/crm/org20071234/tab/Leads/${lead.id}?sub=1 ${emea.id}`,
    });
    const { reply } = await parentAndReply(DEMO_IDS.sales, lead.id);
    expect(content(reply)).toContain('EMEA');
  });

  it('moves a Deal to another territory (remove, then assign)', async () => {
    const deal = stack.zoho
      .records('Deals')
      .find((r) => r.territories.length === 1 && r.territories[0]!.assigned === 'manually' && !r.locked)!;
    expect(deal).toBeDefined();
    const target = stack.zoho.territoryByName('Canada')!;
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `move https://crm.zoho.com/crm/org1/tab/Potentials/${deal.id} Canada`,
    });
    const { reply } = await parentAndReply(DEMO_IDS.sales, deal.id);
    expect(content(reply)).toContain('Canada');
    expect(stack.zoho.record('Deals', deal.id)!.territories.map((t) => t.territoryId)).toEqual([target.id]);
  });

  it('refuses a second territory on a Deal before calling Zoho, suggesting move', async () => {
    const deal = stack.zoho.records('Deals').find((r) => r.territories.length === 1 && !r.locked)!;
    const calls = stack.zoho.callCount('assignTerritories');
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Deals/${deal.id} Mexico`,
    });
    const answer = await eventually(
      () => stack.slack.responses().find((r) => JSON.stringify(r.body).includes('Deal holds one territory')),
      10_000,
      'refusal',
    );
    expect(JSON.stringify(answer.body)).toContain('move');
    expect(stack.zoho.callCount('assignTerritories')).toBe(calls);
  });

  it('refuses an 11th territory on a record at its limit before calling Zoho', async () => {
    const account = stack.zoho.records('Accounts').find((r) => r.territories.length === 0 && !r.locked)!;
    const ten = [
      'California',
      'Pacific Northwest',
      'Mountain',
      'New York Metro',
      'New England',
      'Southeast',
      'Texas',
      'Midwest',
      'Ontario',
      'Quebec',
    ];
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Accounts/${account.id} ${ten.join(', ')}`,
    });
    await parentAndReply(DEMO_IDS.sales, account.id);
    expect(stack.zoho.record('Accounts', account.id)!.territories).toHaveLength(10);

    const calls = stack.zoho.callCount('assignTerritories');
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Accounts/${account.id} Mexico`,
    });
    const answer = await eventually(
      () =>
        stack.slack
          .responses()
          .find(
            (r) =>
              JSON.stringify(r.body).includes(account.id) && JSON.stringify(r.body).includes('at most 10'),
          ),
      10_000,
      'limit refusal',
    );
    expect(JSON.stringify(answer.body)).toContain('Mexico');
    expect(stack.zoho.callCount('assignTerritories')).toBe(calls);
  });

  it('answers an unknown territory with did-you-mean suggestions', async () => {
    const lead = freshLead();
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead.id} Nordcs`,
    });
    const answer = await eventually(
      () => stack.slack.responses().find((r) => JSON.stringify(r.body).includes('Nordcs')),
      10_000,
      'suggestions',
    );
    expect(JSON.stringify(answer.body)).toContain('Did you mean');
    expect(JSON.stringify(answer.body)).toContain('Nordics');
  });

  it('answers a transposed typo (Wset) with the territories named West, sending nothing', async () => {
    const lead = freshLead();
    const calls = stack.zoho.callCount('assignTerritories');
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead.id} Wset`,
    });
    const answer = await eventually(
      () => stack.slack.responses().find((r) => JSON.stringify(r.body).includes('Wset')),
      10_000,
      'suggestions for Wset',
    );
    const body = JSON.stringify(answer.body);
    expect(body).toContain('Did you mean');
    expect(body).toContain('US West');
    expect(body).toContain('Key Accounts West');
    expect(stack.zoho.callCount('assignTerritories')).toBe(calls);
  });

  it('rejects a forged signature and a replayed timestamp', async () => {
    const forged = await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: 'help',
      forgeSignature: true,
    });
    expect(forged.status).toBe(401);
    const replayed = await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: 'help',
      ageSeconds: 600,
    });
    expect(replayed.status).toBe(401);
  });

  it('opens the assign modal at once and validates it inline', async () => {
    const lead = freshLead();
    const res = await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'assign' });
    expect(res.status).toBe(200);
    const view = await eventually(() => stack.slack.viewStack(DEMO_IDS.rep)[0], 5_000, 'modal');
    expect(view.callback_id).toBe('assign_modal');

    const bad = await stack.driver.submitView({
      user: DEMO_IDS.rep,
      values: {
        assign_record: 'not a record',
        assign_territories: [stack.zoho.territoryByName('Mexico')!.id],
      },
    });
    expect(bad.outcome?.action).toBe('errors');
    expect(stack.slack.view(bad.viewId)?.errors?.assign_record).toMatch(/record/i);

    const good = await stack.driver.submitView({
      user: DEMO_IDS.rep,
      values: {
        assign_record: `Leads/${lead.id}`,
        assign_territories: [stack.zoho.territoryByName('Mexico')!.id],
      },
    });
    expect(good.outcome?.action).toBe('close');
    const { reply } = await parentAndReply(DEMO_IDS.sales, lead.id);
    expect(content(reply)).toContain('Mexico');
  });

  it('reports a job that Zoho finishes without applying the change', async () => {
    const lead = freshLead();
    stack.zoho.faults.setJobsFail(true);
    try {
      await stack.driver.command({
        user: DEMO_IDS.rep,
        channel: DEMO_IDS.sales,
        text: `assign Leads/${lead.id} Nordics`,
      });
      const { reply } = await parentAndReply(DEMO_IDS.sales, lead.id);
      expect(content(reply)).toMatch(/not|fail/i);
      expect(content(reply)).not.toContain(':white_check_mark: Done');
    } finally {
      stack.zoho.faults.setJobsFail(false);
    }
  });

  it("every ack arrives well within Slack's 3 seconds", async () => {
    const lead = freshLead();
    const res = await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead.id} Quebec`,
    });
    // Not a timing goal (those live in npm run bench): a sanity bound far from flaky.
    expect(res.ms).toBeLessThan(2_500);
  });
});

describe('a restart while a job is pending', () => {
  it('resumes tracking from the store and threads the result once', async () => {
    const stack = await startStack({ zoho: { jobDelayMs: 1_500 } });
    try {
      const lead = stack.zoho.records('Leads').find((r) => r.territories.length === 0 && !r.locked)!;
      await stack.driver.command({
        user: DEMO_IDS.rep,
        channel: DEMO_IDS.sales,
        text: `assign Leads/${lead.id} Ontario`,
      });
      await eventually(() => stack.zoho.pendingJobs().length > 0, 10_000, 'job scheduled');
      await stack.restart();
      const parent = await eventually(
        () => stack.slack.messages(DEMO_IDS.sales).find((m) => content(m).includes(lead.id)),
        10_000,
        'parent',
      );
      await eventually(
        () => stack.slack.thread(DEMO_IDS.sales, parent.ts).some((m) => content(m).includes('Ontario')),
        15_000,
        'reply after restart',
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(stack.slack.thread(DEMO_IDS.sales, parent.ts)).toHaveLength(1);
      expect(stack.zoho.callCount('assignTerritories')).toBe(1);
    } finally {
      await stack.close();
    }
  });
});
