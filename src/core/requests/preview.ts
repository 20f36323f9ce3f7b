/**
 * A stored bulk request as the preview, the approval card and the review modal show it: rows
 * (one page at a time, read from the store) and the summary over all items.
 */
import { ISSUE_LABELS } from '../assignment/limits.js';
import type { NewRequestItem, RequestItemRecord, RequestRecord, Store } from '../store/types.js';
import { BulkSummarizer, type BulkSummary, keptBulkSummary, type PreviewItem } from './bulk-summary.js';

/** Rows per preview page (modals hold 100 blocks; a row may take two). */
export const PREVIEW_PAGE_SIZE = 20;

/** Plan issues, plus the preview's own codes (an undo skips records changed since). */
const LABELS: Readonly<Record<string, string>> = {
  ...ISSUE_LABELS,
  changed_since: 'Changed since; left as it is',
};

/** The stored issue code's label (codes are stored as plain strings). */
function label(code: string): string | undefined {
  return LABELS[code];
}

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
  request: Pick<RequestRecord, 'summary'>,
  /** Stored items, or the items of a draft about to be stored. */
  items: readonly NewRequestItem[],
  /** sentence: the record's own words (rows); label: a short label per issue (grouped counts). */
  warningAs: 'sentence' | 'label' = 'sentence',
): PreviewItem[] {
  return items.map(previewLabeler(request, warningAs));
}

/**
 * The mapping previewItems applies, built once and reused across pages of one request. Items
 * carry their name, warning and issue (migration 0008); requests stored before keep them in
 * maps in their summary.
 */
export function previewLabeler(
  request: Pick<RequestRecord, 'summary'>,
  warningAs: 'sentence' | 'label' = 'sentence',
): (item: NewRequestItem) => PreviewItem {
  const names = stringMap(request.summary.recordNames);
  const sentences = stringMap(request.summary.itemWarnings);
  const issues = stringMap(request.summary.itemIssues);
  const warningOf = (item: NewRequestItem): string | null => {
    const key = String(item.seq);
    const sentence = item.warning ?? sentences[key] ?? null;
    if (warningAs === 'sentence') return sentence;
    const code = item.issue ?? issues[key];
    return code ? (label(code) ?? sentence) : sentence;
  };
  return (item) => ({
    seq: item.seq,
    lineNo: item.lineNo,
    module: item.module,
    recordId: item.recordId,
    action: item.action,
    territoryIds: item.territoryIds,
    removeTerritoryIds: item.removeTerritoryIds,
    before: item.before,
    state: item.state,
    code: item.code ?? null,
    message: item.state === 'skipped' ? null : (item.message ?? null),
    recordName: item.recordName ?? names[item.recordId] ?? null,
    warning: warningOf(item),
  });
}

/** Items read per page when a whole request is gone through (never all 10,000 at once). */
export const ITEM_PAGE_SIZE = 1_000;

/** The request's items, a page at a time, in seq order. */
export async function* itemPages(
  store: Pick<Store, 'listItems'>,
  requestId: string,
): AsyncGenerator<RequestItemRecord[]> {
  let afterSeq = -1;
  for (;;) {
    const page = await store.listItems(requestId, { afterSeq, limit: ITEM_PAGE_SIZE });
    if (page.length === 0) return;
    yield page;
    if (page.length < ITEM_PAGE_SIZE) return;
    afterSeq = page.at(-1)!.seq;
  }
}

/**
 * Counts per module/territory and grouped warnings over all items: the summary kept with the
 * draft, or (a request stored without one) the items read a page at a time.
 */
export async function loadBulkSummary(store: Store, request: RequestRecord): Promise<BulkSummary> {
  const kept = keptBulkSummary(request.summary);
  if (kept) return kept;
  const label = previewLabeler(request, 'label');
  const acc = new BulkSummarizer();
  for await (const page of itemPages(store, request.id)) acc.add(page.map(label));
  return acc.result();
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
