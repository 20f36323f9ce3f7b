/**
 * Packs many short mrkdwn lines into as few section blocks as possible, within a block count
 * and a character budget, ending with "…and N more" when they do not all fit. Used wherever a
 * list can be long (failed records, territory tree, alerts): 50 blocks per message and 3000
 * characters per section are hard Slack limits.
 */
import type { SectionBlock } from '@slack/types';
import { LIMITS, section } from './blocks.js';
import { formatCount, truncateMrkdwn } from './text.js';

export interface PackOptions {
  /** Most section blocks to produce, including the "more" line's block. */
  maxBlocks: number;
  /** Most characters across all produced sections. */
  maxChars: number;
  /** Characters per section (Slack: 3000). */
  sectionChars?: number;
  /** The closing line when lines were left out; gets the number left out. */
  more?: (left: number) => string;
  /**
   * The full number of lines when `lines` is only a prefix of them (callers render at most
   * `renderLimit(...)` lines of a 10,000-line list: the rest could never fit anyway).
   */
  totalLines?: number;
}

/** How many lines of at least `minLineChars` can possibly fit in `maxChars`. */
export function renderLimit(maxChars: number, minLineChars = 8): number {
  return Math.ceil(maxChars / minLineChars) + 1;
}

export interface Packed {
  blocks: SectionBlock[];
  /** How many of the input lines are shown. */
  shown: number;
  /** How many were left out (counted in the "more" line). */
  omitted: number;
}

const defaultMore = (left: number) => `_…and ${formatCount(left)} more_`;

export function packLines(lines: readonly string[], options: PackOptions): Packed {
  const sectionChars = options.sectionChars ?? LIMITS.sectionText;
  const more = options.more ?? defaultMore;
  const total = Math.max(options.totalLines ?? lines.length, lines.length);
  if (options.maxBlocks <= 0 || total === 0) {
    return { blocks: [], shown: 0, omitted: total };
  }
  const all = fill(lines, options.maxBlocks, options.maxChars, sectionChars);
  if (all.shown === total) return { blocks: all.texts.map((t) => section(t)), shown: all.shown, omitted: 0 };

  // Not everything fits: keep room for the closing line (worst case: every line left out).
  const closingMax = more(total).length;
  const blocksForLines = options.maxBlocks - 1;
  const partial =
    blocksForLines > 0
      ? fill(lines, blocksForLines, options.maxChars - closingMax - 1, sectionChars)
      : { texts: [], shown: 0 };
  const omitted = total - partial.shown;
  const closing = more(omitted);
  const last = partial.texts.at(-1);
  // The closing line joins the last section when it fits there, saving a block.
  const texts =
    last !== undefined && last.length + 1 + closing.length <= sectionChars
      ? [...partial.texts.slice(0, -1), `${last}\n${closing}`]
      : [...partial.texts, closing];
  return { blocks: texts.map((t) => section(t)), shown: partial.shown, omitted };
}

function fill(
  lines: readonly string[],
  maxBlocks: number,
  maxChars: number,
  sectionChars: number,
): { texts: string[]; shown: number } {
  const texts: string[] = [];
  let current = '';
  let total = 0;
  let shown = 0;
  for (const raw of lines) {
    const line = truncateMrkdwn(raw, sectionChars);
    const startsSection = current !== '' && current.length + 1 + line.length > sectionChars;
    const cost = current === '' || startsSection ? line.length : line.length + 1;
    if (total + cost > maxChars) break;
    if (startsSection) {
      if (texts.length + 1 >= maxBlocks) break;
      texts.push(current);
      current = line;
    } else {
      current = current === '' ? line : `${current}\n${line}`;
    }
    total += cost;
    shown += 1;
  }
  if (current !== '') texts.push(current);
  return { texts, shown };
}
