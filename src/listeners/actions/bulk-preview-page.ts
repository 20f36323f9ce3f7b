/** The bulk preview's pager: views.update with the next page, read from the store. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { checkMayRequest } from '../../core/requests/index.js';
import { renderBulkPreview } from '../../slack/bulk-preview.js';
import type { BotServices } from '../../slack/context.js';
import { readPageClick } from '../../slack/pager.js';
import { buildErrorModal } from '../../views/modal.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export function bulkPreviewPage(services: BotServices) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const click = readPageClick(body, action);
    if (!click) return;
    const request = await services.store.getRequest(click.requestId);
    // Only the requester's own draft is shown; the view id comes from Slack's payload.
    if (!request || request.requesterId !== click.userId) return;
    // REQUESTER_USERGROUP holds for buttons too (someone removed from the group meanwhile).
    const gate = await checkMayRequest(services, click.userId);
    if (!gate.ok) {
      await client.views.update({
        view_id: click.viewId,
        view: buildErrorModal({
          title: 'Bulk assign',
          problem: gate.message,
          action: 'Nothing was stored or sent.',
        }),
      });
      return;
    }
    await client.views.update({
      view_id: click.viewId,
      hash: click.hash,
      view: await renderBulkPreview(services, request, click.page),
    });
  };
}
