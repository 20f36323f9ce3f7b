/**
 * Zoho's wire shapes (schemas.ts) to the client's types (types.ts), and the zod check every
 * response body goes through.
 */
import type { z } from 'zod';
import { ZohoResponseError } from './errors.js';
import type {
  FeatureInfoItemWire,
  RecordTerritoryWire,
  RecordWire,
  TerritoryWire,
  UserWire,
} from './schemas.js';
import type { PendingJob, RecordTerritory, Territory, ZohoModule, ZohoRecord, ZohoUser } from './types.js';

/** The display-name field requested with each module's records. */
export const NAME_FIELD: Record<ZohoModule, string> = {
  Leads: 'Full_Name',
  Accounts: 'Account_Name',
  Contacts: 'Full_Name',
  Deals: 'Deal_Name',
};

/** Deals may expose `Territory` instead of `Territories` (zoho-api.md §6): ask for both. */
export const TERRITORY_FIELDS: Record<ZohoModule, string[]> = {
  Leads: ['Territories'],
  Accounts: ['Territories'],
  Contacts: ['Territories'],
  Deals: ['Territories', 'Territory'],
};

export function toTerritory(t: TerritoryWire): Territory {
  return {
    id: t.id,
    name: t.name,
    apiName: t.api_name ?? null,
    description: t.description ?? null,
    parentId: t.reporting_to?.id ?? null,
    managerId: t.manager?.id ?? null,
    managerName: t.manager?.name ?? t.manager?.Name ?? null,
    // Only the two OAS values exist; anything else is treated as the narrower read_only.
    permissionType: t.permission_type === 'read_write_delete' ? 'read_write_delete' : 'read_only',
  };
}

export function toUser(u: UserWire): ZohoUser {
  const composed = [u.first_name, u.last_name].filter(Boolean).join(' ');
  return {
    id: u.id,
    fullName: u.full_name ?? composed,
    email: u.email ?? null,
    status: u.status ?? 'unknown',
    zuid: u.zuid ?? null,
    roleName: u.role?.name ?? null,
    profileName: u.profile?.name ?? null,
  };
}

export function toRecord(module: ZohoModule, r: RecordWire): ZohoRecord {
  const name = r[NAME_FIELD[module]];
  const terr = [...asArray(r.Territories), ...asArray(r.Territory)];
  const seen = new Set<string>();
  const territories: RecordTerritory[] = [];
  for (const t of terr) {
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    territories.push({
      id: t.id,
      name: t.Name ?? t.name ?? '',
      assigned: t.$assigned === 'manually' || t.$assigned === 'automatically' ? t.$assigned : 'unknown',
    });
  }
  const record: ZohoRecord = { module, id: r.id, name: typeof name === 'string' ? name : null, territories };
  // Left out when Zoho sent none, so records read without Owner compare as before.
  if (r.Owner) record.owner = { id: r.Owner.id, name: r.Owner.name ?? null, email: r.Owner.email ?? null };
  return record;
}

function asArray(v: RecordTerritoryWire | RecordTerritoryWire[] | null | undefined): RecordTerritoryWire[] {
  if (!v) return [];
  return Array.isArray(v) ? v : [v];
}

export function toPendingJobs(item: FeatureInfoItemWire): PendingJob[] {
  const recordId = item.id ?? item.record_id ?? null;
  const jobs = item.territory_scheduled_jobs;
  if (jobs) {
    return (Array.isArray(jobs) ? jobs : [jobs]).flatMap((j) => {
      const rid = recordId ?? j.id ?? j.record_id ?? null;
      return rid ? [{ recordId: rid, jobId: j.job_id, source: j.source ?? null }] : [];
    });
  }
  // Flat variant: `{"id","job_id","source"}` per record.
  if (recordId && item.job_id) return [{ recordId, jobId: item.job_id, source: item.source ?? null }];
  return [];
}

export function parse<T>(schema: z.ZodType<T>, res: { status: number; body: unknown }, path: string): T {
  const r = schema.safeParse(res.body);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : '';
    throw new ZohoResponseError(
      `Unexpected Zoho answer for ${path} (HTTP ${res.status})${where}`,
      res.status,
    );
  }
  return r.data;
}
