/**
 * The manager's review (DESIGN.md §3-§4): the card's Review button opens a loading modal at once
 * (trigger_id lives 3 s) and fills it with the paged preview; the pager pages it; the submission
 * approves or rejects. Who may decide is always checked server-side from the clicking user's id
 * (ApprovalService: approvers only, never the requester, first decision wins atomically); a
 * refusal is shown in the modal (read-only, or an inline error on submit) and audited.
 */
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { ApprovalResult } from '../core/approvals/index.js';
import { loadBulkSummary, loadPreviewPage } from '../core/requests/index.js';
import { ACTION, decodePagedRequest, parsePageValue, REVIEW_BLOCK, REVIEW_DECISION } from '../views/ids.js';
import { buildErrorModal, buildLoadingModal } from '../views/modal.js';
import { buildReviewModal } from '../views/review-modal.js';
import { LATE, withinAckWindow } from './ack-window.js';
import { recordLinker, territoryNames } from './bulk-views.js';
import type { BotServices } from './context.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const TITLE = 'Review request';

async function renderReview(
  services: BotServices,
  checked: ApprovalResult,
  page: number,
): Promise<ModalView> {
  const request = checked.request;
  if (!request) {
    return buildErrorModal({
      title: TITLE,
      problem: checked.ok ? 'This request no longer exists.' : checked.message,
      action: '`/territory requests` lists the requests waiting for you.',
    });
  }
  const [summary, rows, names] = await Promise.all([
    loadBulkSummary(services.store, request),
    loadPreviewPage(services.store, request, page),
    territoryNames(services),
  ]);
  return buildReviewModal({
    request,
    summary,
    rows: rows.rows,
    page: rows.page,
    names,
    recordUrl: recordLinker(services),
    cannotDecide: checked.ok ? null : checked.message,
  });
}

/** Review button (approval card or `/territory requests`); value = request id. */
export function reviewOpen(services: BotServices) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const opened = await client.views.open({
      trigger_id: body.trigger_id,
      view: buildLoadingModal({ title: TITLE, message: 'Loading the request…' }),
    });
    const viewId = opened.view?.id;
    if (!viewId) return;
    try {
      // The button's value only says which request; whether this person may decide comes from
      // their user id as Slack sent it.
      const checked = await services.approvals.checkDecider(action.value ?? '', body.user.id, 'review');
      await client.views.update({ view_id: viewId, view: await renderReview(services, checked, 0) });
    } catch (err) {
      services.logger.error({ err, requestId: action.value }, 'opening the review failed');
      await client.views.update({
        view_id: viewId,
        view: buildErrorModal({
          title: TITLE,
          problem: 'The request could not be loaded.',
          action: 'Try again in a minute.',
        }),
      });
    }
  };
}

export function reviewPage(services: BotServices) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const view = body.view;
    const target = decodePagedRequest(view?.private_metadata);
    const page = parsePageValue(action.value);
    if (!view || !target || page === null) return;
    const checked = await services.approvals.checkDecider(target.requestId, body.user.id, 'review');
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: await renderReview(services, checked, page),
    });
  };
}

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
      view: buildLoadingModal({ title: TITLE, message: 'Saving your decision…' }),
    });
    const outcome = await work;
    const next =
      'error' in outcome
        ? buildErrorModal({
            title: TITLE,
            problem: 'The decision could not be saved.',
            action: 'Open the request again from the card.',
          })
        : outcome.result.ok
          ? decidedView(choice)
          : buildErrorModal({
              title: TITLE,
              problem: outcome.result.message,
              action: 'Nothing was changed by your click.',
            });
    await client.views.update({ view_id: view.id, view: next });
  };
}

function decidedView(choice: 'approve' | 'reject'): ModalView {
  return buildLoadingModal({
    title: TITLE,
    message:
      choice === 'approve'
        ? 'Approved. The change is being sent to Zoho; the requester sees progress on the request message.'
        : 'Rejected. The requester was told, with your comment.',
  });
}
