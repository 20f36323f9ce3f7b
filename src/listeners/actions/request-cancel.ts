/**
 * Cancel button on a pending request's parent message (and in `/territory requests`); value =
 * request id. Only the requester may cancel (checked from the clicking user's id); a refusal is
 * told to the clicker alone, through the interaction's response_url (ephemeral).
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export function requestCancel(services: BotServices) {
  return async ({ ack, body, action, respond }: ActionArgs): Promise<void> => {
    await ack();
    const requestId = action.value ?? '';
    try {
      const result = await services.approvals.cancel(requestId, body.user.id);
      if (!result.ok) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: `:no_entry: ${result.message}`,
        });
      }
    } catch (err) {
      services.logger.error({ err, requestId }, 'cancelling a request failed');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'The request could not be cancelled just now; try again in a minute.',
      });
    }
  };
}
