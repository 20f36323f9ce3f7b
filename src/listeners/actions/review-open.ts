/**
 * The approval card's Review button (or `/territory requests`): opens a loading modal at once
 * (trigger_id lives 3 s) and fills it with the paged preview. Whether this person may decide
 * comes from their user id as Slack sent it, never from the button's value.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { REVIEW_TITLE, renderReview } from '../../slack/review-modal.js';
import { buildErrorModal, buildLoadingModal } from '../../views/modal.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Review button (approval card or `/territory requests`); value = request id. */
export function reviewOpen(services: BotServices) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const opened = await client.views.open({
      trigger_id: body.trigger_id,
      view: buildLoadingModal({ title: REVIEW_TITLE, message: 'Loading the request…' }),
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
          title: REVIEW_TITLE,
          problem: 'The request could not be loaded.',
          action: 'Try again in a minute.',
        }),
      });
    }
  };
}
