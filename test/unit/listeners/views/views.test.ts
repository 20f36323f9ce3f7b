import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { assignModalSubmit } from '../../../../src/listeners/views/assign-modal.js';
import { bulkModalSubmit } from '../../../../src/listeners/views/bulk-modal.js';
import { bulkPreviewSubmit } from '../../../../src/listeners/views/bulk-preview.js';
import { reviewSubmit } from '../../../../src/listeners/views/review.js';
import {
  ACTION,
  ASSIGN_BLOCK,
  BULK_BLOCK,
  encodeModalOrigin,
  encodePagedRequest,
  REVIEW_BLOCK,
} from '../../../../src/views/ids.js';
import { demoTerritories } from '../../territories/fixtures.js';
import { asArgs, type FakeServices, fakeServices, REC, record, storedBulk, viewArgs } from '../helpers.js';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

let services: FakeServices | undefined;
const svc = async (opts: Parameters<typeof fakeServices>[0] = {}) => {
  services = await fakeServices(opts);
  return services;
};
afterEach(async () => {
  await services?.store.close();
  services = undefined;
});

function assignValues(recordText: string, territoryIds: string[]) {
  return {
    [ASSIGN_BLOCK.record]: { [ACTION.assignRecord]: { type: 'plain_text_input', value: recordText } },
    [ASSIGN_BLOCK.territories]: {
      [ACTION.territorySearch]: {
        type: 'multi_external_select',
        selected_options: territoryIds.map((value) => ({ value, text: { type: 'plain_text', text: value } })),
      },
    },
  };
}

describe('assignModalSubmit', () => {
  it('asks for a territory inline when none is picked', async () => {
    const s = await svc();
    const args = viewArgs(assignValues(`Leads/${REC}`, []));
    await assignModalSubmit(s)(asArgs<Args>(args));
    expect(args.ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { [ASSIGN_BLOCK.territories]: 'Pick at least one territory.' },
    });
  });

  it('closes the modal and starts the request through startSingle', async () => {
    const s = await svc({ records: [record('Leads', REC)] });
    const { usWest } = demoTerritories();
    const args = viewArgs(
      assignValues(`Leads/${REC}`, [usWest.id]),
      encodeModalOrigin({ channelId: 'CSALES' }),
    );
    await assignModalSubmit(s)(asArgs<Args>(args));
    expect(args.ack).toHaveBeenCalledWith();
    expect(s.singles).toEqual([
      expect.objectContaining({ recordId: REC, territoryIds: [usWest.id], originChannelId: 'CSALES' }),
    ]);
    expect(s.started).toHaveLength(1);
  });

  it('puts a missing record under the record input', async () => {
    const s = await svc();
    const args = viewArgs(assignValues(`Leads/${REC}`, [demoTerritories().usWest.id]));
    await assignModalSubmit(s)(asArgs<Args>(args));
    const ack = args.ack.mock.calls[0]![0] as { response_action: string; errors: Record<string, string> };
    expect(ack.response_action).toBe('errors');
    expect(Object.keys(ack.errors)).toEqual([ASSIGN_BLOCK.record]);
    expect(s.started).toEqual([]);
  });
});

describe('bulkModalSubmit', () => {
  it('requires a reason before reading anything', async () => {
    const s = await svc();
    const args = viewArgs({
      [BULK_BLOCK.paste]: {
        [ACTION.bulkPaste]: { type: 'plain_text_input', value: `Leads/${REC}, US West` },
      },
    });
    await bulkModalSubmit(s)(asArgs<Args>(args));
    expect(args.ack.mock.calls[0]![0]).toMatchObject({ response_action: 'errors' });
    expect(s.zohoReads).toEqual([]);
  });

  it('stores the draft through storeDraft and shows the preview', async () => {
    const s = await svc({ records: [record('Leads', REC)] });
    const args = viewArgs({
      [BULK_BLOCK.paste]: {
        [ACTION.bulkPaste]: { type: 'plain_text_input', value: `Leads/${REC}, US West` },
      },
      [BULK_BLOCK.reason]: { [ACTION.bulkReason]: { type: 'plain_text_input', value: 'Q3' } },
    });
    await bulkModalSubmit(s)(asArgs<Args>(args));
    expect(args.ack.mock.calls[0]![0]).toMatchObject({ response_action: 'update' });
    const last = args.client.views.update.mock.calls.at(-1)![0] as { view: { private_metadata: string } };
    const requestId = JSON.parse(last.view.private_metadata).r as string;
    expect((await s.store.getRequest(requestId))?.state).toBe('draft');
  });
});

describe('bulkPreviewSubmit', () => {
  it('runs a small list at once: parent message first, then started in the background', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { itemCount: 3 });
    const args = viewArgs({}, encodePagedRequest({ requestId: id, page: 0 }));
    await bulkPreviewSubmit(s)(asArgs<Args>(args));
    expect(s.notifierCalls.calls[0]).toEqual(['requestCreated', id]);
    expect(s.started).toEqual([id]);
    expect(JSON.stringify(args.client.views.update.mock.calls.at(-1))).toContain('Running now');
  });

  it('sends a list above the threshold for approval; the submit writes its parent message to the outbox', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { itemCount: 8 });
    const args = viewArgs({}, encodePagedRequest({ requestId: id, page: 0 }));
    await bulkPreviewSubmit(s)(asArgs<Args>(args));
    expect((await s.store.getRequest(id))?.state).toBe('pending_approval');
    // The submit wrote the parent message, the card and the progress to the outbox in its
    // transaction; the parent is not asked for again.
    expect((await s.store.listNotices(id)).map((n) => n.kind)).toEqual([
      'parent',
      'approval_card',
      'progress',
    ]);
    expect(s.notifierCalls.calls.map(([k]) => k)).toEqual(['approvalRequested', 'requestUpdated']);
    expect(s.started).toEqual([]);
  });

  it('refuses someone else’s list and a list with nothing to send', async () => {
    const s = await svc();
    const other = await storedBulk(s.store, { itemCount: 3 });
    const a = viewArgs({}, encodePagedRequest({ requestId: other, page: 0 }), 'UOTHER');
    await bulkPreviewSubmit(s)(asArgs<Args>(a));
    expect(JSON.stringify(a.client.views.update.mock.calls.at(-1))).toContain('Make your own list');

    const empty = await storedBulk(s.store, { itemCount: 2, itemState: 'skipped' });
    const b = viewArgs({}, encodePagedRequest({ requestId: empty, page: 0 }));
    await bulkPreviewSubmit(s)(asArgs<Args>(b));
    expect(JSON.stringify(b.client.views.update.mock.calls.at(-1))).toContain('Nothing in this list');
    expect((await s.store.getRequest(empty))?.state).toBe('draft');
  });

  it('answers a second submit with where the request stands', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { itemCount: 8, state: 'pending_approval' });
    const args = viewArgs({}, encodePagedRequest({ requestId: id, page: 0 }));
    await bulkPreviewSubmit(s)(asArgs<Args>(args));
    expect(JSON.stringify(args.client.views.update.mock.calls.at(-1))).toContain('already submitted');
  });
});

describe('reviewSubmit', () => {
  const decision = (value: string, comment = '') => ({
    [REVIEW_BLOCK.decision]: {
      [ACTION.reviewDecision]: { type: 'radio_buttons', selected_option: { value } },
    },
    [REVIEW_BLOCK.comment]: { [ACTION.reviewComment]: { type: 'plain_text_input', value: comment } },
  });

  it('needs a comment to reject', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { itemCount: 8, state: 'pending_approval' });
    const args = viewArgs(decision('reject'), encodePagedRequest({ requestId: id, page: 0 }), 'UMGR');
    await reviewSubmit(s)(asArgs<Args>(args));
    expect(args.ack.mock.calls[0]![0]).toMatchObject({
      errors: { [REVIEW_BLOCK.comment]: expect.any(String) },
    });
  });

  it('approves and starts the request', async () => {
    const s = await svc();
    const id = await storedBulk(s.store, { itemCount: 8, state: 'pending_approval' });
    const args = viewArgs(decision('approve'), encodePagedRequest({ requestId: id, page: 0 }), 'UMGR');
    await reviewSubmit(s)(asArgs<Args>(args));
    expect(args.ack.mock.calls[0]![0]).toMatchObject({ response_action: 'update' });
    expect((await s.store.getRequest(id))?.state).toBe('approved');
    expect(s.started).toEqual([id]);
  });
});
