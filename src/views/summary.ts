/**
 * A bulk request at a glance: counts per module and per territory, and warnings. Computed once
 * from the items (`summarizeItems`, pure, so the domain may also keep it in request.summary) and
 * rendered compactly by the preview, the approval card and the review modal.
 */
import type { KnownBlock } from '@slack/types';
import { TERRITORY_MODULES } from '../core/zoho/types.js';
import { fieldsSection } from './blocks.js';
import { type TerritoryNames, territoryName } from './labels.js';
import { packLines, renderLimit } from './pack.js';
import { escapeTruncate, formatCount, oneLine, plural } from './text.js';

export type { BulkSummary, PreviewItem } from '../core/requests/bulk-summary.js';
export { summarizeItems } from '../core/requests/bulk-summary.js';

import type { BulkSummary, PreviewItem } from '../core/requests/bulk-summary.js';

export interface SummaryBlockOptions {
  /** Blocks the summary may use in all. */
  maxBlocks: number;
  /** Characters the summary may use in all. */
  maxChars: number;
  /** Territories listed by name before "…and N more" (default 10: a summary, not a report). */
  maxTerritories?: number;
  /** Warning kinds listed before "…and N more" (default 5). */
  maxWarnings?: number;
}

/** The summary's budget in a modal (bulk preview, review), beside the paged rows. */
export const MODAL_SUMMARY: SummaryBlockOptions = {
  maxBlocks: 5,
  maxChars: 6000,
  maxTerritories: 15,
  maxWarnings: 10,
};

/** Counts per module (fields), per territory and warnings, within a block/char budget. */
export function summaryBlocks(
  summary: BulkSummary,
  names: TerritoryNames,
  options: SummaryBlockOptions,
): KnownBlock[] {
  const modules = TERRITORY_MODULES.filter((m) => (summary.byModule[m] ?? 0) > 0).map(
    (m) => `*${m}*\n${formatCount(summary.byModule[m] ?? 0)}`,
  );
  const extra: string[] = [];
  if (summary.skipped > 0) extra.push(`*Skipped*\n${formatCount(summary.skipped)} (nothing to change)`);
  if (summary.invalidLines > 0) extra.push(`*Rejected lines*\n${formatCount(summary.invalidLines)}`);
  const blocks: KnownBlock[] = [
    fieldsSection([`*Records*\n${formatCount(summary.total)}`, ...modules, ...extra]),
  ];

  let budget = Math.max(options.maxBlocks - 1, 0);
  let chars = Math.max(options.maxChars - 600, 0);
  const territoryLines = summary.byTerritory
    .slice(0, Math.min(options.maxTerritories ?? 10, renderLimit(chars, 20)))
    .map((t) => `• ${territoryName(t.territoryId, names)}: ${plural(t.count, 'record')}`);
  if (territoryLines.length > 0 && budget > 0) {
    const packed = packLines(
      [`*Per territory* (${formatCount(summary.byTerritory.length)})`, ...territoryLines],
      {
        maxBlocks: Math.min(2, budget),
        maxChars: Math.floor(chars / 2),
        more: (n) => `_…and ${plural(n, 'more territory', 'more territories')}_`,
        totalLines: summary.byTerritory.length + 1,
      },
    );
    blocks.push(...packed.blocks);
    budget -= packed.blocks.length;
    chars -= packed.blocks.reduce((n, b) => n + (b.type === 'section' ? (b.text?.text.length ?? 0) : 0), 0);
  }
  if (summary.warnings.length > 0 && budget > 0) {
    const warningLines = summary.warnings
      .slice(0, Math.min(options.maxWarnings ?? 5, renderLimit(chars, 20)))
      .map((w) => `• ${escapeTruncate(oneLine(w.text), 200)}: ${plural(w.count, 'record')}`);
    const packed = packLines([':warning: *Warnings*', ...warningLines], {
      maxBlocks: Math.min(2, budget),
      maxChars: chars,
      more: (n) => `_…and ${plural(n, 'more warning')}_`,
      totalLines: summary.warnings.length + 1,
    });
    blocks.push(...packed.blocks);
  }
  return blocks;
}

/** The record's territories after the change, as the preview expects them. */
export function expectedAfter(item: PreviewItem): string[] | null {
  if (item.before === null) return null;
  const before = [...item.before];
  switch (item.action) {
    case 'assign':
      return union(before, item.territoryIds);
    case 'remove':
      return before.filter((id) => !item.territoryIds.includes(id));
    case 'move':
      return union(
        before.filter((id) => !item.removeTerritoryIds.includes(id)),
        item.territoryIds,
      );
  }
}

function union(a: readonly string[], b: readonly string[]): string[] {
  const out = [...a];
  for (const id of b) if (!out.includes(id)) out.push(id);
  return out;
}

/** Code-unit order: deterministic and without ICU's collator start-up cost. */
