/**
 * The one hand-written in-memory ZohoApi for unit tests (engine, tracker, monitor):
 * - an org: a territory catalog (the Zylker tree below by default, or a flat list of the ids
 *   given), the API user and its memberships, and switches that break it the way Zoho does
 *   (auth errors, territory management off, unreadable territories, a failing method);
 * - records with territories and Zoho's assign/remove rules (one territory per Deal, ten per
 *   record, duplicates, unknown territories, pending jobs), background jobs the test finishes
 *   explicitly or after a number of status polls, scriptable per-record outcomes and calls;
 * - a log of every record/job call (`calls`), a count per method (`counts`), and the lane of each
 *   call made through a lane view (`laneCalls`, `inLane`).
 * (test/unit/zoho/fake-zoho-wire.ts is another layer: Zoho's HTTP wire, for the client's tests.)
 */
import { ZohoApiError, type ZohoAuthError } from '../../../src/core/zoho/errors.js';
import type { Lane } from '../../../src/core/zoho/limiter.js';
import type {
  PendingJob,
  PermissionType,
  RecordTerritory,
  Territory,
  TerritoryChange,
  TokenInfo,
  UserTerritory,
  WriteOutcome,
  ZohoApi,
  ZohoModule,
  ZohoRecord,
  ZohoUser,
} from '../../../src/core/zoho/types.js';

export const ID = {
  root: '3652397000000100001',
  us: '3652397000000100002',
  usWest: '3652397000000100003',
  california: '3652397000000100004',
  oregon: '3652397000000100005',
  usEast: '3652397000000100006',
  emea: '3652397000000100007',
  germany: '3652397000000100008',
} as const;

export const API_USER_ID = '3652397000000200001';

function territory(
  id: string,
  name: string,
  parentId: string | null,
  permissionType: PermissionType = 'read_write_delete',
): Territory {
  return {
    id,
    name,
    apiName: name.replace(/\W+/g, '_'),
    description: null,
    parentId,
    managerId: null,
    managerName: null,
    permissionType,
  };
}

const zylkerTree = (): Territory[] => [
  territory(ID.root, 'Zylker', null),
  territory(ID.us, 'US', ID.root),
  territory(ID.usWest, 'US West', ID.us),
  territory(ID.california, 'California', ID.usWest),
  territory(ID.oregon, 'Oregon', ID.usWest),
  territory(ID.usEast, 'US East', ID.us),
  territory(ID.emea, 'EMEA', ID.root),
  territory(ID.germany, 'Germany', ID.emea),
];

export interface CallLog {
  method: 'assign' | 'remove' | 'pending' | 'records' | 'territories';
  module: ZohoModule | null;
  ids: string[];
}

interface FakeJob {
  jobId: string;
  module: ZohoModule;
  recordId: string;
  /** Status polls that still report it pending. */
  pollsLeft: number;
  /** False: the job finishes without changing the record (the "finished but not applied" case). */
  applies: boolean;
  apply: () => void;
  foreign: boolean;
}

type CallScript =
  | { kind: 'throw'; error: unknown }
  /** Zoho takes the call (jobs scheduled), the answer never arrives: the process "dies". */
  | { kind: 'apply-then-hang' }
  /** The call never reaches Zoho and never returns. */
  | { kind: 'hang' }
  /** Zoho takes the call, then the connection breaks: the caller gets `error`. */
  | { kind: 'apply-then-throw'; error: unknown };

export class FakeZoho implements ZohoApi {
  /** Record and job calls, in order. */
  readonly calls: CallLog[] = [];
  /** Calls per ZohoApi method. */
  readonly counts: Record<string, number> = {};
  /** Calls made through a lane view, in order (calls on the fake itself are not listed). */
  readonly laneCalls: Array<{ lane: Lane; method: string }> = [];
  territories: Territory[];
  user: ZohoUser = {
    id: API_USER_ID,
    fullName: 'Territory Bot',
    email: 'territory-bot@zylker.com',
    status: 'active',
    zuid: '700000001',
    roleName: 'CEO',
    profileName: 'Administrator',
  };
  /** The API user's territories (ids). By default the root: every territory is writable. */
  memberships = new Set<string>([ID.root]);
  authError: ZohoAuthError | null = null;
  territoryManagementOff = false;
  /** Any error thrown by the named method (network, 5xx...). */
  failures: Partial<Record<keyof ZohoApi, Error>> = {};
  /** Territories that answer NO_PERMISSION when read one by one (and are missing from the list). */
  unreadable = new Set<string>();
  private readonly records = new Map<string, RecordTerritory[]>();
  private readonly jobs = new Map<string, FakeJob>();
  private readonly outcomeScripts = new Map<string, Array<Partial<WriteOutcome>>>();
  private readonly callScripts: Array<{ method: 'assign' | 'remove'; nth: number; script: CallScript }> = [];
  private readonly callCounts = { assign: 0, remove: 0 };
  private nextJob = 1;
  /** Status polls a new job stays pending for (0: done by the first poll). */
  jobPolls = 0;
  /** Calls in flight now / at most; `delay` makes write calls wait that many microtask turns. */
  inFlight = 0;
  maxInFlight = 0;
  writeDelay: (() => Promise<void>) | null = null;
  /** Resolves when a hung call has been reached. */
  hung: Promise<void>;
  private markHung: () => void = () => {};

  /** With ids: a flat catalog of those territories; without: the Zylker tree (`ID`). */
  constructor(territoryIds?: readonly string[]) {
    this.territories = territoryIds ? territoryIds.map((id) => territory(id, `T ${id}`, null)) : zylkerTree();
    this.hung = new Promise((r) => {
      this.markHung = r;
    });
  }

  private count(name: keyof ZohoApi): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    const f = this.failures[name];
    if (f) throw f;
  }

  private guard(): void {
    if (this.authError) throw this.authError;
    if (this.territoryManagementOff) {
      throw new ZohoApiError('TERRITORY_NOT_ENABLED', 'Territory management is not enabled', 403);
    }
  }

  byName(name: string): Territory {
    const t = this.territories.find((x) => x.name === name);
    if (!t) throw new Error(`no territory ${name}`);
    return t;
  }
  deleteTerritory(id: string): void {
    this.territories = this.territories.filter((t) => t.id !== id);
  }
  rename(id: string, name: string): void {
    this.territories = this.territories.map((t) => (t.id === id ? { ...t, name } : t));
  }
  setPermission(id: string, permissionType: PermissionType): void {
    this.territories = this.territories.map((t) => (t.id === id ? { ...t, permissionType } : t));
  }
  private hasTerritory(id: string): boolean {
    return this.territories.some((t) => t.id === id);
  }

  private key(module: ZohoModule, id: string) {
    return `${module}:${id}`;
  }

  addRecord(module: ZohoModule, id: string, territories: Array<string | RecordTerritory> = []): void {
    this.records.set(
      this.key(module, id),
      territories.map((t) => (typeof t === 'string' ? { id: t, name: `T ${t}`, assigned: 'manually' } : t)),
    );
  }

  recordTerritories(module: ZohoModule, id: string): string[] {
    return (this.records.get(this.key(module, id)) ?? []).map((t) => t.id);
  }

  /** A job someone else started on the record (e.g. a territory rule run). */
  addForeignJob(module: ZohoModule, recordId: string, pollsLeft: number): string {
    const jobId = `foreign-${this.nextJob++}`;
    this.jobs.set(this.key(module, recordId), {
      jobId,
      module,
      recordId,
      pollsLeft,
      applies: true,
      apply: () => {},
      foreign: true,
    });
    return jobId;
  }

  /** Next outcomes for this record, one per write call (then Zoho's normal rules apply). */
  scriptOutcome(recordId: string, ...outcomes: Array<Partial<WriteOutcome>>): void {
    this.outcomeScripts.set(recordId, [...(this.outcomeScripts.get(recordId) ?? []), ...outcomes]);
  }

  /** The nth (1-based) call of a write method behaves as scripted. */
  scriptCall(method: 'assign' | 'remove', nth: number, script: CallScript): void {
    this.callScripts.push({ method, nth, script });
  }

  /** Jobs that finish without changing their record. */
  nonApplyingJobs = false;

  pendingJobIds(): string[] {
    return [...this.jobs.values()].map((j) => j.jobId);
  }

  /** Finishes every pending job now. */
  finishAllJobs(): void {
    for (const [k, job] of this.jobs) {
      if (job.applies) job.apply();
      this.jobs.delete(k);
    }
  }

  callsOf(method: CallLog['method']): CallLog[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** How many times each record id was sent in write calls of `method`. */
  sentCount(method: 'assign' | 'remove'): Map<string, number> {
    const out = new Map<string, number>();
    for (const c of this.callsOf(method)) for (const id of c.ids) out.set(id, (out.get(id) ?? 0) + 1);
    return out;
  }

  /** A view that lists each call's lane in `laneCalls`, then makes it on this fake. */
  inLane(lane: Lane): ZohoApi {
    return new Proxy(this, {
      get: (target, prop, receiver) => {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function' || prop === 'inLane') return v;
        return (...args: unknown[]) => {
          target.laneCalls.push({ lane, method: String(prop) });
          return v.apply(target, args);
        };
      },
    });
  }

  async listTerritories(): Promise<Territory[]> {
    this.count('listTerritories');
    this.calls.push({ method: 'territories', module: null, ids: [] });
    this.guard();
    return this.territories.filter((t) => !this.unreadable.has(t.id)).map((t) => ({ ...t }));
  }

  async getRecords(module: ZohoModule, ids: readonly string[]): Promise<ZohoRecord[]> {
    if (ids.length > 100) throw new Error(`getRecords: ${ids.length} ids in one call`);
    this.count('getRecords');
    this.guard();
    this.calls.push({ method: 'records', module, ids: [...ids] });
    const out: ZohoRecord[] = [];
    for (const id of ids) {
      // A job with no pending polls left has finished on its own: reading the record shows it.
      const job = this.jobs.get(this.key(module, id));
      if (job && job.pollsLeft <= 0) {
        if (job.applies) job.apply();
        this.jobs.delete(this.key(module, id));
      }
      const t = this.records.get(this.key(module, id));
      if (t) out.push({ module, id, name: `Record ${id}`, territories: t.map((x) => ({ ...x })) });
    }
    return out;
  }

  async getPendingJobs(module: ZohoModule, recordIds: readonly string[]): Promise<PendingJob[]> {
    if (recordIds.length > 100) throw new Error(`getPendingJobs: ${recordIds.length} ids in one call`);
    this.count('getPendingJobs');
    this.guard();
    this.calls.push({ method: 'pending', module, ids: [...recordIds] });
    const out: PendingJob[] = [];
    for (const id of recordIds) {
      const k = this.key(module, id);
      const job = this.jobs.get(k);
      if (!job) continue;
      if (job.pollsLeft <= 0) {
        if (job.applies) job.apply();
        this.jobs.delete(k);
        continue;
      }
      job.pollsLeft -= 1;
      out.push({
        recordId: id,
        jobId: job.jobId,
        source: job.foreign ? 'update' : 'manual_territory_assignment',
      });
    }
    return out;
  }

  async assignTerritories(module: ZohoModule, changes: readonly TerritoryChange[]): Promise<WriteOutcome[]> {
    this.count('assignTerritories');
    this.guard();
    return this.write('assign', module, changes);
  }

  async removeTerritories(module: ZohoModule, changes: readonly TerritoryChange[]): Promise<WriteOutcome[]> {
    this.count('removeTerritories');
    this.guard();
    return this.write('remove', module, changes);
  }

  private async write(
    method: 'assign' | 'remove',
    module: ZohoModule,
    changes: readonly TerritoryChange[],
  ): Promise<WriteOutcome[]> {
    if (changes.length > 100) throw new Error(`${method}: ${changes.length} records in one call`);
    this.callCounts[method] += 1;
    const nth = this.callCounts[method];
    this.calls.push({ method, module, ids: changes.map((c) => c.recordId) });
    const script = this.callScripts.find((s) => s.method === method && s.nth === nth)?.script;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.writeDelay) await this.writeDelay();
      if (script?.kind === 'throw') throw script.error;
      if (script?.kind === 'hang') {
        this.markHung();
        return await new Promise<never>(() => {});
      }
      const outcomes = changes.map((c) => this.writeOne(method, module, c));
      if (script?.kind === 'apply-then-throw') throw script.error;
      if (script?.kind === 'apply-then-hang') {
        this.markHung();
        return await new Promise<never>(() => {});
      }
      return outcomes;
    } finally {
      this.inFlight -= 1;
    }
  }

  private writeOne(method: 'assign' | 'remove', module: ZohoModule, c: TerritoryChange): WriteOutcome {
    const scripted = this.outcomeScripts.get(c.recordId)?.shift();
    if (scripted) {
      return {
        recordId: c.recordId,
        status: 'error',
        code: 'INVALID_DATA',
        message: '',
        jobId: null,
        details: {},
        ...scripted,
      };
    }
    const err = (code: string, message: string, details: Record<string, unknown> = {}): WriteOutcome => ({
      recordId: c.recordId,
      status: 'error',
      code,
      message,
      jobId: null,
      details,
    });
    const k = this.key(module, c.recordId);
    const current = this.records.get(k);
    if (!current)
      return err('INVALID_DATA', 'the id given seems to be invalid', { json_path: '$.data[0].id' });
    const unknown = c.territoryIds.findIndex((t) => !this.hasTerritory(t));
    if (unknown >= 0) {
      return err('INVALID_DATA', 'the id given seems to be invalid', {
        api_name: 'id',
        json_path: `$.data[0].Territories[${unknown}].id`,
      });
    }
    if (this.jobs.has(k))
      return err('ALREADY_SCHEDULED', 'a territory job is already scheduled for that record');
    const on = new Set(current.map((t) => t.id));
    if (method === 'assign') {
      if (c.territoryIds.some((t) => on.has(t)))
        return err('DUPLICATE_DATA', 'Given territory already exists for that record');
      const limit = module === 'Deals' ? 1 : 10;
      if (on.size + c.territoryIds.length > limit)
        return err('LIMIT_EXCEEDED', 'Maximum limit of territories for that record exceeds', { limit });
    } else if (c.territoryIds.some((t) => !on.has(t))) {
      return err('INVALID_DATA', 'the id given seems to be invalid');
    }
    const jobId = `job-${this.nextJob++}`;
    const apply =
      method === 'assign'
        ? () => {
            const now = this.records.get(k) ?? [];
            for (const t of c.territoryIds) now.push({ id: t, name: `T ${t}`, assigned: 'manually' });
            this.records.set(k, now);
          }
        : () => {
            this.records.set(
              k,
              (this.records.get(k) ?? []).filter((t) => !c.territoryIds.includes(t.id)),
            );
          };
    this.jobs.set(k, {
      jobId,
      module,
      recordId: c.recordId,
      pollsLeft: this.jobPolls,
      applies: !this.nonApplyingJobs,
      apply,
      foreign: false,
    });
    return {
      recordId: c.recordId,
      status: 'scheduled',
      code: 'SCHEDULED',
      message: 'Territory assignment process scheduled successfully',
      jobId,
      details: { id: c.recordId, job_id: jobId },
    };
  }

  async checkAuth(): Promise<TokenInfo> {
    this.count('checkAuth');
    if (this.authError) throw this.authError;
    return { apiDomain: 'https://www.zohoapis.com', scopes: null, expiresAt: Date.UTC(2030, 0, 1) };
  }
  async getTerritory(id: string): Promise<Territory> {
    this.count('getTerritory');
    this.guard();
    if (this.unreadable.has(id)) throw new ZohoApiError('NO_PERMISSION', 'permission denied', 403);
    const t = this.territories.find((x) => x.id === id);
    if (!t)
      throw new ZohoApiError('INVALID_DATA', 'the id given seems to be invalid', 400, {
        resource_path_index: 0,
      });
    return { ...t };
  }
  async getChildTerritories(id: string): Promise<Territory[]> {
    this.count('getChildTerritories');
    this.guard();
    return this.territories.filter((t) => t.parentId === id);
  }
  async getTerritoryUsers(id: string): Promise<ZohoUser[]> {
    this.count('getTerritoryUsers');
    this.guard();
    return this.memberships.has(id) ? [this.user] : [];
  }
  async getCurrentUser(): Promise<ZohoUser> {
    this.count('getCurrentUser');
    if (this.authError) throw this.authError;
    return { ...this.user };
  }
  async getUserTerritories(userId: string): Promise<UserTerritory[]> {
    this.count('getUserTerritories');
    this.guard();
    if (userId !== this.user.id) throw new ZohoApiError('INVALID_DATA', 'invalid user', 400);
    return this.territories
      .filter((t) => this.memberships.has(t.id))
      .map((t) => ({ id: t.id, name: t.name, parentId: t.parentId, managerId: t.managerId }));
  }
}
