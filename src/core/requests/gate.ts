/**
 * Who may use the request use cases at all (DESIGN.md §4), checked first by each of them before
 * any Zoho call or stored draft: REQUESTER_USERGROUP when set, then, in ACCESS_MODE=zoho, a Zoho
 * user for the person (an unmapped person may use help, list and requests only, and is told why
 * and who can fix it). The one place these checks live; listeners only render the refusal.
 *
 * The requester group covers everything that asks for, shapes or shows a change (assign,
 * remove, move, bulk, show, their modals and preview buttons). `help`, `list`, `requests` and
 * `health` stay open to everyone in the workspace, as for unmapped people; deciding a request
 * is governed by who may decide (approvers, territory managers), not by the requester group.
 */
import type { AccessService } from '../access/service.js';
import type { ApprovalService } from '../approvals/service.js';

export interface RequestGateDeps {
  approvals: Pick<ApprovalService, 'checkRequester'>;
  access: Pick<AccessService, 'settings' | 'identify'>;
}

export type GateRefusal = {
  ok: false;
  /** not_requester: outside REQUESTER_USERGROUP; unavailable: Slack did not answer; not_mapped: no Zoho user. */
  reason: 'not_requester' | 'unavailable' | 'not_mapped';
  message: string;
};

/** REQUESTER_USERGROUP: may this person ask for territory changes? */
export async function checkMayRequest(
  deps: Pick<RequestGateDeps, 'approvals'>,
  userId: string,
): Promise<{ ok: true } | GateRefusal> {
  const allowed = await deps.approvals.checkRequester(userId);
  if (allowed.ok) return { ok: true };
  const reason = allowed.reason === 'unavailable' ? 'unavailable' : 'not_requester';
  return { ok: false, reason, message: allowed.message };
}

/**
 * The requester group, then (ACCESS_MODE=zoho) the person's Zoho user: what reading or
 * changing records needs. Open mode looks nobody up.
 */
export async function checkMayUseRecords(
  deps: RequestGateDeps,
  userId: string,
): Promise<{ ok: true } | GateRefusal> {
  const group = await checkMayRequest(deps, userId);
  if (!group.ok) return group;
  if (deps.access.settings.mode === 'open') return { ok: true };
  const who = await deps.access.identify(userId);
  if (!who.ok) return { ok: false, reason: 'not_mapped', message: who.message };
  return { ok: true };
}
