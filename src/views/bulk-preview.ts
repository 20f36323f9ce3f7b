/**
 * The bulk preview (after the list validated, request stored as `draft`): summary, warnings,
 * first rows "before → after", paged; submit sends it for approval or runs it now.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { context, section } from './blocks.js';
import { ACTION, CALLBACK, encodePagedRequest } from './ids.js';
import type { RecordLinker, TerritoryNames } from './labels.js';
import { modal } from './modal.js';
import { clampPage, pagedRowBlocks } from './preview-rows.js';
import { type BulkSummary, type PreviewItem, summaryBlocks } from './summary.js';
import { escapeTruncate, formatCount, oneLine } from './text.js';

export interface BulkPreviewInput {
  /** The draft request's id (carried in private_metadata with the page). */
  requestId: string;
  summary: BulkSummary;
  /** Rows of the page shown (see PREVIEW_PAGE_SIZE / pageSlice). */
  rows: readonly PreviewItem[];
  page: number;
  needsApproval: boolean;
  reason: string | null;
  names: TerritoryNames;
  recordUrl?: RecordLinker;
}

export function buildBulkPreviewModal(input: BulkPreviewInput): ModalView {
  const page = clampPage(input.page, input.summary.total);
  const blocks: KnownBlock[] = [
    section(
      input.needsApproval
        ? `*${formatCount(input.summary.total)} records* will be sent to a manager for approval. Nothing changes in Zoho until it is approved.`
        : `*${formatCount(input.summary.total)} records* will be changed in Zoho when you click *Run now*.`,
    ),
    ...summaryBlocks(input.summary, input.names, { maxBlocks: 5, maxChars: 6000 }),
  ];
  if (input.reason) blocks.push(context(`Reason: ${escapeTruncate(oneLine(input.reason), 500)}`));
  blocks.push(
    section('*Before → after*'),
    ...pagedRowBlocks({
      rows: input.rows,
      page,
      totalRows: input.summary.total,
      names: input.names,
      recordUrl: input.recordUrl,
      prevActionId: ACTION.bulkPreviewPrev,
      nextActionId: ACTION.bulkPreviewNext,
      maxBlocks: 20,
      maxChars: 30_000,
    }),
  );
  return modal({
    callbackId: CALLBACK.bulkPreview,
    title: 'Bulk preview',
    submit: input.needsApproval ? 'Submit for approval' : 'Run now',
    close: 'Back',
    privateMetadata: encodePagedRequest({ requestId: input.requestId, page }),
    blocks,
  });
}
