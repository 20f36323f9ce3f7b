/**
 * The emulator's Socket Mode as a raw client sees it: apps.connections.open with its token
 * checks, hello, envelopes, acks with payloads, the 3 s window, disconnect, and what happens to
 * an envelope whose socket dropped before the ack (events retried, commands not).
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type SlackEmulator, startSlackEmulator } from '../../../src/sandbox/slack/index.js';

type Msg = Record<string, unknown>;

async function open(emu: SlackEmulator, token: string): Promise<Msg> {
  const res = await fetch(`${emu.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
  });
  return (await res.json()) as Msg;
}

/** A client that records every message and answers nothing unless told. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  const seen: Msg[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (d) => {
    seen.push(JSON.parse(String(d)) as Msg);
    for (const w of waiters.splice(0)) w();
  });
  const next = async (pred: (m: Msg) => boolean): Promise<Msg> => {
    for (;;) {
      const hit = seen.find(pred);
      if (hit) {
        seen.splice(seen.indexOf(hit), 1);
        return hit;
      }
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, next };
}

describe('Slack emulator: Socket Mode', () => {
  let emu: SlackEmulator;
  afterEach(async () => {
    await emu.close();
  });

  it('apps.connections.open takes the app-level token only, and a ticket opens one connection', async () => {
    emu = await startSlackEmulator({ socketAckTimeoutMs: 300 });
    expect(await open(emu, emu.botToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await open(emu, 'xapp-1-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    const res = await fetch(`${emu.apiUrl}apps.connections.open`, { method: 'POST' });
    expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
    // The app-level token is good for nothing else.
    const post = await fetch(`${emu.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.appToken}` },
    });
    expect(await post.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });

    const ok = await open(emu, emu.appToken);
    expect(ok.ok).toBe(true);
    expect(ok.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f]{32}&app_id=A0APP00001$/);
    const client = await connect(String(ok.url));
    const hello = await client.next((m) => m.type === 'hello');
    expect(hello).toMatchObject({ num_connections: 1, connection_info: { app_id: 'A0APP00001' } });
    // A used ticket does not open a second connection.
    await expect(connect(String(ok.url))).rejects.toThrow(/401/);
    client.ws.close();
  });

  it('delivers envelopes, returns ack payloads, and reports a missing ack after the window', async () => {
    emu = await startSlackEmulator({ socketAckTimeoutMs: 300 });
    const client = await connect(String((await open(emu, emu.appToken)).url));
    await client.next((m) => m.type === 'hello');

    const acked = emu.socketMode.deliver('interactive', { type: 'block_suggestion', value: 'cal' });
    const env = await client.next((m) => m.type === 'interactive');
    expect(env).toMatchObject({ accepts_response_payload: true, payload: { type: 'block_suggestion' } });
    const options = [{ text: { type: 'plain_text', text: 'California' }, value: '1' }];
    client.ws.send(JSON.stringify({ envelope_id: env.envelope_id, payload: { options } }));
    expect(await acked).toMatchObject({ acked: true, payload: { options }, attempts: 1 });

    const event = emu.socketMode.deliver('events_api', {
      type: 'event_callback',
      event: { type: 'app_home_opened' },
    });
    const evEnv = await client.next((m) => m.type === 'events_api');
    expect(evEnv).toMatchObject({ accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
    client.ws.send(JSON.stringify({ envelope_id: evEnv.envelope_id }));
    expect(await event).toMatchObject({ acked: true, payload: undefined });

    // No ack within the window: Slack counts it as failed.
    const ignored = await emu.socketMode.deliver('slash_commands', { command: '/territory', text: 'help' });
    expect(ignored).toMatchObject({ acked: false, attempts: 1 });
    client.ws.close();
  });

  it('asks for a refresh with disconnect; re-sends an unacked event, never an unacked command', async () => {
    emu = await startSlackEmulator({ socketAckTimeoutMs: 2_000 });
    const first = await connect(String((await open(emu, emu.appToken)).url));
    await first.next((m) => m.type === 'hello');

    emu.socketMode.requestRefresh();
    expect(await first.next((m) => m.type === 'disconnect')).toMatchObject({ reason: 'refresh_requested' });

    const pending = emu.socketMode.deliver('events_api', { type: 'event_callback', event: { type: 'x' } });
    const sent = await first.next((m) => m.type === 'events_api');
    // The socket drops before the app acks: the envelope goes out again on the new connection.
    first.ws.terminate();
    const second = await connect(String((await open(emu, emu.appToken)).url));
    const again = await second.next((m) => m.type === 'events_api');
    expect(again).toMatchObject({ envelope_id: sent.envelope_id, retry_attempt: 1, retry_reason: 'timeout' });
    second.ws.send(JSON.stringify({ envelope_id: again.envelope_id }));
    expect(await pending).toMatchObject({ acked: true, attempts: 2 });
    expect(emu.socketMode.connectionCount()).toBe(2);

    // A slash command whose socket drops before the ack is not re-sent: the app may have started it.
    const command = emu.socketMode.deliver('slash_commands', { command: '/territory', text: 'help' });
    await second.next((m) => m.type === 'slash_commands');
    second.ws.terminate();
    expect(await command).toMatchObject({ acked: false, attempts: 1 });
    const third = await connect(String((await open(emu, emu.appToken)).url));
    await third.next((m) => m.type === 'hello');
    const event = emu.socketMode.deliver('events_api', { type: 'event_callback', event: { type: 'y' } });
    const next = await third.next((m) => m.type === 'events_api' || m.type === 'slash_commands');
    expect(next.type).toBe('events_api');
    third.ws.send(JSON.stringify({ envelope_id: next.envelope_id }));
    expect((await event).acked).toBe(true);
    third.ws.close();
  });
});
