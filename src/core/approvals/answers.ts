/**
 * The words and audit shapes of ApprovalService's answers: refusals by request state, policy
 * refusals as approval refusals, and the access decision as the audit log keeps it.
 */
import type { RequestAccess } from '../access/request-access.js';
import type { RequestRecord } from '../store/types.js';
import type { PolicyRefusal } from './policy.js';
import type { ApprovalRefusal } from './service.js';

/** The access decision as the audit log keeps it: why approval was needed, and whom it asked. */
export function auditAccess(access: RequestAccess): Record<string, unknown> {
  return {
    mode: access.mode,
    reasons: access.reasons,
    requesterZohoUserId: access.requesterZohoUserId,
    touchedTerritoryIds: access.touchedTerritoryIds,
    mention: access.mention,
    adminsDecide: access.adminsDecide,
  };
}

export function fromPolicy(reason: PolicyRefusal | 'unavailable'): ApprovalRefusal {
  // not_ops concerns alerts, never requests.
  return reason === 'not_ops' ? 'not_allowed' : reason;
}

export function unavailable(): { ok: false; reason: 'unavailable'; message: string } {
  return {
    ok: false,
    reason: 'unavailable',
    message: 'Slack did not answer who is in the user group just now; try again in a minute.',
  };
}

export function stateRefusal(request: RequestRecord): { reason: ApprovalRefusal; message: string } {
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
