/** Renders the stored draft as the bulk preview modal (first render and the pager). */

import type { ModalView } from '@slack/types';
import { requestAccessOf } from '../core/access/index.js';
import { recordWebUrl } from '../core/records/index.js';
import { loadBulkSummary, loadPreviewPage, sendableCount } from '../core/requests/index.js';
import type { RequestRecord } from '../core/store/types.js';
import { buildBulkPreviewModal } from '../views/bulk-preview.js';
import type { RecordLinker } from '../views/labels.js';
import type { BotServices } from './context.js';

export function recordLinker(services: BotServices): RecordLinker {
  const dc = services.config.zoho.dc;
  return (module, id) => recordWebUrl(dc, module, id);
}

export async function renderBulkPreview(
  services: BotServices,
  request: RequestRecord,
  page: number,
): Promise<ModalView> {
  const [summary, rows, names, sendable] = await Promise.all([
    loadBulkSummary(services.store, request),
    loadPreviewPage(services.store, request, page),
    services.catalog.names(),
    sendableCount(services.store, request.id),
  ]);
  const access = requestAccessOf(request.summary);
  const notes = Array.isArray(request.summary.notes)
    ? request.summary.notes.filter((n): n is string => typeof n === 'string')
    : [];
  return buildBulkPreviewModal({
    requestId: request.id,
    summary,
    rows: rows.rows,
    page: rows.page,
    // The access policy's decision stored with the draft; older drafts: the threshold alone.
    needsApproval: access ? access.needsApproval : services.approvals.needsApproval(request.itemCount),
    approvalReasons: access?.reasons.map((r) => r.text) ?? [],
    reason: request.reason,
    names,
    recordUrl: recordLinker(services),
    notes,
    sendable,
  });
}
