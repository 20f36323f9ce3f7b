/**
 * What the page's "Zoho" panel shows and does: the demo org's territory tree (with the API
 * user's memberships), records by id, pending jobs, and the switches that break the org the
 * way the monitor watches for (and put it back). Runs in-process against the simulator's
 * control API.
 */
import { TERRITORY_MODULES, type ZohoModule } from '../../core/zoho/types.js';
import type { ZohoSimulator } from '../zoho/index.js';

export interface PanelTerritory {
  id: string;
  name: string;
  parentId: string | null;
  permissionType: string;
  /** The API user is a direct member. */
  apiUserMember: boolean;
  /** The API user may assign records here (member of it or an ancestor with read_write_delete). */
  apiUserCanWrite: boolean;
}

export interface PanelRecord {
  module: ZohoModule;
  id: string;
  name: string;
  locked: boolean;
  territories: Array<{ id: string; name: string; assigned: string }>;
  pendingJob: { jobId: string; source: string; territoryIds: string[] } | null;
}

export interface PanelState {
  orgName: string;
  orgId: string;
  apiUser: { id: string; name: string; status: string };
  territoryManagement: boolean;
  latencyMs: number;
  /** What the page's "slow Zoho down" button sets. */
  slowLatencyMs: number;
  territories: PanelTerritory[];
  pendingJobs: Array<{ jobId: string; module: string; recordId: string; source: string; dueAt: number }>;
  /** A few records per module to try commands with. */
  samples: PanelRecord[];
}

export type PanelAction =
  | { action: 'delete-territory'; territoryId: string }
  | { action: 'remove-api-user'; territoryId: string }
  | { action: 'add-api-user'; territoryId: string }
  | { action: 'territory-management'; enabled: boolean }
  | { action: 'latency'; ms: number }
  | { action: 'complete-jobs' };

/** Latency the panel shows as "slow": enough to watch a command wait, short of Slack's 3 s ack. */
export const SLOW_ZOHO_MS = 2_500;

const NAME_FIELDS = ['Full_Name', 'Deal_Name', 'Account_Name', 'Last_Name', 'Company'] as const;

export class ZohoPanel {
  /** The simulator has no getter for injected latency (asked in requests-sandbox.md). */
  private latencyMs = 0;

  constructor(private readonly sim: ZohoSimulator) {}

  state(): PanelState {
    const snap = this.sim.snapshot();
    const apiUser = snap.users.find((u) => u.id === snap.apiUserId);
    const memberOf = new Set(this.sim.userTerritoryIds(snap.apiUserId));
    const live = this.sim.territories();
    const byId = new Map(live.map((t) => [t.id, t]));
    const canWrite = (id: string): boolean => {
      // DESIGN.md "read-only path": membership in T writes T and its descendants only when T is read_write_delete.
      for (let t = byId.get(id); t; t = t.parentId ? byId.get(t.parentId) : undefined) {
        if (memberOf.has(t.id)) return t.permissionType === 'read_write_delete';
      }
      return false;
    };
    const samples: PanelRecord[] = [];
    for (const module of TERRITORY_MODULES) {
      for (const r of this.sim.records(module).slice(0, 3)) {
        const rec = this.record(r.id);
        if (rec) samples.push(rec);
      }
    }
    return {
      orgName: snap.orgName,
      orgId: snap.orgId,
      apiUser: {
        id: snap.apiUserId,
        name: apiUser ? `${apiUser.firstName} ${apiUser.lastName}` : snap.apiUserId,
        status: apiUser?.status ?? 'unknown',
      },
      territoryManagement: snap.territoryManagement,
      latencyMs: this.latencyMs,
      slowLatencyMs: SLOW_ZOHO_MS,
      territories: live.map((t) => ({
        id: t.id,
        name: t.name,
        parentId: t.parentId,
        permissionType: t.permissionType,
        apiUserMember: memberOf.has(t.id),
        apiUserCanWrite: canWrite(t.id),
      })),
      pendingJobs: this.sim.pendingJobs().map((j) => ({
        jobId: j.jobId,
        module: j.module,
        recordId: j.recordId,
        source: j.source,
        dueAt: j.dueAt,
      })),
      samples,
    };
  }

  /** A record by id (any module), or by `Module/ID`. */
  record(ref: string): PanelRecord | null {
    const trimmed = ref.trim();
    const slash = trimmed.lastIndexOf('/');
    const id = slash >= 0 ? trimmed.slice(slash + 1) : trimmed;
    if (!/^\d{1,19}$/.test(id)) return null;
    for (const module of TERRITORY_MODULES) {
      const r = this.sim.record(module, id);
      if (!r) continue;
      const job = this.sim.pendingJobs().find((j) => j.module === module && j.recordId === id);
      const nameField = NAME_FIELDS.find((f) => typeof r.fields[f] === 'string');
      return {
        module,
        id: r.id,
        name: nameField ? String(r.fields[nameField]) : r.id,
        locked: r.locked,
        territories: r.territories.map((t) => ({
          id: t.territoryId,
          name: this.sim.territory(t.territoryId)?.name ?? `(deleted ${t.territoryId})`,
          assigned: t.assigned,
        })),
        pendingJob: job ? { jobId: job.jobId, source: job.source, territoryIds: job.territoryIds } : null,
      };
    }
    return null;
  }

  apply(a: PanelAction): void {
    const apiUserId = this.sim.apiUserId;
    switch (a.action) {
      case 'delete-territory':
        this.sim.deleteTerritory(this.requireTerritory(a.territoryId));
        return;
      case 'remove-api-user':
        this.sim.removeUserFromTerritory(apiUserId, this.requireTerritory(a.territoryId));
        return;
      case 'add-api-user':
        this.sim.addUserToTerritory(apiUserId, this.requireTerritory(a.territoryId));
        return;
      case 'territory-management':
        this.sim.setTerritoryManagement(a.enabled);
        return;
      case 'latency':
        if (!Number.isFinite(a.ms) || a.ms < 0 || a.ms > 30_000)
          throw new Error('latency must be 0-30000 ms');
        this.sim.faults.setLatency(a.ms);
        this.latencyMs = a.ms;
        return;
      case 'complete-jobs':
        this.sim.completeJobsNow();
        return;
    }
  }

  private requireTerritory(id: string): string {
    if (typeof id !== 'string' || !this.sim.territory(id)) throw new Error(`no territory ${String(id)}`);
    return id;
  }
}

/** Checks an untrusted action body from the page. */
export function parsePanelAction(body: unknown): PanelAction {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const territoryId = typeof b.territoryId === 'string' ? b.territoryId : '';
  switch (b.action) {
    case 'delete-territory':
    case 'remove-api-user':
    case 'add-api-user':
      return { action: b.action, territoryId };
    case 'territory-management':
      return { action: 'territory-management', enabled: b.enabled === true };
    case 'latency':
      return { action: 'latency', ms: Number(b.ms) };
    case 'complete-jobs':
      return { action: 'complete-jobs' };
    default:
      throw new Error(`unknown action ${String(b.action)}`);
  }
}
