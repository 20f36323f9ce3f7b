/**
 * `/territory undo <request>`: one call to core/requests startUndo, which checks who may, reads
 * the records, stores the undo as a request of its own and submits it under the same rules as
 * any list (its parent message goes in the original's thread). The answer here says what will
 * be put back and which records were left alone, with the reason.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { startUndo } from '../../core/requests/index.js';
import { type BotServices, undoDeps } from '../../slack/context.js';
import { replyEphemeral, zohoErrorMessage } from '../../slack/reply.js';
import { buildUndoAnswer } from '../../views/undo-answer.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export async function undoCommand(
  services: BotServices,
  args: CommandArgs,
  requestId: string | null,
): Promise<void> {
  const { command, ack, respond } = args;
  if (requestId === null) {
    await ack({
      response_type: 'ephemeral',
      text: 'Usage: `/territory undo <request>`: copy the request id from its message, or from `/territory requests`.',
    });
    return;
  }
  await ack({ response_type: 'ephemeral', text: 'Reading the records of that request in Zoho…' });
  try {
    const result = await startUndo(undoDeps(services), {
      requestId,
      userId: command.user_id,
      originChannelId: command.channel_id,
    });
    await replyEphemeral(respond, buildUndoAnswer(result));
  } catch (err) {
    services.logger.warn({ err, requestId }, '/territory undo failed');
    await replyEphemeral(respond, zohoErrorMessage(err));
  }
}
