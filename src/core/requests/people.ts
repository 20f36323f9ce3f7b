/**
 * Who a person is to the requests: an admin (APPROVER_USER_IDS / APPROVER_USERGROUP, who may
 * decide anything and undo anyone's request), ops (OPS_USER_IDS), and which requests wait for
 * their decision. One place, so App Home, `/territory requests` and undo agree, and so the
 * access policy (territory managers, DESIGN.md §4) extends `requestsWaitingFor` alone.
 */
import { requestAccessOf } from '../access/index.js';
import { type ApprovalRoles, type GroupDirectory, isApprover } from '../approvals/index.js';
import type { RequestRecord, Store } from '../store/types.js';

export interface PeopleDeps {
  policy: Pick<ApprovalRoles, 'approverUserIds' | 'approverUsergroup' | 'opsUserIds'>;
  directory: GroupDirectory;
}

/** Admins approve anything and may undo anyone's request. A failed group lookup counts as no. */
export async function isAdmin(deps: PeopleDeps, userId: string): Promise<boolean> {
  if (deps.policy.approverUserIds.includes(userId)) return true;
  const group = deps.policy.approverUsergroup;
  if (!group) return false;
  const members = await deps.directory.members(group).catch(() => null);
  return isApprover(userId, deps.policy, members);
}

export function isOps(deps: Pick<PeopleDeps, 'policy'>, userId: string): boolean {
  return deps.policy.opsUserIds.includes(userId);
}

export interface WaitingForDeps extends PeopleDeps {
  store: Pick<Store, 'listRequestsByState'>;
}

/**
 * Requests waiting for this person's decision, newest first, never their own: every pending
 * approval for admins; for a territory manager, those whose approval card asked them (the
 * access policy's route, kept with the request). canDecide: an admin, or someone asked.
 */
export async function requestsWaitingFor(
  deps: WaitingForDeps,
  userId: string,
  limit: number,
): Promise<{ canDecide: boolean; requests: RequestRecord[] }> {
  const admin = await isAdmin(deps, userId);
  const pending = await deps.store.listRequestsByState(['pending_approval'], limit + 50);
  const requests = pending
    .filter(
      (r) =>
        r.requesterId !== userId && (admin || (requestAccessOf(r.summary)?.mention ?? []).includes(userId)),
    )
    .slice(0, limit);
  return { canDecide: admin || requests.length > 0, requests };
}
