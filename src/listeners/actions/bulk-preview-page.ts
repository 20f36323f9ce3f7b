/** The bulk preview's pager: views.update with the next page, read from the store. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderBulkPreview } from '../../slack/bulk-preview.js';
import type { BotServices } from '../../slack/context.js';
import { decodePagedRequest, parsePageValue } from '../../views/ids.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

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
