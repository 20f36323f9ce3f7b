/** The sandbox keeps its Slack workspace across restarts through a state file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_IDS, startSlackEmulator } from '../../../src/sandbox/slack/index.js';
import { webClient } from './harness.js';

describe('Slack emulator persistence', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slack-emu-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restores people, channels, messages, threads and files after a restart', async () => {
    const stateFile = path.join(dir, 'slack.json');
    const first = await startSlackEmulator({ stateFile });
    const c1 = webClient(first);
    const parent = await c1.chat.postMessage({ channel: DEMO_IDS.sales, text: 'Request #7 pending' });
    await c1.chat.postMessage({ channel: DEMO_IDS.sales, thread_ts: parent.ts!, text: 'done' });
    const dm = await c1.chat.postMessage({ channel: DEMO_IDS.rep, text: 'in your DM' });
    first.setBotMember(DEMO_IDS.random, true);
    first.addUser({ id: 'U0NEW00001', name: 'nina.new', real_name: 'Nina New', is_bot: false, role: 'rep' });
    const fileId = first.uploadFile(DEMO_IDS.rep, 'list.csv', 'Leads/1\n');
    await first.close();

    const second = await startSlackEmulator({ stateFile });
    try {
      const c2 = webClient(second);
      expect(second.url).not.toBe(first.url);
      expect(second.messages(DEMO_IDS.sales)).toMatchObject([
        { ts: parent.ts, text: 'Request #7 pending', reply_count: 1 },
      ]);
      expect(second.thread(DEMO_IDS.sales, parent.ts!).map((m) => m.text)).toEqual(['done']);
      expect(second.dmChannel(DEMO_IDS.rep)).toBe(dm.channel);
      expect(second.channel(DEMO_IDS.random)?.botMember).toBe(true);
      expect(second.user('U0NEW00001')?.name).toBe('nina.new');

      // The app can keep updating what it posted before the restart.
      await c2.chat.update({ channel: DEMO_IDS.sales, ts: parent.ts!, text: 'Request #7 done' });
      expect(second.message(DEMO_IDS.sales, parent.ts!)?.text).toBe('Request #7 done');
      const next = await c2.chat.postMessage({ channel: DEMO_IDS.sales, text: 'later' });
      expect(Number(next.ts) > Number(parent.ts)).toBe(true);

      const info = await c2.files.info({ file: fileId });
      expect(info.file?.url_private?.startsWith(second.url)).toBe(true);
      const dl = await fetch(info.file!.url_private!, {
        headers: { authorization: `Bearer ${second.botToken}` },
      });
      expect(await dl.text()).toBe('Leads/1\n');
    } finally {
      await second.close();
    }
  });

  it('restores a saved snapshot() (as JSON) with DMs, threads, ephemerals and a ts clock past it', async () => {
    const first = await startSlackEmulator();
    const c1 = webClient(first);
    const parent = await c1.chat.postMessage({ channel: DEMO_IDS.approvals, text: 'approve #9?' });
    const reply = await c1.chat.postMessage({
      channel: DEMO_IDS.approvals,
      thread_ts: parent.ts!,
      text: 'reminder',
    });
    await c1.chat.postMessage({
      channel: DEMO_IDS.approvals,
      thread_ts: parent.ts!,
      text: 'seen',
      reply_broadcast: true,
    });
    const dm = await c1.chat.postMessage({ channel: DEMO_IDS.manager, text: 'card in DM' });
    await c1.chat.postEphemeral({ channel: DEMO_IDS.general, user: DEMO_IDS.ops, text: 'psst' });
    const fileId = first.uploadFile(DEMO_IDS.rep, 'a.csv', 'x');
    const saved = JSON.parse(JSON.stringify(first.snapshot()));
    await first.close();

    const second = await startSlackEmulator({ snapshot: saved });
    try {
      const c2 = webClient(second);
      expect(second.messages(DEMO_IDS.approvals).map((m) => m.text)).toEqual(['approve #9?', 'seen']);
      expect(second.thread(DEMO_IDS.approvals, parent.ts!).map((m) => m.ts)).toEqual([
        reply.ts,
        second.messages(DEMO_IDS.approvals)[1]!.ts,
      ]);
      expect(second.message(DEMO_IDS.approvals, parent.ts!)).toMatchObject({ reply_count: 2 });
      expect(second.dmChannel(DEMO_IDS.manager)).toBe(dm.channel);
      expect(second.ephemerals(DEMO_IDS.ops).map((e) => e.text)).toEqual(['psst']);
      expect(second.file(fileId)?.name).toBe('a.csv');

      await c2.chat.update({ channel: dm.channel!, ts: dm.ts!, text: 'card in DM (approved)' });
      await c2.chat.postMessage({
        channel: DEMO_IDS.approvals,
        thread_ts: parent.ts!,
        text: 'after restart',
      });
      expect(second.message(DEMO_IDS.approvals, parent.ts!)?.reply_count).toBe(3);
      const newest = second.thread(DEMO_IDS.approvals, parent.ts!).at(-1)!;
      expect(newest.text).toBe('after restart');
      expect(Number(newest.ts) > Number(reply.ts)).toBe(true);
      // A new DM gets an id of its own, not one restored from the snapshot.
      const rep2 = await c2.conversations.open({ users: DEMO_IDS.rep2 });
      expect(rep2.channel?.id).not.toBe(dm.channel);
    } finally {
      await second.close();
    }
  });
});
