/**
 * "before → after" rows and the pager shared by the bulk preview and the review modal. A modal
 * holds at most 100 blocks, so long lists are shown a page at a time; the pager buttons carry
 * the target page number as their value.
 */
import type { KnownBlock } from '@slack/types';
import { PREVIEW_PAGE_SIZE } from '../core/requests/preview.js';
import { actions, button, context, section } from './blocks.js';
import { type RecordLinker, recordLabel, type TerritoryNames } from './labels.js';
import { packLines } from './pack.js';
import { expectedAfter, type PreviewItem } from './summary.js';
import { escapeTruncate, formatCount, oneLine } from './text.js';

export { PREVIEW_PAGE_SIZE };

/** Names shown per side of a row; the rest is counted. */
const ROW_NAMES = 4;
const ROW_NAME_MAX = 40;

export function pageCount(totalRows: number, pageSize = PREVIEW_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(totalRows / pageSize));
}

/** Clamps a requested page into range. */
export function clampPage(page: number, totalRows: number, pageSize = PREVIEW_PAGE_SIZE): number {
  if (!Number.isFinite(page) || page < 0) return 0;
  return Math.min(Math.floor(page), pageCount(totalRows, pageSize) - 1);
}

/** The rows of one page of an in-memory list (listeners may instead read just that page). */
export function pageSlice<T>(rows: readonly T[], page: number, pageSize = PREVIEW_PAGE_SIZE): T[] {
  const p = clampPage(page, rows.length, pageSize);
  return rows.slice(p * pageSize, (p + 1) * pageSize);
}

function nameList(ids: readonly string[] | null, names: TerritoryNames): string {
  if (ids === null) return '?';
  if (ids.length === 0) return '_none_';
  const shown = ids.slice(0, ROW_NAMES).map((id) => {
    const name = names.get(id);
    return name ? escapeTruncate(oneLine(name), ROW_NAME_MAX) : `\`${escapeTruncate(id, ROW_NAME_MAX)}\``;
  });
  return ids.length > ROW_NAMES ? `${shown.join(', ')} +${ids.length - ROW_NAMES}` : shown.join(', ');
}

/** One row: `Line 4 · Leads/… Name: North → North, EMEA  ⚠ warning`. */
export function previewRowLine(item: PreviewItem, names: TerritoryNames, linker?: RecordLinker): string {
  const where = item.lineNo !== null ? `Line ${item.lineNo} · ` : '';
  const record = recordLabel({ module: item.module, recordId: item.recordId, name: item.recordName }, linker);
  const after = expectedAfter(item);
  const change =
    after === null
      ? // Territories not read yet: show the change itself.
        `${item.action === 'remove' ? '−' : '+'} ${nameList(item.territoryIds, names)}${item.action === 'move' ? ' (replacing manual territories)' : ''}`
      : `${nameList(item.before, names)} → ${nameList(after, names)}`;
  const warning = item.warning ? `  :warning: ${escapeTruncate(oneLine(item.warning), 150)}` : '';
  const skipped =
    item.state === 'skipped'
      ? `  _(skipped${item.message ? `: ${escapeTruncate(oneLine(item.message), 150)}` : ''})_`
      : '';
  return `${where}${record}: ${change}${warning}${skipped}`;
}

export interface PagedRowsInput {
  /** Rows of the current page only (extra rows are ignored). */
  rows: readonly PreviewItem[];
  page: number;
  totalRows: number;
  names: TerritoryNames;
  recordUrl?: RecordLinker;
  prevActionId: string;
  nextActionId: string;
  /** Blocks the rows (without the pager) may use. */
  maxBlocks: number;
  maxChars: number;
}

/**
 * The "Before → after" part of a paged modal (bulk preview, review): a heading, then the page's
 * rows within the budget a 100-block modal leaves them.
 */
export function beforeAfterBlocks(input: Omit<PagedRowsInput, 'maxBlocks' | 'maxChars'>): KnownBlock[] {
  return [section('*Before → after*'), ...pagedRowBlocks({ ...input, maxBlocks: 20, maxChars: 30_000 })];
}

/** The page's rows packed into sections, then "Page x of y" and prev/next buttons. */
export function pagedRowBlocks(input: PagedRowsInput): KnownBlock[] {
  const pages = pageCount(input.totalRows);
  const page = clampPage(input.page, input.totalRows);
  const rows = input.rows.slice(0, PREVIEW_PAGE_SIZE);
  const lines = rows.map((r) => previewRowLine(r, input.names, input.recordUrl));
  const packed = packLines(lines, { maxBlocks: input.maxBlocks, maxChars: input.maxChars });
  const first = page * PREVIEW_PAGE_SIZE + 1;
  const last = page * PREVIEW_PAGE_SIZE + rows.length;
  const blocks: KnownBlock[] = [...packed.blocks];
  if (rows.length === 0) {
    blocks.push(context('_No rows._'));
    return blocks;
  }
  blocks.push(
    context(
      `Page ${formatCount(page + 1)} of ${formatCount(pages)} · rows ${formatCount(first)}–${formatCount(last)} of ${formatCount(input.totalRows)}`,
    ),
  );
  const buttons = [];
  if (page > 0)
    buttons.push(button({ text: '← Previous', actionId: input.prevActionId, value: String(page - 1) }));
  if (page < pages - 1)
    buttons.push(button({ text: 'Next →', actionId: input.nextActionId, value: String(page + 1) }));
  if (buttons.length > 0) blocks.push(actions(buttons, 'preview_pager'));
  return blocks;
}
