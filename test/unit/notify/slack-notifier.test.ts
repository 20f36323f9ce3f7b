import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import type { NoticeKind } from '../../../src/core/outbox.js';
import { parentMessageKey } from '../../../src/core/requests/index.js';
import { openStore } from '../../../src/core/store/index.js';
import type { Store } from '../../../src/core/store/types.js';
import { TerritoryCatalog } from '../../../src/core/territories/index.js';
import { SlackNotifier } from '../../../src/notify/slack-notifier.js';
import { NOW, scriptedZoho, storedBulk, testConfig } from '../listeners/helpers.js';
import { fakeWebClient } from './fake-web-client.js';

describe('SlackNotifier delivering outbox notices against a fake Web API client', () => {
  let store: Store;
  let notifier: SlackNotifier | undefined;
  afterEach(async () => {
    notifier?.stop();
    await store.close();
  });

  async function build(web: ReturnType<typeof fakeWebClient>, config = testConfig()) {
    const clock = new ManualClock(NOW);
    store = await openStore('sqlite::memory:', { clock });
    const zoho = scriptedZoho();
    notifier = new SlackNotifier({
      client: web.client,
      store,
      config,
      logger: createLogger('silent'),
      clock,
      catalog: new TerritoryCatalog({ api: zoho.api, clock }),
      zoho: zoho.api,
      directory: { members: async () => [] },
    });
    return notifier;
  }

  /** Writes a notice as core does and delivers it as the outbox worker does. */
  async function deliver(n: SlackNotifier, requestId: string, kind: NoticeKind) {
    await store.enqueueNotices(requestId, [kind]);
    const notice = (await store.listNotices(requestId)).find((x) => x.kind === kind && x.state === 'pending');
    if (!notice) throw new Error(`no pending ${kind} notice`);
    await n.deliver(notice);
    await store.updateNotice(notice.id, { state: 'sent' });
  }

  it('a parent notice posts the parent in the origin channel once and remembers where', async () => {
    const web = fakeWebClient();
    const n = await build(web);
    const id = await storedBulk(store, { itemCount: 3 });
    await deliver(n, id, 'parent');
    const [post] = web.of('chat.postMessage');
    expect(post).toMatchObject({ channel: 'CSALES', unfurl_links: false });
    expect(typeof post?.text).toBe('string');
    expect(await store.getMessageRef(parentMessageKey(id))).toMatchObject({ channel: 'CSALES' });
  });

  it('falls back to the requester’s DM when the bot cannot post in the channel', async () => {
    const web = fakeWebClient({ failIn: { 'chat.postMessage:CSALES': 'not_in_channel' } });
    const n = await build(web);
    const id = await storedBulk(store, { itemCount: 3 });
    await deliver(n, id, 'parent');
    expect(web.of('conversations.open')).toEqual([{ users: 'UREP' }]);
    expect(await store.getMessageRef(parentMessageKey(id))).toMatchObject({ channel: 'D-UREP' });
  });

  it('an approval card notice DMs every configured approver (never the requester) the card', async () => {
    const web = fakeWebClient();
    const n = await build(web);
    const id = await storedBulk(store, { itemCount: 8, state: 'pending_approval' });
    await deliver(n, id, 'approval_card');
    expect(web.of('conversations.open')).toEqual([{ users: 'UMGR' }]);
    expect(web.of('chat.postMessage').map((p) => p.channel)).toEqual(['D-UMGR']);
  });

  it('a decision notice updates every card copy and replies to the requester in the parent thread', async () => {
    const web = fakeWebClient();
    const n = await build(web);
    const id = await storedBulk(store, { itemCount: 8, state: 'pending_approval' });
    await deliver(n, id, 'parent');
    await deliver(n, id, 'approval_card');
    await store.transitionRequest(
      id,
      ['pending_approval'],
      'rejected',
      { decidedBy: 'UMGR', decidedAt: NOW, decisionComment: 'not now' },
      NOW,
    );
    await deliver(n, id, 'decision');
    expect(web.of('chat.update')).toHaveLength(1);
    const parent = await store.getMessageRef(parentMessageKey(id));
    const replies = web.of('chat.postMessage').filter((p) => p.thread_ts === parent?.ts);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toContain('not now');
  });
});
