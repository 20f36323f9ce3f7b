/** The answer to `/territory undo`: what will be put back, and the records left alone with the reason. */
import type { UndoResult } from '../core/requests/undo.js';
import { context, type SlackMessage, section } from './blocks.js';
import { escapeTruncate, formatCount, plural } from './text.js';

/** Skipped records listed by name; the rest are counted (one section holds 3,000 characters). */
const SKIPPED_SHOWN = 10;

export function buildUndoAnswer(result: UndoResult): SlackMessage {
  const skipped = result.skipped ?? [];
  const lines = skipped
    .slice(0, SKIPPED_SHOWN)
    .map((s) => `• \`${s.module}/${s.recordId}\`: ${escapeTruncate(s.reason, 220)}`);
  if (skipped.length > SKIPPED_SHOWN) lines.push(`…and ${formatCount(skipped.length - SKIPPED_SHOWN)} more.`);
  const skippedBlock = lines.length > 0 ? [section(`*Left as they are*\n${lines.join('\n')}`)] : [];
  if (!result.ok) {
    const text = `Nothing undone: ${result.message}`;
    return { text, blocks: [section(escapeTruncate(text, 2_900)), ...skippedBlock] };
  }
  const what =
    result.restoring === 1
      ? '1 record goes back to the territories it had before'
      : `${plural(result.restoring, 'record')} go back to the territories they had before`;
  const head =
    result.state === 'pending_approval'
      ? `:leftwards_arrow_with_hook: Undo request \`${result.requestId}\` sent for approval: once approved, ${what}.`
      : `:leftwards_arrow_with_hook: Undo request \`${result.requestId}\` started: ${what}.`;
  return {
    text: head,
    blocks: [
      section(head),
      ...skippedBlock,
      context('Progress and results are posted in the thread of the request being undone.'),
    ],
  };
}
