/**
 * Every Slack id the views emit and the listeners (src/listeners) register on. Slack routes
 * interactions by these strings, so they are part of the app's contract: change one only
 * together with its listener. All are well under Slack's 255-character limit for
 * action_id / block_id / callback_id.
 */

// --- view callback_ids ------------------------------------------------------------------------
export const CALLBACK = {
  /** Single-record assign modal (`/territory assign` without arguments). */
  assignModal: 'assign_modal',
  /** Bulk list modal (`/territory bulk`). */
  bulkModal: 'bulk_modal',
  /** Bulk preview, pushed/updated after the list validated; submit sends it for approval or runs it. */
  bulkPreview: 'bulk_preview',
  /** Manager review modal opened from the approval card. */
  reviewModal: 'review_modal',
  /** "Opening..." placeholder opened within the 3 s trigger_id window, then views.update'd. */
  loadingModal: 'loading_modal',
  /** Error shown in place of a modal that could not be filled. */
  errorModal: 'error_modal',
} as const;

// --- block_ids of input blocks (keys of view.state.values and of response_action: errors) ------
export const ASSIGN_BLOCK = {
  module: 'assign_module',
  record: 'assign_record',
  territories: 'assign_territories',
  replace: 'assign_replace',
} as const;

export const BULK_BLOCK = {
  paste: 'bulk_paste',
  file: 'bulk_file',
  defaultTerritory: 'bulk_default_territory',
  module: 'bulk_module',
  reason: 'bulk_reason',
} as const;

export const REVIEW_BLOCK = {
  decision: 'review_decision',
  comment: 'review_comment',
} as const;

// --- action_ids -------------------------------------------------------------------------------
export const ACTION = {
  /**
   * Every territory type-ahead (multi_external_select / external_select) uses this action_id, so
   * one `app.options(ACTION.territorySearch)` listener serves them all; action_ids only need to be
   * unique within their block.
   */
  territorySearch: 'territory_search',

  assignModule: 'assign_module_select',
  assignRecord: 'assign_record_input',
  assignReplace: 'assign_replace_checkbox',

  bulkPaste: 'bulk_paste_input',
  bulkFile: 'bulk_file_input',
  bulkModule: 'bulk_module_select',
  bulkReason: 'bulk_reason_input',

  /** Bulk preview pager; value = the page number (0-based) to show. */
  bulkPreviewPrev: 'bulk_preview_page_prev',
  bulkPreviewNext: 'bulk_preview_page_next',

  reviewDecision: 'review_decision_radio',
  reviewComment: 'review_comment_input',
  /** Review modal pager; value = the page number (0-based) to show. */
  reviewPrev: 'review_page_prev',
  reviewNext: 'review_page_next',

  /** On the parent message and in the requests list while pending; value = request id. */
  requestCancel: 'request_cancel',
  /** On the approval card and in the requests list; value = request id. Opens the review modal. */
  approvalReview: 'approval_review',

  /** Alert snooze buttons; value = `${fingerprint}|${duration}` (see snooze.ts). */
  alertSnooze1h: 'alert_snooze_1h',
  alertSnooze1d: 'alert_snooze_1d',
  alertSnooze1w: 'alert_snooze_1w',

  /** App Home buttons: open the assign or the bulk modal. */
  homeOpenAssign: 'home_open_assign',
  homeOpenBulk: 'home_open_bulk',
} as const;

/** Matches both bulk-preview pager buttons (Bolt accepts a RegExp as action_id constraint). */
export const BULK_PREVIEW_PAGE_ACTION = /^bulk_preview_page_(prev|next)$/;
/** Matches both review pager buttons. */
export const REVIEW_PAGE_ACTION = /^review_page_(prev|next)$/;
/** Matches the three snooze buttons. */
export const ALERT_SNOOZE_ACTION = /^alert_snooze_(1h|1d|1w)$/;

/** Values of the review decision radio buttons. */
export const REVIEW_DECISION = { approve: 'approve', reject: 'reject' } as const;
export type ReviewDecision = (typeof REVIEW_DECISION)[keyof typeof REVIEW_DECISION];

/** Value of the single "replace existing (move)" checkbox option. */
export const ASSIGN_REPLACE_VALUE = 'replace';

// --- values carried in buttons and private_metadata -------------------------------------------
// Authorization never relies on these (DESIGN.md §4): they only say *which* thing was clicked.

export const SNOOZE_DURATIONS = { '1h': 3_600_000, '1d': 86_400_000, '1w': 604_800_000 } as const;
export type SnoozeDuration = keyof typeof SNOOZE_DURATIONS;

export function snoozeValue(fingerprint: string, duration: SnoozeDuration): string {
  return `${fingerprint}|${duration}`;
}

/** Parses a snooze button value; null when it is not one we produced. */
export function parseSnoozeValue(value: string): { fingerprint: string; duration: SnoozeDuration } | null {
  const at = value.lastIndexOf('|');
  if (at <= 0) return null;
  const duration = value.slice(at + 1);
  if (!Object.hasOwn(SNOOZE_DURATIONS, duration)) return null;
  return { fingerprint: value.slice(0, at), duration: duration as SnoozeDuration };
}

/** private_metadata of the assign and bulk modals: where the command was typed. */
export interface ModalOrigin {
  channelId: string | null;
}

export function encodeModalOrigin(origin: ModalOrigin): string {
  return JSON.stringify({ c: origin.channelId });
}

export function decodeModalOrigin(metadata: string | undefined): ModalOrigin {
  const parsed = parseJsonObject(metadata);
  return { channelId: typeof parsed?.c === 'string' ? parsed.c : null };
}

/** private_metadata of the bulk preview and review modals: which request, which page. */
export interface PagedRequest {
  requestId: string;
  page: number;
}

export function encodePagedRequest(value: PagedRequest): string {
  return JSON.stringify({ r: value.requestId, p: value.page });
}

export function decodePagedRequest(metadata: string | undefined): PagedRequest | null {
  const parsed = parseJsonObject(metadata);
  if (!parsed || typeof parsed.r !== 'string' || parsed.r === '') return null;
  const page = typeof parsed.p === 'number' && Number.isInteger(parsed.p) && parsed.p >= 0 ? parsed.p : 0;
  return { requestId: parsed.r, page };
}

/** Parses a pager button value (a page number); null for anything else. */
export function parsePageValue(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,6}$/.test(value)) return null;
  return Number(value);
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
