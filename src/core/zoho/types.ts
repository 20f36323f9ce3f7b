/**
 * The Zoho CRM surface the rest of the app depends on. `ZohoClient` implements `ZohoApi`;
 * core code and tests depend on this interface only. IDs are always strings: Zoho IDs are
 * 18-19 digits and exceed Number.MAX_SAFE_INTEGER.
 */
import type { Lane } from './limiter.js';

export const TERRITORY_MODULES = ['Leads', 'Accounts', 'Contacts', 'Deals'] as const;
export type ZohoModule = (typeof TERRITORY_MODULES)[number];

export type PermissionType = 'read_only' | 'read_write_delete';

/** A territory from `GET /settings/territories` (lower-case keys in Zoho's answer). */
export interface Territory {
  id: string;
  name: string;
  apiName: string | null;
  description: string | null;
  /** `reporting_to.id`; null for the root (organisation) territory. */
  parentId: string | null;
  managerId: string | null;
  managerName: string | null;
  permissionType: PermissionType;
}

export interface ZohoUser {
  id: string;
  fullName: string;
  email: string | null;
  /** `active`, `inactive`, `deleted`, ... as Zoho sends it. */
  status: string;
  zuid: string | null;
  roleName: string | null;
  profileName: string | null;
}

/** An entry of `GET /users/{id}/territories` (capitalised keys in Zoho's answer). */
export interface UserTerritory {
  id: string;
  name: string;
  parentId: string | null;
  managerId: string | null;
}

export interface RecordTerritory {
  id: string;
  name: string;
  /** `$assigned`: `manually` (API/UI) or `automatically` (territory rules). */
  assigned: 'manually' | 'automatically' | 'unknown';
}

export interface ZohoRecord {
  module: ZohoModule;
  id: string;
  /** Display name (Full_Name, Account_Name, Deal_Name...) when Zoho returned one. */
  name: string | null;
  territories: RecordTerritory[];
  /**
   * The record's Zoho `Owner` (`{name, id, email}`), what the access policy checks (DESIGN.md
   * §4). Absent or null when Zoho did not return one (then the record is nobody's).
   */
  owner?: RecordOwner | null;
}

/** A record's `Owner` lookup as Zoho answers it. */
export interface RecordOwner {
  id: string;
  name: string | null;
  email: string | null;
}

/** One record's territories to assign or remove. */
export interface TerritoryChange {
  recordId: string;
  territoryIds: string[];
}

/** One record's result from assign_territories / remove_territories. */
export interface WriteOutcome {
  recordId: string;
  /** `scheduled`: Zoho accepted it and runs a background job (v8 answers 202 SCHEDULED). */
  status: 'scheduled' | 'error';
  /** Zoho's code: SCHEDULED, INVALID_DATA, DUPLICATE_DATA, LIMIT_EXCEEDED, ALREADY_SCHEDULED, ... */
  code: string;
  message: string;
  jobId: string | null;
  details: Record<string, unknown>;
}

/** A record that still has a territory job pending (feature-specific info). */
export interface PendingJob {
  recordId: string;
  jobId: string;
  /** creation | update | manual_territory_assignment | manual_territory_removal */
  source: string | null;
}

export interface TokenInfo {
  apiDomain: string;
  /** Scopes from the token response when Zoho sent them. */
  scopes: string[] | null;
  expiresAt: number;
}

export interface ZohoApi {
  /** Every territory, all pages (per_page 2000). */
  listTerritories(): Promise<Territory[]>;
  /** Throws ZohoApiError (INVALID_DATA for an unknown/deleted id, 403 codes when territory management is off). */
  getTerritory(id: string): Promise<Territory>;
  getChildTerritories(id: string): Promise<Territory[]>;
  getTerritoryUsers(id: string): Promise<ZohoUser[]>;
  getCurrentUser(): Promise<ZohoUser>;
  getUserTerritories(userId: string): Promise<UserTerritory[]>;
  /** Records by id (any number; chunked by 100). Records Zoho does not return are absent from the result. */
  getRecords(module: ZohoModule, ids: readonly string[]): Promise<ZohoRecord[]>;
  /** Any number of changes, sent in calls of at most 100 records; one outcome per input, in input order. */
  assignTerritories(module: ZohoModule, changes: readonly TerritoryChange[]): Promise<WriteOutcome[]>;
  removeTerritories(module: ZohoModule, changes: readonly TerritoryChange[]): Promise<WriteOutcome[]>;
  /** Records (of those asked) that still have a territory job pending; chunked by 100. */
  getPendingJobs(module: ZohoModule, recordIds: readonly string[]): Promise<PendingJob[]>;
  /** Makes sure a valid access token exists (refreshing if needed) and reports what Zoho said about it. */
  checkAuth(): Promise<TokenInfo>;
  /**
   * The same API with its calls waiting in `lane` at the client's limiter (limiter.ts). Doubles
   * without a limiter leave it out: `apiInLane` then hands back the API itself. A wrapper that
   * forwards it must wrap the view it returns too, or the view's calls go around the wrapper.
   */
  inLane?(lane: Lane): ZohoApi;
}

/** `api` with its calls in `lane`, where it has lanes. */
export function apiInLane(api: ZohoApi, lane: Lane): ZohoApi {
  return api.inLane ? api.inLane(lane) : api;
}

/**
 * The Zoho users the access policy maps people to (DESIGN.md §4). Apart from `ZohoApi` so the
 * engine's and monitor's doubles need not grow; `ZohoClient` implements both.
 */
export interface ZohoUsersApi {
  /** Every active user (`GET /users?type=ActiveUsers`, all pages of 200). */
  listActiveUsers(): Promise<ZohoUser[]>;
}
