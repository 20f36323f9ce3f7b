/**
 * The bulk preview modal: its pager (views.update with the next page, read from the store) and
 * its submit — "Submit for approval" (pending_approval, approval card) or "Run now" at or under
 * APPROVAL_THRESHOLD (approved at once; the engine runs it). Either way the requester gets the
 * request's parent message in the channel (or DM), which then follows the request.
 */
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { parentMessageKey } from '../notify/message-keys.js';
import { decodePagedRequest, parsePageValue } from '../views/ids.js';
import { buildErrorModal, buildLoadingModal } from '../views/modal.js';
import { renderBulkPreview, sendableCount } from './bulk-views.js';
import type { BotServices } from './context.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const TITLE = 'Bulk assign';

export function bulkPreviewPage(services: BotServices) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const view = body.view;
    const target = decodePagedRequest(view?.private_metadata);
    const page = parsePageValue(action.value);
    if (!view || !target || page === null) return;
    const request = await services.store.getRequest(target.requestId);
    // Only the requester's own draft is shown; the view id comes from Slack's payload.
    if (!request || request.requesterId !== body.user.id) return;
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: await renderBulkPreview(services, request, page),
    });
  };
}

export function bulkPreviewSubmit(services: BotServices) {
  return async ({ ack, view, body, client }: ViewArgs): Promise<void> => {
    const target = decodePagedRequest(view.private_metadata);
    const userId = body.user.id;
    await ack({
      response_action: 'update',
      view: buildLoadingModal({ title: TITLE, message: 'Submitting…' }),
    });
    const show = (message: string) =>
      client.views.update({ view_id: view.id, view: buildLoadingModal({ title: TITLE, message }) });
    const refuse = (problem: string, action = 'Run `/territory bulk` again if the change is still needed.') =>
      client.views.update({ view_id: view.id, view: buildErrorModal({ title: TITLE, problem, action }) });

    try {
      const request = target ? await services.store.getRequest(target.requestId) : null;
      if (!request) {
        await refuse('This preview no longer exists.');
        return;
      }
      if (request.requesterId !== userId) {
        await refuse(
          'Only the person who made this list can submit it.',
          'Make your own list with `/territory bulk`.',
        );
        return;
      }
      if (request.state !== 'draft') {
        await show('This list was already submitted. `/territory requests` shows where it stands.');
        return;
      }
      if ((await sendableCount(services, request.id)) === 0) {
        await refuse('Nothing in this list can be sent to Zoho (see the reasons in the preview).');
        return;
      }
      const allowed = await services.approvals.checkRequester(userId);
      if (!allowed.ok) {
        await refuse(allowed.message, 'Ask an admin to add you to the requester group.');
        return;
      }
      const parentExists = async () =>
        (await services.store.getMessageRef(parentMessageKey(request.id))) !== null;
      const postParent = async () => {
        if (!(await parentExists())) await services.notifier.requestCreated(request.id);
      };
      // Run now starts the engine at once: the parent message goes first so every progress update
      // and the final reply find it. A request for approval waits for a person, so its parent is
      // posted after the submit and shows "waiting for approval" from the start.
      const runsNow = !services.approvals.needsApproval(request.itemCount);
      if (runsNow) await postParent();
      const result = await services.approvals.submit(request.id, userId);
      if (!result.ok) {
        const current = await services.store.getRequest(request.id);
        // A refused draft whose parent is already out (run now) is withdrawn so the message says so.
        if (current?.state === 'draft' && (await parentExists())) {
          await services.approvals.cancel(request.id, userId);
        }
        await refuse(result.message);
        return;
      }
      if (!runsNow) await postParent();
      await show(
        result.request.state === 'pending_approval'
          ? 'Sent to the approvers. Nothing changes in Zoho until a manager approves it; you will be told in the thread of the request message.'
          : 'Running now. Progress shows on the request message, and the result is posted in its thread.',
      );
    } catch (err) {
      services.logger.error(
        { err, requestId: target?.requestId, userId },
        'submitting a bulk request failed',
      );
      await refuse('Something went wrong while submitting the list; it was not sent.').catch(() => {});
    }
  };
}
