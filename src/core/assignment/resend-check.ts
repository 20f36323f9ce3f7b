/**
 * Looking before sending again. An item goes back to Zoho only after checking that doing so
 * cannot apply the change twice or collide with a job: a retry (ALREADY_SCHEDULED, a transient
 * error, a lost answer) and an item left in flight by a stopped process are checked first —
 * the job rows we stored, then Zoho's pending jobs (feature-info, ≤ 100 ids per call), then the
 * records for those with none pending. What the record already shows counts as done.
 */
import { chunk } from '../chunk.js';
import type { Logger } from '../log.js';
import type { JobRecord } from '../store/types.js';
import { MAX_RECORDS_PER_CALL } from '../zoho/call-limits.js';
import type { Lane, Limiter } from '../zoho/limiter.js';
import { apiInLane, type PendingJob, type ZohoApi, type ZohoModule, type ZohoRecord } from '../zoho/types.js';
import { groupByModule, type ResendEntry, type SendEntry } from './batches.js';
import type { Decided, ItemWriter } from './item-writer.js';
import { changeVisible, type PhasePlan } from './phases.js';
import { ItemCodes } from './verdicts.js';

export interface ResendCheckDeps {
  api: ZohoApi;
  writer: ItemWriter;
  limiter: Limiter;
  logger: Logger;
}

export class ResendCheck {
  constructor(private readonly deps: ResendCheckDeps) {}

  /** Returns the entries that are safe to send now; every other entry's new state is stored. */
  async check(
    requestId: string,
    entries: readonly ResendEntry[],
    jobRows: readonly JobRecord[],
    lane: Lane = 'bulk',
  ): Promise<SendEntry[]> {
    const rest = await this.adoptStoredJobs(requestId, entries, jobRows);
    const toSend: SendEntry[] = [];
    const groups = [...groupByModule(rest.map((e) => ({ ...e, module: e.item.module })))];
    const work = groups.flatMap(([module, list]) =>
      chunk(list, MAX_RECORDS_PER_CALL).map((part) => ({ module, part })),
    );
    await Promise.all(
      work.map(({ module, part }) =>
        this.deps.limiter.run(async () => {
          toSend.push(...(await this.checkChunk(requestId, module, part, lane)));
        }, lane),
      ),
    );
    return toSend.sort((a, b) => a.item.seq - b.item.seq);
  }

  /** A job row of ours for an uncertain item proves Zoho took the call: the item follows the row. */
  private async adoptStoredJobs(
    requestId: string,
    entries: readonly ResendEntry[],
    jobRows: readonly JobRecord[],
  ): Promise<ResendEntry[]> {
    const rest: ResendEntry[] = [];
    for (const e of entries) {
      const row = e.adopt
        ? jobRows.filter((j) => j.seq === e.item.seq && j.operation === e.plan.operation).at(-1)
        : undefined;
      if (row) await this.deps.writer.adoptJob(requestId, e, row);
      else rest.push(e);
    }
    return rest;
  }

  private async checkChunk(
    requestId: string,
    module: ZohoModule,
    part: readonly ResendEntry[],
    lane: Lane,
  ): Promise<SendEntry[]> {
    const { writer } = this.deps;
    const api = apiInLane(this.deps.api, lane);
    const decided: Decided[] = [];
    const toSend: SendEntry[] = [];
    let pending: PendingJob[];
    let records: ZohoRecord[] = [];
    const ids = [...new Set(part.map((e) => e.item.recordId))];
    try {
      pending = await api.getPendingJobs(module, ids);
      const busy = new Set(pending.map((p) => p.recordId));
      const idle = ids.filter((id) => !busy.has(id));
      if (idle.length > 0) records = await api.getRecords(module, idle);
    } catch (err) {
      this.deps.logger.warn(
        { err, requestId, module, records: ids.length },
        'could not check records before resending',
      );
      await writer.markCheckFailed(requestId, part, err);
      return [];
    }
    const pendingBy = new Map(pending.map((p) => [p.recordId, p]));
    const recordBy = new Map(records.map((r) => [r.id, r]));
    for (const e of part) {
      const job = pendingBy.get(e.item.recordId);
      if (job) {
        decided.push(pendingJobDecision(e, job));
        continue;
      }
      const record = recordBy.get(e.item.recordId);
      if (!record) {
        decided.push({
          ...e,
          attempts: e.item.attempts,
          verdict: {
            kind: 'failed',
            code: ItemCodes.recordNotFound,
            message: `Zoho no longer returns this ${module} record (deleted or merged?)`,
          },
        });
        continue;
      }
      const on = record.territories.map((t) => t.id);
      if (changeVisible(on, e.plan)) await writer.markApplied(requestId, e, on);
      else toSend.push({ item: e.item, plan: e.plan });
    }
    await writer.recordDecisions(requestId, decided, (d) => [d.item.state]);
    return toSend;
  }
}

/** A job is pending on the record: ours (adopt it) when the last call's fate is unknown, else wait. */
function pendingJobDecision(e: ResendEntry, job: PendingJob): Decided {
  if (e.adopt && mayBeOurs(job, e.plan)) {
    return {
      ...e,
      attempts: e.item.attempts,
      verdict: {
        kind: 'scheduled',
        jobId: job.jobId,
        code: 'SCHEDULED',
        message: `Zoho had scheduled the change (job ${job.jobId}); confirming`,
      },
    };
  }
  return {
    ...e,
    attempts: e.item.attempts + 1,
    verdict: {
      kind: 'retry',
      reason: 'pending_job',
      // An uncertain item stays uncertain: once the other job is gone, the record decides.
      code: e.adopt ? ItemCodes.interrupted : 'ALREADY_SCHEDULED',
      message: 'Another territory job is still pending on this record; waiting for it',
    },
  };
}

/**
 * A pending job can be ours only if it is a manual one of our operation; a territory-rule run
 * (`creation`/`update`) on the record is someone else's. Zoho may omit `source`: then assume ours.
 */
function mayBeOurs(job: PendingJob, plan: PhasePlan): boolean {
  if (!job.source) return true;
  return (
    job.source === (plan.operation === 'assign' ? 'manual_territory_assignment' : 'manual_territory_removal')
  );
}
