/** Small helpers shared by listeners for answering the person who acted. */
import type { RespondFn } from '@slack/bolt';
import { explainZohoError } from '../core/zoho/explain.js';
import type { SlackMessage } from '../views/blocks.js';
import { buildErrorMessage } from '../views/errors.js';

/** An ephemeral answer through response_url (visible only to the person who typed the command). */
export async function replyEphemeral(respond: RespondFn, message: SlackMessage): Promise<void> {
  await respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: message.text,
    blocks: message.blocks,
  });
}

export function zohoErrorMessage(err: unknown): SlackMessage {
  return buildErrorMessage(explainZohoError(err));
}
