/**
 * The bulk preview (after the list validated, request stored as `draft`): summary, warnings,
 * first rows "before → after", paged; submit sends it for approval or runs it now.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { context, section } from './blocks.js';
import { ACTION, CALLBACK, encodePagedRequest } from './ids.js';
import type { RecordLinker, TerritoryNames } from './labels.js';
import { modal } from './modal.js';
import { beforeAfterBlocks, clampPage } from './preview-rows.js';
import { type BulkSummary, MODAL_SUMMARY, type PreviewItem, summaryBlocks } from './summary.js';
import { escapeTruncate, formatCount, oneLine, plural } from './text.js';

export interface BulkPreviewInput {
  /** The draft request's id (carried in private_metadata with the page). */
  requestId: string;
  summary: BulkSummary;
  /** Rows of the page shown (see PREVIEW_PAGE_SIZE / pageSlice). */
  rows: readonly PreviewItem[];
  page: number;
  needsApproval: boolean;
  /** Why it needs approval (the access policy's reasons), shown under the count. */
  approvalReasons?: readonly string[];
  reason: string | null;
  names: TerritoryNames;
  recordUrl?: RecordLinker;
  /** Notes from validation (e.g. "3 duplicate lines merged"), shown above the summary. */
  notes?: readonly string[];
  /**
   * Items left to send (state pending). 0 means Zoho would refuse every record or nothing
   * needs to change: the modal then has no submit button and says why.
   */
  sendable?: number;
}

export function buildBulkPreviewModal(input: BulkPreviewInput): ModalView {
  const page = clampPage(input.page, input.summary.total);
  const nothingToSend = input.sendable === 0;
  const total = input.summary.total;
  const count =
    input.sendable !== undefined && input.sendable < total
      ? `${formatCount(input.sendable)} of ${plural(total, 'record')}`
      : plural(total, 'record');
  const notes = (input.notes ?? []).filter((n) => n.trim() !== '').slice(0, 5);
  const blocks: KnownBlock[] = [
    ...(notes.length > 0 ? [context(notes.map((n) => escapeTruncate(oneLine(n), 500)).join(' · '))] : []),
    section(
      nothingToSend
        ? ':information_source: Zoho would refuse every record in this list, or nothing needs to change, so there is nothing to submit. See the reason on each row.'
        : input.needsApproval
          ? `*${count}* will be sent to a manager for approval. Nothing changes in Zoho until it is approved.`
          : `*${count}* will be changed in Zoho when you click *Run now*.`,
    ),
    ...(input.needsApproval && !nothingToSend && (input.approvalReasons ?? []).length > 0
      ? [
          context(
            `Why approval is needed: ${escapeTruncate(oneLine((input.approvalReasons ?? []).join('; ')), 1500)}`,
          ),
        ]
      : []),
    ...summaryBlocks(input.summary, input.names, MODAL_SUMMARY),
  ];
  if (input.reason) blocks.push(context(`Reason: ${escapeTruncate(oneLine(input.reason), 500)}`));
  blocks.push(
    ...beforeAfterBlocks({
      rows: input.rows,
      page,
      totalRows: input.summary.total,
      names: input.names,
      recordUrl: input.recordUrl,
      prevActionId: ACTION.bulkPreviewPrev,
      nextActionId: ACTION.bulkPreviewNext,
    }),
  );
  return modal({
    callbackId: CALLBACK.bulkPreview,
    title: 'Bulk preview',
    ...(nothingToSend ? {} : { submit: input.needsApproval ? 'Submit for approval' : 'Run now' }),
    // The preview replaces the bulk form in place (response_action: update): closing ends it.
    close: 'Cancel',
    privateMetadata: encodePagedRequest({ requestId: input.requestId, page }),
    blocks,
  });
}
