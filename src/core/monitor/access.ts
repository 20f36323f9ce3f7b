/**
 * Can the API user assign records to a territory? Pure: from the territory tree and the API
 * user's memberships (`GET /users/{id}/territories`). Shared by the monitor and `/territory list`.
 *
 * Rule (TEAM.md decision "read-only path"): membership in territory M gives write access to M and
 * M's descendants when M.permission_type is `read_write_delete`; a `read_only` membership only
 * reads. Zoho has no per-territory "API access" flag (zoho-api.md §12), so this is the signal.
 */
import type { Territory, UserTerritory } from '../zoho/types.js';

export type AccessCode =
  /** A read_write_delete membership on the territory or an ancestor. */
  | 'ok'
  /** No membership on the territory or any ancestor. */
  | 'not_member'
  /** Member on the path, but every such membership is read_only. */
  | 'read_only'
  /** The territory is not in the list (deleted, or not visible). */
  | 'unknown_territory';

export interface AccessVerdict {
  usable: boolean;
  code: AccessCode;
  reason?: string;
  /** The membership that decides: the writable one when usable, the read-only one otherwise. */
  via?: string;
}

/**
 * One verdict per watched id. Walks each territory up to the root (`parentId`), nearest first:
 * the first read_write_delete membership makes it usable.
 */
export function evaluateAccess(
  territories: readonly Territory[],
  userTerritories: readonly UserTerritory[],
  watchedIds: Iterable<string>,
): Map<string, AccessVerdict> {
  const byId = new Map(territories.map((t) => [t.id, t]));
  const memberOf = new Set(userTerritories.map((u) => u.id));
  const out = new Map<string, AccessVerdict>();
  for (const id of watchedIds) {
    const territory = byId.get(id);
    if (!territory) {
      out.set(id, {
        usable: false,
        code: 'unknown_territory',
        reason: 'the territory is not in the territory list',
      });
      continue;
    }
    let readOnlyVia: Territory | null = null;
    let writableVia: Territory | null = null;
    const seen = new Set<string>();
    for (let t: Territory | undefined = territory; t && !seen.has(t.id); t = byId.get(t.parentId ?? '')) {
      // A cycle cannot happen in Zoho; the guard keeps a bad answer from looping forever.
      seen.add(t.id);
      if (!memberOf.has(t.id)) continue;
      if (t.permissionType === 'read_write_delete') {
        writableVia = t;
        break;
      }
      readOnlyVia ??= t;
    }
    if (writableVia) {
      out.set(id, { usable: true, code: 'ok', via: writableVia.id });
    } else if (readOnlyVia) {
      out.set(id, {
        usable: false,
        code: 'read_only',
        via: readOnlyVia.id,
        reason:
          readOnlyVia.id === id
            ? `the API user's membership in "${readOnlyVia.name}" is read-only`
            : `the API user reaches it only through "${readOnlyVia.name}", which is read-only`,
      });
    } else {
      out.set(id, {
        usable: false,
        code: 'not_member',
        reason: 'the API user is not a member of this territory or of any territory above it',
      });
    }
  }
  return out;
}

/** The path from the root down to `id` (ids), for messages. Empty when `id` is unknown. */
export function territoryPath(territories: readonly Territory[], id: string): Territory[] {
  const byId = new Map(territories.map((t) => [t.id, t]));
  const path: Territory[] = [];
  const seen = new Set<string>();
  for (let t = byId.get(id); t && !seen.has(t.id); t = byId.get(t.parentId ?? '')) {
    seen.add(t.id);
    path.unshift(t);
  }
  return path;
}
