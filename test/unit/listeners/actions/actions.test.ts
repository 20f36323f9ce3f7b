import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { alertSnooze } from '../../../../src/listeners/actions/alert-snooze.js';
import { bulkPreviewPage } from '../../../../src/listeners/actions/bulk-preview-page.js';
import { requestCancel } from '../../../../src/listeners/actions/request-cancel.js';
import { reviewOpen } from '../../../../src/listeners/actions/review-open.js';
import { reviewPage } from '../../../../src/listeners/actions/review-page.js';
import { encodePagedRequest } from '../../../../src/views/ids.js';
import { actionArgs, asArgs, type FakeServices, fakeServices, storedBulk } from '../helpers.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

let services: FakeServices | undefined;
const svc = async () => {
  services = await fakeServices();
  return services;
};
afterEach(async () => {
  await services?.store.close();
  services = undefined;
});

describe('requestCancel', () => {
  it('cancels the requester’s own pending request and says nothing more', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { state: 'pending_approval', itemCount: 6 });
    const args = actionArgs(id, { user: 'UREP' });
    await requestCancel(s)(asArgs<Args>(args));
    expect(args.ack).toHaveBeenCalled();
    expect((await s.store.getRequest(id))?.state).toBe('cancelled');
    expect(args.respond).not.toHaveBeenCalled();
  });

  it('tells someone else, ephemerally, that they cannot cancel it', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { state: 'pending_approval', itemCount: 6 });
    const args = actionArgs(id, { user: 'UOTHER' });
    await requestCancel(s)(asArgs<Args>(args));
    expect((await s.store.getRequest(id))?.state).toBe('pending_approval');
    expect(args.respond).toHaveBeenCalledWith(
      expect.objectContaining({ response_type: 'ephemeral', replace_original: false }),
    );
  });
});

describe('reviewOpen / reviewPage', () => {
  it('opens a loading modal at once, then fills it with the request for an approver', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { state: 'pending_approval', itemCount: 6 });
    const args = actionArgs(id, { user: 'UMGR' });
    await reviewOpen(s)(asArgs<Args>(args));
    expect(args.client.views.open).toHaveBeenCalledWith(expect.objectContaining({ trigger_id: 'T-2' }));
    const update = args.client.views.update.mock.calls[0]![0] as {
      view_id: string;
      view: { blocks: unknown[] };
    };
    expect(update.view_id).toBe('V-OPENED');
    expect(JSON.stringify(update.view)).toContain('Q3 re-territory');
  });

  it('shows the requester why they cannot decide their own request', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { state: 'pending_approval', itemCount: 6 });
    const args = actionArgs(id, { user: 'UREP' });
    await reviewOpen(s)(asArgs<Args>(args));
    expect(JSON.stringify(args.client.views.update.mock.calls[0]![0])).toContain(
      'another approver has to approve or reject it',
    );
  });

  it('pages the review modal in place (view id and hash from the payload)', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { state: 'pending_approval', itemCount: 45 });
    const args = actionArgs('1', {
      user: 'UMGR',
      view: { private_metadata: encodePagedRequest({ requestId: id, page: 0 }) },
    });
    await reviewPage(s)(asArgs<Args>(args));
    expect(args.client.views.update).toHaveBeenCalledWith(
      expect.objectContaining({ view_id: 'V-1', hash: 'h-1' }),
    );
  });
});

describe('bulkPreviewPage', () => {
  it('pages the requester’s own draft', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { itemCount: 45 });
    const args = actionArgs('2', {
      view: { private_metadata: encodePagedRequest({ requestId: id, page: 0 }) },
    });
    await bulkPreviewPage(s)(asArgs<Args>(args));
    const update = args.client.views.update.mock.calls[0]![0] as { view: { private_metadata: string } };
    expect(JSON.parse(update.view.private_metadata)).toMatchObject({ r: id, p: 2 });
  });

  it('ignores someone else’s click on a draft that is not theirs', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { itemCount: 45 });
    const args = actionArgs('1', {
      user: 'UOTHER',
      view: { private_metadata: encodePagedRequest({ requestId: id, page: 0 }) },
    });
    await bulkPreviewPage(s)(asArgs<Args>(args));
    expect(args.ack).toHaveBeenCalled();
    expect(args.client.views.update).not.toHaveBeenCalled();
  });
});

describe('alertSnooze', () => {
  it('refuses a button value the bot did not make', async () => {
    const s = await svc();
    const args = actionArgs('not-a-snooze');
    await alertSnooze(s)(asArgs<AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>>(args));
    expect(JSON.stringify(args.respond.mock.calls[0]![0])).toContain('not one the bot made');
  });

  it('snoozes through the monitor, telling the ops user until when', async () => {
    const s = await svc();
    const calls: unknown[][] = [];
    s.monitor = {
      snooze: async (...a: unknown[]) => {
        calls.push(a);
        return { ok: true, alert: { snoozedUntil: s.clock.now() + 3_600_000 } };
      },
    } as unknown as FakeServices['monitor'];
    const args = actionArgs('fp-1|1h', { user: 'UOPS' });
    await alertSnooze(s)(asArgs<AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>>(args));
    expect(calls).toEqual([['fp-1', 'UOPS', 3_600_000, true]]);
    expect(JSON.stringify(args.respond.mock.calls[0]![0])).toContain('Snoozed');
  });
});
