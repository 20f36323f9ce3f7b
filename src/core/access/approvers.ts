/**
 * Who decides a request that needs approval (DESIGN.md §4). In ACCESS_MODE=zoho a Zoho user
 * may decide when every territory the request adds or removes is one they manage or lies below
 * one they manage: the manager of EMEA decides a move into Germany, not one into APAC (that
 * takes the manager of a territory above both, or someone who manages both). Admins (APPROVER_USER_IDS /
 * APPROVER_USERGROUP) decide anything; where no such manager maps to a Slack user the admins
 * decide. The requester never decides their own request. ACCESS_MODE=open: admins only.
 * Always called with the clicking user's id from the Slack payload.
 */
import type { PolicyRefusal } from '../approvals/policy.js';
import type { AccessMode } from '../config/index.js';
import type { TerritoryIndex } from '../territories/hierarchy.js';

/** A Zoho user who may decide, by managing territories above (or at) every touched one. */
export interface CoveringManager {
  zohoUserId: string;
  /** The territories they manage through which they cover the touched ones, nearest first. */
  territoryIds: string[];
  /** Levels up from the touched territories to the farthest territory needed (0: they manage them all). */
  distance: number;
}

/**
 * The Zoho managers who may decide a request touching `touched`: each touched territory is one
 * they manage or lies below one they manage. Nearest first; `exceptZohoUserId` (the requester)
 * left out. Empty when nothing is touched or a touched territory is not in the hierarchy
 * (deleted): then only admins can decide.
 */
export function coveringManagers(
  territories: TerritoryIndex,
  touched: readonly string[],
  exceptZohoUserId: string | null = null,
): CoveringManager[] {
  const ids = [...new Set(touched)];
  if (ids.length === 0 || ids.some((id) => !territories.has(id))) return [];
  // Per touched territory: manager → (levels up to the nearest territory they manage, that territory).
  const perTouched = ids.map((id) => {
    const near = new Map<string, { level: number; territoryId: string }>();
    [id, ...territories.ancestors(id).map((t) => t.id)].forEach((tid, level) => {
      const m = territories.byId(tid)?.managerId ?? null;
      if (m !== null && m !== exceptZohoUserId && !near.has(m)) near.set(m, { level, territoryId: tid });
    });
    return near;
  });
  const out: CoveringManager[] = [];
  for (const managerId of perTouched[0]!.keys()) {
    if (!perTouched.every((near) => near.has(managerId))) continue;
    const hits = perTouched.map((near) => near.get(managerId)!);
    const order = [...hits].sort((a, b) => a.level - b.level);
    out.push({
      zohoUserId: managerId,
      territoryIds: [...new Set(order.map((h) => h.territoryId))],
      distance: Math.max(...hits.map((h) => h.level)),
    });
  }
  // Stable: managers found first (nearest the first touched territory) stay first among equals.
  return out.sort((a, b) => a.distance - b.distance);
}

export interface ApprovalRoute {
  /** Slack users to mention on the card: the nearest covering managers who map to Slack. */
  mention: string[];
  /** The manager(s) mentioned and the territory each manages (for the card's words). */
  mentioned: CoveringManager[];
  /** True when no covering manager maps to Slack: the admins decide (and are mentioned). */
  adminsDecide: boolean;
}

export interface ApprovalRouteQuestion {
  mode: AccessMode;
  territories: TerritoryIndex;
  touchedTerritoryIds: readonly string[];
  requesterSlackUserId: string;
  requesterZohoUserId: string | null;
  /** Zoho user id → Slack user id for the covering managers (IdentityMap.slackUsersFor). */
  slackByZohoUser: ReadonlyMap<string, string>;
}

/**
 * Whom the approval card goes to: the mapped managers of the nearest covering territory that
 * has one (a manager further up may still decide when they click). Nobody → admins.
 */
export function routeApproval(q: ApprovalRouteQuestion): ApprovalRoute {
  if (q.mode === 'open') return { mention: [], mentioned: [], adminsDecide: true };
  const managers = coveringManagers(q.territories, q.touchedTerritoryIds, q.requesterZohoUserId).filter(
    (m) => {
      const slack = q.slackByZohoUser.get(m.zohoUserId);
      return slack !== undefined && slack !== q.requesterSlackUserId;
    },
  );
  const nearest = managers[0]?.distance;
  const mentioned = managers.filter((m) => m.distance === nearest);
  return {
    mention: mentioned.map((m) => q.slackByZohoUser.get(m.zohoUserId)!),
    mentioned,
    adminsDecide: mentioned.length === 0,
  };
}

export interface DecideQuestion {
  mode: AccessMode;
  /** The clicking user (from the Slack payload, never from the button). */
  clickerSlackUserId: string;
  /** The clicker's Zoho user, when they map to one. */
  clickerZohoUserId: string | null;
  /** Whether the clicker is an admin (approvals/policy.ts isApprover). */
  clickerIsAdmin: boolean;
  requesterSlackUserId: string;
  requesterZohoUserId: string | null;
  territories: TerritoryIndex;
  touchedTerritoryIds: readonly string[];
}

/**
 * Whether the clicking user may decide, and under which rule (for the audit log): as an admin,
 * or as the Zoho manager of `territoryIds`. Assignable to approvals' PolicyDecision.
 */
export type DecideResult =
  | { ok: true; rule: 'admin' }
  | { ok: true; rule: 'territory_manager'; territoryIds: string[] }
  | { ok: false; reason: PolicyRefusal; message: string };

/** Whether the clicking user may approve or reject the request. */
export function canDecideAccess(q: DecideQuestion): DecideResult {
  const samePerson =
    q.clickerSlackUserId === q.requesterSlackUserId ||
    (q.clickerZohoUserId !== null && q.clickerZohoUserId === q.requesterZohoUserId);
  // Checked first: an admin or manager asking for a change still needs a second person.
  if (samePerson) {
    return {
      ok: false,
      reason: 'own_request',
      message: 'You asked for this change, so someone else has to approve or reject it.',
    };
  }
  if (q.clickerIsAdmin) return { ok: true, rule: 'admin' };
  if (q.mode === 'zoho' && q.clickerZohoUserId !== null) {
    const mine = coveringManagers(q.territories, q.touchedTerritoryIds).find(
      (m) => m.zohoUserId === q.clickerZohoUserId,
    );
    if (mine) return { ok: true, rule: 'territory_manager', territoryIds: mine.territoryIds };
  }
  const names = q.touchedTerritoryIds.map((id) => q.territories.byId(id)?.name ?? `territory ${id}`);
  const message =
    q.mode === 'open' || names.length === 0
      ? 'Only approvers can approve or reject this request. Ask an admin if you should be one.'
      : `Only someone who manages ${joinAnd(names)} in Zoho (or a territory above), or an approver, can decide this request.`;
  return { ok: false, reason: 'not_approver', message };
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  const shown = items.slice(0, 5);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
