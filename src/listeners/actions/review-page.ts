/** The review modal's pager: the next page, re-checking that this person may still decide. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { renderReview } from '../../slack/review-modal.js';
import { decodePagedRequest, parsePageValue } from '../../views/ids.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

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
