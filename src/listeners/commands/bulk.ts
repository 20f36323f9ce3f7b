/** `/territory bulk`: checks who asks, then opens the bulk modal (trigger_id lives 3 s). */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { checkMayUseRecords } from '../../core/requests/index.js';
import { type BotServices, gateDeps } from '../../slack/context.js';
import { buildBulkModal } from '../../views/bulk-modal.js';
import { buildErrorMessage } from '../../views/errors.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export async function bulkCommand(services: BotServices, args: CommandArgs): Promise<void> {
  // Who may ask comes first (DESIGN.md §4); the check is cached, so the trigger_id survives it.
  const gate = await checkMayUseRecords(gateDeps(services), args.command.user_id);
  if (!gate.ok) {
    await args.ack({
      response_type: 'ephemeral',
      ...buildErrorMessage({ problem: 'Nothing was changed.', action: gate.message }),
    });
    return;
  }
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
