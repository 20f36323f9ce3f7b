/**
 * A stored bulk request as the preview, the approval card and the review modal show it: rows
 * (one page at a time, read from the store) and the summary over all items.
 */
import type { RequestItemRecord, RequestRecord, Store } from '../store/types.js';
import { type BulkSummary, type PreviewItem, summarizeItems } from './bulk-summary.js';

/** Rows per preview page (modals hold 100 blocks; a row may take two). */
export const PREVIEW_PAGE_SIZE = 20;

/** Short labels for the preview's issues, counted on the card and in the preview summary. */
const ISSUE_LABELS: Readonly<Record<string, string>> = {
  record_not_found: 'Record not found in Zoho',
  unknown_territory: 'Territory does not exist',
  ambiguous_territory: 'Territory name matches several',
  no_territories: 'No territory given',
  deal_has_territory: 'Deal already has a territory',
  deal_single_territory: 'More than one territory for a Deal',
  too_many_territories: 'Record would exceed 10 territories',
  not_on_record: 'Territory not on the record',
  rule_assigned: 'Rule-assigned territory cannot be removed',
  rule_assigned_kept: 'Rule-assigned territory stays',
  already_assigned: 'Territory already on the record',
  nothing_to_do: 'Nothing to change',
  changed_since: 'Changed since; left as it is',
};

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Stored items as preview rows, with the record names and the preview's warnings kept in the
 * request's summary (read once per request: the maps hold one entry per record).
 */
export function previewItems(
  request: RequestRecord,
  items: readonly RequestItemRecord[],
  /** sentence: the record's own words (rows); label: a short label per issue (grouped counts). */
  warningAs: 'sentence' | 'label' = 'sentence',
): PreviewItem[] {
  const names = stringMap(request.summary.recordNames);
  const sentences = stringMap(request.summary.itemWarnings);
  const issues = stringMap(request.summary.itemIssues);
  const warningOf = (seq: number): string | null => {
    const key = String(seq);
    if (warningAs === 'sentence') return sentences[key] ?? null;
    const code = issues[key];
    return code ? (ISSUE_LABELS[code] ?? sentences[key] ?? null) : (sentences[key] ?? null);
  };
  return items.map((item) => ({
    seq: item.seq,
    lineNo: item.lineNo,
    module: item.module,
    recordId: item.recordId,
    action: item.action,
    territoryIds: item.territoryIds,
    removeTerritoryIds: item.removeTerritoryIds,
    before: item.before,
    state: item.state,
    message: item.state === 'skipped' ? null : item.message,
    recordName: names[item.recordId] ?? null,
    warning: warningOf(item.seq),
  }));
}

/** Counts per module/territory and grouped warnings over all items. */
export async function loadBulkSummary(store: Store, request: RequestRecord): Promise<BulkSummary> {
  const items = await store.listItems(request.id);
  return summarizeItems(previewItems(request, items, 'label'));
}

/** The rows of one preview page, read from the store (only that page). */
export async function loadPreviewPage(
  store: Store,
  request: RequestRecord,
  page: number,
): Promise<{ rows: PreviewItem[]; page: number }> {
  const pages = Math.max(1, Math.ceil(request.itemCount / PREVIEW_PAGE_SIZE));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const items = await store.listItems(request.id, {
    afterSeq: p * PREVIEW_PAGE_SIZE - 1,
    limit: PREVIEW_PAGE_SIZE,
  });
  return { rows: previewItems(request, items), page: p };
}

/** Items the preview left to send (the others are already failed/skipped with their reason). */
export async function sendableCount(
  store: Pick<Store, 'countItemsByState'>,
  requestId: string,
): Promise<number> {
  const counts = await store.countItemsByState(requestId);
  return counts.pending ?? 0;
}
