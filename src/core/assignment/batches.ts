/**
 * Grouping items into Zoho calls. Zoho takes at most 100 records per assign/remove call and per
 * feature-info / get-records call (zoho-api.md §11.4); one call carries records of one module
 * and one operation, each record with its own territories.
 */
import { chunk } from '../chunk.js';
import type { RequestItemRecord } from '../store/types.js';
import { MAX_RECORDS_PER_CALL } from '../zoho/call-limits.js';
import type { ZohoModule } from '../zoho/types.js';
import type { Operation, PhasePlan } from './phases.js';

/** One item and the phase of it that goes to Zoho now. */
export interface SendEntry {
  item: RequestItemRecord;
  plan: PhasePlan;
}

/** An item the resend check looks at before anything goes to Zoho again. */
export interface ResendEntry extends SendEntry {
  /**
   * The last call's fate is unknown (in flight at a restart, answer lost): a pending job on
   * the record is taken to be ours. Otherwise a pending job is someone else's and we wait.
   */
  adopt: boolean;
}

export interface Batch {
  module: ZohoModule;
  operation: Operation;
  entries: SendEntry[];
}

/** Batches of at most `max` records, one module and operation each, in item order. */
export function planBatches(entries: readonly SendEntry[], max = MAX_RECORDS_PER_CALL): Batch[] {
  const groups = new Map<string, { module: ZohoModule; operation: Operation; entries: SendEntry[] }>();
  for (const e of entries) {
    const key = `${e.item.module}:${e.plan.operation}`;
    let g = groups.get(key);
    if (!g) {
      g = { module: e.item.module, operation: e.plan.operation, entries: [] };
      groups.set(key, g);
    }
    g.entries.push(e);
  }
  const batches: Batch[] = [];
  for (const g of groups.values()) {
    for (const part of chunk(g.entries, max))
      batches.push({ module: g.module, operation: g.operation, entries: part });
  }
  return batches;
}

/** Item ids grouped by module, for the read-side calls (pending jobs, get records). */
export function groupByModule<T extends { module: ZohoModule }>(xs: readonly T[]): Map<ZohoModule, T[]> {
  const out = new Map<ZohoModule, T[]>();
  for (const x of xs) {
    const list = out.get(x.module);
    if (list) list.push(x);
    else out.set(x.module, [x]);
  }
  return out;
}
