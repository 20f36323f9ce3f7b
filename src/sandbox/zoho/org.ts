/**
 * The simulated org in memory: territory hierarchy, users and memberships, records with
 * their territories, and the territory jobs Zoho runs in the background after an
 * assign/remove call (zoho-api.md §7.2, §9.1).
 */
import { TERRITORY_MODULES, type ZohoModule } from '../../core/zoho/types.js';
import { zohoTime } from './seed.js';
import type {
  PermissionType,
  SeedRecord,
  SeedTerritory,
  SeedUser,
  SimJob,
  SimSeed,
  SimTerritoryView,
} from './types.js';

export interface PersistedState {
  version: 1;
  seed: SimSeed;
  /** Territories deleted through the simulator (kept so GET /{id} can still tell "deleted"). */
  deletedTerritories: SeedTerritory[];
  jobs: SimJob[];
  jobSeq: number;
  /** Territories the API user may not read (403 NO_PERMISSION); absent in older state files. */
  unreadableTerritories?: string[];
}

export interface JobOutcome {
  job: SimJob;
  applied: boolean;
}

export class SimOrg {
  readonly orgName: string;
  readonly orgId: string;
  readonly apiUserId: string;
  territoryManagement: boolean;
  leadsTerritories: boolean;
  /** Insertion order = creation order (Zoho lists territories that way). */
  private readonly territoryMap = new Map<string, SimTerritoryView>();
  private readonly userMap = new Map<string, SeedUser>();
  /** territoryId -> userIds, in insertion order. */
  private readonly members = new Map<string, Set<string>>();
  private readonly recordMaps = new Map<ZohoModule, Map<string, SeedRecord>>();
  /**
   * `${module}:${recordId}` -> pending job, in due order: every job is scheduled a fixed delay after now, so the order they
   * were scheduled in is the order they fall due. Kept so, settling what is due before each call
   * looks at the due jobs only, not at the thousands a bulk leaves pending.
   */
  private readonly jobs = new Map<string, SimJob>();
  private latestDue = Number.NEGATIVE_INFINITY;
  private jobSeq: number;
  /** Territories whose reads answer 403 NO_PERMISSION for the API user (a fault). */
  readonly unreadable = new Set<string>();

  constructor(state: PersistedState) {
    const seed = structuredClone(state.seed);
    this.orgName = seed.orgName;
    this.orgId = seed.orgId;
    this.apiUserId = seed.apiUserId;
    this.territoryManagement = seed.territoryManagement;
    this.leadsTerritories = seed.leadsTerritories;
    for (const t of seed.territories) this.territoryMap.set(t.id, { ...t, deleted: false });
    for (const t of structuredClone(state.deletedTerritories))
      this.territoryMap.set(t.id, { ...t, deleted: true });
    for (const u of seed.users) this.userMap.set(u.id, u);
    for (const m of seed.memberships) this.addMember(m.userId, m.territoryId);
    for (const module of TERRITORY_MODULES) this.recordMaps.set(module, new Map());
    for (const r of seed.records) this.recordMaps.get(r.module)!.set(r.id, r);
    const restored = structuredClone(state.jobs).sort((a, b) => a.dueAt - b.dueAt);
    for (const j of restored) this.jobs.set(jobKey(j.module, j.recordId), j);
    this.latestDue = restored.at(-1)?.dueAt ?? Number.NEGATIVE_INFINITY;
    this.jobSeq = state.jobSeq;
    for (const id of state.unreadableTerritories ?? []) this.unreadable.add(id);
    if (!this.userMap.has(this.apiUserId)) throw new Error(`seed: apiUserId ${this.apiUserId} is not a user`);
  }

  static fromSeed(seed: SimSeed): SimOrg {
    return new SimOrg({ version: 1, seed, deletedTerritories: [], jobs: [], jobSeq: 0 });
  }

  toState(): PersistedState {
    const live = [...this.territoryMap.values()].filter((t) => !t.deleted);
    const deleted = [...this.territoryMap.values()].filter((t) => t.deleted);
    const strip = ({ deleted: _d, ...t }: SimTerritoryView): SeedTerritory => t;
    const memberships = [];
    for (const [territoryId, users] of this.members) {
      for (const userId of users) memberships.push({ userId, territoryId });
    }
    const seed: SimSeed = {
      orgName: this.orgName,
      orgId: this.orgId,
      apiUserId: this.apiUserId,
      territoryManagement: this.territoryManagement,
      leadsTerritories: this.leadsTerritories,
      territories: live.map(strip),
      users: [...this.userMap.values()],
      memberships,
      records: TERRITORY_MODULES.flatMap((m) => [...this.recordMaps.get(m)!.values()]),
    };
    return structuredClone({
      version: 1,
      seed,
      deletedTerritories: deleted.map(strip),
      jobs: [...this.jobs.values()],
      jobSeq: this.jobSeq,
      unreadableTerritories: [...this.unreadable],
    });
  }

  // --- territories -------------------------------------------------------------------------

  territory(id: string): SimTerritoryView | undefined {
    return this.territoryMap.get(id);
  }

  liveTerritory(id: string): SimTerritoryView | undefined {
    const t = this.territoryMap.get(id);
    return t && !t.deleted ? t : undefined;
  }

  liveTerritories(): SimTerritoryView[] {
    return [...this.territoryMap.values()].filter((t) => !t.deleted);
  }

  children(id: string): SimTerritoryView[] {
    return this.liveTerritories().filter((t) => t.parentId === id);
  }

  /** The territory itself first, then its parent, up to the root. */
  selfAndAncestors(id: string): SimTerritoryView[] {
    const out: SimTerritoryView[] = [];
    const seen = new Set<string>();
    let cur = this.liveTerritory(id);
    while (cur && !seen.has(cur.id)) {
      out.push(cur);
      seen.add(cur.id);
      cur = cur.parentId ? this.liveTerritory(cur.parentId) : undefined;
    }
    return out;
  }

  deleteTerritory(id: string, now: number): void {
    const t = this.liveTerritory(id);
    if (!t) throw new Error(`no territory ${id}`);
    if (t.parentId === null) throw new Error('the root territory cannot be deleted');
    // Zoho moves a deleted territory's children up (transfer_and_delete); records lose it.
    for (const child of this.children(id)) {
      child.parentId = t.parentId;
      child.modifiedTime = zohoTime(now);
    }
    t.deleted = true;
    t.modifiedTime = zohoTime(now);
    this.members.delete(id);
    for (const records of this.recordMaps.values()) {
      for (const r of records.values()) r.territories = r.territories.filter((x) => x.territoryId !== id);
    }
  }

  renameTerritory(id: string, name: string, now: number): void {
    const t = this.mustLive(id);
    t.name = name;
    t.modifiedTime = zohoTime(now);
  }

  setPermissionType(id: string, permissionType: PermissionType, now: number): void {
    const t = this.mustLive(id);
    t.permissionType = permissionType;
    t.modifiedTime = zohoTime(now);
  }

  private mustLive(id: string): SimTerritoryView {
    const t = this.liveTerritory(id);
    if (!t) throw new Error(`no territory ${id}`);
    return t;
  }

  // --- users and memberships -----------------------------------------------------------------

  user(id: string): SeedUser | undefined {
    return this.userMap.get(id);
  }

  users(): SeedUser[] {
    return [...this.userMap.values()];
  }

  /** The org owner shown as created_by/modified_by: the first Administrator, else the API user. */
  owner(): SeedUser {
    return this.users().find((u) => u.profile.name === 'Administrator') ?? this.userMap.get(this.apiUserId)!;
  }

  addMember(userId: string, territoryId: string): void {
    if (!this.userMap.has(userId)) throw new Error(`no user ${userId}`);
    if (!this.liveTerritory(territoryId)) throw new Error(`no territory ${territoryId}`);
    let set = this.members.get(territoryId);
    if (!set) {
      set = new Set();
      this.members.set(territoryId, set);
    }
    set.add(userId);
  }

  removeMember(userId: string, territoryId: string): void {
    this.members.get(territoryId)?.delete(userId);
  }

  membersOf(territoryId: string): SeedUser[] {
    return [...(this.members.get(territoryId) ?? [])].map((id) => this.userMap.get(id)!).filter(Boolean);
  }

  territoriesOf(userId: string): SimTerritoryView[] {
    return this.liveTerritories().filter((t) => this.members.get(t.id)?.has(userId));
  }

  /**
   * Whether `userId` may assign/remove territory `territoryId` (TEAM.md "read-only path"):
   * an Administrator may; otherwise the user must be a member of the territory or of an
   * ancestor whose permission_type is read_write_delete.
   */
  canWrite(userId: string, territoryId: string): boolean {
    if (userId === this.apiUserId && this.unreadable.has(territoryId)) return false;
    const user = this.userMap.get(userId);
    if (user?.profile.name === 'Administrator') return true;
    return this.selfAndAncestors(territoryId).some(
      (t) => t.permissionType === 'read_write_delete' && (this.members.get(t.id)?.has(userId) ?? false),
    );
  }

  setUserStatus(userId: string, status: string): void {
    const user = this.userMap.get(userId);
    if (!user) throw new Error(`no user ${userId}`);
    user.status = status;
  }

  // --- records -------------------------------------------------------------------------------

  record(module: ZohoModule, id: string): SeedRecord | undefined {
    return this.recordMaps.get(module)!.get(id);
  }

  records(module: ZohoModule): SeedRecord[] {
    return [...this.recordMaps.get(module)!.values()];
  }

  /** Territories visible on records of this module (Leads only when Zoho enabled them). */
  territoriesOnRecords(module: ZohoModule): boolean {
    return this.territoryManagement && (module !== 'Leads' || this.leadsTerritories);
  }

  // --- jobs ----------------------------------------------------------------------------------

  pendingJob(module: ZohoModule, recordId: string): SimJob | undefined {
    return this.jobs.get(jobKey(module, recordId));
  }

  pendingJobs(): SimJob[] {
    return [...this.jobs.values()];
  }

  scheduleJob(job: Omit<SimJob, 'jobId'>): SimJob {
    this.jobSeq += 1;
    // Zoho job ids are long numeric strings like record ids.
    const full: SimJob = { ...job, jobId: `5725767${String(1_000_000_000 + this.jobSeq).padStart(12, '0')}` };
    const key = jobKey(job.module, job.recordId);
    // A record's newer job replaces its older one and takes its place at the end.
    this.jobs.delete(key);
    this.jobs.set(key, full);
    // A job due before one scheduled earlier (the job delay was shortened) goes to its place.
    if (full.dueAt < this.latestDue) this.resort();
    this.latestDue = Math.max(this.latestDue, full.dueAt);
    return full;
  }

  /** Finishes jobs due at `now` (all when `now` is Infinity). Failing jobs finish without applying. */
  finishJobs(now: number, fail: boolean): JobOutcome[] {
    const out: JobOutcome[] = [];
    for (const [key, job] of this.jobs) {
      if (job.dueAt > now) break;
      this.jobs.delete(key);
      const applied = !fail && this.applyJob(job, Number.isFinite(now) ? now : job.dueAt);
      out.push({ job, applied });
    }
    return out;
  }

  nextJobDue(): number | null {
    for (const j of this.jobs.values()) return j.dueAt;
    return null;
  }

  private resort(): void {
    const all = [...this.jobs].sort((a, b) => a[1].dueAt - b[1].dueAt);
    this.jobs.clear();
    for (const [k, j] of all) this.jobs.set(k, j);
  }

  private applyJob(job: SimJob, now: number): boolean {
    const record = this.record(job.module, job.recordId);
    if (!record) return false;
    if (job.source === 'manual_territory_assignment') {
      for (const territoryId of job.territoryIds) {
        // A territory deleted while the job waited is skipped, as is one assigned meanwhile.
        if (!this.liveTerritory(territoryId)) continue;
        if (record.territories.some((x) => x.territoryId === territoryId)) continue;
        record.territories.push({
          territoryId,
          assigned: 'manually',
          assignedById: this.apiUserId,
          assignedTime: zohoTime(now),
        });
      }
    } else if (job.source === 'manual_territory_removal') {
      const remove = new Set(job.territoryIds);
      record.territories = record.territories.filter((x) => !remove.has(x.territoryId));
    } else {
      // Rule jobs (creation/update) re-evaluate rules; the simulator keeps the territories as they are.
      return true;
    }
    record.modifiedTime = zohoTime(now);
    return true;
  }
}

function jobKey(module: ZohoModule, recordId: string): string {
  return `${module}:${recordId}`;
}
