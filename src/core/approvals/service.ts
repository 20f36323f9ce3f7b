/**
 * Requests through approval: submit, decide (first decision wins), cancel, expire. Every
 * request, decision and refusal goes to the audit log. Authorization always uses the acting
 * user's id as Slack sent it with the interaction.
 */
import type { DecideResult } from '../access/approvers.js';
import { requestAccessOf } from '../access/request-access.js';
import type { AccessService } from '../access/service.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import type { RequestStarter } from '../requests/ports.js';
import type { RequestRecord, Store } from '../store/types.js';
import { auditAccess, fromPolicy, stateRefusal, unavailable } from './answers.js';
import type { GroupDirectory } from './directory.js';
import { expireRequest } from './expiry.js';
import {
  type ApprovalPolicy,
  canDecide,
  canRequest,
  canSnooze,
  isApprover,
  needsApproval,
  type PolicyDecision,
} from './policy.js';
import { ApprovalRecorder, NOT_FOUND } from './recorder.js';
import { transition, transitionRule } from './request-lifecycle.js';

export type Decision = 'approve' | 'reject';

export type ApprovalRefusal =
  | 'not_found'
  | 'not_approver'
  | 'own_request'
  | 'already_decided'
  | 'expired'
  /** Not the requester (submit, cancel), or not in the requester group. */
  | 'not_requester'
  /** The request is not in a state that allows this (e.g. submitting twice). */
  | 'not_allowed'
  /** Slack group membership could not be read just now. */
  | 'unavailable';

/** Under which rule a person decided (audit): as an admin, or as the Zoho manager of territories. */
export type DecidedAs = Extract<DecideResult, { ok: true }>;

export type ApprovalResult =
  | { ok: true; request: RequestRecord; decidedAs?: DecidedAs }
  | { ok: false; reason: ApprovalRefusal; message: string; request: RequestRecord | null };

export interface ApprovalServiceOptions {
  store: Store;
  notifier: RequestNotifier;
  clock: Clock;
  policy: ApprovalPolicy;
  directory: GroupDirectory;
  /** Starts an approved request (core/requests BackgroundStarter over the engine), after it is stored. */
  starter: RequestStarter;
  /**
   * Who may decide a request that carries an access decision (DESIGN.md §4): its territories'
   * managers and the admins. Without it (or for older requests) only the admins decide.
   */
  access?: Pick<AccessService, 'canDecide'>;
  logger?: Logger;
}

const HOUR_MS = 60 * 60 * 1000;

export class ApprovalService {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly policy: ApprovalPolicy;
  private readonly directory: GroupDirectory;
  private readonly starter: RequestStarter;
  private readonly access: Pick<AccessService, 'canDecide'> | null;
  private readonly logger: Logger | undefined;
  /** Audit log and Slack notices (recorder.ts), kept apart from the decisions. */
  private readonly recorder: ApprovalRecorder;

  constructor(options: ApprovalServiceOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.policy = options.policy;
    this.directory = options.directory;
    this.starter = options.starter;
    this.access = options.access ?? null;
    this.logger = options.logger;
    this.recorder = new ApprovalRecorder(this.store, options.notifier, this.clock, this.logger);
  }

  /** Whether the request needs approval under the configured threshold. */
  needsApproval(itemCount: number): boolean {
    return needsApproval(itemCount, this.policy.approvalThreshold);
  }

  /** May this user make requests at all (requester group)? Check before building a request. */
  async checkRequester(
    userId: string,
  ): Promise<PolicyDecision | { ok: false; reason: 'unavailable'; message: string }> {
    const group = this.policy.requesterUsergroup;
    if (group === null) return { ok: true };
    const members = await this.groupMembers(group);
    if (members === null) return unavailable();
    return canRequest(userId, this.policy, members);
  }

  /** May this user snooze alerts? */
  canSnooze(userId: string): PolicyDecision {
    return canSnooze(userId, this.policy);
  }

  /**
   * Whether this user may submit this request now, without changing anything: the requester
   * only, a draft only, in the requester group, with records, and with approvers to ask. The
   * one list of submit checks (submit runs it again under the atomic transition).
   */
  async checkSubmit(
    request: RequestRecord,
    userId: string,
  ): Promise<{ ok: true; needsApproval: boolean } | { ok: false; reason: ApprovalRefusal; message: string }> {
    if (request.requesterId !== userId) {
      return {
        ok: false,
        reason: 'not_requester',
        message: 'Only the person who made this request can submit it.',
      };
    }
    const allowed = await this.checkRequester(userId);
    if (!allowed.ok) return { ok: false, reason: fromPolicy(allowed.reason), message: allowed.message };
    if (request.itemCount < 1) {
      return { ok: false, reason: 'not_allowed', message: 'This request has no records to change.' };
    }
    // The access policy's decision, stored with the request; older requests: the threshold alone.
    const access = requestAccessOf(request.summary);
    const needs = access ? access.needsApproval : this.needsApproval(request.itemCount);
    const step = transition(request.state, 'submit', { needsApproval: needs });
    if (!step.ok) return { ok: false, reason: 'not_allowed', message: step.message };
    const managersDecide = access !== null && access.mention.length > 0;
    if (
      needs &&
      !managersDecide &&
      this.policy.approverUserIds.length === 0 &&
      this.policy.approverUsergroup === null
    ) {
      if (access && access.reasons.length > 0 && request.itemCount <= this.policy.approvalThreshold) {
        return {
          ok: false,
          reason: 'not_allowed',
          message:
            `This change needs approval (${access.reasons.map((r) => r.text).join('; ')}), but no territory manager ` +
            'in Slack can decide it and no approvers are configured (APPROVER_USER_IDS or APPROVER_USERGROUP). Ask an admin to set them.',
        };
      }
      return {
        ok: false,
        reason: 'not_allowed',
        message:
          `A list of ${request.itemCount} records needs approval, but no approvers are configured ` +
          '(APPROVER_USER_IDS or APPROVER_USERGROUP). Ask an admin to set them.',
      };
    }
    return { ok: true, needsApproval: needs };
  }

  /** draft → pending_approval (expires after the TTL), or → approved at once below the threshold. */
  async submit(requestId: string, userId: string): Promise<ApprovalResult> {
    const request = await this.store.getRequest(requestId);
    if (!request) return this.recorder.refuse('submit', requestId, userId, 'not_found', NOT_FOUND, null);
    const checked = await this.checkSubmit(request, userId);
    if (!checked.ok)
      return this.recorder.refuse('submit', requestId, userId, checked.reason, checked.message, request);
    const needs = checked.needsApproval;

    const now = this.clock.now();
    const rule = transitionRule('submit', { needsApproval: needs });
    const patch = needs ? { expiresAt: now + this.policy.approvalTtlHours * HOUR_MS } : { decidedAt: now };
    // The messages that report the submit go to the outbox in the same transaction (core/outbox.ts).
    const moved = await this.store.transitionRequest(
      requestId,
      rule.from,
      rule.to,
      patch,
      now,
      needs ? ['parent', 'approval_card', 'progress'] : ['parent', 'progress'],
    );
    if (!moved) return this.recorder.lost('submit', requestId, userId);

    const access = requestAccessOf(moved.summary);
    await this.recorder.audit(userId, 'request.submitted', requestId, {
      itemCount: moved.itemCount,
      needsApproval: needs,
      expiresAt: moved.expiresAt,
      ...(access ? { access: auditAccess(access) } : {}),
    });
    if (needs) {
      await this.recorder.notify('approvalRequested', requestId);
      await this.recorder.notify('requestUpdated', requestId);
    } else {
      await this.recorder.audit('system', 'request.auto_approved', requestId, {
        itemCount: moved.itemCount,
        threshold: this.policy.approvalThreshold,
        ...(access ? { accessMode: access.mode } : {}),
      });
      await this.recorder.notify('requestUpdated', requestId);
      await this.start(requestId);
    }
    return { ok: true, request: moved };
  }

  /**
   * Approve or reject. The first decision wins atomically (store.transitionRequest); a later
   * one gets `already_decided`. The requester never decides their own request.
   */
  async decide(
    requestId: string,
    userId: string,
    decision: Decision,
    comment: string | null = null,
  ): Promise<ApprovalResult> {
    const checked = await this.checkDecider(requestId, userId, decision);
    if (!checked.ok) return checked;

    const now = this.clock.now();
    const event = decision === 'approve' ? 'approve' : 'reject';
    const rule = transitionRule(event);
    const text = comment?.trim() ? comment.trim() : null;
    const moved = await this.store.transitionRequest(
      requestId,
      rule.from,
      rule.to,
      { decidedBy: userId, decidedAt: now, decisionComment: text },
      now,
      ['decision', 'progress'],
    );
    if (!moved) return this.recorder.lost(decision, requestId, userId);

    const access = requestAccessOf(moved.summary);
    await this.recorder.audit(
      userId,
      decision === 'approve' ? 'request.approved' : 'request.rejected',
      requestId,
      {
        comment: text,
        itemCount: moved.itemCount,
        // Who decided under which rule, and why approval was needed (DESIGN.md §4).
        rule: checked.decidedAs?.rule ?? 'admin',
        ...(checked.decidedAs?.rule === 'territory_manager'
          ? { territoryIds: checked.decidedAs.territoryIds }
          : {}),
        ...(access ? { approvalNeededBecause: access.reasons.map((r) => r.text) } : {}),
      },
    );
    await this.recorder.notify('approvalDecided', requestId);
    await this.recorder.notify('requestUpdated', requestId);
    if (decision === 'approve') await this.start(requestId);
    return { ok: true, request: moved };
  }

  /**
   * Whether `userId` may decide the request now (for opening the review modal, and first
   * step of decide). Refusals are audited. An overdue request is expired on the spot.
   */
  async checkDecider(
    requestId: string,
    userId: string,
    attempt: Decision | 'review' = 'review',
  ): Promise<ApprovalResult> {
    const request = await this.store.getRequest(requestId);
    if (!request) return this.recorder.refuse(attempt, requestId, userId, 'not_found', NOT_FOUND, null);

    let members: string[] | null = null;
    const group = this.policy.approverUsergroup;
    if (request.requesterId !== userId && !this.policy.approverUserIds.includes(userId) && group !== null) {
      members = await this.groupMembers(group);
      if (members === null) {
        const u = unavailable();
        return this.recorder.refuse(attempt, requestId, userId, u.reason, u.message, request);
      }
    }
    const access = requestAccessOf(request.summary);
    // Open mode has no territory managers: the admins decide, as before access checks.
    // In zoho mode: territory managers and admins, from the clicking user's id and the stored
    // request only.
    const allowed =
      access?.mode === 'zoho' && this.access
        ? await this.access.canDecide({
            clickerSlackUserId: userId,
            clickerIsAdmin: isApprover(userId, this.policy, members),
            requesterSlackUserId: request.requesterId,
            requesterZohoUserId: access.requesterZohoUserId,
            touchedTerritoryIds: access.touchedTerritoryIds,
          })
        : adminsDecide(canDecide(userId, request, this.policy, members));
    if (!allowed.ok)
      return this.recorder.refuse(
        attempt,
        requestId,
        userId,
        fromPolicy(allowed.reason),
        allowed.message,
        request,
      );
    const decidedAs: DecidedAs = allowed;

    if (request.state !== 'pending_approval') {
      const r = stateRefusal(request);
      return this.recorder.refuse(attempt, requestId, userId, r.reason, r.message, request);
    }
    const now = this.clock.now();
    if (request.expiresAt !== null && request.expiresAt <= now) {
      const expired = await expireRequest(this.store, this.recorder, request, now);
      const current = expired ?? (await this.store.getRequest(requestId)) ?? request;
      const r = stateRefusal(
        current.state === 'pending_approval' ? { ...current, state: 'expired' } : current,
      );
      return this.recorder.refuse(attempt, requestId, userId, r.reason, r.message, current);
    }
    return { ok: true, request, decidedAs };
  }

  /** The requester withdraws a draft or a pending request. */
  async cancel(requestId: string, userId: string): Promise<ApprovalResult> {
    const request = await this.store.getRequest(requestId);
    if (!request) return this.recorder.refuse('cancel', requestId, userId, 'not_found', NOT_FOUND, null);
    if (request.requesterId !== userId) {
      return this.recorder.refuse(
        'cancel',
        requestId,
        userId,
        'not_requester',
        'Only the person who made this request can cancel it.',
        request,
      );
    }
    const step = transition(request.state, 'cancel');
    if (!step.ok) {
      const r = stateRefusal(request);
      return this.recorder.refuse('cancel', requestId, userId, r.reason, step.message, request);
    }
    const now = this.clock.now();
    const rule = transitionRule('cancel');
    const told =
      request.state === 'pending_approval' ? (['decision', 'progress'] as const) : (['progress'] as const);
    const moved = await this.store.transitionRequest(requestId, rule.from, rule.to, {}, now, told);
    if (!moved) return this.recorder.lost('cancel', requestId, userId);
    await this.recorder.audit(userId, 'request.cancelled', requestId, { from: request.state });
    if (request.state === 'pending_approval') await this.recorder.notify('approvalDecided', requestId);
    await this.recorder.notify('requestUpdated', requestId);
    return { ok: true, request: moved };
  }

  /** Pending requests past their expiry → expired (run on a timer). Returns those this call expired. */
  async expireDue(): Promise<RequestRecord[]> {
    const now = this.clock.now();
    const due = await this.store.listExpiredPending(now);
    const expired: RequestRecord[] = [];
    for (const request of due) {
      const moved = await expireRequest(this.store, this.recorder, request, now);
      if (moved) expired.push(moved);
    }
    return expired;
  }

  private async start(requestId: string): Promise<void> {
    try {
      await this.starter.start(requestId);
    } catch (err) {
      // The approval stands; the engine's own recovery picks approved requests up again.
      this.logger?.error({ err, requestId }, 'starting an approved request failed');
      await this.recorder.audit('system', 'request.start_failed', requestId, {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  private async groupMembers(groupId: string): Promise<string[] | null> {
    try {
      return await this.directory.members(groupId);
    } catch (err) {
      this.logger?.warn({ err, groupId }, 'user group lookup failed');
      return null;
    }
  }
}

/** Outside zoho mode only admins decide: a yes from the approver policy is the admin rule. */
function adminsDecide(d: PolicyDecision): DecidedAs | Extract<PolicyDecision, { ok: false }> {
  return d.ok ? { ok: true, rule: 'admin' } : d;
}
