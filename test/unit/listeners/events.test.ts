/** The events listeners and the App Home buttons, called directly with fakes. */
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { homeOpenAssign, homeOpenBulk } from '../../../src/listeners/actions/home-open-modal.js';
import { appHomeOpened } from '../../../src/listeners/events/app-home-opened.js';
import { actionArgs, asArgs, type FakeServices, fakeServices, storedBulk } from './helpers.js';

type EventArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>;
type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

let services: FakeServices | undefined;
afterEach(async () => {
  await services?.store.close();
  services = undefined;
});

function eventArgs(user: string, tab = 'home') {
  const publish = vi.fn(async (_args: unknown) => ({ ok: true }));
  return {
    args: { event: { type: 'app_home_opened', user, channel: 'D1', tab }, client: { views: { publish } } },
    publish,
  };
}

describe('app_home_opened', () => {
  it('remembers the opener and publishes their Home: an approver sees what waits for them', async () => {
    services = await fakeServices();
    const id = await storedBulk(services.store, { state: 'pending_approval', requesterId: 'UREP' });
    const { args, publish } = eventArgs('UMGR');
    await appHomeOpened(services)(asArgs<EventArgs>(args));
    expect(await services.store.listHomeOpeners()).toEqual([
      { userId: 'UMGR', openedAt: expect.any(Number) },
    ]);
    const call = publish.mock.calls[0]![0] as { user_id: string; view: { type: string; blocks: unknown[] } };
    expect(call.user_id).toBe('UMGR');
    expect(call.view.type).toBe('home');
    expect(JSON.stringify(call.view.blocks)).toContain(id);
  });

  it('a rep sees their own requests and no approvals', async () => {
    services = await fakeServices();
    const id = await storedBulk(services.store, { state: 'pending_approval', requesterId: 'UREP' });
    const { args, publish } = eventArgs('UREP');
    await appHomeOpened(services)(asArgs<EventArgs>(args));
    const json = JSON.stringify(publish.mock.calls[0]![0]);
    expect(json).toContain(id);
    expect(json).not.toContain('Waiting for your decision');
  });

  it('ignores the Messages tab', async () => {
    services = await fakeServices();
    const { args, publish } = eventArgs('UREP', 'messages');
    await appHomeOpened(services)(asArgs<EventArgs>(args));
    expect(publish).not.toHaveBeenCalled();
    expect(await services.store.listHomeOpeners()).toEqual([]);
  });
});

describe('App Home buttons', () => {
  it('open the assign and the bulk modal from the trigger id, acked first', async () => {
    services = await fakeServices();
    const assign = actionArgs('assign');
    await homeOpenAssign(services)(asArgs<ActionArgs>(assign));
    expect(assign.ack).toHaveBeenCalled();
    expect(assign.client.views.open.mock.calls[0]![0]).toMatchObject({
      trigger_id: 'T-2',
      view: { callback_id: 'assign_modal' },
    });
    const bulk = actionArgs('bulk');
    await homeOpenBulk(services)(asArgs<ActionArgs>(bulk));
    expect(bulk.client.views.open.mock.calls[0]![0]).toMatchObject({
      trigger_id: 'T-2',
      view: { callback_id: 'bulk_modal' },
    });
  });
});
