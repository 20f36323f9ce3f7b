/**
 * The approval card posted to approvers (channel or DMs) and its decided form (DESIGN.md §3):
 * summary, warnings, reason, requester, expiry; a Review button opens the review modal. Once
 * decided, every copy of the card is updated to say who decided and when.
 */
import type { KnownBlock } from '@slack/types';
import { actions, button, context, header, type SlackMessage, section } from './blocks.js';
import { ACTION } from './ids.js';
import type { TerritoryNames } from './labels.js';
import type { RequestView } from './request-message.js';
import { type BulkSummary, summaryBlocks } from './summary.js';
import { escapeTruncate, formatCount, mention, oneLine, plural, slackDate, utcTimestamp } from './text.js';

export interface ApprovalCardInput {
  request: RequestView;
  summary: BulkSummary;
  names: TerritoryNames;
  /** Why approval is needed and whom it asks (core/access RequestAccess); absent for older requests. */
  access?: {
    reasons: ReadonlyArray<{ text: string }>;
    mention: readonly string[];
    adminsDecide: boolean;
    touchedTerritoryIds: readonly string[];
  } | null;
}

/** "Why approval is needed" and "who decides", from the access policy (DESIGN.md §4). */
function accessBlocks(input: ApprovalCardInput): KnownBlock[] {
  const access = input.access;
  if (!access) return [];
  const blocks: KnownBlock[] = [];
  if (access.reasons.length > 0) {
    const why = access.reasons.map((r) => `• ${escapeTruncate(r.text, 400)}`).join('\n');
    blocks.push(section(`*Why approval is needed:*\n${why}`));
  }
  const territories = access.touchedTerritoryIds
    .slice(0, 5)
    .map((id) => input.names.get(id) ?? id)
    .join(', ');
  const who =
    access.mention.length > 0
      ? `${access.mention.map(mention).join(', ')} (manager${access.mention.length === 1 ? '' : 's'} of the territories it touches${territories ? `: ${territories}` : ''}) or an approver can decide.`
      : 'No territory manager in Slack covers it: an approver decides.';
  blocks.push(section(`*Who decides:* ${who}`));
  return blocks;
}

function commonBlocks(input: ApprovalCardInput): KnownBlock[] {
  const { request } = input;
  const blocks: KnownBlock[] = [
    section(
      `${mention(request.requesterId)} asks to change the territories of *${plural(request.itemCount, 'record')}*.`,
    ),
    ...summaryBlocks(input.summary, input.names, { maxBlocks: 5, maxChars: 6000 }),
  ];
  blocks.push(
    section(`*Reason:* ${request.reason ? escapeTruncate(oneLine(request.reason), 1000) : '_none given_'}`),
  );
  return blocks;
}

/** The card while the request waits; for any other state it renders the decided form. */
export function buildApprovalCard(input: ApprovalCardInput): SlackMessage {
  const { request } = input;
  if (request.state !== 'pending_approval') return buildApprovalDecidedCard(input);
  const blocks: KnownBlock[] = [
    header('Territory change waiting for approval'),
    ...commonBlocks(input),
    ...accessBlocks(input),
  ];
  if (request.expiresAt !== null) {
    blocks.push(
      context(`Expires ${slackDate(request.expiresAt)} if nobody decides. The first decision counts.`),
    );
  }
  blocks.push(
    actions(
      [button({ text: 'Review', actionId: ACTION.approvalReview, value: request.id, style: 'primary' })],
      'approval_actions',
    ),
    context(`Request \`${escapeTruncate(request.id, 100)}\` · asked ${slackDate(request.createdAt)}`),
  );
  const expiry = request.expiresAt !== null ? ` (expires ${utcTimestamp(request.expiresAt)})` : '';
  return {
    text: `Approval needed: ${formatCount(request.itemCount)} records to change, asked by ${mention(request.requesterId)}${expiry}${input.access?.mention.length ? ` · for ${input.access.mention.map(mention).join(', ')}` : ''}`,
    blocks,
  };
}

const DECIDED: Readonly<Record<string, string>> = {
  approved: ':white_check_mark: Approved',
  rejected: ':no_entry_sign: Rejected',
  expired: ':hourglass: Expired',
  cancelled: ':heavy_multiplication_x: Cancelled',
};

/** Approved / rejected / expired / cancelled: by whom, when, with the comment; no buttons. */
export function buildApprovalDecidedCard(input: ApprovalCardInput): SlackMessage {
  const { request } = input;
  // The card is posted from the outbox, possibly after the approved request ran: it still
  // shows the decision, not how the run went (the parent message shows that).
  const ran =
    (request.state === 'running' || request.state === 'done' || request.state === 'failed') &&
    request.decidedBy;
  const badge =
    DECIDED[ran ? 'approved' : request.state] ?? `:information_source: ${request.state.replace('_', ' ')}`;
  const by = request.decidedBy ? ` by ${mention(request.decidedBy)}` : '';
  const when = request.decidedAt !== null ? ` ${slackDate(request.decidedAt)}` : '';
  let decision = `*${badge}*${by}${when}`;
  if (request.state === 'expired') decision += '\nNobody decided in time; nothing was changed in Zoho.';
  if (request.state === 'cancelled' && !request.decidedBy) decision += '\nCancelled by the requester.';
  if (request.decisionComment) decision += `\n> ${escapeTruncate(oneLine(request.decisionComment), 1000)}`;
  const blocks: KnownBlock[] = [
    header('Territory change request'),
    section(decision),
    ...commonBlocks(input),
    context(`Request \`${escapeTruncate(request.id, 100)}\` · asked ${slackDate(request.createdAt)}`),
  ];
  const byText = request.decidedBy ? ` by ${mention(request.decidedBy)}` : '';
  return {
    text: `${badge.replace(/^:[a-z_]+: /, '')}${byText}: ${formatCount(request.itemCount)} records from ${mention(request.requesterId)}`,
    blocks,
  };
}
