/**
 * Requests through approval: submit, decide (first decision wins), cancel, expire. Every
 * request, decision and refusal goes to the audit log. Authorization always uses the acting
 * user's id as Slack sent it with the interaction.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import type { RequestStarter } from '../requests/ports.js';
import type { RequestRecord, Store } from '../store/types.js';
import type { GroupDirectory } from './directory.js';
import {
  type ApprovalPolicy,
  canDecide,
  canRequest,
  canSnooze,
  needsApproval,
  type PolicyDecision,
  type PolicyRefusal,
} from './policy.js';
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

export type ApprovalResult =
  | { ok: true; request: RequestRecord }
  | { ok: false; reason: ApprovalRefusal; message: string; request: RequestRecord | null };

export interface ApprovalServiceOptions {
  store: Store;
  notifier: RequestNotifier;
  clock: Clock;
  policy: ApprovalPolicy;
  directory: GroupDirectory;
  /** Starts an approved request (core/requests BackgroundStarter over the engine), after it is stored. */
  starter: RequestStarter;
  logger?: Logger;
}

const HOUR_MS = 60 * 60 * 1000;

export class ApprovalService {
  private readonly store: Store;
  private readonly notifier: RequestNotifier;
  private readonly clock: Clock;
  private readonly policy: ApprovalPolicy;
  private readonly directory: GroupDirectory;
  private readonly starter: RequestStarter;
  private readonly logger: Logger | undefined;

  constructor(options: ApprovalServiceOptions) {
    this.store = options.store;
    this.notifier = options.notifier;
    this.clock = options.clock;
    this.policy = options.policy;
    this.directory = options.directory;
    this.starter = options.starter;
    this.logger = options.logger;
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
    const needs = this.needsApproval(request.itemCount);
    const step = transition(request.state, 'submit', { needsApproval: needs });
    if (!step.ok) return { ok: false, reason: 'not_allowed', message: step.message };
    if (needs && this.policy.approverUserIds.length === 0 && this.policy.approverUsergroup === null) {
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
    if (!request) return this.refuse('submit', requestId, userId, 'not_found', NOT_FOUND, null);
    const checked = await this.checkSubmit(request, userId);
    if (!checked.ok)
      return this.refuse('submit', requestId, userId, checked.reason, checked.message, request);
    const needs = checked.needsApproval;

    const now = this.clock.now();
    const rule = transitionRule('submit', { needsApproval: needs });
    const patch = needs ? { expiresAt: now + this.policy.approvalTtlHours * HOUR_MS } : { decidedAt: now };
    const moved = await this.store.transitionRequest(requestId, rule.from, rule.to, patch, now);
    if (!moved) return this.lost('submit', requestId, userId);

    await this.audit(userId, 'request.submitted', requestId, {
      itemCount: moved.itemCount,
      needsApproval: needs,
      expiresAt: moved.expiresAt,
    });
    if (needs) {
      await this.notify('approvalRequested', requestId);
      await this.notify('requestUpdated', requestId);
    } else {
      await this.audit('system', 'request.auto_approved', requestId, {
        itemCount: moved.itemCount,
        threshold: this.policy.approvalThreshold,
      });
      await this.notify('requestUpdated', requestId);
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
    );
    if (!moved) return this.lost(decision, requestId, userId);

    await this.audit(userId, decision === 'approve' ? 'request.approved' : 'request.rejected', requestId, {
      comment: text,
      itemCount: moved.itemCount,
    });
    await this.notify('approvalDecided', requestId);
    await this.notify('requestUpdated', requestId);
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
    if (!request) return this.refuse(attempt, requestId, userId, 'not_found', NOT_FOUND, null);

    let members: string[] | null = null;
    const group = this.policy.approverUsergroup;
    if (request.requesterId !== userId && !this.policy.approverUserIds.includes(userId) && group !== null) {
      members = await this.groupMembers(group);
      if (members === null) {
        const u = unavailable();
        return this.refuse(attempt, requestId, userId, u.reason, u.message, request);
      }
    }
    const allowed = canDecide(userId, request, this.policy, members);
    if (!allowed.ok)
      return this.refuse(attempt, requestId, userId, fromPolicy(allowed.reason), allowed.message, request);

    if (request.state !== 'pending_approval') {
      const r = stateRefusal(request);
      return this.refuse(attempt, requestId, userId, r.reason, r.message, request);
    }
    const now = this.clock.now();
    if (request.expiresAt !== null && request.expiresAt <= now) {
      const expired = await this.expire(request, now);
      const current = expired ?? (await this.store.getRequest(requestId)) ?? request;
      const r = stateRefusal(
        current.state === 'pending_approval' ? { ...current, state: 'expired' } : current,
      );
      return this.refuse(attempt, requestId, userId, r.reason, r.message, current);
    }
    return { ok: true, request };
  }

  /** The requester withdraws a draft or a pending request. */
  async cancel(requestId: string, userId: string): Promise<ApprovalResult> {
    const request = await this.store.getRequest(requestId);
    if (!request) return this.refuse('cancel', requestId, userId, 'not_found', NOT_FOUND, null);
    if (request.requesterId !== userId) {
      return this.refuse(
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
      return this.refuse('cancel', requestId, userId, r.reason, step.message, request);
    }
    const now = this.clock.now();
    const rule = transitionRule('cancel');
    const moved = await this.store.transitionRequest(requestId, rule.from, rule.to, {}, now);
    if (!moved) return this.lost('cancel', requestId, userId);
    await this.audit(userId, 'request.cancelled', requestId, { from: request.state });
    if (request.state === 'pending_approval') await this.notify('approvalDecided', requestId);
    await this.notify('requestUpdated', requestId);
    return { ok: true, request: moved };
  }

  /** Pending requests past their expiry → expired (run on a timer). Returns those this call expired. */
  async expireDue(): Promise<RequestRecord[]> {
    const now = this.clock.now();
    const due = await this.store.listExpiredPending(now);
    const expired: RequestRecord[] = [];
    for (const request of due) {
      const moved = await this.expire(request, now);
      if (moved) expired.push(moved);
    }
    return expired;
  }

  private async expire(request: RequestRecord, now: number): Promise<RequestRecord | null> {
    const rule = transitionRule('expire');
    const moved = await this.store.transitionRequest(request.id, rule.from, rule.to, {}, now);
    if (!moved) return null;
    await this.audit('system', 'request.expired', request.id, { expiresAt: request.expiresAt });
    await this.notify('approvalDecided', request.id);
    await this.notify('requestUpdated', request.id);
    return moved;
  }

  private async start(requestId: string): Promise<void> {
    try {
      await this.starter.start(requestId);
    } catch (err) {
      // The approval stands; the engine's own recovery picks approved requests up again.
      this.logger?.error({ err, requestId }, 'starting an approved request failed');
      await this.audit('system', 'request.start_failed', requestId, {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** Someone else's transition landed first: report where the request is now. */
  private async lost(attempt: string, requestId: string, userId: string): Promise<ApprovalResult> {
    const current = await this.store.getRequest(requestId);
    if (!current) return this.refuse(attempt, requestId, userId, 'not_found', NOT_FOUND, null);
    const r = stateRefusal(current);
    return this.refuse(attempt, requestId, userId, r.reason, r.message, current);
  }

  private async refuse(
    attempt: string,
    requestId: string,
    userId: string,
    reason: ApprovalRefusal,
    message: string,
    request: RequestRecord | null,
  ): Promise<ApprovalResult> {
    await this.audit(userId, 'request.refused', request ? requestId : null, {
      attempt,
      reason,
      message,
      ...(request ? {} : { requestId }),
    });
    return { ok: false, reason, message, request };
  }

  private async groupMembers(groupId: string): Promise<string[] | null> {
    try {
      return await this.directory.members(groupId);
    } catch (err) {
      this.logger?.warn({ err, groupId }, 'user group lookup failed');
      return null;
    }
  }

  private async audit(
    actor: string,
    action: string,
    requestId: string | null,
    data: Record<string, unknown>,
  ) {
    try {
      await this.store.appendAudit({ at: this.clock.now(), actor, action, requestId, data });
    } catch (err) {
      this.logger?.error({ err, action, requestId }, 'audit write failed');
      throw err;
    }
  }

  private async notify(kind: keyof RequestNotifier, requestId: string): Promise<void> {
    try {
      await this.notifier[kind](requestId);
    } catch (err) {
      // Slack being slow or down must not undo a stored decision.
      this.logger?.warn({ err, requestId, kind }, 'request notification failed');
    }
  }
}

const NOT_FOUND = 'This request no longer exists.';

function fromPolicy(reason: PolicyRefusal | 'unavailable'): ApprovalRefusal {
  // not_ops concerns alerts, never requests.
  return reason === 'not_ops' ? 'not_allowed' : reason;
}

function unavailable(): { ok: false; reason: 'unavailable'; message: string } {
  return {
    ok: false,
    reason: 'unavailable',
    message: 'Slack did not answer who is in the user group just now; try again in a minute.',
  };
}

function stateRefusal(request: RequestRecord): { reason: ApprovalRefusal; message: string } {
  switch (request.state) {
    case 'expired':
      return {
        reason: 'expired',
        message: 'This request expired without a decision. The requester can submit the list again.',
      };
    case 'approved':
    case 'running':
    case 'done':
    case 'failed':
      return { reason: 'already_decided', message: 'This request has already been approved.' };
    case 'rejected':
      return { reason: 'already_decided', message: 'This request has already been rejected.' };
    case 'cancelled':
      return { reason: 'already_decided', message: 'The requester cancelled this request.' };
    case 'draft':
    case 'checking':
    case 'waiting_for_zoho':
    case 'refused':
      return { reason: 'not_allowed', message: 'This request has not been submitted yet.' };
    case 'pending_approval':
      return { reason: 'not_allowed', message: 'This request is waiting for approval.' };
  }
}
