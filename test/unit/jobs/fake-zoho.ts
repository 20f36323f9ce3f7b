/**
 * A hand-written ZohoApi for engine and tracker unit tests: records with territories, Zoho's
 * assign/remove rules (one territory per Deal, ten per record, duplicates, unknown territories,
 * pending jobs), background jobs the test finishes explicitly or after a number of status polls,
 * scriptable per-record outcomes and call failures, and a log of every call.
 */
import { ZohoApiError } from '../../../src/core/zoho/errors.js';
import type {
  PendingJob,
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
  readonly calls: CallLog[] = [];
  readonly territories = new Set<string>();
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

  constructor(territoryIds: readonly string[] = []) {
    for (const t of territoryIds) this.territories.add(t);
    this.hung = new Promise((r) => {
      this.markHung = r;
    });
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

  async listTerritories(): Promise<Territory[]> {
    this.calls.push({ method: 'territories', module: null, ids: [] });
    return [...this.territories].map((id) => ({
      id,
      name: `T ${id}`,
      apiName: null,
      description: null,
      parentId: null,
      managerId: null,
      managerName: null,
      permissionType: 'read_write_delete' as const,
    }));
  }

  async getRecords(module: ZohoModule, ids: readonly string[]): Promise<ZohoRecord[]> {
    if (ids.length > 100) throw new Error(`getRecords: ${ids.length} ids in one call`);
    this.calls.push({ method: 'records', module, ids: [...ids] });
    const out: ZohoRecord[] = [];
    for (const id of ids) {
      const t = this.records.get(this.key(module, id));
      if (t) out.push({ module, id, name: `Record ${id}`, territories: t.map((x) => ({ ...x })) });
    }
    return out;
  }

  async getPendingJobs(module: ZohoModule, recordIds: readonly string[]): Promise<PendingJob[]> {
    if (recordIds.length > 100) throw new Error(`getPendingJobs: ${recordIds.length} ids in one call`);
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

  assignTerritories(module: ZohoModule, changes: readonly TerritoryChange[]): Promise<WriteOutcome[]> {
    return this.write('assign', module, changes);
  }

  removeTerritories(module: ZohoModule, changes: readonly TerritoryChange[]): Promise<WriteOutcome[]> {
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
    const unknown = c.territoryIds.findIndex((t) => !this.territories.has(t));
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

  async getTerritory(id: string): Promise<Territory> {
    const t = (await this.listTerritories()).find((x) => x.id === id);
    if (!t) throw new ZohoApiError('INVALID_DATA', 'the id given seems to be invalid', 400);
    return t;
  }
  async getChildTerritories(): Promise<Territory[]> {
    return [];
  }
  async getTerritoryUsers(): Promise<ZohoUser[]> {
    return [];
  }
  async getCurrentUser(): Promise<ZohoUser> {
    return {
      id: 'u1',
      fullName: 'API User',
      email: null,
      status: 'active',
      zuid: null,
      roleName: null,
      profileName: null,
    };
  }
  async getUserTerritories(): Promise<UserTerritory[]> {
    return [];
  }
  async checkAuth(): Promise<TokenInfo> {
    return { apiDomain: 'https://www.zohoapis.com', scopes: null, expiresAt: Date.now() + 3_600_000 };
  }
}
