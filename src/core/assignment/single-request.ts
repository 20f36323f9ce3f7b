/**
 * The single-record flow before anything is written (DESIGN.md §3 "Single record"): parse the
 * record, resolve the territories from the cached catalog, read the record's current
 * territories (one call), and check Zoho's rules. The caller either shows the refusal or hands
 * the plan to the engine (`toSingleRequestInput`).
 */
import { parseRecordRef, type RecordRef } from '../records/index.js';
import type { TerritoryCatalog } from '../territories/index.js';
import { resolveTerritories, type TerritoryResolutionFailure } from '../territories/index.js';
import type { ZohoApi, ZohoModule, ZohoRecord } from '../zoho/types.js';
import type { SingleRequestInput } from './engine-single.js';
import { type ChangeAction, type ChangePlan, planChange } from './plan.js';

export interface SingleChangeInput {
  action: ChangeAction;
  recordText: string;
  /**
   * As typed (one string: tried whole as a name before it is split on commas, so a name that
   * holds a comma still matches) or as picked in a select (ids or names, one per entry).
   */
  territories: string | readonly string[];
  /** For a bare record id (the assign modal's module select). */
  defaultModule?: ZohoModule;
}

export type SingleChangeResult =
  | { ok: true; ref: RecordRef; record: ZohoRecord; plan: ChangePlan }
  | { ok: false; reason: 'bad_record'; message: string }
  | { ok: false; reason: 'no_territory'; message: string }
  | { ok: false; reason: 'territory'; failures: TerritoryResolutionFailure[]; message: string }
  | { ok: false; reason: 'not_found'; ref: RecordRef; message: string }
  | { ok: false; reason: 'blocked'; ref: RecordRef; record: ZohoRecord; plan: ChangePlan; message: string }
  | { ok: false; reason: 'noop'; ref: RecordRef; record: ZohoRecord; plan: ChangePlan; message: string };

/**
 * What a single change can be refused for without Zoho: a record that is no Zoho record, no
 * territory. The territory text stays raw (trimmed) for the resolver.
 */
export function parseSingleInput(
  input: Pick<SingleChangeInput, 'action' | 'recordText' | 'territories' | 'defaultModule'>,
):
  | { ok: true; ref: RecordRef; given: string | readonly string[] }
  | { ok: false; reason: 'bad_record' | 'no_territory'; message: string } {
  const parsed = parseRecordRef(input.recordText, { defaultModule: input.defaultModule });
  if (!parsed.ok) return { ok: false, reason: 'bad_record', message: parsed.reason };
  const ref = parsed.ref;
  const given = typeof input.territories === 'string' ? input.territories.trim() : input.territories;
  if (given.length === 0) {
    return {
      ok: false,
      reason: 'no_territory',
      message: `Say which territory to ${input.action}, e.g. \`/territory ${input.action} ${ref.module}/${ref.recordId} US West\`.`,
    };
  }
  return { ok: true, ref, given };
}

export async function prepareSingleChange(
  deps: { zoho: Pick<ZohoApi, 'getRecords'>; catalog: TerritoryCatalog },
  input: SingleChangeInput,
): Promise<SingleChangeResult> {
  const asked = parseSingleInput(input);
  if (!asked.ok) return asked;
  const { ref, given } = asked;

  let catalog = await deps.catalog.get();
  let resolved = resolveTerritories(catalog, given);
  if (!resolved.ok && resolved.failures.some((f) => f.reason === 'not_found')) {
    // A territory created minutes ago is not in a cached catalog yet: read Zoho once more.
    catalog = await deps.catalog.refresh();
    resolved = resolveTerritories(catalog, given);
  }
  if (!resolved.ok) {
    return { ok: false, reason: 'territory', failures: resolved.failures, message: resolved.message ?? '' };
  }

  const [record] = await deps.zoho.getRecords(ref.module, [ref.recordId]);
  if (!record) {
    return {
      ok: false,
      reason: 'not_found',
      ref,
      message: `Zoho has no ${ref.module} record ${ref.recordId} (or the API user cannot see it). Check the link or ID.`,
    };
  }
  const plan = planChange({
    action: input.action,
    record,
    territoryIds: resolved.territories.map((t) => t.id),
    catalog,
    ref,
  });
  if (!plan.ok) return { ok: false, reason: 'blocked', ref, record, plan, message: plan.errors.join('\n') };
  if (plan.noop) {
    return {
      ok: false,
      reason: 'noop',
      ref,
      record,
      plan,
      message: plan.warnings.join('\n') || 'Nothing to change.',
    };
  }
  return { ok: true, ref, record, plan };
}

/** The engine's input for a prepared change. */
export function toSingleRequestInput(
  prepared: Extract<SingleChangeResult, { ok: true }>,
  who: { requesterId: string; originChannelId: string | null },
): SingleRequestInput {
  const { plan, ref, record } = prepared;
  const names = Object.fromEntries(record.territories.map((t) => [t.id, t.name]));
  return {
    requesterId: who.requesterId,
    originChannelId: who.originChannelId,
    action: plan.action,
    module: ref.module,
    recordId: ref.recordId,
    territoryIds: plan.action === 'remove' ? plan.removeIds : plan.assignIds,
    removeTerritoryIds: plan.action === 'move' ? plan.removeIds : [],
    before: plan.before,
    summary: {
      recordName: record.name,
      recordLabel: plan.recordLabel,
      warnings: plan.warnings,
      territoryNames: names,
    },
  };
}
