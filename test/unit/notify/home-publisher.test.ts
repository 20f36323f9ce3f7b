/**
 * HomePublisher republishes App Home only for people who opened it and whom the change concerns
 * (the requester; admins for approvals; ops for alerts), at most once per interval per person.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import { openStore } from '../../../src/core/store/index.js';
import type { Store } from '../../../src/core/store/types.js';
import { HomePublisher } from '../../../src/notify/home-publisher.js';
import { storedBulk } from '../listeners/helpers.js';

const NOW = Date.UTC(2026, 10, 23, 12);

describe('HomePublisher', () => {
  let store: Store | undefined;
  let home: HomePublisher | undefined;
  afterEach(async () => {
    home?.stop();
    await store?.close();
  });

  async function setup() {
    store = await openStore('sqlite::memory:');
    const clock = new ManualClock(NOW);
    const publish = vi.fn(async (_args: { user_id: string; view: unknown }) => ({ ok: true }));
    home = new HomePublisher({
      client: { views: { publish } } as never,
      store,
      policy: { approverUserIds: ['UMGR'], approverUsergroup: null, opsUserIds: ['UOPS'] },
      directory: { members: async () => [] },
      clock,
      logger: createLogger('silent'),
      intervalMs: 60_000,
    });
    const published = () => publish.mock.calls.map((c) => c[0].user_id).sort();
    return { store, home, clock, publish, published };
  }

  it('a request change republishes the requester and admins who opened Home, nobody else', async () => {
    const s = await setup();
    const id = await storedBulk(s.store, { state: 'pending_approval', requesterId: 'UREP' });
    for (const u of ['UREP', 'UMGR', 'UOPS', 'UOTHER']) await s.store.recordHomeOpened(u, NOW);
    await s.home.requestChanged(id);
    await vi.waitFor(() => expect(s.published()).toEqual(['UMGR', 'UREP']));
  });

  it('skips people who never opened Home', async () => {
    const s = await setup();
    const id = await storedBulk(s.store, { state: 'pending_approval', requesterId: 'UREP' });
    await s.home.requestChanged(id);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.publish).not.toHaveBeenCalled();
  });

  it('throttles a burst of changes to one publish now and one trailing publish', async () => {
    const s = await setup();
    const id = await storedBulk(s.store, { state: 'running', requesterId: 'UREP' });
    await s.store.recordHomeOpened('UREP', NOW);
    for (let i = 0; i < 20; i++) await s.home.requestChanged(id);
    await vi.waitFor(() => expect(s.publish).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(s.publish).toHaveBeenCalledTimes(1);
  });

  it('an alert change republishes ops who opened Home', async () => {
    const s = await setup();
    for (const u of ['UREP', 'UOPS']) await s.store.recordHomeOpened(u, NOW);
    await s.home.alertsChanged();
    await vi.waitFor(() => expect(s.published()).toEqual(['UOPS']));
    const view = s.publish.mock.calls[0]![0].view as { type: string };
    expect(view.type).toBe('home');
  });
});
