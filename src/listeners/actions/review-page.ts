/** The review modal's pager: the next page, re-checking that this person may still decide. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { readPageClick } from '../../slack/pager.js';
import { renderReview } from '../../slack/review-modal.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export function reviewPage(services: BotServices) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const click = readPageClick(body, action);
    if (!click) return;
    const checked = await services.approvals.checkDecider(click.requestId, click.userId, 'review');
    await client.views.update({
      view_id: click.viewId,
      hash: click.hash,
      view: await renderReview(services, checked, click.page),
    });
  };
}
