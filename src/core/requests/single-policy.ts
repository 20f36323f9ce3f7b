/**
 * The access policy step of a single change (DESIGN.md §4), run by the engine's deferred check
 * once the record is read (the policy needs its Owner and territories): direct, needs approval
 * (then submitted like a bulk list), or refused.
 */
import { accessChangeOf } from '../access/policy.js';
import { requestAccessFrom } from '../access/request-access.js';
import type { AccessService } from '../access/service.js';
import type { SinglePolicy, SinglePolicyDecision } from '../assignment/single-check.js';
import type { SingleChangeResult } from '../assignment/single-request.js';
import type { RequestRecord } from '../store/types.js';
import { type SubmitDraftDeps, submitDraft } from './bulk.js';

export interface SinglePolicyDeps extends SubmitDraftDeps {
  access: Pick<AccessService, 'settings' | 'check' | 'route'>;
}

export class AccessSinglePolicy implements SinglePolicy {
  constructor(private readonly deps: SinglePolicyDeps) {}

  async decide(
    request: RequestRecord,
    prepared: Extract<SingleChangeResult, { ok: true }>,
  ): Promise<SinglePolicyDecision> {
    const { access } = this.deps;
    const change = accessChangeOf(prepared.plan, {
      ownerId: prepared.record.owner?.id ?? null,
      name: prepared.record.name,
    });
    const check = await access.check(request.requesterId, change ? [change] : []);
    if (check.decision.kind === 'refused') {
      return { kind: 'refused', message: check.unmapped?.message ?? check.decision.reasons[0]!.text };
    }
    if (check.decision.kind !== 'needs_approval') {
      const granted = requestAccessFrom(access.settings.mode, check, null);
      return { kind: 'direct', access: { ...granted } };
    }
    const route = await access.route({
      requesterSlackUserId: request.requesterId,
      requesterZohoUserId: check.requester?.zohoUserId ?? null,
      touchedTerritoryIds: check.decision.touchedTerritoryIds,
    });
    const granted = requestAccessFrom(access.settings.mode, check, route);
    return {
      kind: 'needs_approval',
      access: { ...granted },
      reasons: granted.reasons.map((r) => r.text),
      mention: [...granted.mention],
    };
  }

  async submit(request: RequestRecord): Promise<{ ok: true } | { ok: false; message: string }> {
    const submitted = await submitDraft(this.deps, request.id, request.requesterId);
    return submitted.ok ? { ok: true } : { ok: false, message: submitted.message };
  }
}
