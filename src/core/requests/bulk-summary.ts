/**
 * The counts a bulk request is described by (preview, approval card, parent message, the audit
 * of its creation), computed from its stored items: per module, per territory, grouped
 * warnings, items the preview skipped or blocked.
 */
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

export function summarizeItems(items: readonly PreviewItem[], invalidLines = 0): BulkSummary {
  const byModule: Partial<Record<ZohoModule, number>> = {};
  const byTerritory = new Map<string, number>();
  const warnings = new Map<string, number>();
  let skipped = 0;
  let blocked = 0;
  for (const item of items) {
    byModule[item.module] = (byModule[item.module] ?? 0) + 1;
    for (const id of item.territoryIds) byTerritory.set(id, (byTerritory.get(id) ?? 0) + 1);
    if (item.warning) warnings.set(item.warning, (warnings.get(item.warning) ?? 0) + 1);
    if (item.state === 'skipped') skipped += 1;
    if (item.code === PREVIEW_CODES.blocked) blocked += 1;
  }
  return {
    total: items.length,
    byModule,
    byTerritory: [...byTerritory]
      .map(([territoryId, count]) => ({ territoryId, count }))
      .sort((a, b) => b.count - a.count || compare(a.territoryId, b.territoryId)),
    warnings: [...warnings]
      .map(([text, count]) => ({ text, count }))
      .sort((a, b) => b.count - a.count || compare(a.text, b.text)),
    skipped,
    blocked,
    invalidLines,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
