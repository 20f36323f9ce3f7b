import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import { openStore } from '../../../src/core/store/index.js';
import type { AlertRecord, Store } from '../../../src/core/store/types.js';
import { AlertMessenger } from '../../../src/notify/alert-messenger.js';
import { NOW } from '../listeners/helpers.js';
import { fakeWebClient } from './fake-web-client.js';

function alert(extra: Partial<AlertRecord> = {}): AlertRecord {
  return {
    fingerprint: 'territory_deleted:3652397000000100003',
    kind: 'territory_deleted',
    territoryId: '3652397000000100003',
    state: 'firing',
    severity: 'critical',
    title: 'Territory US West was deleted',
    details: {},
    contentHash: 'h1',
    inhibitedBy: null,
    startsAt: NOW,
    updatedAt: NOW,
    lastNotifiedAt: null,
    resolvedAt: null,
    snoozedUntil: null,
    snoozedBy: null,
    channel: null,
    ts: null,
    ...extra,
  };
}

describe('AlertMessenger against a fake Web API client', () => {
  let store: Store;
  afterEach(async () => {
    await store.close();
  });

  async function build(web: ReturnType<typeof fakeWebClient>, opsChannel: string | null = 'C0OPS') {
    const clock = new ManualClock(NOW);
    store = await openStore('sqlite::memory:', { clock });
    return new AlertMessenger({
      client: web.client,
      store,
      clock,
      logger: createLogger('silent'),
      opsChannel,
      names: async () => new Map([['3652397000000100003', 'US West']]),
    });
  }

  it('posts a firing alert in OPS_CHANNEL and returns where it went', async () => {
    const web = fakeWebClient();
    const m = await build(web);
    const ref = await m.alert({ type: 'firing', alert: alert() });
    expect(web.of('chat.postMessage')).toEqual([expect.objectContaining({ channel: 'C0OPS' })]);
    expect(ref).toMatchObject({ channel: 'C0OPS' });
    expect(JSON.stringify(web.of('chat.postMessage')[0])).toContain('US West');
  });

  it('refuses to post without OPS_CHANNEL (the monitor retries)', async () => {
    const m = await build(fakeWebClient(), null);
    await expect(m.alert({ type: 'firing', alert: alert() })).rejects.toThrow(/OPS_CHANNEL/);
  });

  it('edits the message when resolved and replies in its thread', async () => {
    const web = fakeWebClient();
    const m = await build(web);
    const posted = alert({ channel: 'C0OPS', ts: '1700.0001', state: 'resolved', resolvedAt: NOW });
    await m.alert({ type: 'resolved', alert: posted });
    expect(web.of('chat.update')).toEqual([expect.objectContaining({ channel: 'C0OPS', ts: '1700.0001' })]);
    expect(web.of('chat.postMessage')).toEqual([expect.objectContaining({ thread_ts: '1700.0001' })]);
  });

  it('skips a change for an alert that has no message to edit', async () => {
    const web = fakeWebClient();
    const m = await build(web);
    expect(await m.alert({ type: 'changed', alert: alert() })).toBeNull();
    expect(web.calls).toEqual([]);
  });
});
