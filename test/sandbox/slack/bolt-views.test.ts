/** Modals through a real Bolt app: trigger_id rules, submissions with Slack's state shapes, ack actions. */
import type { BlockStaticSelectAction, ViewOutput } from '@slack/bolt';
import type { View } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { DEMO_IDS, TRIGGER_TTL_MS } from '../../../src/sandbox/slack/index.js';
import { eventually, gate, type Harness, startHarness } from './harness.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const option = (text: string, value: string) => ({ text: plain(text), value });
const input = (blockId: string, element: Record<string, unknown>, optional = false) => ({
  type: 'input',
  block_id: blockId,
  label: plain(blockId),
  element,
  ...(optional ? { optional: true } : {}),
});

const assignModal = (title = 'Assign territory'): View =>
  ({
    type: 'modal',
    callback_id: 'assign',
    title: plain(title),
    submit: plain('Assign'),
    private_metadata: JSON.stringify({ channel: DEMO_IDS.sales }),
    blocks: [
      {
        type: 'actions',
        block_id: 'module',
        elements: [
          {
            type: 'static_select',
            action_id: 'module_pick',
            options: [option('Leads', 'Leads'), option('Deals', 'Deals')],
          },
        ],
      },
      input('record', { type: 'plain_text_input', action_id: 'record_input', max_length: 40 }),
      input('reason', { type: 'plain_text_input', action_id: 'reason_input', multiline: true }, true),
    ],
  }) as View;

const allElementsModal = (): View =>
  ({
    type: 'modal',
    callback_id: 'all',
    title: plain('Every element'),
    submit: plain('Send'),
    notify_on_close: true,
    blocks: [
      input('text', { type: 'plain_text_input', action_id: 'text_in', initial_value: 'prefilled' }),
      input('static', {
        type: 'static_select',
        action_id: 'static_in',
        option_groups: [
          { label: plain('US'), options: [option('West', 't-west'), option('East', 't-east')] },
        ],
      }),
      input('external', { type: 'external_select', action_id: 'territory_pick', min_query_length: 1 }),
      input('multi', {
        type: 'multi_static_select',
        action_id: 'multi_in',
        options: [option('A', 'a'), option('B', 'b'), option('C', 'c')],
      }),
      input('user', { type: 'users_select', action_id: 'user_in' }),
      input('users', { type: 'multi_users_select', action_id: 'users_in' }),
      input('conv', { type: 'conversations_select', action_id: 'conv_in' }),
      input('chan', { type: 'channels_select', action_id: 'chan_in' }),
      input('radio', {
        type: 'radio_buttons',
        action_id: 'radio_in',
        options: [option('Now', 'now'), option('Later', 'later')],
      }),
      input('checks', {
        type: 'checkboxes',
        action_id: 'checks_in',
        options: [option('Notify', 'notify'), option('Dry run', 'dry')],
      }),
      input('file', { type: 'file_input', action_id: 'file_in', filetypes: ['csv'], max_files: 1 }),
      input('date', { type: 'datepicker', action_id: 'date_in' }),
      input('note', { type: 'plain_text_input', action_id: 'note_in' }, true),
    ],
  }) as View;

const simpleModal = (callbackId: string, title: string): View =>
  ({
    type: 'modal',
    callback_id: callbackId,
    title: plain(title),
    submit: plain('Next'),
    blocks: [input('step', { type: 'plain_text_input', action_id: 'step_in' }, true)],
  }) as View;

describe('modals through Bolt and the driver', () => {
  let h: Harness;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 9, 0, 0));
  const slowGate = { current: gate() };
  const seen = {
    openErrors: [] as string[],
    submissions: [] as ViewOutput[],
    closed: [] as { id: string; isCleared: boolean }[],
    assigned: [] as string[],
  };
  const errorOf = (err: unknown) => (err as { data?: { error?: string } }).data?.error ?? String(err);

  beforeAll(async () => {
    h = await startHarness(
      (app) => {
        app.command('/territory', async ({ command, ack, client }) => {
          await ack();
          try {
            switch (command.text) {
              case 'modal':
                await client.views.open({ trigger_id: command.trigger_id, view: assignModal() });
                break;
              case 'all':
                await client.views.open({ trigger_id: command.trigger_id, view: allElementsModal() });
                break;
              case 'wizard':
                await client.views.open({
                  trigger_id: command.trigger_id,
                  view: simpleModal('wizard1', 'Step 1'),
                });
                break;
              case 'slow':
                await slowGate.current.promise;
                await client.views.open({ trigger_id: command.trigger_id, view: assignModal() });
                break;
              case 'twice':
                await client.views.open({ trigger_id: command.trigger_id, view: assignModal() });
                await client.views.open({ trigger_id: command.trigger_id, view: assignModal('Again') });
                break;
            }
          } catch (err) {
            seen.openErrors.push(errorOf(err));
          }
        });
        app.view('assign', async ({ ack, view, body, client }) => {
          const record = view.state.values.record?.record_input?.value ?? '';
          if (!/^(Leads|Deals)\/\d+$/.test(record)) {
            await ack({
              response_action: 'errors',
              errors: { record: 'Use Module/ID, e.g. Leads/3652397000001234567' },
            });
            return;
          }
          await ack();
          seen.assigned.push(`${body.user.id}:${record}`);
          const { channel } = JSON.parse(view.private_metadata) as { channel: string };
          await client.chat.postMessage({ channel, text: `Assigning ${record}` });
        });
        app.view('all', async ({ ack, view }) => {
          seen.submissions.push(view);
          await ack();
        });
        app.view({ callback_id: 'all', type: 'view_closed' }, async ({ ack, view, body }) => {
          await ack();
          seen.closed.push({ id: view.id, isCleared: (body as { is_cleared: boolean }).is_cleared });
        });
        app.view('wizard1', async ({ ack }) => {
          await ack({ response_action: 'update', view: simpleModal('wizard2', 'Step 2') });
        });
        app.view('wizard2', async ({ ack }) => {
          await ack({ response_action: 'push', view: simpleModal('wizard3', 'Confirm') });
        });
        app.view('wizard3', async ({ ack }) => {
          await ack({ response_action: 'clear' });
        });
        app.options('territory_pick', async ({ ack, options }) => {
          if (options.value === 'broken') {
            // A text that is not a text object: Slack cannot show it.
            await ack({ options: [{ text: 'East', value: 't-east' }] } as never);
            return;
          }
          const all = [option('East (from app)', 't-east'), option('West (from app)', 't-west')];
          await ack({
            options: all.filter((o) => o.text.text.toLowerCase().includes(options.value.toLowerCase())),
          });
        });
        app.action<BlockStaticSelectAction>('module_pick', async ({ ack, body, action, client }) => {
          await ack();
          const view = body.view!;
          await client.views.update({
            view_id: view.id,
            hash: view.hash,
            view: assignModal(`Assign ${action.selected_option.value}`),
          });
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

  it('opens a modal from a slash command with the fresh trigger_id', async () => {
    const res = await h.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'modal' });
    await eventually(() => h.emulator.viewStack(DEMO_IDS.rep).length).toBe(1);
    const [view] = h.emulator.viewStack(DEMO_IDS.rep);
    expect(view).toMatchObject({
      callback_id: 'assign',
      title: { text: 'Assign territory' },
      user: DEMO_IDS.rep,
    });
    expect(h.emulator.calls('views.open')[0]!.args.trigger_id).toBe(res.triggerId);
  });

  it('refuses a trigger_id used after 3 seconds and one used twice', async () => {
    slowGate.current = gate();
    await h.driver.command({ user: DEMO_IDS.rep2, channel: DEMO_IDS.sales, text: 'slow' });
    clock.advance(TRIGGER_TTL_MS + 1);
    slowGate.current.open();
    await eventually(() => seen.openErrors).toContain('expired_trigger_id');
    expect(h.emulator.calls('views.open')[0]!.response).toEqual({ ok: false, error: 'expired_trigger_id' });
    expect(h.emulator.viewStack(DEMO_IDS.rep2)).toEqual([]);

    await h.driver.command({ user: DEMO_IDS.rep2, channel: DEMO_IDS.sales, text: 'twice' });
    await eventually(() => seen.openErrors).toContain('exchanged_trigger_id');
    expect(h.emulator.viewStack(DEMO_IDS.rep2).map((v) => v.title.text)).toEqual(['Assign territory']);
  });

  it('records response_action errors on the view, then closes it on a valid submission', async () => {
    await h.driver.command({ user: DEMO_IDS.manager, channel: DEMO_IDS.sales, text: 'modal' });
    await eventually(() => h.emulator.viewStack(DEMO_IDS.manager).length).toBe(1);

    const bad = await h.driver.submitView({ user: DEMO_IDS.manager, values: { record: 'not a record' } });
    expect(bad).toMatchObject({ status: 200, sent: true, outcome: { action: 'errors', problems: [] } });
    expect(bad.body).toEqual({
      response_action: 'errors',
      errors: { record: 'Use Module/ID, e.g. Leads/3652397000001234567' },
    });
    const stillOpen = h.emulator.view(bad.viewId)!;
    expect(stillOpen.errors).toEqual({ record: 'Use Module/ID, e.g. Leads/3652397000001234567' });
    expect(stillOpen.state.values.record?.record_input).toEqual({
      type: 'plain_text_input',
      value: 'not a record',
    });

    const good = await h.driver.submitView({
      user: DEMO_IDS.manager,
      values: { record_input: 'Leads/3652397000001234567' },
    });
    expect(good).toMatchObject({ status: 200, body: '', outcome: { action: 'close' } });
    expect(h.emulator.viewStack(DEMO_IDS.manager)).toEqual([]);
    expect(seen.assigned).toContain(`${DEMO_IDS.manager}:Leads/3652397000001234567`);
    await expect
      .poll(() => h.emulator.messages(DEMO_IDS.sales).map((m) => m.text))
      .toContain('Assigning Leads/3652397000001234567');
  });

  it('refuses client-side what Slack refuses before sending (required, max_length)', async () => {
    await h.driver.command({ user: DEMO_IDS.ops, channel: DEMO_IDS.general, text: 'modal' });
    await eventually(() => h.emulator.viewStack(DEMO_IDS.ops).length).toBe(1);
    const empty = await h.driver.submitView({ user: DEMO_IDS.ops });
    expect(empty).toMatchObject({
      sent: false,
      status: 0,
      clientErrors: { record: 'Please complete this required field.' },
    });
    const long = await h.driver.submitView({
      user: DEMO_IDS.ops,
      values: { record: `Leads/${'1'.repeat(40)}` },
    });
    expect(long.clientErrors).toEqual({ record: 'Must be 40 characters or fewer.' });
    expect(h.emulator.viewStack(DEMO_IDS.ops)).toHaveLength(1);
    expect(seen.assigned.some((a) => a.startsWith(DEMO_IDS.ops))).toBe(false);
  });

  it('sends block_actions from inside a modal; the app updates the view with its hash', async () => {
    // The rep still has the modal of the first test open: closing it sends nothing (no notify_on_close).
    expect(await h.driver.closeView({ user: DEMO_IDS.rep })).toBeNull();
    expect(h.emulator.viewStack(DEMO_IDS.rep)).toEqual([]);
    await h.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'modal' });
    await eventually(() => h.emulator.viewStack(DEMO_IDS.rep)[0]?.title.text).toBe('Assign territory');
    const before = h.emulator.viewStack(DEMO_IDS.rep)[0]!;
    const res = await h.driver.selectOption({ user: DEMO_IDS.rep, actionId: 'module_pick', value: 'Deals' });
    expect(res.container).toEqual({ type: 'view', viewId: before.id });
    expect(res.responseUrl).toBeUndefined();
    await eventually(() => h.emulator.view(before.id)?.title.text).toBe('Assign Deals');
    const update = h.emulator.calls('views.update')[0]!;
    expect(update.args).toMatchObject({ view_id: before.id, hash: before.hash });
    expect(h.emulator.view(before.id)!.hash).not.toBe(before.hash);
    // The user's pick survives the update (same block_id/action_id).
    expect(h.emulator.view(before.id)!.state.values.module?.module_pick).toMatchObject({
      type: 'static_select',
      selected_option: { value: 'Deals' },
    });
  });

  it("builds Slack's exact state.values for every input element, external options included", async () => {
    await h.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'all' });
    await eventually(() => h.emulator.viewStack(DEMO_IDS.rep)[0]?.callback_id).toBe('all');
    const suggestion = await h.driver.suggest({
      user: DEMO_IDS.rep,
      actionId: 'territory_pick',
      value: 'ea',
    });
    expect(suggestion.status).toBe(200);
    expect(suggestion.options).toEqual([option('East (from app)', 't-east')]);
    expect(suggestion.problems).toEqual([]);
    const broken = await h.driver.suggest({
      user: DEMO_IDS.rep,
      actionId: 'territory_pick',
      value: 'broken',
    });
    expect(broken.options).toEqual([]);
    expect(broken.problems[0]).toContain('options');
    const fileId = h.emulator.uploadFile(DEMO_IDS.rep, 'bulk.csv', 'record,territory\nLeads/1,West\n');
    // A select in an input block without dispatch_action sends nothing; its value waits for the submission.
    h.emulator.resetCalls();
    const picked = await h.driver.selectOption({
      user: DEMO_IDS.rep,
      actionId: 'static_in',
      value: 't-west',
    });
    expect(picked).toMatchObject({ sent: false, status: 0 });
    expect(h.emulator.calls()).toEqual([]);

    const res = await h.driver.submitView({
      user: DEMO_IDS.rep,
      values: {
        territory_pick: 't-east',
        multi: ['a', 'c'],
        user: DEMO_IDS.manager,
        users: [DEMO_IDS.manager, DEMO_IDS.ops],
        conv: DEMO_IDS.sales,
        chan: DEMO_IDS.general,
        radio: 'later',
        checks: ['notify', 'dry'],
        file: { files: [fileId] },
        date: '2026-06-30',
      },
    });
    expect(res).toMatchObject({ status: 200, sent: true, outcome: { action: 'close' } });
    const v = seen.submissions.at(-1)!.state.values;
    expect(v.text).toEqual({ text_in: { type: 'plain_text_input', value: 'prefilled' } });
    expect(v.static).toEqual({
      static_in: { type: 'static_select', selected_option: option('West', 't-west') },
    });
    expect(v.external).toEqual({
      territory_pick: { type: 'external_select', selected_option: option('East (from app)', 't-east') },
    });
    expect(v.multi).toEqual({
      multi_in: { type: 'multi_static_select', selected_options: [option('A', 'a'), option('C', 'c')] },
    });
    expect(v.user).toEqual({ user_in: { type: 'users_select', selected_user: DEMO_IDS.manager } });
    expect(v.users).toEqual({
      users_in: { type: 'multi_users_select', selected_users: [DEMO_IDS.manager, DEMO_IDS.ops] },
    });
    expect(v.conv).toEqual({
      conv_in: { type: 'conversations_select', selected_conversation: DEMO_IDS.sales },
    });
    expect(v.chan).toEqual({ chan_in: { type: 'channels_select', selected_channel: DEMO_IDS.general } });
    expect(v.radio).toEqual({
      radio_in: { type: 'radio_buttons', selected_option: option('Later', 'later') },
    });
    expect(v.checks).toEqual({
      checks_in: {
        type: 'checkboxes',
        selected_options: [option('Notify', 'notify'), option('Dry run', 'dry')],
      },
    });
    expect(v.file?.file_in).toMatchObject({
      type: 'file_input',
      files: [
        {
          id: fileId,
          name: 'bulk.csv',
          filetype: 'csv',
          url_private: expect.stringContaining(`/files/${fileId}/`),
        },
      ],
    });
    expect(v.date).toEqual({ date_in: { type: 'datepicker', selected_date: '2026-06-30' } });
    expect(v.note).toEqual({ note_in: { type: 'plain_text_input', value: null } });

    // The app can download the submitted file with its bot token.
    const url = (v.file!.file_in!.files as { url_private: string }[])[0]!.url_private;
    const dl = await fetch(url, { headers: { authorization: `Bearer ${h.emulator.botToken}` } });
    expect(await dl.text()).toBe('record,territory\nLeads/1,West\n');
  });

  it('rejects values the view cannot hold', async () => {
    await h.driver.command({ user: DEMO_IDS.rep2, channel: DEMO_IDS.sales, text: 'all' });
    await eventually(() => h.emulator.viewStack(DEMO_IDS.rep2)[0]?.callback_id).toBe('all');
    await expect(h.driver.submitView({ user: DEMO_IDS.rep2, values: { static: 't-north' } })).rejects.toThrow(
      /no option "t-north"/,
    );
    await expect(h.driver.submitView({ user: DEMO_IDS.rep2, values: { nope: 'x' } })).rejects.toThrow(
      /no input "nope"/,
    );
    await expect(h.driver.submitView({ user: DEMO_IDS.rep2, values: { user: 'U0NOBODY' } })).rejects.toThrow(
      /unknown user/,
    );
  });

  it('sends view_closed when the view asked for notify_on_close', async () => {
    const view = h.emulator.viewStack(DEMO_IDS.rep2)[0]!;
    const res = await h.driver.closeView({ user: DEMO_IDS.rep2 });
    expect(res?.status).toBe(200);
    expect(seen.closed).toContainEqual({ id: view.id, isCleared: false });
    expect(h.emulator.viewStack(DEMO_IDS.rep2)).toEqual([]);
  });

  it('applies update, push and clear response actions', async () => {
    await h.driver.command({ user: DEMO_IDS.ops, channel: DEMO_IDS.general, text: 'wizard' });
    await eventually(() => h.emulator.viewStack(DEMO_IDS.ops).at(-1)?.callback_id).toBe('wizard1');
    const root = h.emulator.viewStack(DEMO_IDS.ops).at(-1)!;

    const step1 = await h.driver.submitView({ user: DEMO_IDS.ops });
    expect(step1.outcome).toEqual({ action: 'update', problems: [] });
    expect(h.emulator.viewStack(DEMO_IDS.ops).map((v) => [v.id, v.callback_id])).toEqual([
      [root.id, 'wizard2'],
    ]);

    const step2 = await h.driver.submitView({ user: DEMO_IDS.ops });
    expect(step2.outcome?.action).toBe('push');
    const stack = h.emulator.viewStack(DEMO_IDS.ops);
    expect(stack.map((v) => v.title.text)).toEqual(['Step 2', 'Confirm']);
    expect(stack[1]).toMatchObject({ root_view_id: root.id, previous_view_id: root.id });

    const step3 = await h.driver.submitView({ user: DEMO_IDS.ops });
    expect(step3.outcome?.action).toBe('clear');
    expect(h.emulator.viewStack(DEMO_IDS.ops)).toEqual([]);
  });
});
