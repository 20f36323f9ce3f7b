import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import type { NoticeRecord } from '../../../src/core/outbox.js';
import { OutboxNotifier } from '../../../src/core/outbox.js';
import { openStore } from '../../../src/core/store/index.js';
import type { Store } from '../../../src/core/store/types.js';
import { OutboxWorker } from '../../../src/notify/outbox-worker.js';
import { NOW, storedBulk } from '../listeners/helpers.js';

const silent = createLogger('silent');

/** What Slack answers, scripted per notice key: each call takes the next answer. */
function scriptedSlack(answers: Record<string, unknown[]> = {}) {
  const posted: string[] = [];
  const attempts: string[] = [];
  const deliver = async (notice: NoticeRecord) => {
    attempts.push(notice.key);
    const next = answers[notice.key]?.shift();
    if (next !== undefined) throw next;
    posted.push(notice.key);
    return { channel: 'C1', ts: `${posted.length}.000100` };
  };
  return { deliver, posted, attempts };
}

const rateLimited = (sec: number) =>
  Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: sec });
const platform = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error },
  });
const httpError = () =>
  Object.assign(new Error('HTTP 500'), { code: 'slack_webapi_http_error', statusCode: 500 });

describe('OutboxWorker', () => {
  let store: Store;
  const clock = new ManualClock(NOW);
  afterEach(async () => {
    await store.close();
  });

  async function setup(answers?: Record<string, unknown[]>, holder = 'replica-a') {
    store = await openStore('sqlite::memory:', { clock });
    const slack = scriptedSlack(answers);
    const worker = new OutboxWorker({
      store,
      clock,
      logger: silent,
      deliver: slack.deliver,
      holder,
      random: () => 1,
      baseBackoffMs: 1_000,
      progressIntervalMs: 0,
    });
    return { slack, worker };
  }

  it('posts a request’s notices in the order they were written, each once', async () => {
    const { slack, worker } = await setup();
    const id = await storedBulk(store, { itemCount: 2 });
    const notifier = new OutboxNotifier({ store, clock });
    await notifier.requestCreated(id);
    await notifier.requestUpdated(id);
    await worker.drain();
    await notifier.requestFinished(id);
    await notifier.requestFinished(id);
    await worker.drain();
    await worker.drain();
    expect(slack.posted).toEqual([`request:${id}:parent`, `request:${id}:progress:1`, `request:${id}:final`]);
    expect((await store.listNotices(id)).map((n) => n.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it('does not post a progress edit still waiting when the request finishes: the final reply re-renders the parent', async () => {
    const { slack } = await setup();
    const worker = new OutboxWorker({
      store,
      clock,
      logger: silent,
      deliver: slack.deliver,
      holder: 'replica-a',
      progressIntervalMs: 1_000,
    });
    const id = await storedBulk(store, { itemCount: 2 });
    const notifier = new OutboxNotifier({ store, clock });
    await notifier.requestCreated(id);
    await notifier.requestUpdated(id);
    await worker.drain();
    // The edit is held back (one per second per parent, the parent was just posted) ...
    expect(slack.posted).toEqual([`request:${id}:parent`]);
    // ... and the request finishes meanwhile: the final reply goes now, not after the edit.
    await notifier.requestFinished(id);
    await worker.drain();
    expect(slack.posted).toEqual([`request:${id}:parent`, `request:${id}:final`]);
    expect((await store.listNotices(id)).map((n) => [n.kind, n.state])).toEqual([
      ['parent', 'sent'],
      ['progress', 'superseded'],
      ['final', 'sent'],
    ]);
  });

  it('honours Retry-After, holding back only the later notices of that request', async () => {
    await setup();
    const mine = await storedBulk(store, { itemCount: 1 });
    const other = await storedBulk(store, { itemCount: 1 });
    await store.enqueueNotices(mine, ['parent', 'final'], clock.now());
    await store.enqueueNotices(other, ['parent'], clock.now());
    const slack = scriptedSlack({ [`request:${mine}:parent`]: [rateLimited(7)] });
    const w = new OutboxWorker({ store, clock, logger: silent, deliver: slack.deliver, holder: 'replica-a' });
    await w.drain();
    expect(slack.posted).toEqual([`request:${other}:parent`]);
    const parent = (await store.listNotices(mine))[0]!;
    expect(parent).toMatchObject({
      state: 'pending',
      lastError: 'ratelimited',
      notBefore: clock.now() + 7_000,
    });
    clock.advance(6_999);
    await w.drain();
    expect(slack.posted).toHaveLength(1);
    clock.advance(1);
    await w.drain();
    expect(slack.posted).toEqual([
      `request:${other}:parent`,
      `request:${mine}:parent`,
      `request:${mine}:final`,
    ]);
  });

  it('retries Slack’s own faults with growing backoff; a refusal no fallback can fix is given up, and the next goes', async () => {
    await setup();
    const id = await storedBulk(store, { itemCount: 1 });
    await store.enqueueNotices(id, ['parent', 'final'], clock.now());
    const script = scriptedSlack({
      [`request:${id}:parent`]: [httpError(), platform('internal_error'), platform('invalid_blocks')],
    });
    const w = new OutboxWorker({
      store,
      clock,
      logger: silent,
      deliver: script.deliver,
      holder: 'replica-a',
      random: () => 1,
      baseBackoffMs: 1_000,
    });
    await w.drain();
    expect((await store.listNotices(id))[0]).toMatchObject({ attempts: 1, notBefore: clock.now() + 1_000 });
    clock.advance(1_000);
    await w.drain();
    expect((await store.listNotices(id))[0]).toMatchObject({ attempts: 2, notBefore: clock.now() + 2_000 });
    clock.advance(2_000);
    await w.drain();
    const [parent, final] = await store.listNotices(id);
    expect(parent).toMatchObject({ state: 'failed', lastError: 'invalid_blocks' });
    expect(final).toMatchObject({ state: 'sent' });
    expect(script.posted).toEqual([`request:${id}:final`]);
  });

  it('only the replica holding the outbox lease posts; another takes over when it lapses', async () => {
    const { slack: a, worker: first } = await setup();
    const b = scriptedSlack();
    const second = new OutboxWorker({
      store,
      clock,
      logger: silent,
      deliver: b.deliver,
      holder: 'replica-b',
    });
    const id = await storedBulk(store, { itemCount: 1 });
    await store.enqueueNotices(id, ['parent'], clock.now());
    expect(await first.drain()).toBe(1);
    await store.enqueueNotices(id, ['final'], clock.now());
    expect(await second.drain()).toBe(0);
    expect(b.posted).toEqual([]);
    // replica-a dies without releasing: after the lease's TTL replica-b posts what is left.
    clock.advance(60_000);
    expect(await second.drain()).toBe(1);
    expect(a.posted).toEqual([`request:${id}:parent`]);
    expect(b.posted).toEqual([`request:${id}:final`]);
  });

  it('coalesces progress: many updates while one waits become one edit', async () => {
    const { slack, worker } = await setup();
    const id = await storedBulk(store, { itemCount: 3 });
    const notifier = new OutboxNotifier({ store, clock });
    for (let i = 0; i < 10; i++) await notifier.requestUpdated(id);
    await worker.drain();
    expect(slack.posted).toEqual([`request:${id}:progress:1`]);
  });

  it('writes its lease once a second, not once per look, and stops when another replica holds it', async () => {
    const { slack, worker } = await setup();
    const id = await storedBulk(store, { itemCount: 1 });
    const writes: string[] = [];
    const acquire = store.acquireLease.bind(store);
    store.acquireLease = (name, holder, ttl, now) => {
      writes.push(name);
      return acquire(name, holder, ttl, now);
    };
    const notifier = new OutboxNotifier({ store, clock });
    // A bulk's progress: a look per batch, all inside one second.
    for (let i = 0; i < 10; i++) {
      await notifier.requestUpdated(id);
      await worker.drain();
      clock.advance(50);
    }
    expect(writes).toEqual(['outbox']);
    expect(slack.posted.length).toBeGreaterThan(0);
    clock.advance(1_000);
    await worker.drain();
    expect(writes).toEqual(['outbox', 'outbox']);
    // The lease lapses and another replica takes it: the next look renews, fails, posts nothing.
    clock.advance(60_000);
    expect(await acquire('outbox', 'replica-b', 8_000, clock.now())).toBe(true);
    const before = slack.posted.length;
    await notifier.requestUpdated(id);
    expect(await worker.drain()).toBe(0);
    expect(slack.posted.length).toBe(before);
  });
});
