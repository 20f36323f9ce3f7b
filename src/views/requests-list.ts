/**
 * `/territory requests`: the person's recent requests and where each stands; for approvers,
 * the requests waiting for them, each with a Review button.
 */
import type { KnownBlock } from '@slack/types';
import { context, header, LIMITS, type SlackMessage, section } from './blocks.js';
import { KIND_VERB, type Progress, stateBadge } from './labels.js';
import { packLines, renderLimit } from './pack.js';
import type { RequestView } from './request-message.js';
import { reviewSection } from './review-section.js';
import { escapeTruncate, formatCount, oneLine, plural, slackDate } from './text.js';

export interface RequestsListInput {
  /** The person's recent requests, newest first. */
  mine: ReadonlyArray<{ request: RequestView; progress?: Progress | null }>;
  /** Pending approvals this person may decide (empty for non-approvers). */
  awaitingMe: readonly RequestView[];
  isApprover: boolean;
}

const MAX_REVIEW_SECTIONS = 15;
const MINE_CHARS = 4000;

function requestLine(r: RequestView, progress?: Progress | null): string {
  const reason = r.reason ? ` — _${escapeTruncate(oneLine(r.reason), 80)}_` : '';
  return (
    `• \`${escapeTruncate(r.id, 60)}\` ${KIND_VERB[r.kind]} · ${plural(r.itemCount, 'record')} · ` +
    `${stateBadge(r.state, progress ?? undefined)} · ${slackDate(r.createdAt)}${reason}`
  );
}

export function buildRequestsList(input: RequestsListInput): SlackMessage {
  const blocks: KnownBlock[] = [header('Your territory requests')];
  if (input.mine.length === 0) {
    blocks.push(section('You have no requests yet. `/territory help` shows how to make one.'));
  } else {
    const lines = input.mine
      .slice(0, renderLimit(MINE_CHARS, 40))
      .map((m) => requestLine(m.request, m.progress));
    blocks.push(
      ...packLines(lines, {
        maxBlocks: 4,
        maxChars: MINE_CHARS,
        totalLines: input.mine.length,
        more: (n) => `_…and ${plural(n, 'older request')}_`,
      }).blocks,
    );
  }

  if (input.isApprover) {
    blocks.push(header('Waiting for your approval'));
    if (input.awaitingMe.length === 0) {
      blocks.push(section('Nothing waits for you. :tada:'));
    } else {
      const room = Math.min(MAX_REVIEW_SECTIONS, LIMITS.messageBlocks - blocks.length - 2);
      for (const r of input.awaitingMe.slice(0, room)) {
        blocks.push(reviewSection(r));
      }
      const rest = input.awaitingMe.length - Math.min(room, input.awaitingMe.length);
      if (rest > 0)
        blocks.push(context(`…and ${plural(rest, 'more request')} waiting. Review the ones above first.`));
    }
  }

  const waiting = input.isApprover
    ? `; ${formatCount(input.awaitingMe.length)} waiting for your approval`
    : '';
  return { text: `Your territory requests: ${formatCount(input.mine.length)}${waiting}`, blocks };
}
