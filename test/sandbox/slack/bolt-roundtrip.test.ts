/**
 * A tiny real Bolt app (HTTP receiver, signature verification on) behind the driver, talking to
 * the emulator through its WebClient: commands, messages, threads, edits, buttons, response_url.
 */
import type { BlockAction, BlockButtonAction } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { DEMO_IDS, DriverInputError, RESPONSE_URL_TTL_MS } from '../../../src/sandbox/slack/index.js';
import { eventually, type Harness, startHarness } from './harness.js';

const approvalBlocks = (requestId: string) => [
  { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: `Request ${requestId}: 3 records` } },
  {
    type: 'actions',
    block_id: 'decide',
    elements: [
      {
        type: 'button',
        action_id: 'approve',
        text: { type: 'plain_text', text: 'Approve' },
        value: requestId,
        style: 'primary',
      },
      {
        type: 'button',
        action_id: 'reject',
        text: { type: 'plain_text', text: 'Reject' },
        value: requestId,
        style: 'danger',
      },
    ],
  },
];

describe('Bolt app through the emulator and the driver', () => {
  let h: Harness;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 9, 0, 0));
  const seen: { commands: string[]; actions: BlockAction[]; respondErrors: unknown[]; dmFallback: string[] } =
    {
      commands: [],
      actions: [],
      respondErrors: [],
      dmFallback: [],
    };

  beforeAll(async () => {
    h = await startHarness(
      (app) => {
        app.command('/territory', async ({ command, ack, client, respond }) => {
          seen.commands.push(command.text);
          const [verb, ...rest] = command.text.split(' ');
          const arg = rest.join(' ');
          switch (verb) {
            case 'post': {
              await ack();
              await client.chat.postMessage({
                channel: command.channel_id,
                text: arg,
                blocks: approvalBlocks(arg),
              });
              return;
            }
            case 'thread': {
              await ack();
              const parent = await client.chat.postMessage({ channel: command.channel_id, text: 'parent' });
              await client.chat.postMessage({
                channel: command.channel_id,
                thread_ts: parent.ts!,
                text: `done <@${command.user_id}>`,
              });
              return;
            }
            case 'ephemeral':
              await ack({ text: `only you see ${arg}` });
              return;
            case 'public':
              await ack({ response_type: 'in_channel', text: `everyone sees ${arg}` });
              return;
            case 'text':
              await ack(`plain ${arg}`);
              return;
            case 'respond': {
              await ack();
              await respond({ text: 'working…' });
              await respond({ response_type: 'in_channel', text: 'visible result' });
              return;
            }
            case 'respond-replace': {
              await ack({ text: 'working…' });
              await respond({ replace_original: true, text: 'done: 3 records' });
              return;
            }
            case 'bad-ack': {
              const blocks = Array.from({ length: 51 }, (_, i) => ({
                type: 'section',
                text: { type: 'mrkdwn', text: `${i}` },
              }));
              await ack({ text: 'too many blocks', blocks });
              return;
            }
            case 'respond-many': {
              await ack();
              for (let i = 1; i <= 6; i++) {
                try {
                  await respond({ text: `try ${i}` });
                } catch (err) {
                  seen.respondErrors.push(err);
                }
              }
              return;
            }
            case 'dm-fallback': {
              await ack();
              try {
                await client.chat.postMessage({ channel: command.channel_id, text: 'parent here' });
              } catch (err) {
                seen.dmFallback.push((err as { data?: { error?: string } }).data?.error ?? 'unknown');
                await client.chat.postMessage({ channel: command.user_id, text: 'parent in your DM' });
              }
              return;
            }
            default:
              await ack({ text: `unknown: ${command.text}` });
          }
        });
        app.action<BlockButtonAction>('approve', async ({ ack, body, action, client }) => {
          await ack();
          seen.actions.push(body);
          const b = body;
          await client.chat.update({
            channel: b.channel!.id,
            ts: b.message!.ts,
            text: `Approved by <@${b.user.id}>`,
            blocks: [
              { type: 'section', text: { type: 'mrkdwn', text: `Request ${action.value}: approved` } },
            ],
          });
          await client.chat.postMessage({
            channel: b.channel!.id,
            thread_ts: b.message!.ts,
            text: 'approved',
          });
        });
        app.action<BlockButtonAction>('reject', async ({ ack, respond }) => {
          await ack();
          await respond({ replace_original: true, text: 'Rejected' });
        });
        app.action(/^(more|assignee|flags)$/, async ({ ack, body }) => {
          await ack();
          seen.actions.push(body as BlockAction);
        });
        app.event('app_home_opened', async ({ event, client }) => {
          await client.chat.postMessage({ channel: event.user, text: `welcome <@${event.user}>` });
        });
        app.action('dismiss', async ({ ack, respond }) => {
          await ack();
          await respond({ delete_original: true });
        });
      },
      { clock },
    );
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.emulator.resetCalls();
  });

  it('delivers a signed slash command and lands the chat.postMessage in the channel', async () => {
    const res = await h.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'post R-1' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.triggerId).toEqual(expect.any(String));
    expect(res.responseUrl.startsWith(`${h.emulator.url}/response/`)).toBe(true);
    await eventually(() => h.emulator.messages(DEMO_IDS.sales).length).toBe(1);
    const [msg] = h.emulator.messages(DEMO_IDS.sales);
    expect(msg).toMatchObject({ text: 'R-1', user: h.emulator.bot.userId, source: 'api' });
    expect(msg!.blocks?.map((b) => b.block_id)).toEqual(['summary', 'decide']);
    expect(h.emulator.calls('chat.postMessage')[0]!.args.channel).toBe(DEMO_IDS.sales);
  });

  it('replies in a thread under the parent message', async () => {
    await h.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.general, text: 'thread' });
    await eventually(() => h.emulator.calls('chat.postMessage').length).toBe(2);
    const [parent] = h.emulator.messages(DEMO_IDS.general);
    expect(parent).toMatchObject({ text: 'parent', reply_count: 1 });
    expect(h.emulator.thread(DEMO_IDS.general, parent!.ts)).toMatchObject([
      { text: `done <@${DEMO_IDS.rep}>`, thread_ts: parent!.ts },
    ]);
  });

  it('clicks a button found in the real blocks; the app updates the message in place and threads a reply', async () => {
    await h.driver.command({ user: DEMO_IDS.manager, channel: DEMO_IDS.approvals, text: 'post R-2' });
    await eventually(() => h.emulator.messages(DEMO_IDS.approvals).length).toBe(1);
    const card = h.emulator.messages(DEMO_IDS.approvals)[0]!;
    const click = await h.driver.clickButton({
      user: DEMO_IDS.manager,
      channel: DEMO_IDS.approvals,
      actionId: 'approve',
    });
    expect(click.status).toBe(200);
    expect(click.container).toEqual({
      type: 'message',
      channel: DEMO_IDS.approvals,
      ts: card.ts,
      isEphemeral: false,
    });
    await eventually(() => h.emulator.message(DEMO_IDS.approvals, card.ts)?.editCount).toBe(1);

    const body = seen.actions.at(-1)!;
    expect(body).toMatchObject({
      type: 'block_actions',
      user: { id: DEMO_IDS.manager, username: 'mona.manager' },
      container: {
        type: 'message',
        message_ts: card.ts,
        channel_id: DEMO_IDS.approvals,
        is_ephemeral: false,
      },
      channel: { id: DEMO_IDS.approvals },
      message: { ts: card.ts, text: 'R-2' },
      actions: [{ type: 'button', action_id: 'approve', block_id: 'decide', value: 'R-2', style: 'primary' }],
    });
    expect(body.trigger_id).toBe(click.triggerId);
    expect(body.response_url).toBe(click.responseUrl);

    const updated = h.emulator.message(DEMO_IDS.approvals, card.ts)!;
    expect(updated).toMatchObject({ text: `Approved by <@${DEMO_IDS.manager}>`, editCount: 1 });
    expect(h.emulator.messages(DEMO_IDS.approvals)).toHaveLength(1);
    await expect
      .poll(() => h.emulator.thread(DEMO_IDS.approvals, card.ts).map((m) => m.text))
      .toEqual(['approved']);
  });

  it('clicks a card in a DM, naming the DM by the user id', async () => {
    const posted = await h.client.chat.postMessage({
      channel: DEMO_IDS.manager,
      text: 'R-DM',
      blocks: approvalBlocks('R-DM'),
    });
    expect(posted.channel).toMatch(/^D/);
    const click = await h.driver.clickButton({
      user: DEMO_IDS.manager,
      channel: DEMO_IDS.manager,
      actionId: 'approve',
      value: 'R-DM',
    });
    expect(click.container).toMatchObject({ type: 'message', channel: posted.channel, ts: posted.ts });
    expect(seen.actions.length).toBeGreaterThan(0);
    await expect
      .poll(() => h.emulator.message(posted.channel!, posted.ts!)?.text)
      .toBe(`Approved by <@${DEMO_IDS.manager}>`);
    expect(seen.actions.at(-1)).toMatchObject({ channel: { id: posted.channel, name: 'directmessage' } });
  });

  it('sends the selected value of overflow, users_select and checkboxes in messages', async () => {
    const posted = await h.client.chat.postMessage({
      channel: DEMO_IDS.general,
      text: 'alert',
      blocks: [
        {
          type: 'section',
          block_id: 'alert',
          text: { type: 'mrkdwn', text: 'Territory West lost API access' },
          accessory: {
            type: 'overflow',
            action_id: 'more',
            options: [
              { text: { type: 'plain_text', text: 'Snooze 1 day' }, value: 'snooze-1d' },
              { text: { type: 'plain_text', text: 'Snooze 1 week' }, value: 'snooze-7d' },
            ],
          },
        },
        {
          type: 'actions',
          block_id: 'triage',
          elements: [
            {
              type: 'users_select',
              action_id: 'assignee',
              placeholder: { type: 'plain_text', text: 'Assign' },
            },
            {
              type: 'checkboxes',
              action_id: 'flags',
              options: [
                { text: { type: 'plain_text', text: 'Urgent' }, value: 'urgent' },
                { text: { type: 'plain_text', text: 'Known' }, value: 'known' },
              ],
            },
          ],
        },
      ],
    });
    const at = { user: DEMO_IDS.ops, channel: DEMO_IDS.general, ts: posted.ts! };
    const n = seen.actions.length;
    await h.driver.selectOption({ ...at, actionId: 'more', value: 'snooze-7d' });
    await h.driver.selectOption({ ...at, actionId: 'assignee', value: DEMO_IDS.manager });
    await h.driver.selectOption({ ...at, actionId: 'flags', value: ['urgent'] });
    await eventually(() => seen.actions.length).toBe(n + 3);
    const [overflow, assignee, flags] = seen.actions.slice(n).map((b) => b.actions[0]);
    expect(overflow).toMatchObject({
      type: 'overflow',
      action_id: 'more',
      block_id: 'alert',
      selected_option: { text: { type: 'plain_text', text: 'Snooze 1 week' }, value: 'snooze-7d' },
    });
    expect(assignee).toMatchObject({
      type: 'users_select',
      block_id: 'triage',
      selected_user: DEMO_IDS.manager,
    });
    expect(flags).toMatchObject({
      type: 'checkboxes',
      selected_options: [{ text: { type: 'plain_text', text: 'Urgent' }, value: 'urgent' }],
    });
    expect(seen.actions.at(-1)!.state?.values).toEqual({
      triage: {
        flags: {
          type: 'checkboxes',
          selected_options: [{ text: { type: 'plain_text', text: 'Urgent' }, value: 'urgent' }],
        },
      },
    });
  });

  it('refuses to click what the message does not contain', async () => {
    await h.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'post R-3' });
    await eventually(() => h.emulator.messages(DEMO_IDS.sales).some((m) => m.text === 'R-3')).toBe(true);
    const card = h.emulator.messages(DEMO_IDS.sales).find((m) => m.text === 'R-3')!;
    await expect(
      h.driver.clickButton({
        user: DEMO_IDS.manager,
        channel: DEMO_IDS.sales,
        ts: card.ts,
        actionId: 'escalate',
      }),
    ).rejects.toBeInstanceOf(DriverInputError);
    await expect(
      h.driver.clickButton({
        user: DEMO_IDS.manager,
        channel: DEMO_IDS.sales,
        ts: card.ts,
        actionId: 'approve',
        value: 'R-999',
      }),
    ).rejects.toThrow(/no action_id "approve"/);
  });

  it('shows ephemeral and in_channel ack bodies of commands', async () => {
    const eph = await h.driver.command({
      user: DEMO_IDS.rep2,
      channel: DEMO_IDS.general,
      text: 'ephemeral x',
    });
    expect(eph.body).toEqual({ text: 'only you see x' });
    expect(h.emulator.ephemerals(DEMO_IDS.rep2, DEMO_IDS.general)).toMatchObject([
      { text: 'only you see x', source: 'ack' },
    ]);

    await h.driver.command({ user: DEMO_IDS.rep2, channel: DEMO_IDS.general, text: 'text y' });
    expect(h.emulator.ephemerals(DEMO_IDS.rep2, DEMO_IDS.general).at(-1)).toMatchObject({ text: 'plain y' });

    await h.driver.command({ user: DEMO_IDS.rep2, channel: DEMO_IDS.general, text: 'public z' });
    expect(h.emulator.messages(DEMO_IDS.general).at(-1)).toMatchObject({
      text: 'everyone sees z',
      source: 'ack',
    });
  });

  it('posts through the response_url sink: ephemeral by default, in_channel on request', async () => {
    await h.driver.command({ user: DEMO_IDS.ops, channel: DEMO_IDS.opsAlerts, text: 'respond' });
    await eventually(() => h.emulator.responses().length).toBe(2);
    expect(h.emulator.responses().map((r) => [r.status, r.result])).toEqual([
      [200, 'ephemeral'],
      [200, 'in_channel'],
    ]);
    expect(h.emulator.ephemerals(DEMO_IDS.ops, DEMO_IDS.opsAlerts)).toMatchObject([
      { text: 'working…', source: 'response_url' },
    ]);
    expect(h.emulator.messages(DEMO_IDS.opsAlerts).at(-1)).toMatchObject({
      text: 'visible result',
      source: 'response_url',
    });
  });

  it("replaces a command's ack message through its response_url", async () => {
    const res = await h.driver.command({
      user: DEMO_IDS.rep2,
      channel: DEMO_IDS.sales,
      text: 'respond-replace',
    });
    expect(res.body).toEqual({ text: 'working…' });
    await eventually(() => h.emulator.responses().map((r) => r.result)).toEqual(['replaced']);
    expect(h.emulator.ephemerals(DEMO_IDS.rep2, DEMO_IDS.sales).map((e) => e.text)).toEqual([
      'done: 3 records',
    ]);
  });

  it('reports an ack body Slack would refuse', async () => {
    const res = await h.driver.command({ user: DEMO_IDS.rep2, channel: DEMO_IDS.general, text: 'bad-ack' });
    expect(res.status).toBe(200);
    expect(res.ackProblems[0]).toBe('invalid_blocks');
    expect(
      h.emulator.ephemerals(DEMO_IDS.rep2, DEMO_IDS.general).some((e) => e.text === 'too many blocks'),
    ).toBe(false);
  });

  it('lets a response_url be used 5 times, then answers 404 used_url (Bolt respond() throws)', async () => {
    const before = seen.respondErrors.length;
    await h.driver.command({ user: DEMO_IDS.ops, channel: DEMO_IDS.opsAlerts, text: 'respond-many' });
    await eventually(() => h.emulator.responses().length).toBe(6);
    expect(h.emulator.responses().map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 404]);
    expect(h.emulator.responses().at(-1)!.result).toBe('used_url');
    await eventually(() => seen.respondErrors.length).toBe(before + 1);
    expect((seen.respondErrors.at(-1) as { statusCode?: number }).statusCode).toBe(404);
  });

  it('expires a response_url after 30 minutes', async () => {
    const res = await h.driver.command({
      user: DEMO_IDS.ops,
      channel: DEMO_IDS.opsAlerts,
      text: 'ephemeral late',
    });
    clock.advance(RESPONSE_URL_TTL_MS + 1);
    const late = await fetch(res.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'too late' }),
    });
    expect(late.status).toBe(404);
    expect(await late.text()).toBe('expired_url');
  });

  it('replaces and deletes the original message through response_url', async () => {
    await h.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'post R-4' });
    await eventually(() => h.emulator.messages(DEMO_IDS.sales).some((m) => m.text === 'R-4')).toBe(true);
    const card = h.emulator.messages(DEMO_IDS.sales).find((m) => m.text === 'R-4')!;
    await h.driver.clickButton({
      user: DEMO_IDS.manager,
      channel: DEMO_IDS.sales,
      ts: card.ts,
      actionId: 'reject',
    });
    await eventually(() => h.emulator.message(DEMO_IDS.sales, card.ts)?.text).toBe('Rejected');
    expect(h.emulator.message(DEMO_IDS.sales, card.ts)?.blocks).toBeUndefined();

    // An ephemeral card with a Dismiss button, deleted through its response_url.
    await h.client.chat.postEphemeral({
      channel: DEMO_IDS.sales,
      user: DEMO_IDS.rep,
      text: 'preview',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'dismiss', text: { type: 'plain_text', text: 'Dismiss' } }],
        },
      ],
    });
    const click = await h.driver.clickButton({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      actionId: 'dismiss',
    });
    expect(click.container).toMatchObject({ type: 'message', isEphemeral: true });
    await expect
      .poll(() => h.emulator.ephemerals(DEMO_IDS.rep, DEMO_IDS.sales).some((e) => e.text === 'preview'))
      .toBe(false);
  });

  it('answers not_in_channel where the bot is not a member, so the app can fall back to a DM', async () => {
    await h.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.random, text: 'dm-fallback' });
    await eventually(() => seen.dmFallback).toEqual(['not_in_channel']);
    const dm = h.emulator.dmChannel(DEMO_IDS.rep);
    await eventually(() => h.emulator.messages(dm).map((m) => m.text)).toEqual(['parent in your DM']);
    expect(h.emulator.messages(DEMO_IDS.random)).toEqual([]);
  });

  it('delivers Events API events (Bolt acks them itself)', async () => {
    const res = await h.driver.event({ type: 'app_home_opened', user: DEMO_IDS.rep2, tab: 'messages' });
    expect(res.status).toBe(200);
    const dm = h.emulator.dmChannel(DEMO_IDS.rep2);
    await expect
      .poll(() => h.emulator.messages(dm).map((m) => m.text))
      .toContain(`welcome <@${DEMO_IDS.rep2}>`);
    expect(
      (await h.driver.event({ type: 'app_home_opened', user: DEMO_IDS.rep2 }, { ageSeconds: 400 })).status,
    ).toBe(401);
  });

  it('gets 401 from Bolt for a forged signature and for a replayed timestamp', async () => {
    await h.client.chat.postMessage({
      channel: DEMO_IDS.approvals,
      text: 'R-F',
      blocks: approvalBlocks('R-F'),
    });
    h.emulator.resetCalls();
    const count = seen.commands.length;
    const forged = await h.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: 'post F',
      forgeSignature: true,
    });
    expect(forged.status).toBe(401);
    const replayed = await h.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: 'post F',
      ageSeconds: 600,
    });
    expect(replayed.status).toBe(401);
    const click = await h.driver.clickButton({
      user: DEMO_IDS.manager,
      channel: DEMO_IDS.approvals,
      actionId: 'approve',
      forgeSignature: true,
    });
    expect(click.status).toBe(401);
    expect(seen.commands.length).toBe(count);
    expect(h.emulator.calls()).toEqual([]);
  });
});
