/**
 * One request waiting for a decision, with its Review button: the same line in the App Home and
 * in `/territory requests`.
 */
import type { KnownBlock } from '@slack/types';
import { button, section } from './blocks.js';
import { ACTION } from './ids.js';
import { escapeTruncate, mention, oneLine, plural, slackDate } from './text.js';

export interface WaitingRequestLine {
  id: string;
  requesterId: string;
  itemCount: number;
  createdAt: number;
  expiresAt: number | null;
  reason?: string | null;
}

export function reviewSection(r: WaitingRequestLine): KnownBlock {
  const expires = r.expiresAt !== null ? ` · expires ${slackDate(r.expiresAt)}` : '';
  const reason = r.reason ? `\n_${escapeTruncate(oneLine(r.reason), 200)}_` : '';
  return section(
    `${mention(r.requesterId)} · ${plural(r.itemCount, 'record')} · asked ${slackDate(r.createdAt)}${expires}${reason}`,
    {
      accessory: button({ text: 'Review', actionId: ACTION.approvalReview, value: r.id, style: 'primary' }),
    },
  );
}
