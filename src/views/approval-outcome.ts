/**
 * The thread reply that tells the requester what became of their request at the approval
 * step: approved (it runs now), rejected (with the approver's comment) or expired.
 */
import { context, type SlackMessage, section } from './blocks.js';
import type { RequestView } from './request-message.js';
import { escapeTruncate, formatCount, mention, oneLine, slackDate } from './text.js';

/** null when there is nothing to tell (still pending, or the requester cancelled it themselves). */
export function buildDecisionReply(request: RequestView): SlackMessage | null {
  const who = mention(request.requesterId);
  const by = request.decidedBy ? ` by ${mention(request.decidedBy)}` : '';
  const when = request.decidedAt !== null ? ` ${slackDate(request.decidedAt)}` : '';
  const comment = request.decisionComment
    ? `\n> ${escapeTruncate(oneLine(request.decisionComment), 1000)}`
    : '';
  const records = `${formatCount(request.itemCount)} records`;
  let head: string;
  let text: string;
  switch (request.state) {
    case 'approved':
    case 'running':
    case 'done':
    case 'failed':
      if (!request.decidedBy) return null;
      head = `${who} :white_check_mark: Your request was approved${by}${when}. It is being sent to Zoho now; the result follows in this thread.${comment}`;
      text = `Approved: ${records}`;
      break;
    case 'rejected':
      head = `${who} :no_entry_sign: Your request was rejected${by}${when}. Nothing was changed in Zoho.${comment}`;
      text = `Rejected: ${records}`;
      break;
    case 'expired':
      head = `${who} :hourglass: Your request expired: no approver decided in time. Nothing was changed in Zoho. Submit it again with \`/territory bulk\` if it is still needed.`;
      text = `Expired: ${records}`;
      break;
    default:
      return null;
  }
  return {
    text,
    blocks: [section(head), context(`Request \`${escapeTruncate(request.id, 100)}\``)],
  };
}
