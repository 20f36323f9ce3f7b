/** The manager's review modal for a request, read from the store (opened, paged, refused). */
import type { ModalView } from '@slack/types';
import type { ApprovalResult } from '../core/approvals/index.js';
import { loadBulkSummary, loadPreviewPage } from '../core/requests/index.js';
import { buildErrorModal } from '../views/modal.js';
import { buildReviewModal } from '../views/review-modal.js';
import { recordLinker } from './bulk-preview.js';
import type { BotServices } from './context.js';

export const REVIEW_TITLE = 'Review request';

export async function renderReview(
  services: BotServices,
  checked: ApprovalResult,
  page: number,
): Promise<ModalView> {
  const request = checked.request;
  if (!request) {
    return buildErrorModal({
      title: REVIEW_TITLE,
      problem: checked.ok ? 'This request no longer exists.' : checked.message,
      action: '`/territory requests` lists the requests waiting for you.',
    });
  }
  const [summary, rows, names] = await Promise.all([
    loadBulkSummary(services.store, request),
    loadPreviewPage(services.store, request, page),
    services.catalog.names(),
  ]);
  return buildReviewModal({
    request,
    summary,
    rows: rows.rows,
    page: rows.page,
    names,
    recordUrl: recordLinker(services),
    cannotDecide: checked.ok ? null : checked.message,
  });
}
