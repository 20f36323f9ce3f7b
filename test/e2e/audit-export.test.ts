/**
 * `/territory audit` end to end: the CSV goes through Slack's external upload as the real
 * @slack/web-api client does it (files.getUploadURLExternal, POST to the upload URL,
 * files.completeUploadExternal) into the person's DM, holding only what they may see.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_CSV_COLUMNS } from '../../src/core/audit/index.js';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

const content = (m: { text: string; blocks?: unknown }) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;

describe('/territory audit through the real HTTP path', () => {
  let stack: Stack;
  const leads: string[] = [];
  beforeAll(async () => {
    stack = await startStack({
      monitorSchedule: false,
      config: (c) => ({
        ...c,
        roles: { ...c.roles, approverUserIds: [DEMO_IDS.manager], approverUsergroup: null },
      }),
    });
    // Two direct changes: one by rep, one by rep2, each waited for to the end.
    const free = stack.zoho.records('Leads').filter((r) => r.territories.length === 0 && !r.locked);
    for (const [i, user] of [DEMO_IDS.rep, DEMO_IDS.rep2].entries()) {
      const lead = free[i]!.id;
      leads.push(lead);
      await stack.driver.command({ user, channel: DEMO_IDS.sales, text: `assign Leads/${lead} Midwest` });
      const parent = await eventually(
        () => stack.slack.messages(DEMO_IDS.sales).find((m) => content(m).includes(lead)),
        10_000,
        `parent of ${lead}`,
      );
      await eventually(
        () => stack.slack.thread(DEMO_IDS.sales, parent.ts).find((m) => /Done/.test(content(m))),
        10_000,
        `done reply for ${lead}`,
      );
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Runs `/territory audit …` as `user`; returns the CSV rows the DM received and the ephemeral answer. */
  async function audit(user: string, args = '') {
    const dm = stack.slack.dmChannel(user);
    const before = stack.slack.messages(dm).length;
    stack.slack.resetCalls();
    await stack.driver.command({ user, channel: DEMO_IDS.sales, text: `audit ${args}`.trim() });
    const answer = await eventually(
      () => stack.slack.responses().find((r) => /audit trail/i.test(JSON.stringify(r.body))),
      10_000,
      'ephemeral answer',
    );
    const msg = await eventually(
      () =>
        stack.slack
          .messages(dm)
          .slice(before)
          .find((m) => (m.files?.length ?? 0) > 0),
      10_000,
      `file message in ${user}'s DM`,
    );
    const file = stack.slack.file(msg.files![0]!.id)!;
    const rows = parse(file.content.toString('utf8'), { columns: true }) as Array<Record<string, string>>;
    const methods = stack.slack.calls().map((c) => c.method);
    return { rows, msg, file, answer, methods };
  }

  it('an admin gets every request as a CSV in their DM, through the external upload calls', async () => {
    const { rows, msg, file } = await audit(DEMO_IDS.manager);
    expect(file.name).toMatch(/^territory-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.user).toBe(stack.slack.bot.userId);
    expect(msg.user).toBe(stack.slack.bot.userId);
    expect(msg.text).toMatch(/2 rows/);
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows.map((r) => r.record)).toEqual(leads.map((id) => `Leads/${id}`));
    expect(rows.map((r) => r.asked_by)).toEqual([DEMO_IDS.rep, DEMO_IDS.rep2]);
    const midwest = stack.zoho.territoryByName('Midwest')!;
    for (const r of rows) {
      expect(r).toMatchObject({
        kind: 'assign',
        action: 'assign',
        outcome: 'done',
        decided_by: 'no approval needed',
      });
      expect(r.territories).toBe(`Midwest (${midwest.id})`);
      expect(r.zoho_after).toContain(midwest.id);
    }
  });

  it('a rep gets only their own requests, even when naming someone else', async () => {
    const { rows, answer } = await audit(DEMO_IDS.rep);
    expect(rows.map((r) => r.record)).toEqual([`Leads/${leads[0]}`]);
    expect(rows[0]!.asked_by).toBe(DEMO_IDS.rep);
    expect(JSON.stringify(answer.body)).toContain('Only your own requests');
    // rep2's request touched another record: asking for rep2's requests gives nothing.
    const dm = stack.slack.dmChannel(DEMO_IDS.rep);
    const before = stack.slack.messages(dm).length;
    stack.slack.resetCalls();
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `audit <@${DEMO_IDS.rep2}|sam>`,
    });
    await eventually(
      () => stack.slack.responses().find((r) => JSON.stringify(r.body).includes('Nothing to export')),
      10_000,
      'nothing to export',
    );
    expect(stack.slack.messages(dm).length).toBe(before);
  });

  it('uploads through files.getUploadURLExternal, the upload URL and files.completeUploadExternal', async () => {
    const { rows, methods } = await audit(DEMO_IDS.manager, `Leads/${leads[1]}`);
    expect(rows.map((r) => r.record)).toEqual([`Leads/${leads[1]}`]);
    expect(methods).toEqual(
      expect.arrayContaining([
        'conversations.open',
        'files.getUploadURLExternal',
        'files.completeUploadExternal',
      ]),
    );
    const complete = stack.slack.calls('files.completeUploadExternal')[0]!;
    expect(complete.response).toMatchObject({ ok: true });
    expect(complete.args.channel_id).toBe(stack.slack.dmChannel(DEMO_IDS.manager));
  });

  it('answers with the problem for a bad filter, and sends no file', async () => {
    const dm = stack.slack.dmChannel(DEMO_IDS.rep);
    const before = stack.slack.messages(dm).length;
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: 'audit since yesterday',
    });
    await eventually(
      () => stack.slack.responses().find((r) => JSON.stringify(r.body).includes('is not a date')),
      10_000,
      'refusal',
    );
    expect(stack.slack.messages(dm).length).toBe(before);
  });
});
