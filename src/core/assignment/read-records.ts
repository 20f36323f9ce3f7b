/** The records of a bulk list as Zoho has them now, read once per module. */
import { type RecordRef, recordKey } from '../records/ref.js';
import { TERRITORY_MODULES, type ZohoApi, type ZohoModule, type ZohoRecord } from '../zoho/types.js';

/**
 * Reads the current territories of every record in the list: one getRecords per module
 * (the client sends at most 100 ids per call). Keyed by `Module/ID`; missing records are absent.
 */
export async function readRecords(
  api: Pick<ZohoApi, 'getRecords'>,
  refs: Iterable<RecordRef>,
): Promise<Map<string, ZohoRecord>> {
  const byModule = new Map<ZohoModule, Set<string>>();
  for (const ref of refs) {
    const ids = byModule.get(ref.module) ?? new Set<string>();
    ids.add(ref.recordId);
    byModule.set(ref.module, ids);
  }
  const out = new Map<string, ZohoRecord>();
  for (const module of TERRITORY_MODULES) {
    const ids = byModule.get(module);
    if (!ids) continue;
    for (const record of await api.getRecords(module, [...ids])) {
      out.set(recordKey({ module: record.module, recordId: record.id }), record);
    }
  }
  return out;
}
