/**
 * Sends one batch (≤ 100 records, one module, one operation) to Zoho and stores every item's
 * outcome as it arrives. Items are marked in flight before the call, so a process that dies
 * mid-call leaves them recognisable (`sending` / `removing` without a job) and the resend check
 * looks at Zoho before anything is sent again.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import type { Lane } from '../zoho/limiter.js';
import { apiInLane, type ZohoApi } from '../zoho/types.js';
import type { Batch } from './batches.js';
import { type Decided, type ItemWriter, inFlightState } from './item-writer.js';
import { changeVisible } from './phases.js';
import type { RequestProgress } from './progress.js';
import {
  ItemCodes,
  type ItemVerdict,
  mapBatchError,
  mapWriteOutcome,
  territoryDeletedMessage,
} from './verdicts.js';

export interface BatchSenderDeps {
  api: ZohoApi;
  /** For the audit entry of each call. */
  store: Store;
  writer: ItemWriter;
  progress: RequestProgress;
  clock: Clock;
  logger: Logger;
  /** Current territory ids (catalog refresh); used when Zoho answers INVALID_DATA for a territory. */
  territoryIds: () => Promise<Set<string>>;
}

export class BatchSender {
  constructor(private readonly deps: BatchSenderDeps) {}

  /**
   * Marks the batch in flight and makes the one Zoho call: the part of a batch that needs a Zoho
   * slot. `store` takes the answer from there, outside the slot, so the next batch's call does
   * not wait for this one's writes.
   */
  async call(requestId: string, batch: Batch, lane: Lane): Promise<ItemVerdict[]> {
    await this.deps.writer.markInFlight(requestId, batch.entries);
    return this.answer(requestId, batch, apiInLane(this.deps.api, lane));
  }

  /** Stores each item's outcome of a call (after the checks some answers need), notifies once. */
  async store(requestId: string, batch: Batch, verdicts: readonly ItemVerdict[], lane: Lane): Promise<void> {
    const { writer, store, clock } = this.deps;
    const decided: Decided[] = batch.entries.map((e, i) => ({
      item: e.item,
      plan: e.plan,
      verdict: verdicts[i]!,
      attempts: e.item.attempts + 1,
    }));
    // The audit keeps what Zoho answered, before the checks below turn it into an outcome.
    const codes = countCodes(decided);
    await this.resolveTerritoryChecks(decided);
    await recordChecks(apiInLane(this.deps.api, lane), this.deps.logger, batch, decided);
    await writer.recordDecisions(requestId, decided, (d) => [inFlightState(d.plan)]);
    await store.appendAudit({
      at: clock.now(),
      actor: 'system',
      action: `zoho.${batch.operation}`,
      requestId,
      data: { module: batch.module, records: batch.entries.length, codes },
    });
    await this.deps.progress.updated(requestId);
  }

  /** The one Zoho call, each record's answer mapped to a verdict (a thrown error to all of them). */
  private async answer(
    requestId: string,
    { module, operation, entries }: Batch,
    api: ZohoApi,
  ): Promise<ItemVerdict[]> {
    const changes = entries.map((e) => ({ recordId: e.item.recordId, territoryIds: e.plan.territoryIds }));
    try {
      const outcomes =
        operation === 'assign'
          ? await api.assignTerritories(module, changes)
          : await api.removeTerritories(module, changes);
      return entries.map((e, i) => {
        const o =
          outcomes[i]?.recordId === e.item.recordId
            ? outcomes[i]
            : outcomes.find((x) => x.recordId === e.item.recordId);
        if (!o) {
          return {
            kind: 'retry',
            reason: 'uncertain',
            code: ItemCodes.badResponse,
            message: 'Zoho answered without this record',
          } as const;
        }
        return mapWriteOutcome(o, {
          module,
          operation,
          territoryIds: e.plan.territoryIds,
          action: e.item.action,
        });
      });
    } catch (err) {
      const v = mapBatchError(err, { module, operation });
      this.deps.logger.warn(
        { err, requestId, module, operation, records: entries.length, verdict: v.kind },
        'batch call failed',
      );
      return entries.map(() => v);
    }
  }

  /** INVALID_DATA on a territory: a fresh catalog tells a deleted territory from a passing glitch. */
  private async resolveTerritoryChecks(decided: Decided[]): Promise<void> {
    const toCheck = decided.filter((d) => d.verdict.kind === 'check_territories');
    if (toCheck.length === 0) return;
    let known: Set<string> | null = null;
    try {
      known = await this.deps.territoryIds();
    } catch (err) {
      this.deps.logger.warn({ err }, 'territory catalog refresh failed; INVALID_DATA items will be retried');
    }
    for (const d of toCheck) {
      const gone = known ? d.plan.territoryIds.filter((t) => !known.has(t)) : [];
      d.verdict =
        gone.length > 0
          ? { kind: 'failed', code: ItemCodes.territoryDeleted, message: territoryDeletedMessage(gone) }
          : {
              kind: 'retry',
              reason: 'transient',
              code: d.verdict.code,
              message: `Zoho did not accept the territory, which still exists: retrying (${d.verdict.message})`,
            };
    }
  }
}

/**
 * DUPLICATE_DATA: Zoho says a territory is already on the record — after a lost answer, because
 * our own earlier call made it. One read of the records decides: the change is there (done) or
 * it is not (failed, with Zoho's reason).
 */
async function recordChecks(api: ZohoApi, logger: Logger, batch: Batch, decided: Decided[]): Promise<void> {
  const toCheck = decided.filter((d) => d.verdict.kind === 'check_record');
  if (toCheck.length === 0) return;
  let records: Map<string, string[]> | null = null;
  try {
    const read = await api.getRecords(batch.module, [...new Set(toCheck.map((d) => d.item.recordId))]);
    records = new Map(read.map((r) => [r.id, r.territories.map((t) => t.id)]));
  } catch (err) {
    logger.warn({ err, module: batch.module }, 'could not read records after DUPLICATE_DATA; checking later');
  }
  for (const d of toCheck) {
    const on = records?.get(d.item.recordId);
    if (records === null) {
      d.verdict = {
        kind: 'retry',
        reason: 'uncertain',
        code: d.verdict.code,
        message: `Zoho answered ${d.verdict.code}; the record could not be read to check it`,
      };
    } else if (on && changeVisible(on, d.plan)) {
      d.verdict = {
        kind: 'applied',
        code: ItemCodes.alreadyApplied,
        message: 'The record already shows the change',
        after: on,
      };
    } else {
      d.verdict = { kind: 'failed', code: d.verdict.code, message: d.verdict.message };
    }
  }
}

function countCodes(decided: readonly Decided[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of decided) out[d.verdict.code] = (out[d.verdict.code] ?? 0) + 1;
  return out;
}
