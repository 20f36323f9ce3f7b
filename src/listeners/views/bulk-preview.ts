/**
 * The bulk preview modal's submit: "Submit for approval" (pending_approval, approval card) or
 * "Run now" at or under APPROVAL_THRESHOLD (approved at once; the engine runs it). The use case
 * (core/requests submitDraft) checks and posts the parent message; this shows its answer.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { submitDraft } from '../../core/requests/index.js';
import type { BotServices } from '../../slack/context.js';
import { decodePagedRequest } from '../../views/ids.js';
import { buildErrorModal, buildLoadingModal } from '../../views/modal.js';

type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const TITLE = 'Bulk assign';

const SUBMITTED = {
  already_submitted: 'This list was already submitted. `/territory requests` shows where it stands.',
  pending_approval:
    'Sent to the approvers. Nothing changes in Zoho until a manager approves it; you will be told in the thread of the request message.',
  approved: 'Running now. Progress shows on the request message, and the result is posted in its thread.',
} as const;

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
      if (!target) {
        await refuse('This preview no longer exists.');
        return;
      }
      const result = await submitDraft(
        { store: services.store, approvals: services.approvals, notifier: services.notifier },
        target.requestId,
        userId,
      );
      if (!result.ok) {
        if (result.reason === 'not_owner')
          await refuse(result.message, 'Make your own list with `/territory bulk`.');
        else if (result.reason === 'not_requester')
          await refuse(result.message, 'Ask an admin to add you to the requester group.');
        else await refuse(result.message);
        return;
      }
      await show(SUBMITTED[result.state]);
    } catch (err) {
      services.logger.error(
        { err, requestId: target?.requestId, userId },
        'submitting a bulk request failed',
      );
      await refuse('Something went wrong while submitting the list; it was not sent.').catch(() => {});
    }
  };
}
