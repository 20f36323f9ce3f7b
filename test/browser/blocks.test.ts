/**
 * What the page shows for what an app sends: every Block Kit block the app uses, edits in place,
 * thread replies and ephemeral messages arriving live, and a modal with every input element
 * (views.open, views.push, back). The bot's side is played through the emulator's Web API.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/sandbox/slack/index.js';
import { actAs, type BrowserSandbox, chromiumAvailable, openBrowserSandbox, openPage } from './harness.js';

const run = chromiumAvailable();

const plain = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });
const opt = (text: string, value: string) => ({ text: plain(text), value });

describe.skipIf(!run)('sandbox page: Block Kit, live updates, modals', () => {
  let b: BrowserSandbox;
  const web = async (method: string, args: Record<string, unknown>) => {
    const res = await fetch(`${b.sandbox.slack.apiUrl}${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b.sandbox.slack.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const body = (await res.json()) as { ok: boolean; error?: string; ts?: string; view?: { id: string } };
    if (!body.ok) throw new Error(`${method}: ${body.error}`);
    return body;
  };
  beforeAll(async () => {
    b = await openBrowserSandbox('blocks');
    await openPage(b, DEMO_IDS.rep, DEMO_IDS.general);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await b?.shot('failure');
  });
  afterAll(async () => {
    await b?.close();
  });

  it('renders header, section text/fields/accessory, context, divider, actions and rich text', async () => {
    const { page } = b;
    const due = Math.floor(Date.UTC(2026, 5, 1, 12, 0) / 1000);
    const { ts } = await web('chat.postMessage', {
      channel: DEMO_IDS.general,
      text: 'Block Kit check',
      blocks: [
        { type: 'header', text: plain('Block Kit check') },
        {
          type: 'section',
          text: md('*Bold* _italic_ `code` for <@U0REP00001>'),
          accessory: { type: 'button', action_id: 'open', text: plain('Open'), style: 'primary', value: 'x' },
        },
        { type: 'section', fields: [md('*Records*\n3'), md(`*Due*\n<!date^${due}^{date_num}|June 1>`)] },
        {
          type: 'section',
          text: md('Pick one'),
          accessory: {
            type: 'static_select',
            action_id: 'pick',
            options: [opt('Alpha', 'a'), opt('Beta', 'b')],
          },
        },
        { type: 'divider' },
        { type: 'context', elements: [md('Request `r-1` · <#C0SALES001>')] },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'danger',
              text: plain('Delete'),
              style: 'danger',
              confirm: {
                title: plain('Sure?'),
                text: plain('Really'),
                confirm: plain('Yes'),
                deny: plain('No'),
              },
            },
            { type: 'users_select', action_id: 'who', placeholder: plain('Someone') },
            { type: 'overflow', action_id: 'more', options: [opt('Snooze', 's'), opt('Mute', 'm')] },
            { type: 'datepicker', action_id: 'when' },
          ],
        },
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_list',
              style: 'bullet',
              elements: [
                {
                  type: 'rich_text_section',
                  elements: [{ type: 'text', text: 'first', style: { bold: true } }],
                },
                { type: 'rich_text_section', elements: [{ type: 'user', user_id: DEMO_IDS.manager }] },
              ],
            },
          ],
        },
      ],
    });
    const msg = page.locator(`main .message[data-ts="${ts}"]`);
    await msg.waitFor();
    await expect(msg.locator('.b-header').textContent()).resolves.toBe('Block Kit check');
    const text = msg.locator('.b-section .b-text').first();
    expect(await text.innerHTML()).toBe(
      '<b>Bold</b> <i>italic</i> <code>code</code> for <span class="mention" data-user="U0REP00001">@Rita Rep</span>',
    );
    await expect(msg.locator('.b-accessory .btn-primary').textContent()).resolves.toBe('Open');
    expect(await msg.locator('.b-field').count()).toBe(2);
    // {date_num} in the viewer's time zone (the browser runs on this machine, like the test).
    const local = new Date(due * 1000);
    const dateNum = `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`;
    await expect(msg.locator('.b-field time.date').textContent()).resolves.toBe(dateNum);
    expect(await msg.locator('.b-accessory select option').count()).toBe(3);
    expect(await msg.locator('hr.b-divider').count()).toBe(1);
    await expect(msg.locator('.b-context').textContent()).resolves.toBe('Request r-1 · #sales');
    await expect(msg.locator('.b-actions .btn-danger').textContent()).resolves.toBe('Delete');
    const people = await msg.locator('.b-actions select[data-action-id="who"] option').allTextContents();
    expect(people).toEqual(expect.arrayContaining(['Rita Rep', 'Mona Manager', 'Omar Ops']));
    expect(await msg.locator('.b-actions select.overflow option').count()).toBe(3);
    expect(await msg.locator('.b-actions input[type="date"]').count()).toBe(1);
    await expect(msg.locator('ul li').allTextContents()).resolves.toEqual(['first', '@Mona Manager']);
    await b.shot('blocks');
  });

  it('edits in place, threads replies and shows ephemeral messages only to their user, live', async () => {
    const { page } = b;
    const { ts } = await web('chat.postMessage', { channel: DEMO_IDS.general, text: 'Running 0/2' });
    const msg = page.locator(`main .message[data-ts="${ts}"]`);
    await msg.waitFor();
    await web('chat.update', { channel: DEMO_IDS.general, ts, text: 'Done 2/2' });
    await msg.locator('.m-text', { hasText: 'Done 2/2' }).waitFor();
    expect(await msg.locator('.m-edited').count()).toBe(1);
    await web('chat.postMessage', {
      channel: DEMO_IDS.general,
      thread_ts: ts,
      text: '<@U0REP00001> all done',
    });
    await msg.locator('.replies', { hasText: '1 reply' }).waitFor();
    await msg.locator('.replies').click();
    await page.locator('#thread .message[data-where="thread"]', { hasText: '@Rita Rep all done' }).waitFor();

    await web('chat.postEphemeral', { channel: DEMO_IDS.general, user: DEMO_IDS.rep, text: 'Only for Rita' });
    const ephemeral = page.locator('main .message.ephemeral', { hasText: 'Only for Rita' });
    await ephemeral.waitFor();
    await b.shot('live-updates');
    await actAs(page, DEMO_IDS.manager);
    expect(await ephemeral.count()).toBe(0);
    await expect(page.locator(`main .message[data-ts="${ts}"] .m-text`).textContent()).resolves.toBe(
      'Done 2/2',
    );
    await actAs(page, DEMO_IDS.rep);
    expect(await ephemeral.count()).toBe(1);
  });

  it('shows a modal with every input element, views.push with a back button, and closes it', async () => {
    const { page, sandbox } = b;
    const input = (block_id: string, label: string, element: Record<string, unknown>, optional = false) => ({
      type: 'input',
      block_id,
      label: plain(label),
      optional,
      element: { action_id: `${block_id}_el`, ...element },
    });
    const { view } = await web('views.open', {
      trigger_id: sandbox.slack.mintTrigger(DEMO_IDS.rep).triggerId,
      view: {
        type: 'modal',
        callback_id: 'every_input',
        title: plain('Every input'),
        submit: plain('Save'),
        close: plain('Cancel'),
        blocks: [
          input('text', 'Text', { type: 'plain_text_input', initial_value: 'hello' }),
          input('multi', 'Multiline', { type: 'plain_text_input', multiline: true }, true),
          input('static', 'Static', { type: 'static_select', options: [opt('One', '1'), opt('Two', '2')] }),
          input('multistatic', 'Multi static', {
            type: 'multi_static_select',
            options: [opt('A', 'a'), opt('B', 'b')],
          }),
          input('external', 'External', { type: 'external_select', min_query_length: 1 }),
          input('user', 'User', { type: 'users_select' }),
          input('conv', 'Conversation', { type: 'conversations_select' }),
          input('radio', 'Radio', { type: 'radio_buttons', options: [opt('Yes', 'y'), opt('No', 'n')] }),
          input('checks', 'Checks', { type: 'checkboxes', options: [opt('C1', 'c1'), opt('C2', 'c2')] }),
          input('date', 'Date', { type: 'datepicker' }),
          input('file', 'File', { type: 'file_input', filetypes: ['csv'] }),
        ],
      },
    });
    const modal = page.locator(`.modal[data-view-id="${view!.id}"]`);
    await modal.waitFor();
    await expect(modal.locator('.modal-head h3').textContent()).resolves.toBe('Every input');
    await expect(modal.locator('input[name="text"]').inputValue()).resolves.toBe('hello');
    expect(await modal.locator('textarea[name="multi"]').count()).toBe(1);
    expect(await modal.locator('select[name="static"] option').count()).toBe(3);
    expect(await modal.locator('select[name="multistatic"][multiple] option').count()).toBe(2);
    expect(await modal.locator('.typeahead input[name="external"]').count()).toBe(1);
    expect(await modal.locator('select[name="user"] option', { hasText: 'Mona Manager' }).count()).toBe(1);
    expect(await modal.locator('select[name="conv"] option', { hasText: '#territory-ops' }).count()).toBe(1);
    expect(await modal.locator('input[type="radio"]').count()).toBe(2);
    expect(await modal.locator('input[type="checkbox"]').count()).toBe(2);
    expect(await modal.locator('input[type="date"][name="date"]').count()).toBe(1);
    await expect(modal.locator('input[type="file"][name="file"]').getAttribute('accept')).resolves.toBe(
      '.csv',
    );
    expect(await modal.locator('.optional').count()).toBe(1);
    await expect(modal.locator('#modal-submit').textContent()).resolves.toBe('Save');
    await b.shot('modal-every-input');

    // What the person typed survives the app pushing a view on top and the person coming back.
    await modal.locator('input[name="text"]').fill('typed');
    await web('views.push', {
      trigger_id: sandbox.slack.mintTrigger(DEMO_IDS.rep).triggerId,
      view: {
        type: 'modal',
        title: plain('Pushed'),
        close: plain('Back'),
        blocks: [{ type: 'section', text: md('On top') }],
      },
    });
    const pushed = page.locator('.modal[role="dialog"]', { hasText: 'On top' });
    await pushed.waitFor();
    expect(await pushed.locator('button[aria-label="Back"]').count()).toBe(1);
    await b.shot('modal-pushed');
    await pushed.locator('button[aria-label="Back"]').click();
    await modal.waitFor();
    await expect(modal.locator('input[name="text"]').inputValue()).resolves.toBe('typed');
    await page.click('#modal-close');
    await modal.waitFor({ state: 'detached' });
    expect(sandbox.slack.viewStack(DEMO_IDS.rep)).toEqual([]);
  });
});
