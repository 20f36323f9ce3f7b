/**
 * One monitor run's checks, from Zoho to a list of conditions. Few calls: the token check
 * (no CRM call while the access token is valid), the whole tree (`listTerritories`, one call per
 * 2000 territories), the current user once, the API user's territories once; a per-territory
 * read only to tell "deleted" from "not readable" for a watched id missing from the list.
 *
 * A step that cannot be judged (refresh throttled, network, 429/5xx) ends the run as
 * `inconclusive`: the kinds it would have judged are left as they were, so a flaky Zoho never
 * resolves or raises alerts by accident. `evaluatedKinds` says which kinds this run judged.
 */
import { isInvalidId, isTerritoryManagementOff, ZohoApiError } from '../zoho/errors.js';
import type { Territory, UserTerritory, ZohoApi, ZohoModule, ZohoUser } from '../zoho/types.js';
import { type AccessCode, evaluateAccess } from './access.js';
import type { AlertKind } from './alert-kinds.js';
import { authCondition, Inconclusive, isForbidden, transient } from './check-failures.js';
import {
  type AffectedTerritory,
  type AlertCondition,
  type ApiUserRef,
  apiUserInactive,
  apiUserOutsideHierarchy,
  territoryManagementOff,
  territorySettingsForbidden,
} from './conditions.js';
import { type RoutingConfig, type RoutingEntry, resolveRouting, type TerritoryNames } from './routing.js';
import {
  apiUserNotMember,
  apiUserReadOnly,
  routingEntryAmbiguous,
  routingEntryUnmatched,
  territoryDeleted,
  territoryRenamed,
  territoryUnreadable,
} from './territory-conditions.js';

/** Per-territory reads a run may make to tell deleted from unreadable (the rest go by the list). */
export const MAX_CONFIRM_READS = 20;

export interface WatchedStatus {
  id: string;
  name: string;
  modules: ZohoModule[];
  usable: boolean;
  code: AccessCode | 'deleted' | 'unreadable';
  reason: string | null;
  /** The membership that decides (writable one when usable). */
  viaId: string | null;
  viaName: string | null;
}

export interface CheckResult {
  /** ok: nothing wrong; problems: conditions hold; inconclusive: a step could not be judged. */
  status: 'ok' | 'problems' | 'inconclusive';
  inconclusiveReason: string | null;
  conditions: AlertCondition[];
  evaluatedKinds: AlertKind[];
  apiUser: (ApiUserRef & { status: string }) | null;
  territoryCount: number | null;
  /** Watched territories and whether the API user can assign to them (deleted ones included). */
  watched: WatchedStatus[];
  /** id → name of the watched territories now: the baseline for rename/delete detection next run. */
  names: Record<string, string> | null;
  /** Zoho API methods this run called, by name. */
  calls: Record<string, number>;
}

export interface CheckInput {
  api: ZohoApi;
  routing: RoutingConfig | null;
  /** id → name from the previous complete run (empty on the first run). */
  previousNames: TerritoryNames;
}

export async function runChecks(input: CheckInput): Promise<CheckResult> {
  const { routing, previousNames } = input;
  const calls: Record<string, number> = {};
  // Counts what the monitor asks for; the client's own retries and paging are not visible here.
  const api = new Proxy(input.api, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls[String(prop)] = (calls[String(prop)] ?? 0) + 1;
        return v.apply(target, args);
      };
    },
  });

  const result: CheckResult = {
    status: 'ok',
    inconclusiveReason: null,
    conditions: [],
    evaluatedKinds: [],
    apiUser: null,
    territoryCount: null,
    watched: [],
    names: null,
    calls,
  };
  const judged = (...kinds: AlertKind[]) => result.evaluatedKinds.push(...kinds);
  const finish = (): CheckResult => {
    result.status = result.conditions.length > 0 ? 'problems' : 'ok';
    return result;
  };
  /** Auth failures end the run with their alert whatever step hits them. */
  const stopOnAuth = (err: unknown): boolean => {
    const c = authCondition(err);
    if (!c) return false;
    result.conditions.push(c);
    return true;
  };

  try {
    // 1. OAuth. All three OAuth kinds are judged by this one step.
    const oauthKinds: AlertKind[] = ['oauth_revoked', 'oauth_scope_missing', 'oauth_invalid_client'];
    try {
      await api.checkAuth();
      judged(...oauthKinds);
    } catch (err) {
      const c = authCondition(err);
      if (c) {
        judged(...oauthKinds);
        result.conditions.push(c);
        return finish();
      }
      transient(err, 'Checking the Zoho token');
    }

    // 2. The whole tree. 403 with a territory-off code = territory management is off.
    let territories: Territory[];
    try {
      territories = [...(await api.listTerritories())];
      judged('territory_management_off', 'territory_settings_forbidden');
    } catch (err) {
      if (stopOnAuth(err)) return finish();
      if (isTerritoryManagementOff(err)) {
        const e = err as ZohoApiError;
        judged('territory_management_off');
        result.conditions.push(territoryManagementOff(e.code, e.message));
        return finish();
      }
      if (isForbidden(err)) {
        const e = err as ZohoApiError;
        judged('territory_management_off', 'territory_settings_forbidden');
        result.conditions.push(territorySettingsForbidden(e.code, e.message, null));
        return finish();
      }
      return transient(err, 'Listing territories');
    }
    result.territoryCount = territories.length;
    const byId = new Map(territories.map((t) => [t.id, t]));

    // 3. The API user, once.
    let user: ZohoUser;
    try {
      user = await api.getCurrentUser();
    } catch (err) {
      if (stopOnAuth(err)) return finish();
      return transient(err, 'Reading the API user');
    }
    const userRef: ApiUserRef = { id: user.id, name: user.fullName, email: user.email };
    result.apiUser = { ...userRef, status: user.status };
    judged('api_user_inactive');
    if (user.status.toLowerCase() !== 'active') result.conditions.push(apiUserInactive(userRef, user.status));

    // 4. The API user's territories, once.
    let memberships: UserTerritory[];
    try {
      memberships = await api.getUserTerritories(user.id);
    } catch (err) {
      if (stopOnAuth(err)) return finish();
      return transient(err, "Reading the API user's territories");
    }
    judged('api_user_outside_hierarchy');
    if (memberships.length === 0) {
      const root = territories.find((t) => t.parentId === null) ?? null;
      result.conditions.push(
        apiUserOutsideHierarchy(userRef, root ? { id: root.id, name: root.name } : null),
      );
    }

    // 5. What is watched, resolved against today's list.
    const resolution = resolveRouting(routing, territories, previousNames);
    const ref = (e: RoutingEntry | null) => (routing && e ? { file: routing.file, line: e.line } : null);
    const names: Record<string, string> = {};
    for (const w of resolution.watched) names[w.id] = w.name;

    // Ids to confirm: routing `id:` entries missing from the list, and (every territory watched)
    // ids seen last run that are gone now.
    const missing: Array<{ id: string; name: string; modules: ZohoModule[]; entry: RoutingEntry | null }> =
      [];
    for (const p of resolution.problems) {
      if (p.kind === 'missing_id') {
        missing.push({
          id: p.entry.id!,
          name: p.entry.name ?? previousNames[p.entry.id!] ?? p.entry.id!,
          modules: p.entry.modules,
          entry: p.entry,
        });
      } else if (p.kind === 'unmatched_name') {
        result.conditions.push(
          routingEntryUnmatched(p.entry.name!, ref(p.entry)!, p.entry.modules, p.previous, p.suggestions),
        );
        // Keep the old name as baseline so the next run still explains the rename.
        if (p.previous) names[p.previous.id] = previousNames[p.previous.id] ?? p.entry.name!;
      } else {
        result.conditions.push(
          routingEntryAmbiguous(
            p.entry.name!,
            ref(p.entry)!,
            p.entry.modules,
            p.candidates.map((c) => ({ id: c.id, name: c.name })),
          ),
        );
      }
    }
    if (!routing) {
      for (const [id, name] of Object.entries(previousNames)) {
        if (!byId.has(id)) missing.push({ id, name, modules: [], entry: null });
      }
    }

    const watchedTerritories = [...resolution.watched];
    let reads = 0;
    for (const m of missing) {
      const affected = { id: m.id, name: m.name, modules: m.modules };
      if (reads >= MAX_CONFIRM_READS) {
        result.conditions.push(territoryDeleted(affected, ref(m.entry), 'not in the territory list'));
        result.watched.push(deadStatus(m, 'deleted', 'not in the territory list'));
        continue;
      }
      reads++;
      try {
        // The list did not have it; a direct read tells deleted (INVALID_DATA) from hidden (403).
        const t = await api.getTerritory(m.id);
        byId.set(t.id, t);
        territories.push(t);
        watchedTerritories.push({ id: t.id, name: t.name, modules: m.modules, entry: m.entry });
        names[t.id] = t.name;
      } catch (err) {
        if (stopOnAuth(err)) return finish();
        if (isInvalidId(err) || (err instanceof ZohoApiError && err.status === 404)) {
          result.conditions.push(
            territoryDeleted(affected, ref(m.entry), `reading it answers ${(err as ZohoApiError).code}`),
          );
          result.watched.push(deadStatus(m, 'deleted', 'deleted in Zoho'));
        } else if (isForbidden(err) || isTerritoryManagementOff(err)) {
          const e = err as ZohoApiError;
          result.conditions.push(territoryUnreadable(affected, e.code, e.message, userRef));
          result.watched.push(deadStatus(m, 'unreadable', `reading it answers ${e.code}`));
        } else {
          transient(err, `Reading territory ${m.id}`);
        }
      }
    }

    // Renames: against the routing file's name when an id entry gives one (persistent until
    // the file is updated), otherwise against the name seen last run (announced once).
    for (const w of watchedTerritories) {
      const expected = w.entry?.id && w.entry.name ? w.entry.name : (previousNames[w.id] ?? null);
      if (expected !== null && norm(expected) !== norm(w.name)) {
        result.conditions.push(
          territoryRenamed({ id: w.id, name: w.name, modules: w.modules }, expected, ref(w.entry)),
        );
      }
    }

    // 6. Access: can the API user write to each watched territory?
    const verdicts = evaluateAccess(
      territories,
      memberships,
      watchedTerritories.map((w) => w.id),
    );
    const watchedById = new Map(watchedTerritories.map((w) => [w.id, w]));
    for (const w of watchedTerritories) {
      const v = verdicts.get(w.id)!;
      result.watched.push({
        id: w.id,
        name: w.name,
        modules: w.modules,
        usable: v.usable,
        code: v.code,
        reason: v.reason ?? null,
        viaId: v.via ?? null,
        viaName: v.via ? (byId.get(v.via)?.name ?? null) : null,
      });
    }
    result.conditions.push(...accessConditions(territories, byId, watchedById, verdicts, userRef));
    judged(
      'territory_deleted',
      'territory_renamed',
      'territory_unreadable',
      'routing_entry_unmatched',
      'routing_entry_ambiguous',
      'api_user_not_member',
      'api_user_read_only',
    );
    result.names = names;
    return finish();
  } catch (err) {
    if (!(err instanceof Inconclusive)) throw err;
    result.status = 'inconclusive';
    result.inconclusiveReason = err.message;
    // Only completed steps added their kinds: what the failed step would judge stays as it was.
    return result;
  }
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

function deadStatus(
  m: { id: string; name: string; modules: ZohoModule[] },
  code: 'deleted' | 'unreadable',
  reason: string,
): WatchedStatus {
  return {
    id: m.id,
    name: m.name,
    modules: m.modules,
    usable: false,
    code,
    reason,
    viaId: null,
    viaName: null,
  };
}

/**
 * One alert per top-most unusable watched territory: a watched territory whose nearest watched
 * unusable ancestor fails for the same reason is listed inside that ancestor's alert, because one
 * membership fix repairs both.
 */
function accessConditions(
  territories: readonly Territory[],
  byId: ReadonlyMap<string, Territory>,
  watched: ReadonlyMap<string, { id: string; name: string; modules: ZohoModule[] }>,
  verdicts: ReadonlyMap<string, { usable: boolean; code: AccessCode; via?: string }>,
  user: ApiUserRef,
): AlertCondition[] {
  const groups = new Map<string, string[]>();
  for (const [id, v] of verdicts) {
    if (v.usable || (v.code !== 'not_member' && v.code !== 'read_only')) continue;
    let top = id;
    const seen = new Set([id]);
    for (
      let p = byId.get(byId.get(id)?.parentId ?? '');
      p && !seen.has(p.id);
      p = byId.get(p.parentId ?? '')
    ) {
      seen.add(p.id);
      const pv = verdicts.get(p.id);
      if (pv && !pv.usable && pv.code === v.code && pv.via === v.via) top = p.id;
    }
    groups.set(top, [...(groups.get(top) ?? []), id]);
  }
  const order = new Map(territories.map((t, i) => [t.id, i]));
  const out: AlertCondition[] = [];
  for (const [topId, members] of groups) {
    const top = watched.get(topId)!;
    const v = verdicts.get(topId)!;
    members.sort((a, b) => (a === topId ? -1 : b === topId ? 1 : (order.get(a) ?? 0) - (order.get(b) ?? 0)));
    const affected: AffectedTerritory[] = members.map((id) => {
      const w = watched.get(id)!;
      return { id: w.id, name: w.name, modules: w.modules };
    });
    const topRef = { id: top.id, name: top.name, modules: top.modules };
    if (v.code === 'not_member') {
      const parent = byId.get(byId.get(topId)?.parentId ?? '');
      out.push(
        apiUserNotMember(topRef, affected, user, parent ? { id: parent.id, name: parent.name } : null),
      );
    } else {
      const via = byId.get(v.via!)!;
      const above = byId.get(via.parentId ?? '');
      out.push(
        apiUserReadOnly(
          topRef,
          affected,
          user,
          { id: via.id, name: via.name },
          above ? { id: above.id, name: above.name } : null,
        ),
      );
    }
  }
  return out;
}
