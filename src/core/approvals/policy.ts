/**
 * Who may do what (DESIGN.md §4). Roles come from configuration; group membership is looked
 * up by the caller (Slack user groups) and passed in, so these stay pure. Always called with
 * the clicking user's id from the Slack payload, never with ids carried in buttons.
 */
import type { AppConfig } from '../config/index.js';
import type { RequestRecord } from '../store/types.js';

export interface ApprovalRoles {
  /** APPROVER_USER_IDS */
  approverUserIds: readonly string[];
  /** APPROVER_USERGROUP (Slack user group id) */
  approverUsergroup: string | null;
  /** REQUESTER_USERGROUP; null: everyone may make requests. */
  requesterUsergroup: string | null;
  /** OPS_USER_IDS: may snooze alerts. */
  opsUserIds: readonly string[];
}

export interface ApprovalPolicy extends ApprovalRoles {
  /** Lists of more than this many records need approval (APPROVAL_THRESHOLD, default 1). */
  approvalThreshold: number;
  /** APPROVAL_TTL_HOURS, default 72. */
  approvalTtlHours: number;
}

/** The policy as configured (DESIGN.md §6: APPROVER_*, REQUESTER_USERGROUP, OPS_USER_IDS, APPROVAL_*). */
export function approvalPolicyFromConfig(config: Pick<AppConfig, 'roles' | 'policy'>): ApprovalPolicy {
  return {
    approverUserIds: [...config.roles.approverUserIds],
    approverUsergroup: config.roles.approverUsergroup,
    requesterUsergroup: config.roles.requesterUsergroup,
    opsUserIds: [...config.roles.opsUserIds],
    approvalThreshold: config.policy.approvalThreshold,
    approvalTtlHours: config.policy.approvalTtlHours,
  };
}

export type PolicyRefusal = 'not_requester' | 'not_approver' | 'own_request' | 'not_ops';

export type PolicyDecision = { ok: true } | { ok: false; reason: PolicyRefusal; message: string };

export const DEFAULT_APPROVAL_THRESHOLD = 1;

/** Lists of more than `threshold` records need a manager's approval. */
export function needsApproval(itemCount: number, threshold: number = DEFAULT_APPROVAL_THRESHOLD): boolean {
  return itemCount > threshold;
}

export function isApprover(
  userId: string,
  roles: Pick<ApprovalRoles, 'approverUserIds' | 'approverUsergroup'>,
  approverGroupMembers: readonly string[] | null,
): boolean {
  if (roles.approverUserIds.includes(userId)) return true;
  return roles.approverUsergroup !== null && (approverGroupMembers ?? []).includes(userId);
}

export function canRequest(
  userId: string,
  roles: Pick<ApprovalRoles, 'requesterUsergroup'>,
  requesterGroupMembers: readonly string[] | null,
): PolicyDecision {
  if (roles.requesterUsergroup === null) return { ok: true };
  if ((requesterGroupMembers ?? []).includes(userId)) return { ok: true };
  return {
    ok: false,
    reason: 'not_requester',
    message:
      'Only members of the requester user group can ask for territory changes. Ask an admin to add you to it.',
  };
}

export function canDecide(
  userId: string,
  request: Pick<RequestRecord, 'requesterId'>,
  roles: Pick<ApprovalRoles, 'approverUserIds' | 'approverUsergroup'>,
  approverGroupMembers: readonly string[] | null,
): PolicyDecision {
  // Checked first: an approver asking for a bulk change still needs a second person.
  if (request.requesterId === userId) {
    return {
      ok: false,
      reason: 'own_request',
      message: 'You asked for this change, so another approver has to approve or reject it.',
    };
  }
  if (isApprover(userId, roles, approverGroupMembers)) return { ok: true };
  const none = roles.approverUserIds.length === 0 && roles.approverUsergroup === null;
  return {
    ok: false,
    reason: 'not_approver',
    message: none
      ? 'No approvers are configured (APPROVER_USER_IDS or APPROVER_USERGROUP), so nobody can decide this request. Ask an admin to set them.'
      : 'Only approvers can approve or reject territory requests. Ask an admin if you should be one.',
  };
}

/** Ops (OPS_USER_IDS) may snooze alerts. */
export function canSnooze(userId: string, roles: Pick<ApprovalRoles, 'opsUserIds'>): PolicyDecision {
  if (roles.opsUserIds.includes(userId)) return { ok: true };
  return {
    ok: false,
    reason: 'not_ops',
    message:
      roles.opsUserIds.length === 0
        ? 'No ops users are configured (OPS_USER_IDS), so nobody can snooze alerts. Ask an admin to set them.'
        : 'Only ops users can snooze alerts. Ask an admin if you should be one.',
  };
}
