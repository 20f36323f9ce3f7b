/** `/territory bulk`: opens the bulk modal before any other I/O (trigger_id lives 3 s). */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { buildBulkModal } from '../../views/bulk-modal.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export async function bulkCommand(services: BotServices, args: CommandArgs): Promise<void> {
  await args.ack();
  await args.client.views.open({
    trigger_id: args.command.trigger_id,
    view: buildBulkModal({
      channelId: args.command.channel_id,
      maxRecords: services.config.policy.maxRecordsPerRequest,
      approvalThreshold: services.policy.approvalThreshold,
    }),
  });
}
