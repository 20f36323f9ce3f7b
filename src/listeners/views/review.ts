/**
 * The manager's review (DESIGN.md §3-§4): the card's Review button opens a loading modal at once
 * (trigger_id lives 3 s) and fills it with the paged preview; the pager pages it; the submission
 * approves or rejects. Who may decide is always checked server-side from the clicking user's id
 * (ApprovalService: approvers only, never the requester, first decision wins atomically); a
 * refusal is shown in the modal (read-only, or an inline error on submit) and audited.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { LATE, withinAckWindow } from '../../slack/ack-window.js';
import type { BotServices } from '../../slack/context.js';
import { REVIEW_TITLE } from '../../slack/review-modal.js';
import { ACTION, decodePagedRequest, REVIEW_BLOCK, REVIEW_DECISION } from '../../views/ids.js';
import { buildErrorModal, buildLoadingModal } from '../../views/modal.js';

type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

export function reviewSubmit(services: BotServices) {
  return async ({ ack, view, body, client }: ViewArgs): Promise<void> => {
    const target = decodePagedRequest(view.private_metadata);
    const values = view.state.values;
    const choice = values[REVIEW_BLOCK.decision]?.[ACTION.reviewDecision]?.selected_option?.value;
    const comment = (values[REVIEW_BLOCK.comment]?.[ACTION.reviewComment]?.value ?? '').trim();
    const userId = body.user.id;
    if (!target) {
      await ack({
        response_action: 'errors',
        errors: { [REVIEW_BLOCK.decision]: 'This review is no longer valid; open it again from the card.' },
      });
      return;
    }
    if (choice !== REVIEW_DECISION.approve && choice !== REVIEW_DECISION.reject) {
      await ack({
        response_action: 'errors',
        errors: { [REVIEW_BLOCK.decision]: 'Choose approve or reject.' },
      });
      return;
    }
    if (choice === REVIEW_DECISION.reject && comment === '') {
      await ack({
        response_action: 'errors',
        errors: { [REVIEW_BLOCK.comment]: 'Tell the requester why you reject it: a comment is required.' },
      });
      return;
    }

    const work = services.approvals.decide(target.requestId, userId, choice, comment || null).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    const first = await withinAckWindow(work);
    if (first !== LATE) {
      if ('error' in first) {
        services.logger.error({ err: first.error, requestId: target.requestId }, 'deciding failed');
        await ack({
          response_action: 'errors',
          errors: { [REVIEW_BLOCK.decision]: 'The decision could not be saved; try again.' },
        });
        return;
      }
      if (!first.result.ok) {
        await ack({ response_action: 'errors', errors: { [REVIEW_BLOCK.decision]: first.result.message } });
        return;
      }
      await ack({ response_action: 'update', view: decidedView(choice) });
      return;
    }
    await ack({
      response_action: 'update',
      view: buildLoadingModal({ title: REVIEW_TITLE, message: 'Saving your decision…' }),
    });
    const outcome = await work;
    const next =
      'error' in outcome
        ? buildErrorModal({
            title: REVIEW_TITLE,
            problem: 'The decision could not be saved.',
            action: 'Open the request again from the card.',
          })
        : outcome.result.ok
          ? decidedView(choice)
          : buildErrorModal({
              title: REVIEW_TITLE,
              problem: outcome.result.message,
              action: 'Nothing was changed by your click.',
            });
    await client.views.update({ view_id: view.id, view: next });
  };
}

function decidedView(choice: 'approve' | 'reject'): ModalView {
  return buildLoadingModal({
    title: REVIEW_TITLE,
    message:
      choice === 'approve'
        ? 'Approved. The change is being sent to Zoho; the requester sees progress on the request message.'
        : 'Rejected. The requester was told, with your comment.',
  });
}
