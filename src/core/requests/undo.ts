/**
 * `/territory undo <request>`: puts every record a finished request changed back to the
 * territories it had before (each item keeps `before`, read when the request was planned, and
 * `after`, read when Zoho's job was confirmed). A record whose territories are no longer what the
 * request left was changed since by someone else, and is skipped with the reason rather than
 * overwritten. The undo is a request of its own, stored and submitted through storeDraft and
 * submitDraft like any list, so the same access checks and approval rules apply; its parent
 * message goes in the thread of the request it undoes (summary.undoOf).
 *
 * Who may: the person who asked for the original request, or an admin (APPROVER_USER_IDS /
 * APPROVER_USERGROUP) — the people who could have made or approved the change.
 */
import type { ValidatedEntry } from '../assignment/bulk-request.js';
import type { ChangeAction } from '../assignment/plan.js';
import type { RequestItemRecord, RequestState } from '../store/types.js';
import type { StoreDraftDeps, SubmitDraftDeps } from './bulk.js';
import { storeDraft, submitDraft } from './bulk.js';
import { checkMayUseRecords, type GateRefusal } from './gate.js';
import { isAdmin, type PeopleDeps } from './people.js';

export interface UndoDeps
  extends Omit<StoreDraftDeps, 'approvals'>,
    Omit<SubmitDraftDeps, 'approvals'>,
    PeopleDeps {
  approvals: StoreDraftDeps['approvals'] & SubmitDraftDeps['approvals'];
}

export interface UndoInput {
  /** The request to undo, as the person typed it. */
  requestId: string;
  /** Slack user id of the person asking. */
  userId: string;
  originChannelId: string | null;
}

export type UndoRefusal =
  | 'not_found'
  | 'not_allowed'
  | 'not_finished'
  | 'nothing_to_undo'
  | 'refused'
  /** The requester gate (REQUESTER_USERGROUP, a Zoho user in ACCESS_MODE=zoho), as for assign. */
  | GateRefusal['reason'];

export type UndoResult =
  | {
      ok: true;
      /** The undo request. */
      requestId: string;
      state: 'pending_approval' | 'approved';
      /** Records it will put back. */
      restoring: number;
      /** Records left alone, with the reason (changed since, or Zoho's rules). */
      skipped: ReadonlyArray<{ module: string; recordId: string; reason: string }>;
    }
  | {
      ok: false;
      reason: UndoRefusal;
      message: string;
      skipped?: ReadonlyArray<{ module: string; recordId: string; reason: string }>;
    };

/** A request may be undone once its items are final: done, or failed with some done. */
const UNDOABLE: readonly RequestState[] = ['done', 'failed'];

export async function startUndo(deps: UndoDeps, input: UndoInput): Promise<UndoResult> {
  // Like assign and bulk: who may ask for changes at all, before any read.
  const gate = await checkMayUseRecords(deps, input.userId);
  if (!gate.ok) return { ok: false, reason: gate.reason, message: gate.message };
  const id = input.requestId.trim().replace(/^`|`$/g, '');
  const original = id === '' ? null : await deps.store.getRequest(id);
  if (!original) {
    return {
      ok: false,
      reason: 'not_found',
      message: `There is no request \`${id}\`. \`/territory requests\` lists yours with their ids.`,
    };
  }
  if (original.requesterId !== input.userId && !(await isAdmin(deps, input.userId))) {
    return {
      ok: false,
      reason: 'not_allowed',
      message: 'Only the person who asked for this request, or an admin, can undo it.',
    };
  }
  if (!UNDOABLE.includes(original.state)) {
    return {
      ok: false,
      reason: 'not_finished',
      message: `This request is ${original.state.replace('_', ' ')}: only a finished request can be undone.`,
    };
  }
  const entries = undoEntries(await deps.store.listItems(original.id));
  if (entries.length === 0) {
    return {
      ok: false,
      reason: 'nothing_to_undo',
      message: 'This request changed no record in Zoho: nothing to undo.',
    };
  }
  const stored = await storeDraft(deps, entries, {
    requesterId: input.userId,
    originChannelId: input.originChannelId ?? original.originChannelId,
    reason: `Undo of request ${original.id}`,
    source: 'undo',
    notes: [],
    extra: { undoOf: original.id },
  });
  if (!stored.ok) return { ok: false, reason: stored.reason, message: stored.message };
  const draft = stored.request;
  const items = await deps.store.listItems(draft.id);
  const skipped = items
    .filter((i) => i.state === 'skipped' || i.state === 'failed')
    .map((i) => ({ module: i.module, recordId: i.recordId, reason: i.message ?? 'Nothing to put back.' }));
  const restoring = items.length - skipped.length;
  if (restoring === 0) {
    await deps.approvals.cancel(draft.id, input.userId);
    return {
      ok: false,
      reason: 'nothing_to_undo',
      message:
        'Every record this request changed was changed again since (or cannot be put back): nothing was undone.',
      skipped,
    };
  }
  const submitted = await submitDraft(deps, draft.id, input.userId);
  if (!submitted.ok) return { ok: false, reason: 'refused', message: submitted.message, skipped };
  // A fresh draft cannot have been submitted before.
  const state = submitted.state === 'pending_approval' ? 'pending_approval' : 'approved';
  return { ok: true, requestId: draft.id, state, restoring, skipped };
}

/**
 * One entry per record the request changed and Zoho confirmed, provided the record still holds
 * `after`. The request's own change is reversed (what it sent, as Zoho confirmed it), not the
 * whole `before` restored: a list approved hours after its preview may have met changes made in
 * between, which are not the request's to undo. A Deal holds one territory, so putting it back
 * is a move; other records get the territories taken away again or given back, or a move when both.
 */
export function undoEntries(items: readonly RequestItemRecord[]): ValidatedEntry[] {
  const out: ValidatedEntry[] = [];
  for (const item of items) {
    if (item.state !== 'done' || !item.before || !item.after) continue;
    const { before, after } = item;
    const sentAdd = item.action === 'remove' ? [] : item.territoryIds;
    const sentRemove = item.action === 'remove' ? item.territoryIds : item.removeTerritoryIds;
    // What the request really changed: sent, on the record before/after as Zoho confirmed it.
    const added = sentAdd.filter((t) => after.includes(t) && !before.includes(t));
    const removed = sentRemove.filter((t) => before.includes(t) && !after.includes(t));
    if (added.length === 0 && removed.length === 0) continue;
    const target = [...after.filter((t) => !added.includes(t)), ...removed];
    let action: ChangeAction;
    let territoryIds: string[];
    if (item.module === 'Deals' && removed.length > 0) [action, territoryIds] = ['move', removed];
    else if (removed.length === 0) [action, territoryIds] = ['remove', added];
    else if (added.length === 0) [action, territoryIds] = ['assign', removed];
    else [action, territoryIds] = ['move', target];
    const lineNo = out.length + 1;
    out.push({
      entry: {
        lineNo,
        lineNos: [lineNo],
        ref: { module: item.module, recordId: item.recordId },
        territories: [],
      },
      territoryIds,
      action,
      expectCurrent: after,
    });
  }
  return out;
}
