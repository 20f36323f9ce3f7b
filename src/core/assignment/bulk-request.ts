/**
 * The bulk flow before anything is written to Zoho (DESIGN.md §3 "Bulk with approval"):
 *
 * 1. `validateBulkList` (fast, inside Slack's 3 s ack window): parse the pasted list or CSV,
 *    resolve every territory name from the cached catalog. Every bad line comes back with its
 *    number and reason; nothing is stored.
 * 2. `prepareBulkRequest`: read the records' current territories (≤ 100 ids per call, one
 *    module and a page of records at a time), plan each record with Zoho's rules and build the
 *    draft request. Items Zoho would refuse (or that need nothing) are stored already final
 *    (failed / skipped, with the reason) so they are never sent; the others carry exactly the
 *    territories to send, because Zoho answers DUPLICATE_DATA for a territory already on the record.
 */
import { randomUUID } from 'node:crypto';
import { type AccessChange, accessChangeOf } from '../access/policy.js';
import { chunk } from '../chunk.js';
import {
  parseRecordList,
  type RecordListEntry,
  type RecordListResult,
  readRecordCsv,
  recordKey,
  yieldToEventLoop,
} from '../records/index.js';
import type { NewRequest, NewRequestItem } from '../store/types.js';
import {
  resolveTerritories,
  SuggestionBudget,
  type TerritoryCatalog,
  type TerritoryIndex,
} from '../territories/index.js';
import { TERRITORY_MODULES, type ZohoApi, type ZohoModule, type ZohoRecord } from '../zoho/types.js';
import { primaryIssue } from './limits.js';
import { type ChangeAction, planChange } from './plan.js';

export interface BulkListInput {
  /** Pasted text (one record per line); may be empty when a CSV is given. */
  text?: string | null;
  /** CSV file content. */
  csv?: string | Buffer | null;
  /** Module for bare record ids. */
  defaultModule?: ZohoModule | null;
  /** Territory id for lines that name none (the modal's default territory). */
  defaultTerritoryId?: string | null;
  /** MAX_RECORDS_PER_REQUEST */
  maxRecords: number;
}

export interface BulkLineError {
  lineNo: number;
  message: string;
}

export interface ValidatedEntry {
  entry: RecordListEntry;
  /** Resolved territory ids (the line's, or the default); for move, the record's new set. */
  territoryIds: string[];
  /** Default assign (pasted lists); an undo also removes and moves. */
  action?: ChangeAction;
  /**
   * The territories the record must hold now (an undo: what the request it undoes left); a
   * record holding anything else was changed since and is skipped with the reason.
   */
  expectCurrent?: readonly string[];
}

export type BulkValidation =
  | {
      ok: true;
      entries: ValidatedEntry[];
      /** Sentences about merged duplicates and the like. */
      notes: string[];
      source: 'paste' | 'csv';
    }
  | {
      ok: false;
      /** Bad lines with their numbers (parse errors, unknown or ambiguous territories). */
      lineErrors: BulkLineError[];
      /** A problem with the list as a whole (empty, too long, both paste and file…). */
      listError: string | null;
      /** A problem with the default territory. */
      territoryError: string | null;
      source: 'paste' | 'csv' | null;
    };

/** Lines resolved between two yields to the event loop. */
const YIELD_EVERY = 200;

/** Checks the list without calling Zoho except for the (cached) territory catalog. */
export async function validateBulkList(
  deps: { catalog: Pick<TerritoryCatalog, 'get' | 'refresh'> },
  input: BulkListInput,
): Promise<BulkValidation> {
  const text = input.text?.trim() ? input.text : null;
  const csv = input.csv && input.csv.length > 0 ? input.csv : null;
  if (text && csv) {
    return fail({
      listError: 'Paste a list or attach a CSV file, not both.',
      source: null,
    });
  }
  if (!text && !csv) {
    return fail({
      listError: 'Paste a list of records, or attach a CSV file.',
      source: null,
    });
  }
  const source = csv ? 'csv' : 'paste';
  const options = { defaultModule: input.defaultModule ?? null, maxRecords: input.maxRecords };
  // A CSV may be megabytes: read in slices, yielding (csv-reader.ts); a paste is small (Slack caps it).
  const parsed: RecordListResult = csv
    ? await readRecordCsv(csv, options)
    : parseRecordList(text ?? '', options);

  const lineErrors: BulkLineError[] = parsed.errors.map((e) => ({ lineNo: e.lineNo, message: e.reason }));
  if (parsed.listError && parsed.recordCount > input.maxRecords) {
    // Too long: say so first; line-by-line reasons would only bury it.
    return fail({ listError: parsed.listError, lineErrors, source });
  }

  let catalog = await deps.catalog.get();
  let territoryError: string | null = null;
  const defaults: string[] = [];
  if (input.defaultTerritoryId) {
    if (!catalog.has(input.defaultTerritoryId)) catalog = await deps.catalog.refresh();
    if (catalog.has(input.defaultTerritoryId)) defaults.push(input.defaultTerritoryId);
    else territoryError = 'This territory no longer exists in Zoho. Pick another one.';
  }

  // One suggestion budget for the whole list, whatever the number of unknown names in it.
  const budget = new SuggestionBudget();
  const resolveAll = async (index: TerritoryIndex) => {
    const out: ValidatedEntry[] = [];
    const errors: BulkLineError[] = [];
    let notFound = false;
    for (const [n, entry] of parsed.entries.entries()) {
      // Other requests and /healthz go on while a long list is checked.
      if (n % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      if (entry.territories.length === 0) {
        if (defaults.length === 0 && !territoryError) {
          errors.push({
            lineNo: entry.lineNo,
            message: `${recordKey(entry.ref)} names no territory: add ", <territory>" or pick a default territory.`,
          });
        }
        out.push({ entry, territoryIds: defaults });
        continue;
      }
      const resolved = resolveTerritories(index, entry.territories, budget);
      if (!resolved.ok) {
        if (resolved.failures.some((f) => f.reason === 'not_found')) notFound = true;
        errors.push({ lineNo: entry.lineNo, message: resolved.message ?? 'Unknown territory.' });
        continue;
      }
      out.push({ entry, territoryIds: resolved.territories.map((t) => t.id) });
    }
    return { out, errors, notFound };
  };
  let resolved = await resolveAll(catalog);
  if (resolved.notFound) {
    // A territory created minutes ago is not in a cached catalog yet: read Zoho once more.
    catalog = await deps.catalog.refresh();
    resolved = await resolveAll(catalog);
  }
  lineErrors.push(...resolved.errors);
  lineErrors.sort((a, b) => a.lineNo - b.lineNo);

  if (lineErrors.length > 0 || parsed.listError || territoryError) {
    return fail({ lineErrors, listError: parsed.listError, territoryError, source });
  }
  return { ok: true, entries: resolved.out, notes: parsed.notes, source };
}

function fail(
  partial: Partial<Extract<BulkValidation, { ok: false }>> & { source: 'paste' | 'csv' | null },
): BulkValidation {
  return {
    ok: false,
    lineErrors: partial.lineErrors ?? [],
    listError: partial.listError ?? null,
    territoryError: partial.territoryError ?? null,
    source: partial.source,
  };
}

export interface PreparedBulk {
  request: NewRequest;
  items: NewRequestItem[];
  /**
   * What the lines that will be sent change, for the access policy (DESIGN.md §4), in list
   * order: lines the preview refused or that need nothing change nothing.
   */
  changes: AccessChange[];
}

export interface BulkRequestMeta {
  requesterId: string;
  originChannelId: string | null;
  reason: string;
  source: 'paste' | 'csv' | 'undo';
  notes: readonly string[];
  /** Kept in the request's summary beside the plan (an undo: `undoOf`, the request it undoes). */
  extra?: Record<string, unknown>;
}

/** Item codes for what the preview decided not to send. */
export const PREVIEW_CODES = {
  blocked: 'preview_blocked',
  nothingToDo: 'preview_nothing_to_do',
  /** Undo: the record was changed after the request it undoes. */
  changedSince: 'changed_since',
} as const;

/**
 * Records read and planned before the next are read: one wave of get-records calls (5 × 100).
 * Only the items outlive a page; Zoho's records and the plans do not (issue 13: holding all
 * 10,000 records and plans across a second of reads was a third of a bulk's peak memory).
 */
export const PREVIEW_PAGE_RECORDS = 500;

/**
 * Reads every record (per module, a page at a time; the client sends ≤ 100 ids per call), plans
 * each change and builds the draft request with all its items. Nothing is stored here.
 */
export async function prepareBulkRequest(
  deps: { zoho: Pick<ZohoApi, 'getRecords'>; catalog: Pick<TerritoryCatalog, 'get'>; now: number },
  entries: readonly ValidatedEntry[],
  meta: BulkRequestMeta,
  id: string = randomUUID(),
): Promise<PreparedBulk> {
  const catalog = await deps.catalog.get();
  const items: NewRequestItem[] = new Array(entries.length);
  const changes: Array<AccessChange | null> = new Array(entries.length).fill(null);
  // Lines by module, then by record id (a list names each record once; an id twice is read
  // once and planned for each of its lines all the same).
  const byModule = new Map<ZohoModule, Map<string, number[]>>();
  entries.forEach((e, seq) => {
    const { module, recordId } = e.entry.ref;
    const byId = byModule.get(module) ?? new Map<string, number[]>();
    byModule.set(module, byId);
    const seqs = byId.get(recordId);
    if (seqs) seqs.push(seq);
    else byId.set(recordId, [seq]);
  });
  for (const module of TERRITORY_MODULES) {
    const byId = byModule.get(module);
    if (!byId) continue;
    for (const ids of chunk([...byId.keys()], PREVIEW_PAGE_RECORDS)) {
      const records = new Map((await deps.zoho.getRecords(module, ids)).map((r) => [r.id, r]));
      for (const recordId of ids) {
        for (const seq of byId.get(recordId) ?? []) {
          const planned = planItem(entries[seq]!, seq, records.get(recordId) ?? null, catalog);
          items[seq] = planned.item;
          changes[seq] = planned.change;
        }
      }
    }
  }
  const request: NewRequest = {
    id,
    kind: 'bulk',
    state: 'draft',
    requesterId: meta.requesterId,
    originChannelId: meta.originChannelId,
    reason: meta.reason,
    itemCount: items.length,
    summary: {
      ...meta.extra,
      source: meta.source,
      notes: meta.notes.slice(0, 20),
    },
    createdAt: deps.now,
    expiresAt: null,
  };
  return { request, items, changes: changes.filter((c): c is AccessChange => c !== null) };
}

/**
 * One line's item, with what the preview shows of it (name, warning, main issue code — errors
 * first — for grouped counts on the card and preview) on its own row, not in the summary; and
 * the change it makes when it will be sent. Items Zoho would refuse, or that need nothing, are
 * final already (failed / skipped, with the reason).
 */
function planItem(
  e: ValidatedEntry,
  seq: number,
  record: ZohoRecord | null,
  catalog: TerritoryIndex,
): { item: NewRequestItem; change: AccessChange | null } {
  const action = e.action ?? 'assign';
  const plan = planChange({ action, record, territoryIds: e.territoryIds, catalog, ref: e.entry.ref });
  const main = primaryIssue(plan.issues);
  const base = {
    seq,
    lineNo: e.entry.lineNo,
    module: e.entry.ref.module,
    recordId: e.entry.ref.recordId,
    action,
    removeTerritoryIds: [],
    before: record ? plan.before : null,
    recordName: record?.name ?? null,
    issue: main?.code ?? null,
  };
  const changed =
    record && e.expectCurrent ? changedSince(record.territories, e.expectCurrent, catalog) : null;
  const final = (
    state: 'failed' | 'skipped',
    code: string,
    message: string,
    issue: string | null = base.issue,
  ) => ({
    item: { ...base, issue, warning: message, territoryIds: [], state, code, message },
    change: null,
  });
  if (changed) return final('skipped', PREVIEW_CODES.changedSince, changed, PREVIEW_CODES.changedSince);
  if (!plan.ok) return final('failed', PREVIEW_CODES.blocked, plan.errors.join(' '));
  if (plan.noop)
    return final('skipped', PREVIEW_CODES.nothingToDo, plan.warnings.join(' ') || 'Nothing to change.');
  return {
    item: {
      ...base,
      warning: plan.warnings.length > 0 ? plan.warnings.join(' ') : null,
      territoryIds: action === 'remove' ? plan.removeIds : plan.assignIds,
      removeTerritoryIds: action === 'move' ? plan.removeIds : [],
    },
    change: accessChangeOf(plan, { ownerId: record?.owner?.id ?? null, name: record?.name ?? null }),
  };
}

/** Why a record is left alone by an undo: it no longer holds what the request left; null when it does. */
function changedSince(
  on: ZohoRecord['territories'],
  expected: readonly string[],
  catalog: TerritoryIndex,
): string | null {
  const now = on.map((t) => t.id);
  if (now.length === expected.length && expected.every((id) => now.includes(id))) return null;
  const names = (ids: readonly string[]) =>
    ids.length === 0
      ? 'no territory'
      : ids.map((id) => catalog.byId(id)?.name ?? on.find((t) => t.id === id)?.name ?? id).join(', ');
  return `Changed since the request: it now has ${names(now)}, the request left ${names(expected)}. Left as it is.`;
}
