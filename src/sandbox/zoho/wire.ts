/**
 * JSON shapes Zoho answers with, built from the OAS schemas (territories.json `territories`,
 * users.json `users`, users_territories.json `territories`, record.json `Territory`) and the
 * doc samples where they disagree (zoho-api.md §4.3, §5.2, §6).
 */
import type { ZohoModule } from '../../core/zoho/types.js';
import type { SimOrg } from './org.js';
import type { SeedRecord, SeedUser, SimTerritoryView } from './types.js';

export interface ApiErrorBody {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export function errorBody(
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): ApiErrorBody {
  return { code, details, message, status: 'error' };
}

export function pageInfo(perPage: number, count: number, page: number, moreRecords: boolean) {
  return { per_page: perPage, count, page, more_records: moreRecords };
}

function minifiedUser(user: SeedUser | undefined) {
  if (!user) return null;
  return { name: fullName(user), id: user.id, email: user.email };
}

export function fullName(user: SeedUser): string {
  return `${user.firstName} ${user.lastName}`;
}

export interface TerritoryWireOptions {
  innerDetails: Set<string>;
}

/** A territory as `GET /settings/territories` sends it (lower-case keys). */
export function territoryJson(org: SimOrg, t: SimTerritoryView, opts: TerritoryWireOptions) {
  const parent = t.parentId ? org.territory(t.parentId) : undefined;
  const manager = t.managerId ? org.user(t.managerId) : undefined;
  const owner = org.owner();
  let managerJson: Record<string, unknown> | null = null;
  if (manager) {
    managerJson = { name: fullName(manager), id: manager.id };
    // include_inner_details (v8 OAS) adds the manager user's zuid/status.
    if (opts.innerDetails.has('manager.zuid')) managerJson.zuid = manager.zuid;
    if (opts.innerDetails.has('manager.status')) managerJson.status = manager.status;
  }
  const out: Record<string, unknown> = {
    created_time: t.createdTime,
    modified_time: t.modifiedTime,
    // Docs: an unset manager and the root's reporting_to are null (the OAS types them as objects).
    manager: managerJson,
    reporting_to: parent ? { name: parent.name, id: parent.id } : null,
    permission_type: t.permissionType,
    modified_by: minifiedUser(owner),
    description: t.description,
    id: t.id,
    created_by: minifiedUser(owner),
    account_rule_criteria: t.accountRule,
    deal_rule_criteria: t.dealRule,
    name: t.name,
    api_name: t.apiName,
  };
  // The lead rule key is omitted when territories are not enabled for Leads (zoho-api.md §4.3).
  if (org.leadsTerritories) out.lead_rule_criteria = t.leadRule;
  return out;
}

/** A user as `GET /users` and `GET /settings/territories/{id}/users` send it. */
export function userJson(org: SimOrg, u: SeedUser) {
  const reportingTo = u.reportingToId ? org.user(u.reportingToId) : undefined;
  const owner = org.owner();
  return {
    id: u.id,
    first_name: u.firstName,
    last_name: u.lastName,
    full_name: fullName(u),
    email: u.email,
    status: u.status,
    zuid: u.zuid,
    confirm: u.confirm,
    category: 'regular_user',
    role: u.role,
    profile: u.profile,
    type__s: 'Regular User',
    // time_zone is left out: Zoho sends a zone name string where its OAS types an object.
    locale: 'en_US',
    country_locale: 'en_US',
    language: 'en_US',
    created_time: u.createdTime,
    Modified_Time: u.createdTime,
    created_by: minifiedUser(owner),
    Modified_By: {
      name: fullName(owner),
      id: owner.id,
      first_name: owner.firstName,
      last_name: owner.lastName,
    },
    // Minified_User in the OAS (not nullable): left out at the top of the reporting line.
    ...(reportingTo ? { Reporting_To: minifiedUser(reportingTo) } : {}),
  };
}

/**
 * An entry of `GET /users/{id}/territories`: capitalised keys. The doc sample writes
 * `Manager: {name, id}` while the OAS requires `Manager: {Name, id}`: both spellings are sent.
 * `Reporting_To` / `Manager` are null at the top and when unset (doc sample; OAS types objects).
 */
export function userTerritoryJson(org: SimOrg, t: SimTerritoryView) {
  const parent = t.parentId ? org.territory(t.parentId) : undefined;
  const manager = t.managerId ? org.user(t.managerId) : undefined;
  return {
    id: t.id,
    Manager: manager ? { Name: fullName(manager), name: fullName(manager), id: manager.id } : null,
    Name: t.name,
    Reporting_To: parent ? { id: parent.id, Name: parent.name } : null,
  };
}

/** `Territories` of a record (record.json `Territory`; `$assigned_by` is null for rule assignments). */
export function recordTerritoriesJson(org: SimOrg, r: SeedRecord) {
  return r.territories.flatMap((x) => {
    const t = org.territory(x.territoryId);
    if (!t || t.deleted) return [];
    const by = x.assignedById ? org.user(x.assignedById) : undefined;
    return [
      {
        Name: t.name,
        id: t.id,
        $assigned_by: by ? { name: fullName(by), id: by.id } : null,
        $assigned_time: x.assignedTime,
        $assigned: x.assigned,
      },
    ];
  });
}

const NAME_FIELD: Record<ZohoModule, string> = {
  Leads: 'Full_Name',
  Accounts: 'Account_Name',
  Contacts: 'Full_Name',
  Deals: 'Deal_Name',
};

/** The value of one field of a record, or undefined when the record has no such field. */
function fieldValue(org: SimOrg, r: SeedRecord, field: string): unknown {
  switch (field) {
    case 'id':
      return r.id;
    case 'Territories':
      return org.territoriesOnRecords(r.module) ? recordTerritoriesJson(org, r) : undefined;
    case 'Territory':
      // COQL docs name the Deals field `Territory`; served for Deals only, when asked for.
      return r.module === 'Deals' && org.territoriesOnRecords(r.module)
        ? recordTerritoriesJson(org, r)
        : undefined;
    case 'Owner': {
      const u = org.user(r.ownerId);
      return u ? { name: fullName(u), id: u.id, email: u.email } : null;
    }
    case 'Created_Time':
      return r.createdTime;
    case 'Modified_Time':
      return r.modifiedTime;
    case 'Created_By':
    case 'Modified_By': {
      const u = org.owner();
      return { name: fullName(u), id: u.id, email: u.email };
    }
    case 'Locked__s':
      return r.locked;
    case '$locked_for_me':
      return r.locked;
    default:
      return Object.hasOwn(r.fields, field) ? r.fields[field] : undefined;
  }
}

/** A record with the asked fields (all when `fields` is null), `id` always first. */
export function recordJson(org: SimOrg, r: SeedRecord, fields: string[] | null) {
  const names =
    fields ??
    [
      NAME_FIELD[r.module],
      ...Object.keys(r.fields),
      'Owner',
      'Created_Time',
      'Modified_Time',
      'Created_By',
      'Modified_By',
      'Locked__s',
      '$locked_for_me',
      'Territories',
    ].filter((f, i, all) => all.indexOf(f) === i);
  const out: Record<string, unknown> = { id: r.id };
  for (const f of names) {
    const v = fieldValue(org, r, f);
    if (v !== undefined) out[f] = v;
  }
  return out;
}
