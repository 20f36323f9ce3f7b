/**
 * `/territory bulk`: the checked list becomes a stored draft (read from Zoho, planned, every item
 * written before anything is sent), which its requester then submits for approval or runs at
 * once. Whether it needs approval is the access policy's decision (DESIGN.md §4), taken when the
 * draft is stored and kept with it: lists over APPROVAL_THRESHOLD always, smaller ones when a
 * record or territory is not the requester's, or past their hourly limit.
 */
import { REQUEST_ACCESS_KEY, requestAccessFrom } from '../access/request-access.js';
import type { AccessService } from '../access/service.js';
import type { ApprovalRefusal, ApprovalService } from '../approvals/index.js';
import {
  type BulkRequestMeta,
  type PreparedBulk,
  prepareBulkRequest,
  type ValidatedEntry,
} from '../assignment/bulk-request.js';
import type { RequestNotifier } from '../notify.js';
import type { RequestRecord, Store } from '../store/types.js';
import type { TerritoryCatalog } from '../territories/index.js';
import type { ZohoApi } from '../zoho/types.js';
import { BULK_SUMMARY_KEY, keepableBulkSummary, summarizeItems } from './bulk-summary.js';
import { checkMayUseRecords, type GateRefusal } from './gate.js';
import { parentMessageKey } from './message-keys.js';
import { previewItems, sendableCount } from './preview.js';

export interface StoreDraftDeps {
  zoho: Pick<ZohoApi, 'getRecords'>;
  catalog: Pick<TerritoryCatalog, 'get'>;
  store: Store;
  now: () => number;
  approvals: Pick<ApprovalService, 'checkRequester'>;
  access: Pick<AccessService, 'settings' | 'identify' | 'check' | 'route'>;
}

export type StoreDraftResult = { ok: true; request: RequestRecord } | GateRefusal;

/**
 * Checks who asks, reads the records, plans every line, decides whether the list needs
 * approval and stores the draft; returns it as stored.
 */
export async function storeDraft(
  deps: StoreDraftDeps,
  entries: readonly ValidatedEntry[],
  meta: BulkRequestMeta,
): Promise<StoreDraftResult> {
  const gate = await checkMayUseRecords(deps, meta.requesterId);
  if (!gate.ok) return gate;
  const prepared = await prepareBulkRequest(
    { zoho: deps.zoho, catalog: deps.catalog, now: deps.now() },
    entries,
    meta,
  );
  const check = await deps.access.check(meta.requesterId, prepared.changes);
  if (check.decision.kind === 'refused') {
    return {
      ok: false,
      reason: 'not_mapped',
      message: check.unmapped?.message ?? check.decision.reasons[0]!.text,
    };
  }
  const decision = check.decision;
  const threshold = deps.access.settings.approvalThreshold;
  // The threshold counts the list as given (as before access checks), refused lines included.
  if (
    prepared.request.itemCount > threshold &&
    !(decision.kind === 'needs_approval' && decision.reasons.some((r) => r.kind === 'over_threshold'))
  ) {
    const count = prepared.request.itemCount;
    const reason = {
      kind: 'over_threshold' as const,
      count,
      threshold,
      text: `the list of ${count} records is over the approval threshold (${threshold})`,
    };
    check.decision =
      decision.kind === 'needs_approval'
        ? { ...decision, reasons: [...decision.reasons, reason] }
        : { kind: 'needs_approval', reasons: [reason], touchedTerritoryIds: decision.touchedTerritoryIds };
  }
  const route =
    check.decision.kind === 'needs_approval'
      ? await deps.access.route({
          requesterSlackUserId: meta.requesterId,
          requesterZohoUserId: check.requester?.zohoUserId ?? null,
          touchedTerritoryIds: check.decision.touchedTerritoryIds,
        })
      : null;
  prepared.request.summary[REQUEST_ACCESS_KEY] = requestAccessFrom(deps.access.settings.mode, check, route);
  await storeBulkDraft(deps.store, prepared);
  const request = await deps.store.getRequest(prepared.request.id);
  if (!request) throw new Error('the draft request was not stored');
  return { ok: true, request };
}

/** Stores the draft (request and all items in one transaction) and audits it. */
async function storeBulkDraft(store: Store, prepared: PreparedBulk): Promise<void> {
  const { request, items } = prepared;
  // The counts the preview will show, from the items as stored, kept with the request.
  const summary = summarizeItems(previewItems(request, items, 'label'));
  if (keepableBulkSummary(summary)) request.summary[BULK_SUMMARY_KEY] = summary;
  await store.createRequest(request, items);
  await store.appendAudit({
    at: request.createdAt,
    actor: request.requesterId,
    action: 'request.created',
    requestId: request.id,
    data: {
      kind: 'bulk',
      items: request.itemCount,
      ready: summary.total - summary.blocked - summary.skipped,
      blocked: summary.blocked,
      noop: summary.skipped,
      byModule: summary.byModule,
      warnings: summary.warnings,
      source: request.summary.source,
    },
  });
  // The preview's own outcomes, item by item, so the audit log accounts for every record.
  const decided = items.filter((i) => i.state === 'failed' || i.state === 'skipped');
  if (decided.length > 0) {
    await store.appendAudit({
      at: request.createdAt,
      actor: 'system',
      action: 'item.preview_outcome',
      requestId: request.id,
      data: {
        items: decided.map((i) => ({
          seq: i.seq,
          module: i.module,
          recordId: i.recordId,
          state: i.state,
          message: i.message,
        })),
      },
    });
  }
}

export interface SubmitDraftDeps {
  store: Store;
  approvals: Pick<ApprovalService, 'checkSubmit' | 'needsApproval' | 'submit' | 'cancel'>;
  notifier: Pick<RequestNotifier, 'requestCreated'>;
}

export type SubmitDraftRefusal =
  /** Someone other than the requester pressed submit. */
  | 'not_owner'
  /** Every line was refused by the preview. */
  | 'nothing_to_send'
  | ApprovalRefusal;

export type SubmitDraftResult =
  | { ok: true; state: 'pending_approval' | 'approved' }
  /** Submitted before (a double click, or a second tab): nothing changed. */
  | { ok: true; state: 'already_submitted' }
  | { ok: false; reason: SubmitDraftRefusal; message: string };

/**
 * Submits the requester's draft: for approval (pending_approval, the card goes to the
 * approvers) or, at or under APPROVAL_THRESHOLD, approved and started at once. Either way the
 * request's parent message is posted once.
 */
export async function submitDraft(
  deps: SubmitDraftDeps,
  requestId: string,
  userId: string,
): Promise<SubmitDraftResult> {
  const request = await deps.store.getRequest(requestId);
  if (!request) return { ok: false, reason: 'not_found', message: 'This preview no longer exists.' };
  if (request.requesterId !== userId) {
    return { ok: false, reason: 'not_owner', message: 'Only the person who made this list can submit it.' };
  }
  if (request.state !== 'draft') return { ok: true, state: 'already_submitted' };
  if ((await sendableCount(deps.store, request.id)) === 0) {
    return {
      ok: false,
      reason: 'nothing_to_send',
      message: 'Nothing in this list can be sent to Zoho (see the reasons in the preview).',
    };
  }
  const allowed = await deps.approvals.checkSubmit(request, userId);
  // A refused submit goes through ApprovalService.submit, which refuses it again and audits it.
  if (!allowed.ok) return answer(await deps.approvals.submit(request.id, userId));

  // Posted, or written to the outbox to be posted (core/outbox.ts).
  const parentExists = async () =>
    (await deps.store.getMessageRef(parentMessageKey(request.id))) !== null ||
    (await deps.store.listNotices(request.id)).some((n) => n.kind === 'parent');
  const postParent = async () => {
    if (!(await parentExists())) await deps.notifier.requestCreated(request.id);
  };
  // Run now starts the engine at once: the parent message goes first so every progress update
  // and the final reply find it. A request for approval waits for a person, so its parent is
  // posted after the submit and shows "waiting for approval" from the start.
  const runsNow = !allowed.needsApproval;
  if (runsNow) await postParent();
  const result = await deps.approvals.submit(request.id, userId);
  if (!result.ok) {
    const current = await deps.store.getRequest(request.id);
    // A refused draft whose parent is already out (run now) is withdrawn so the message says so.
    if (current?.state === 'draft' && (await parentExists())) await deps.approvals.cancel(request.id, userId);
    return answer(result);
  }
  if (!runsNow) await postParent();
  return answer(result);
}

function answer(result: Awaited<ReturnType<ApprovalService['submit']>>): SubmitDraftResult {
  if (!result.ok) return { ok: false, reason: result.reason, message: result.message };
  return { ok: true, state: result.request.state === 'pending_approval' ? 'pending_approval' : 'approved' };
}
