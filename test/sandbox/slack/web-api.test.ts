/** The emulator's Web API, driven by the real @slack/web-api WebClient. */
import {
  ErrorCode,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  type WebClient,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import {
  DEMO_IDS,
  type SlackEmulator,
  startSlackEmulator,
  TRIGGER_TTL_MS,
  type WorkspaceChange,
} from '../../../src/sandbox/slack/index.js';
import { webClient } from './harness.js';

async function slackError(p: Promise<unknown>): Promise<{ error: string; data: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const e = err as WebAPIPlatformError;
    expect(e.code).toBe(ErrorCode.PlatformError);
    return { error: e.data.error, data: e.data as unknown as Record<string, unknown> };
  }
  throw new Error('expected a Slack platform error');
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('Slack emulator Web API', () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
    emulator = await startSlackEmulator({ clock });
    client = webClient(emulator);
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('answers auth.test for the bot token and invalid_auth for any other', async () => {
    const me = await client.auth.test();
    expect(me).toMatchObject({
      ok: true,
      user_id: emulator.bot.userId,
      bot_id: emulator.bot.botId,
      team_id: 'T0EMULATOR',
    });
    const wrong = webClient(emulator);
    const other = new (wrong.constructor as typeof WebClient)('xoxb-wrong', {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
    });
    expect((await slackError(other.auth.test())).error).toBe('invalid_auth');
    const noToken = await fetch(`${emulator.apiUrl}auth.test`, { method: 'POST' });
    expect(await noToken.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('posts to a channel, threads replies, broadcasts, and records the calls', async () => {
    const changes: WorkspaceChange[] = [];
    emulator.events.on('change', (c) => changes.push(c));
    const parent = await client.chat.postMessage({
      channel: DEMO_IDS.sales,
      text: 'Request #1 pending',
      blocks: [section('*Request #1*')],
    });
    expect(parent).toMatchObject({ ok: true, channel: DEMO_IDS.sales });
    expect(parent.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(parent.message).toMatchObject({
      text: 'Request #1 pending',
      bot_id: emulator.bot.botId,
      user: emulator.bot.userId,
    });

    const reply = await client.chat.postMessage({
      channel: DEMO_IDS.sales,
      thread_ts: parent.ts!,
      text: 'done <@U0REP00001>',
    });
    const broadcast = await client.chat.postMessage({
      channel: DEMO_IDS.sales,
      thread_ts: parent.ts!,
      text: 'also in channel',
      reply_broadcast: true,
    });

    const top = emulator.messages(DEMO_IDS.sales);
    expect(top.map((m) => m.text)).toEqual(['Request #1 pending', 'also in channel']);
    expect(top[0]).toMatchObject({ reply_count: 2, latest_reply: broadcast.ts, thread_ts: parent.ts });
    expect(top[0]!.blocks?.[0]?.block_id).toEqual(expect.any(String));
    expect(emulator.thread(DEMO_IDS.sales, parent.ts!).map((m) => m.ts)).toEqual([reply.ts, broadcast.ts]);

    const calls = emulator.calls('chat.postMessage');
    expect(calls).toHaveLength(3);
    expect(calls[0]!.args).toMatchObject({ channel: DEMO_IDS.sales, blocks: [section('*Request #1*')] });
    expect(calls[0]!.args).not.toHaveProperty('token');
    expect(calls[1]!.response).toMatchObject({ ok: true, ts: reply.ts });
    expect(changes.filter((c) => c.kind === 'message_posted')).toHaveLength(3);
  });

  it('posts to a user id through the DM channel conversations.open returns', async () => {
    const dm = await client.chat.postMessage({ channel: DEMO_IDS.rep, text: 'hello in DM' });
    const opened = await client.conversations.open({ users: DEMO_IDS.rep });
    expect(opened.channel?.id).toBe(dm.channel);
    expect(opened).toMatchObject({ already_open: true });
    expect(dm.channel).toMatch(/^D/);
    expect(emulator.messages(dm.channel!).map((m) => m.text)).toEqual(['hello in DM']);
    const info = await client.conversations.info({ channel: dm.channel! });
    expect(info.channel).toMatchObject({ is_im: true, user: DEMO_IDS.rep });

    const group = await client.conversations.open({
      users: `${DEMO_IDS.manager},${DEMO_IDS.ops}`,
      return_im: true,
    });
    expect(group.channel).toMatchObject({ is_mpim: true, is_private: true, is_member: true });
    expect((await client.conversations.members({ channel: group.channel!.id! })).members).toEqual([
      DEMO_IDS.manager,
      DEMO_IDS.ops,
      emulator.bot.userId,
    ]);
    expect((await slackError(client.conversations.open({ users: 'U0NOBODY' }))).error).toBe('user_not_found');
    expect((await slackError(client.conversations.open({ users: '' }))).error).toBe(
      'users_list_not_supplied',
    );
  });

  it("answers Slack's errors for posting", async () => {
    expect((await slackError(client.chat.postMessage({ channel: DEMO_IDS.random, text: 'x' }))).error).toBe(
      'not_in_channel',
    );
    // A private channel the bot is not in does not exist for it.
    expect((await slackError(client.chat.postMessage({ channel: DEMO_IDS.secret, text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    expect((await slackError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    expect((await slackError(client.chat.postMessage({ channel: DEMO_IDS.sales, text: '' }))).error).toBe(
      'no_text',
    );
    expect(
      (await slackError(client.chat.postMessage({ channel: DEMO_IDS.sales, text: 'x'.repeat(40_001) })))
        .error,
    ).toBe('msg_too_long');
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    const many = await slackError(
      client.chat.postMessage({ channel: DEMO_IDS.sales, text: 'x', blocks: tooMany }),
    );
    expect(many.error).toBe('invalid_blocks');
    expect(JSON.stringify(many.data.response_metadata)).toContain('no more than 50 items');
    const long = await slackError(
      client.chat.postMessage({ channel: DEMO_IDS.sales, text: 'x', blocks: [section('y'.repeat(3001))] }),
    );
    expect(long.error).toBe('invalid_blocks');
    expect(emulator.messages(DEMO_IDS.sales)).toEqual([]);
  });

  it('posts to a public channel it has not joined with chat:write.public, or after conversations.join', async () => {
    const pub = await startSlackEmulator({ clock, chatWritePublic: true });
    try {
      const c = webClient(pub);
      await expect(c.chat.postMessage({ channel: DEMO_IDS.random, text: 'hi' })).resolves.toMatchObject({
        ok: true,
      });
      expect((await slackError(c.chat.postMessage({ channel: DEMO_IDS.secret, text: 'x' }))).error).toBe(
        'channel_not_found',
      );
    } finally {
      await pub.close();
    }
    const joined = await client.conversations.join({ channel: DEMO_IDS.random });
    expect(joined.channel).toMatchObject({ id: DEMO_IDS.random, is_member: true });
    await expect(client.chat.postMessage({ channel: DEMO_IDS.random, text: 'hi' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('updates a message in place and refuses what Slack refuses', async () => {
    const posted = await client.chat.postMessage({
      channel: DEMO_IDS.sales,
      text: 'pending',
      blocks: [section('pending')],
    });
    const updated = await client.chat.update({
      channel: DEMO_IDS.sales,
      ts: posted.ts!,
      text: 'running 1/3',
    });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'running 1/3' });
    const stored = emulator.message(DEMO_IDS.sales, posted.ts!)!;
    expect(stored).toMatchObject({ text: 'running 1/3', editCount: 1 });
    expect(stored.blocks).toHaveLength(1); // blocks omitted from chat.update are kept
    await client.chat.update({ channel: DEMO_IDS.sales, ts: posted.ts!, text: 'done', blocks: [] });
    expect(emulator.message(DEMO_IDS.sales, posted.ts!)).toMatchObject({ text: 'done', editCount: 2 });
    expect(emulator.message(DEMO_IDS.sales, posted.ts!)?.blocks).toBeUndefined();
    expect(emulator.messages(DEMO_IDS.sales)).toHaveLength(1);
    // A refused update leaves the message as it was.
    expect(
      (await slackError(client.chat.update({ channel: DEMO_IDS.sales, ts: posted.ts!, text: ' ' }))).error,
    ).toBe('no_text');
    expect(emulator.message(DEMO_IDS.sales, posted.ts!)).toMatchObject({ text: 'done', editCount: 2 });

    expect(
      (await slackError(client.chat.update({ channel: DEMO_IDS.sales, ts: '1.000001', text: 'x' }))).error,
    ).toBe('message_not_found');
    const human = emulator.postAsUser(DEMO_IDS.rep, DEMO_IDS.sales, 'my own words');
    expect(
      (await slackError(client.chat.update({ channel: DEMO_IDS.sales, ts: human.ts, text: 'x' }))).error,
    ).toBe('cant_update_message');
  });

  it('posts ephemeral messages only to channel members, deletes and links messages', async () => {
    const eph = await client.chat.postEphemeral({
      channel: DEMO_IDS.sales,
      user: DEMO_IDS.rep,
      text: 'only you',
    });
    expect(eph.message_ts).toEqual(expect.any(String));
    expect(emulator.ephemerals(DEMO_IDS.rep)).toMatchObject([{ channel: DEMO_IDS.sales, text: 'only you' }]);
    expect(
      (
        await slackError(
          client.chat.postEphemeral({ channel: DEMO_IDS.approvals, user: DEMO_IDS.rep, text: 'x' }),
        )
      ).error,
    ).toBe('user_not_in_channel');

    const posted = await client.chat.postMessage({ channel: DEMO_IDS.sales, text: 'to delete' });
    const link = await client.chat.getPermalink({ channel: DEMO_IDS.sales, message_ts: posted.ts! });
    expect(link.permalink).toBe(
      `https://territory-sandbox.slack.com/archives/${DEMO_IDS.sales}/p${posted.ts!.replace('.', '')}`,
    );
    await client.chat.delete({ channel: DEMO_IDS.sales, ts: posted.ts! });
    expect(emulator.messages(DEMO_IDS.sales)).toEqual([]);
    expect((await slackError(client.chat.delete({ channel: DEMO_IDS.sales, ts: posted.ts! }))).error).toBe(
      'message_not_found',
    );
  });

  it('answers users, user groups and conversation members', async () => {
    const info = await client.users.info({ user: DEMO_IDS.manager });
    expect(info.user).toMatchObject({
      id: DEMO_IDS.manager,
      name: 'mona.manager',
      real_name: 'Mona Manager',
      is_bot: false,
    });
    expect((await slackError(client.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');

    const page1 = await client.users.list({ limit: 2 });
    expect(page1.members).toHaveLength(2);
    const page2 = await client.users.list({ limit: 10, cursor: page1.response_metadata!.next_cursor! });
    expect(page2.response_metadata?.next_cursor).toBe('');
    expect([...page1.members!, ...page2.members!].map((m) => m.id)).toContain(DEMO_IDS.ops);

    expect(await client.usergroups.users.list({ usergroup: DEMO_IDS.approvers })).toMatchObject({
      users: [DEMO_IDS.manager],
    });
    emulator.setUsergroupUsers(DEMO_IDS.approvers, [DEMO_IDS.manager, DEMO_IDS.ops]);
    expect((await client.usergroups.users.list({ usergroup: DEMO_IDS.approvers })).users).toEqual([
      DEMO_IDS.manager,
      DEMO_IDS.ops,
    ]);
    expect((await slackError(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).error).toBe(
      'no_such_subteam',
    );

    const members = await client.conversations.members({ channel: DEMO_IDS.approvals });
    expect(members.members).toEqual([DEMO_IDS.manager, emulator.bot.userId]);
    const random = await client.conversations.info({ channel: DEMO_IDS.random });
    expect(random.channel).toMatchObject({ name: 'random', is_member: false, is_private: false });
  });

  it('serves files.info and url_private to the bot token only', async () => {
    const id = emulator.uploadFile(DEMO_IDS.rep, 'records.csv', 'record,territory\nLeads/1,West\n');
    const info = await client.files.info({ file: id });
    expect(info.file).toMatchObject({
      id,
      name: 'records.csv',
      mimetype: 'text/csv',
      size: 30,
      user: DEMO_IDS.rep,
    });
    const url = info.file!.url_private!;
    const ok = await fetch(url, { headers: { authorization: `Bearer ${emulator.botToken}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('record,territory\nLeads/1,West\n');
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { headers: { authorization: 'Bearer xoxb-other' } })).status).toBe(403);
    expect((await slackError(client.files.info({ file: 'F0NOPE' }))).error).toBe('file_not_found');
  });

  it('takes an external upload as filesUploadV2 sends it and shares it into a DM as a message with the file', async () => {
    const dm = (await client.conversations.open({ users: DEMO_IDS.rep })).channel!.id!;
    const res = await client.filesUploadV2({
      channel_id: dm,
      file: Buffer.from('when,who\n2026-01-01,U1\n'),
      filename: 'audit.csv',
      title: 'Audit',
      initial_comment: 'Here is the audit trail',
    });
    expect(res.ok).toBe(true);
    const msg = emulator.messages(dm).at(-1)!;
    expect(msg).toMatchObject({ user: emulator.bot.userId, text: 'Here is the audit trail' });
    expect(msg.files).toHaveLength(1);
    const file = emulator.file(msg.files![0]!.id)!;
    expect(file).toMatchObject({
      name: 'audit.csv',
      title: 'Audit',
      mimetype: 'text/csv',
      user: emulator.bot.userId,
    });
    expect(file.content.toString('utf8')).toBe('when,who\n2026-01-01,U1\n');
    // conversations.history shows the file on the message, as Slack does.
    const history = await client.conversations.history({ channel: dm });
    expect(history.messages?.[0]).toMatchObject({
      upload: true,
      files: [{ id: file.id, name: 'audit.csv' }],
    });
  });

  it("answers the external upload methods with Slack's errors", async () => {
    expect((await slackError(client.files.getUploadURLExternal({ filename: 'a.csv' } as never))).error).toBe(
      'invalid_arguments',
    );
    expect((await slackError(client.files.completeUploadExternal({ files: [{ id: 'F0NOPE' }] }))).error).toBe(
      'file_not_found',
    );
    // A file id whose bytes never reached the upload URL cannot be completed either.
    const { file_id, upload_url } = await client.files.getUploadURLExternal({ filename: 'a.csv', length: 3 });
    expect((await slackError(client.files.completeUploadExternal({ files: [{ id: file_id! }] }))).error).toBe(
      'file_not_found',
    );
    const up = await fetch(upload_url!, { method: 'POST', body: 'abc' });
    expect(up.status).toBe(200);
    expect(await up.text()).toBe('OK - 3');
    await expect(client.files.completeUploadExternal({ files: [{ id: file_id! }] })).resolves.toMatchObject({
      ok: true,
      files: [{ id: file_id }],
    });
    // The upload URL is one-off.
    expect((await fetch(upload_url!, { method: 'POST', body: 'abc' })).status).toBe(404);
    expect(
      (
        await slackError(
          client.files.completeUploadExternal({ files: [{ id: file_id! }], channel_id: 'C0NOPE' }),
        )
      ).error,
    ).toBe('file_not_found');
  });

  it('answers 429 with Retry-After for the next N calls of a rate-limited method', async () => {
    emulator.faults.rateLimit('chat.postMessage', { count: 2, retryAfterSec: 7 });
    const strict = webClient(emulator, { rejectRateLimitedCalls: true });
    const err = (await strict.chat
      .postMessage({ channel: DEMO_IDS.sales, text: 'a' })
      .catch((e) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);

    const raw = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${emulator.botToken}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ channel: DEMO_IDS.sales, text: 'b' }).toString(),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });

    await expect(strict.chat.postMessage({ channel: DEMO_IDS.sales, text: 'c' })).resolves.toMatchObject({
      ok: true,
    });
    expect(emulator.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 429, 200]);
    expect(emulator.messages(DEMO_IDS.sales).map((m) => m.text)).toEqual(['c']);
  });

  it("enforces Slack's rate-limit tiers when asked, on the injected clock", async () => {
    const limited = await startSlackEmulator({ clock, tierLimits: true });
    try {
      const c = webClient(limited, { rejectRateLimitedCalls: true });
      for (let i = 0; i < 3; i++) await c.chat.postMessage({ channel: DEMO_IDS.sales, text: `burst ${i}` });
      const err = (await c.chat
        .postMessage({ channel: DEMO_IDS.sales, text: 'one too many' })
        .catch((e) => e)) as WebAPIRateLimitedError;
      expect(err.code).toBe(ErrorCode.RateLimitedError);
      expect(err.retryAfter).toBe(1);
      expect(limited.calls('chat.postMessage').at(-1)?.response).toEqual({
        ok: false,
        error: 'rate_limited',
      });
      // Another channel has its own budget; a second later this one has room again.
      await expect(
        c.chat.postMessage({ channel: DEMO_IDS.general, text: 'elsewhere' }),
      ).resolves.toMatchObject({ ok: true });
      clock.advance(1_000);
      await expect(c.chat.postMessage({ channel: DEMO_IDS.sales, text: 'later' })).resolves.toMatchObject({
        ok: true,
      });

      // Tier 2: 20 per minute.
      for (let i = 0; i < 20; i++) await c.usergroups.users.list({ usergroup: DEMO_IDS.approvers });
      const tier2 = (await c.usergroups.users
        .list({ usergroup: DEMO_IDS.approvers })
        .catch((e) => e)) as WebAPIRateLimitedError;
      expect(tier2.retryAfter).toBe(3);
      expect(limited.messages(DEMO_IDS.sales).map((m) => m.text)).toEqual([
        'burst 0',
        'burst 1',
        'burst 2',
        'later',
      ]);
    } finally {
      await limited.close();
    }
  });

  it('injects arbitrary platform errors', async () => {
    emulator.faults.failNext('users.info', 'fatal_error');
    expect((await slackError(client.users.info({ user: DEMO_IDS.rep }))).error).toBe('fatal_error');
    await expect(client.users.info({ user: DEMO_IDS.rep })).resolves.toMatchObject({ ok: true });
  });

  describe('views', () => {
    const modal = (title = 'Assign territory', extra: Record<string, unknown> = {}) => ({
      type: 'modal' as const,
      callback_id: 'assign',
      title: { type: 'plain_text' as const, text: title },
      submit: { type: 'plain_text' as const, text: 'Assign' },
      blocks: [
        {
          type: 'input',
          block_id: 'record',
          label: { type: 'plain_text', text: 'Record' },
          element: { type: 'plain_text_input', action_id: 'record_input' },
        },
      ],
      ...extra,
    });

    it('opens a modal with a fresh trigger_id, once', async () => {
      const { triggerId } = emulator.mintTrigger(DEMO_IDS.rep);
      const opened = await client.views.open({ trigger_id: triggerId, view: modal() });
      expect(opened.view).toMatchObject({
        callback_id: 'assign',
        title: { text: 'Assign territory' },
        state: { values: {} },
      });
      expect(opened.view?.id).toMatch(/^V/);
      expect(opened.view?.hash).toEqual(expect.any(String));
      expect(emulator.viewStack(DEMO_IDS.rep).map((v) => v.id)).toEqual([opened.view!.id]);
      expect((await slackError(client.views.open({ trigger_id: triggerId, view: modal() }))).error).toBe(
        'exchanged_trigger_id',
      );
    });

    it('refuses an expired or unknown trigger_id', async () => {
      const { triggerId } = emulator.mintTrigger(DEMO_IDS.rep);
      clock.advance(TRIGGER_TTL_MS + 1);
      expect((await slackError(client.views.open({ trigger_id: triggerId, view: modal() }))).error).toBe(
        'expired_trigger_id',
      );
      expect((await slackError(client.views.open({ trigger_id: '123.456.abc', view: modal() }))).error).toBe(
        'invalid_trigger_id',
      );
      expect(emulator.viewStack(DEMO_IDS.rep)).toEqual([]);
    });

    it('validates view limits with invalid_arguments', async () => {
      const open = (view: Record<string, unknown>) =>
        slackError(
          client.views.open({
            trigger_id: emulator.mintTrigger(DEMO_IDS.rep).triggerId,
            view: view as never,
          }),
        );
      const title = await open(modal('A title that is too long!'));
      expect(title.error).toBe('invalid_arguments');
      expect(JSON.stringify(title.data.response_metadata)).toContain('/view/title/text');
      expect((await open(modal('ok', { submit: { type: 'plain_text', text: 'S'.repeat(25) } }))).error).toBe(
        'invalid_arguments',
      );
      expect((await open(modal('ok', { private_metadata: 'm'.repeat(3001) }))).error).toBe(
        'invalid_arguments',
      );
      const blocks = Array.from({ length: 101 }, (_, i) => section(`b${i}`));
      expect((await open({ ...modal('ok'), blocks })).error).toBe('invalid_arguments');
      expect((await open({ ...modal('ok'), submit: undefined })).error).toBe('invalid_arguments');
    });

    it('views.publish: one Home view per user, validated like Slack, replaced in place, hash guarded', async () => {
      const changes: WorkspaceChange[] = [];
      emulator.events.on('change', (c: WorkspaceChange) => changes.push(c));
      const home = (text: string, extra: Record<string, unknown> = {}) =>
        ({ type: 'home', blocks: [section(text)], ...extra }) as never;
      const first = await client.views.publish({ user_id: DEMO_IDS.rep, view: home('one') });
      expect(first.view).toMatchObject({ type: 'home', blocks: [{ type: 'section' }] });
      const second = await client.views.publish({
        user_id: DEMO_IDS.rep,
        view: home('two'),
        hash: first.view!.hash!,
      });
      expect(second.view?.id).toBe(first.view?.id);
      expect(JSON.stringify(emulator.homeView(DEMO_IDS.rep)?.blocks)).toContain('two');
      expect(changes.filter((c) => c.kind === 'home_published')).toHaveLength(2);
      expect(emulator.viewStack(DEMO_IDS.rep)).toEqual([]);
      expect(emulator.homeView(DEMO_IDS.rep2)).toBeUndefined();

      expect(
        (await slackError(client.views.publish({ user_id: DEMO_IDS.rep, view: home('x'), hash: 'stale' })))
          .error,
      ).toBe('hash_conflict');
      expect((await slackError(client.views.publish({ user_id: 'U0NOBODY', view: home('x') }))).error).toBe(
        'user_not_found',
      );
      expect((await slackError(client.views.publish({ user_id: '', view: home('x') }))).error).toBe(
        'invalid_arguments',
      );
      const modalType = await slackError(client.views.publish({ user_id: DEMO_IDS.rep, view: modal('M') }));
      expect(modalType.error).toBe('invalid_arguments');
      expect(JSON.stringify(modalType.data.response_metadata)).toContain('/view/type');
      const blocks = Array.from({ length: 101 }, (_, i) => section(`b${i}`));
      expect(
        (
          await slackError(
            client.views.publish({ user_id: DEMO_IDS.rep, view: { type: 'home', blocks } as never }),
          )
        ).error,
      ).toBe('invalid_arguments');
      expect(
        (
          await slackError(
            client.views.publish({
              user_id: DEMO_IDS.rep,
              view: home('x', { private_metadata: 'm'.repeat(3001) }),
            }),
          )
        ).error,
      ).toBe('invalid_arguments');
    });

    it('updates by view_id or external_id, guarded by hash', async () => {
      const opened = await client.views.open({
        trigger_id: emulator.mintTrigger(DEMO_IDS.rep).triggerId,
        view: modal('Loading…', { external_id: 'req-1' }),
      });
      const v1 = opened.view!;
      const updated = await client.views.update({ view_id: v1.id!, hash: v1.hash!, view: modal('Assign') });
      expect(updated.view).toMatchObject({ id: v1.id, title: { text: 'Assign' } });
      expect(updated.view?.hash).not.toBe(v1.hash);
      expect(
        (await slackError(client.views.update({ view_id: v1.id!, hash: v1.hash!, view: modal('Late') })))
          .error,
      ).toBe('hash_conflict');
      const byExternal = await client.views.update({ external_id: 'req-1', view: modal('By external id') });
      expect(byExternal.view?.id).toBe(v1.id);
      expect(emulator.view(v1.id!)?.title.text).toBe('By external id');
      expect((await slackError(client.views.update({ view_id: 'V0NOPE', view: modal() }))).error).toBe(
        'not_found',
      );
    });

    it('applies view_submission ack bodies as Slack would, and names what Slack refuses', async () => {
      const open = await client.views.open({
        trigger_id: emulator.mintTrigger(DEMO_IDS.rep).triggerId,
        view: modal('Root'),
      });
      const id = open.view!.id!;
      expect(
        emulator.applyViewAck(id, { response_action: 'errors', errors: { record: 'bad', nope: 'x' } }),
      ).toEqual({
        action: 'errors',
        problems: ['errors key "nope" is not the block_id of an input block'],
      });
      expect(emulator.view(id)?.errors).toEqual({ record: 'bad', nope: 'x' });
      expect(
        emulator.applyViewAck(id, { response_action: 'update', view: modal('A'.repeat(30)) }),
      ).toMatchObject({
        action: 'invalid',
        problems: ['invalid_arguments', expect.stringContaining('/view/title/text')],
      });
      expect(emulator.applyViewAck(id, { response_action: 'push', view: modal('Two') }).action).toBe('push');
      const top = emulator.viewStack(DEMO_IDS.rep).at(-1)!.id;
      expect(emulator.applyViewAck(top, { response_action: 'push', view: modal('Three') }).action).toBe(
        'push',
      );
      const third = emulator.viewStack(DEMO_IDS.rep).at(-1)!.id;
      expect(emulator.applyViewAck(third, { response_action: 'push', view: modal('Four') })).toEqual({
        action: 'invalid',
        problems: ['push_limit_reached'],
      });
      // An empty ack closes the submitted (top) view only.
      expect(emulator.applyViewAck(third, '')).toEqual({ action: 'close', problems: [] });
      expect(emulator.viewStack(DEMO_IDS.rep).map((v) => v.title.text)).toEqual(['Root', 'Two']);
      expect(emulator.view(id)?.errors).toBeUndefined();
    });

    it('pushes at most two views on top of the root', async () => {
      await client.views.open({
        trigger_id: emulator.mintTrigger(DEMO_IDS.manager).triggerId,
        view: modal('Root'),
      });
      await client.views.push({
        trigger_id: emulator.mintTrigger(DEMO_IDS.manager).triggerId,
        view: modal('Second'),
      });
      const third = await client.views.push({
        trigger_id: emulator.mintTrigger(DEMO_IDS.manager).triggerId,
        view: modal('Third'),
      });
      expect(third.view?.previous_view_id).toEqual(expect.any(String));
      expect(
        (
          await slackError(
            client.views.push({
              trigger_id: emulator.mintTrigger(DEMO_IDS.manager).triggerId,
              view: modal('Fourth'),
            }),
          )
        ).error,
      ).toBe('push_limit_reached');
      expect(emulator.viewStack(DEMO_IDS.manager).map((v) => v.title.text)).toEqual([
        'Root',
        'Second',
        'Third',
      ]);
    });
  });

  it('reads history newest first, thread replies from the parent, and users by email', async () => {
    const parent = await client.chat.postMessage({ channel: DEMO_IDS.sales, text: 'first' });
    const reply = await client.chat.postMessage({
      channel: DEMO_IDS.sales,
      text: 'in thread',
      thread_ts: parent.ts!,
    });
    await client.chat.postMessage({ channel: DEMO_IDS.sales, text: 'second' });
    const history = await client.conversations.history({ channel: DEMO_IDS.sales, limit: 1 });
    expect(history.messages?.map((m) => m.text)).toEqual(['second']);
    expect(history.has_more).toBe(true);
    const replies = await client.conversations.replies({ channel: DEMO_IDS.sales, ts: reply.ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['first', 'in thread']);
    expect(
      (await slackError(client.conversations.replies({ channel: DEMO_IDS.sales, ts: '1.000002' }))).error,
    ).toBe('thread_not_found');
    const byEmail = await client.users.lookupByEmail({ email: 'MonaManager@TBSIM.com' });
    expect(byEmail.user?.id).toBe(DEMO_IDS.manager);
    expect((await slackError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).error).toBe(
      'users_not_found',
    );
  });

  it('applies a "*" fault to every method', async () => {
    emulator.faults.failNext('*', 'service_unavailable', 2);
    expect((await slackError(client.users.info({ user: DEMO_IDS.rep }))).error).toBe('service_unavailable');
    expect((await slackError(client.auth.test())).error).toBe('service_unavailable');
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    emulator.faults.rateLimit('*', { count: 1, retryAfterSec: 3 });
    emulator.faults.clear();
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('streams workspace changes to listeners and over server-sent events', async () => {
    const changes: WorkspaceChange[] = [];
    emulator.events.on('change', (c) => changes.push(c));
    const controller = new AbortController();
    const stream = await fetch(`${emulator.url}/_emulator/events`, { signal: controller.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();

    const posted = await client.chat.postMessage({ channel: DEMO_IDS.general, text: 'hello' });
    await client.chat.update({ channel: DEMO_IDS.general, ts: posted.ts!, text: 'hello again' });
    const opened = await client.views.open({
      trigger_id: emulator.mintTrigger(DEMO_IDS.ops).triggerId,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Hi' }, blocks: [] },
    });
    emulator.closeView(opened.view!.id!);
    expect(changes.map((c) => c.kind)).toEqual([
      'message_posted',
      'message_updated',
      'view_opened',
      'view_closed',
    ]);
    expect(changes[1]).toMatchObject({
      kind: 'message_updated',
      message: { text: 'hello again', editCount: 1 },
    });

    let text = '';
    while (!text.includes('view_closed')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    const events = text
      .split('\n\n')
      .filter((chunk) => chunk.startsWith('event: change'))
      .map((chunk) => JSON.parse(chunk.slice(chunk.indexOf('data: ') + 6)) as WorkspaceChange);
    expect(events.map((e) => e.kind)).toEqual([
      'message_posted',
      'message_updated',
      'view_opened',
      'view_closed',
    ]);
  });

  it('serves a JSON snapshot of the workspace', async () => {
    const posted = await client.chat.postMessage({ channel: DEMO_IDS.sales, text: 'parent' });
    await client.chat.postMessage({ channel: DEMO_IDS.sales, text: 'reply', thread_ts: posted.ts! });
    const res = await fetch(`${emulator.url}/_emulator/snapshot`);
    const snap = (await res.json()) as ReturnType<SlackEmulator['snapshot']>;
    expect(snap.team.id).toBe('T0EMULATOR');
    expect(snap.users.map((u) => u.role)).toEqual(expect.arrayContaining(['rep', 'manager', 'ops', 'bot']));
    expect(snap.channels.find((c) => c.id === DEMO_IDS.sales)?.messages.map((m) => m.text)).toEqual([
      'parent',
    ]);
    expect(snap.threads[`${DEMO_IDS.sales}:${posted.ts}`]?.map((m) => m.text)).toEqual(['reply']);
    expect(snap.channels.find((c) => c.id === DEMO_IDS.random)?.botMember).toBe(false);
  });
});
