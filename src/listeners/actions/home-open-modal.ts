/**
 * App Home's "Assign territories" and "Bulk assign" buttons: open the modal at once from the
 * click's trigger_id (it lives 3 s), as the slash command does. Home has no channel, so the
 * request's parent message goes to the person's DM.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { buildAssignModal } from '../../views/assign-modal.js';
import { buildBulkModal } from '../../views/bulk-modal.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export function homeOpenAssign(services: BotServices) {
  return async ({ ack, body, client }: ActionArgs): Promise<void> => {
    await ack();
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: buildAssignModal({ channelId: null }) });
    } catch (err) {
      services.logger.warn({ err }, 'opening the assign modal from App Home failed');
    }
  };
}

export function homeOpenBulk(services: BotServices) {
  return async ({ ack, body, client }: ActionArgs): Promise<void> => {
    await ack();
    try {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildBulkModal({
          channelId: null,
          maxRecords: services.config.policy.maxRecordsPerRequest,
          approvalThreshold: services.policy.approvalThreshold,
        }),
      });
    } catch (err) {
      services.logger.warn({ err }, 'opening the bulk modal from App Home failed');
    }
  };
}
