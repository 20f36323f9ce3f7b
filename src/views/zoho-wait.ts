/**
 * The answer when Zoho is down or throttling while a change is checked (issue 11 item 4): the
 * change is stored and runs once Zoho is back; the result comes in the request's thread.
 */
import type { SlackMessage } from './blocks.js';
import { section } from './blocks.js';
import { escapeTruncate, oneLine, slackDate, utcTimestamp } from './text.js';

export interface ZohoWaitInput {
  problem: string;
  /** When the bot stops trying and says so. */
  giveUpAt: number;
}

export function zohoWaitText(input: ZohoWaitInput): string {
  return (
    `:hourglass_flowing_sand: ${escapeTruncate(oneLine(input.problem), 300)} ` +
    `Your request is saved: it runs as soon as Zoho answers again (the bot keeps trying until ${slackDate(input.giveUpAt)}). ` +
    'The result will be posted in the thread of the request message. Nothing to do on your side.'
  );
}

/** Plain text (modals escape their text, so no date markup): for the assign modal. */
export function zohoWaitPlainText(input: ZohoWaitInput): string {
  return (
    `${oneLine(input.problem)} Your request is saved: it runs as soon as Zoho answers again ` +
    `(the bot keeps trying until ${utcTimestamp(input.giveUpAt)}). The result will be posted in the thread of the request message.`
  );
}

export function buildZohoWaitMessage(input: ZohoWaitInput): SlackMessage {
  const text = zohoWaitText(input);
  return {
    text: `Waiting for Zoho: ${escapeTruncate(oneLine(input.problem), 200)}`,
    blocks: [section(text)],
  };
}
