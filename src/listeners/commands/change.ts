/**
 * `/territory assign|remove|move <record> <territory>[, …]`: one call to core/requests
 * startSingle, which checks against Zoho's rules, stores the request and starts the engine (it
 * posts the parent message and threads the result); a refusal is answered here.
 * `assign` without arguments opens the assign modal instead.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ChangeAction } from '../../core/assignment/plan.js';
import { exampleArgs } from '../../core/records/examples.js';
import { checkMayUseRecords, startSingle } from '../../core/requests/index.js';
import { type BotServices, gateDeps, singleDeps } from '../../slack/context.js';
import { replyEphemeral, zohoErrorMessage } from '../../slack/reply.js';
import { buildAssignModal } from '../../views/assign-modal.js';
import { pendingApprovalMessage, refusalMessage } from '../../views/single-refusal.js';
import { buildZohoWaitMessage } from '../../views/zoho-wait.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export async function changeCommand(
  services: BotServices,
  args: CommandArgs,
  parsed: { sub: ChangeAction; record: string | null; territories: string },
): Promise<void> {
  const { command, ack, respond, client } = args;
  if (parsed.record === null) {
    if (parsed.sub === 'assign') {
      // Who may ask comes first (DESIGN.md §4); the check is cached, so the trigger_id survives it.
      const gate = await checkMayUseRecords(gateDeps(services), command.user_id);
      if (!gate.ok) {
        await ack({ response_type: 'ephemeral', ...refusalMessage(gate) });
        return;
      }
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildAssignModal({ channelId: command.channel_id }),
      });
      return;
    }
    await ack({
      response_type: 'ephemeral',
      text: `Usage: \`/territory ${parsed.sub} <record> <territory>[, <territory>…]\`, e.g. \`/territory ${parsed.sub} ${exampleArgs(parsed.sub === 'move' ? 'deal' : parsed.sub === 'remove' ? 'account' : 'lead')}\`.`,
    });
    return;
  }

  await ack({ response_type: 'ephemeral', text: `Checking ${parsed.record} in Zoho…` });
  try {
    const started = await startSingle(singleDeps(services), {
      action: parsed.sub,
      recordText: parsed.record,
      territories: parsed.territories,
      requesterId: command.user_id,
      originChannelId: command.channel_id,
    });
    if (!started.ok) await replyEphemeral(respond, refusalMessage(started));
    else if (started.pendingApproval) await replyEphemeral(respond, pendingApprovalMessage(started));
    else if (started.waiting) await replyEphemeral(respond, buildZohoWaitMessage(started.waiting));
  } catch (err) {
    services.logger.warn({ err, sub: parsed.sub }, 'single change failed before reaching the engine');
    await replyEphemeral(respond, zohoErrorMessage(err));
  }
}
