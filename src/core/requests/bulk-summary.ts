/**
 * The counts a bulk request is described by (preview, approval card, parent message, the audit
 * of its creation), computed from its stored items: per module, per territory, grouped
 * warnings, items the preview skipped or blocked.
 */
import { z } from 'zod';
import { PREVIEW_CODES } from '../assignment/bulk-request.js';
import type { ItemAction, ItemState } from '../store/types.js';
import type { ZohoModule } from '../zoho/types.js';

/** What a preview row needs of an item (RequestItemRecord fits), plus optional display extras. */
export interface PreviewItem {
  seq: number;
  lineNo: number | null;
  module: ZohoModule;
  recordId: string;
  action: ItemAction;
  territoryIds: readonly string[];
  removeTerritoryIds: readonly string[];
  /** The record's territories before the change, when read. */
  before: readonly string[] | null;
  state?: ItemState;
  /** The item's outcome code (e.g. the preview's own, PREVIEW_CODES). */
  code?: string | null;
  message?: string | null;
  recordName?: string | null;
  /** e.g. "Deal already has a territory", "record at 10 territories". */
  warning?: string | null;
}

export interface BulkSummary {
  total: number;
  byModule: Partial<Record<ZohoModule, number>>;
  /** Most-used first. */
  byTerritory: ReadonlyArray<{ territoryId: string; count: number }>;
  /** Grouped warnings, most frequent first. */
  warnings: ReadonlyArray<{ text: string; count: number }>;
  /** Items the preview will not send (e.g. the territory is already there). */
  skipped: number;
  /** Items the preview refused because Zoho would (record not found, a Deal's second territory...). */
  blocked: number;
  /** Pasted/CSV lines that were rejected during validation. */
  invalidLines: number;
}

/**
 * Where a bulk draft keeps its summary in `request.summary`: what a bulk holds is fixed once it
 * is stored, and the preview, the approval card, the review modal and the parent message all
 * show it. Kept, it is read with the request instead of going through 10,000 items each time.
 */
export const BULK_SUMMARY_KEY = 'bulkSummary';

const countSchema = z.number().int().nonnegative();
const bulkSummarySchema = z.object({
  total: countSchema,
  byModule: z.record(z.string(), countSchema),
  byTerritory: z.array(z.object({ territoryId: z.string(), count: countSchema })),
  warnings: z.array(z.object({ text: z.string(), count: countSchema })),
  skipped: countSchema,
  blocked: countSchema,
  invalidLines: countSchema,
});

/**
 * Kept only while it stays small (it is read with every read of the request): a list whose
 * warnings are mostly distinct sentences is summarised from its items instead, as before.
 */
const KEPT_LIST_MAX = 200;

export function keepableBulkSummary(summary: BulkSummary): boolean {
  return summary.warnings.length <= KEPT_LIST_MAX && summary.byTerritory.length <= KEPT_LIST_MAX;
}

/** The summary kept with the request, or null (stored before it was kept, or not a bulk draft). */
export function keptBulkSummary(summary: Readonly<Record<string, unknown>>): BulkSummary | null {
  const parsed = bulkSummarySchema.safeParse(summary[BULK_SUMMARY_KEY]);
  return parsed.success ? (parsed.data as BulkSummary) : null;
}

export function summarizeItems(items: readonly PreviewItem[], invalidLines = 0): BulkSummary {
  const acc = new BulkSummarizer();
  acc.add(items);
  return acc.result(invalidLines);
}

/** The summary built page by page, so a large request is never held whole. */
export class BulkSummarizer {
  private total = 0;
  private readonly byModule: Partial<Record<ZohoModule, number>> = {};
  private readonly byTerritory = new Map<string, number>();
  private readonly warnings = new Map<string, number>();
  private skipped = 0;
  private blocked = 0;

  add(items: readonly PreviewItem[]): void {
    for (const item of items) {
      this.total += 1;
      this.byModule[item.module] = (this.byModule[item.module] ?? 0) + 1;
      for (const id of item.territoryIds) this.byTerritory.set(id, (this.byTerritory.get(id) ?? 0) + 1);
      if (item.warning) this.warnings.set(item.warning, (this.warnings.get(item.warning) ?? 0) + 1);
      if (item.state === 'skipped') this.skipped += 1;
      if (item.code === PREVIEW_CODES.blocked) this.blocked += 1;
    }
  }

  result(invalidLines = 0): BulkSummary {
    return {
      total: this.total,
      byModule: { ...this.byModule },
      byTerritory: [...this.byTerritory]
        .map(([territoryId, count]) => ({ territoryId, count }))
        .sort((a, b) => b.count - a.count || compare(a.territoryId, b.territoryId)),
      warnings: [...this.warnings]
        .map(([text, count]) => ({ text, count }))
        .sort((a, b) => b.count - a.count || compare(a.text, b.text)),
      skipped: this.skipped,
      blocked: this.blocked,
      invalidLines,
    };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
