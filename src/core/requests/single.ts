/**
 * `/territory assign|remove|move` and the assign modal: one call that checks who may ask, checks
 * the change against Zoho's rules and the access policy (DESIGN.md §4), and either stores it as
 * a one-item request and starts it, or, when it needs approval, stores it as a one-item draft
 * and submits it for approval exactly like a bulk list (card, review modal, decision, run).
 */
import { accessChangeOf } from '../access/policy.js';
import { requestAccessFrom } from '../access/request-access.js';
import type { AccessService } from '../access/service.js';
import {
  prepareSingleChange,
  type SingleChangeInput,
  type SingleChangeResult,
  toSingleRequestInput,
} from '../assignment/single-request.js';
import type { TerritoryCatalog } from '../territories/index.js';
import type { ZohoApi } from '../zoho/types.js';
import { type SubmitDraftDeps, submitDraft } from './bulk.js';
import { checkMayUseRecords, type GateRefusal, type RequestGateDeps } from './gate.js';
import type { RequestStarter, SingleRequestWriter } from './ports.js';

export interface StartSingleDeps extends SubmitDraftDeps {
  zoho: Pick<ZohoApi, 'getRecords'>;
  catalog: TerritoryCatalog;
  requests: SingleRequestWriter;
  starter: RequestStarter;
  access: Pick<AccessService, 'settings' | 'identify' | 'check' | 'route'>;
  approvals: SubmitDraftDeps['approvals'] & RequestGateDeps['approvals'];
}

export interface StartSingleInput extends SingleChangeInput {
  /** Slack user id of the person asking. */
  requesterId: string;
  /** Where the parent message goes (null: the requester's DM). */
  originChannelId: string | null;
}

export type SingleRefusal =
  | Exclude<SingleChangeResult, { ok: true }>
  | GateRefusal
  /** It needs approval and could not be submitted (e.g. nobody could decide it). */
  | { ok: false; reason: 'not_submitted'; message: string };

export type StartSingleResult =
  | { ok: true; requestId: string; pendingApproval: false }
  /** Stored and sent for approval; `reasons` say why, `mention` whom the card asks. */
  | { ok: true; requestId: string; pendingApproval: true; reasons: string[]; mention: string[] }
  | SingleRefusal;

/**
 * Checks, stores and starts one change (or submits it for approval). Resolves once the
 * request is stored and its run is scheduled; the engine posts progress and the result in the
 * parent message's thread. Zoho errors while checking are thrown (nothing was stored).
 */
export async function startSingle(
  deps: StartSingleDeps,
  input: StartSingleInput,
): Promise<StartSingleResult> {
  const gate = await checkMayUseRecords(deps, input.requesterId);
  if (!gate.ok) return gate;
  const prepared = await prepareSingleChange(deps, input);
  if (!prepared.ok) return prepared;

  const change = accessChangeOf(prepared.plan, {
    ownerId: prepared.record.owner?.id ?? null,
    name: prepared.record.name,
  });
  const check = await deps.access.check(input.requesterId, change ? [change] : []);
  if (check.decision.kind === 'refused') {
    return {
      ok: false,
      reason: 'not_mapped',
      message: check.unmapped?.message ?? check.decision.reasons[0]!.text,
    };
  }
  const needs = check.decision.kind === 'needs_approval';
  const route = needs
    ? await deps.access.route({
        requesterSlackUserId: input.requesterId,
        requesterZohoUserId: check.requester?.zohoUserId ?? null,
        touchedTerritoryIds: check.decision.touchedTerritoryIds,
      })
    : null;
  const access = requestAccessFrom(deps.access.settings.mode, check, route);
  const base = toSingleRequestInput(prepared, {
    requesterId: input.requesterId,
    originChannelId: input.originChannelId,
  });
  const recordNames = prepared.record.name ? { [prepared.record.id]: prepared.record.name } : {};
  const request = await deps.requests.createSingle({
    ...base,
    summary: { ...base.summary, recordNames, access },
    state: needs ? 'draft' : 'approved',
  });
  if (!needs) {
    await deps.starter.start(request.id);
    return { ok: true, requestId: request.id, pendingApproval: false };
  }
  const submitted = await submitDraft(deps, request.id, input.requesterId);
  if (!submitted.ok) {
    // Nothing was sent; the stored draft is withdrawn so it does not linger as "draft".
    const current = await deps.store.getRequest(request.id);
    if (current?.state === 'draft') await deps.approvals.cancel(request.id, input.requesterId);
    return { ok: false, reason: 'not_submitted', message: submitted.message };
  }
  return {
    ok: true,
    requestId: request.id,
    pendingApproval: true,
    reasons: access.reasons.map((r) => r.text),
    mention: access.mention,
  };
}
