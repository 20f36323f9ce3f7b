/**
 * `/__sim/` admin API: the same control surface as `ZohoSimulator`, over HTTP, for the
 * sandbox web UI and for poking a standalone simulator with curl. Not part of Zoho's API,
 * so it needs no token and is neither counted nor logged.
 */
import { TERRITORY_MODULES, type ZohoModule } from '../../core/zoho/types.js';
import type { Reply } from './route-kit.js';
import type { PermissionType, ZohoSimulator } from './types.js';

export const ADMIN_ENDPOINTS: Record<string, string> = {
  'GET /__sim/state': 'org summary: switches, territories, users, pending jobs',
  'GET /__sim/calls':
    'call counts (first/last answered at) by operation and method, tokens issued, jobs finished, max concurrency',
  'GET /__sim/log': 'request/response log',
  'POST /__sim/reset-calls': 'clear counts and log',
  'POST /__sim/faults/latency': '{"ms": 200} fixed latency per call: each answered ms after it arrived',
  'POST /__sim/faults/fail-next':
    '{"count": 3, "status": 429|500, "path_prefix": "/Deals", "after_applying": false, "delay_ms": 0} next calls fail',
  'POST /__sim/faults/concurrency-limit': '{"limit": 5|null} more concurrent calls answer 429',
  'POST /__sim/faults/expire-tokens': 'every access token now answers 401 INVALID_TOKEN',
  'POST /__sim/faults/revoke-refresh-token': 'token endpoint answers {"error":"invalid_code"}',
  'POST /__sim/faults/restore-refresh-token': 'undo revoke',
  'POST /__sim/faults/token-scopes': '{"scopes": ["ZohoCRM.users.READ"]|null} scopes of new tokens',
  'POST /__sim/faults/jobs': '{"fail": true, "delay_ms": 60000} failing / slow territory jobs',
  'POST /__sim/faults/clear': 'clear latency, fail-next, concurrency limit, job failure, token scopes',
  'POST /__sim/jobs/complete': 'finish every pending territory job now',
  'POST /__sim/territories/{id}/delete': 'delete a territory',
  'POST /__sim/territories/{id}/rename': '{"name": "New name"}',
  'POST /__sim/territories/{id}/permission': '{"permission_type": "read_only"|"read_write_delete"}',
  'POST /__sim/territories/{id}/readable': '{"readable": false} API user gets 403 NO_PERMISSION reading it',
  'POST /__sim/users/{id}/status': '{"status": "disabled"|"active"|...} a user\'s status',
  'POST /__sim/memberships/add': '{"user_id": "...", "territory_id": "..."}',
  'POST /__sim/memberships/remove': '{"user_id": "...", "territory_id": "..."}',
  'POST /__sim/territory-management': '{"enabled": false} territory management off/on',
  'POST /__sim/leads-territories': '{"enabled": false} territories for Leads off/on',
  'POST /__sim/records/{module}/{id}/lock': '{"locked": true|false}',
  'POST /__sim/permission-enforcement': '{"enabled": false} NO_PERMISSION checks off/on',
};

function ok(extra: Record<string, unknown> = {}): Reply {
  return { status: 200, body: { ok: true, ...extra } };
}

function bad(message: string, status = 400): Reply {
  return { status, body: { ok: false, error: message } };
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

function str(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new Error(`${name} is required`);
  return v;
}

function summary(sim: ZohoSimulator) {
  const snap = sim.snapshot();
  return {
    org_name: snap.orgName,
    api_user_id: snap.apiUserId,
    territory_management: snap.territoryManagement,
    leads_territories: snap.leadsTerritories,
    territories: snap.territories.map((t) => ({
      id: t.id,
      name: t.name,
      parent_id: t.parentId,
      permission_type: t.permissionType,
      manager_id: t.managerId,
    })),
    users: snap.users.map((u) => ({
      id: u.id,
      name: `${u.firstName} ${u.lastName}`,
      status: u.status,
      profile: u.profile.name,
      territory_ids: sim.userTerritoryIds(u.id),
    })),
    record_counts: Object.fromEntries(TERRITORY_MODULES.map((m) => [m, sim.records(m).length])),
    locked_records: snap.records.filter((r) => r.locked).map((r) => ({ module: r.module, id: r.id })),
    pending_jobs: sim.pendingJobs(),
  };
}

export function handleAdmin(sim: ZohoSimulator, method: string, url: URL, raw: string): Reply {
  let body: Record<string, unknown> = {};
  if (raw.length > 0) {
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
    } catch {
      return bad('body is not JSON');
    }
  }
  const path = url.pathname.replace(/\/+$/, '');
  const key = `${method} ${path}`;
  try {
    if (key === 'GET /__sim') return ok({ endpoints: ADMIN_ENDPOINTS });
    if (key === 'GET /__sim/state') return ok(summary(sim));
    if (key === 'GET /__sim/calls') {
      return ok({
        calls: sim.calls(),
        tokens_issued: sim.tokensIssued(),
        jobs_finished: sim.jobsFinished(),
        max_concurrency: sim.maxConcurrency(),
      });
    }
    if (key === 'GET /__sim/log') return ok({ log: sim.requestLog() });
    if (method !== 'POST') return bad(`unknown admin endpoint ${key}`, 404);
    switch (path) {
      case '/__sim/reset-calls':
        sim.resetCalls();
        return ok();
      case '/__sim/faults/latency':
        sim.faults.setLatency(Number(body.ms ?? 0));
        return ok();
      case '/__sim/faults/fail-next': {
        const status = Number(body.status ?? 500);
        if (status !== 429 && status !== 500) return bad('status must be 429 or 500');
        const prefix = typeof body.path_prefix === 'string' ? body.path_prefix : undefined;
        sim.faults.failNext({
          count: Number(body.count ?? 1),
          status,
          ...(prefix ? { pathPrefix: prefix } : {}),
          ...(body.after_applying !== undefined ? { afterApplying: bool(body.after_applying, false) } : {}),
          ...(body.delay_ms !== undefined ? { delayMs: Number(body.delay_ms) } : {}),
        });
        return ok();
      }
      case '/__sim/faults/concurrency-limit':
        sim.faults.setConcurrencyLimit(
          body.limit === null || body.limit === undefined ? null : Number(body.limit),
        );
        return ok();
      case '/__sim/faults/expire-tokens':
        sim.faults.expireAccessTokens();
        return ok();
      case '/__sim/faults/revoke-refresh-token':
        sim.faults.revokeRefreshToken();
        return ok();
      case '/__sim/faults/restore-refresh-token':
        sim.faults.restoreRefreshToken();
        return ok();
      case '/__sim/faults/token-scopes': {
        const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : null;
        sim.faults.setTokenScopes(scopes);
        return ok();
      }
      case '/__sim/faults/jobs':
        if (body.fail !== undefined) sim.faults.setJobsFail(bool(body.fail, false));
        if (body.delay_ms !== undefined) sim.faults.setJobDelay(Number(body.delay_ms));
        return ok();
      case '/__sim/faults/clear':
        sim.faults.clear();
        return ok();
      case '/__sim/jobs/complete':
        return ok({ completed: sim.completeJobsNow() });
      case '/__sim/memberships/add':
        sim.addUserToTerritory(str(body.user_id, 'user_id'), str(body.territory_id, 'territory_id'));
        return ok();
      case '/__sim/memberships/remove':
        sim.removeUserFromTerritory(str(body.user_id, 'user_id'), str(body.territory_id, 'territory_id'));
        return ok();
      case '/__sim/territory-management':
        sim.setTerritoryManagement(bool(body.enabled, true));
        return ok();
      case '/__sim/leads-territories':
        sim.setLeadsTerritories(bool(body.enabled, true));
        return ok();
      case '/__sim/permission-enforcement':
        sim.setEnforceTerritoryPermissions(bool(body.enabled, true));
        return ok();
    }
    const territory = /^\/__sim\/territories\/([^/]+)\/(delete|rename|permission|readable)$/.exec(path);
    if (territory) {
      const [, id, action] = territory as unknown as [string, string, string];
      if (action === 'delete') sim.deleteTerritory(id);
      else if (action === 'readable') sim.setTerritoryReadable(id, bool(body.readable, true));
      else if (action === 'rename') sim.renameTerritory(id, str(body.name, 'name'));
      else {
        const pt = body.permission_type;
        if (pt !== 'read_only' && pt !== 'read_write_delete')
          return bad('permission_type must be read_only or read_write_delete');
        sim.setPermissionType(id, pt as PermissionType);
      }
      return ok();
    }
    const user = /^\/__sim\/users\/([^/]+)\/status$/.exec(path);
    if (user) {
      sim.setUserStatus(user[1]!, str(body.status, 'status'));
      return ok();
    }
    const lock = /^\/__sim\/records\/([^/]+)\/([^/]+)\/lock$/.exec(path);
    if (lock) {
      const module = lock[1]!;
      if (!(TERRITORY_MODULES as readonly string[]).includes(module)) return bad(`unknown module ${module}`);
      sim.setRecordLocked(module as ZohoModule, lock[2]!, bool(body.locked, true));
      return ok();
    }
    return bad(`unknown admin endpoint ${key}`, 404);
  } catch (err) {
    return bad(err instanceof Error ? err.message : String(err));
  }
}
