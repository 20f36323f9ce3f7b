/**
 * Public types of the Zoho CRM v8 simulator: the seed (a whole org as plain JSON), the
 * options, and the control surface tests, benchmarks and the sandbox drive it with.
 * Built from Zoho's docs and OAS files (see /work/shared/reference), not from our client.
 */
import type { Clock } from '../../core/clock.js';
import type { PermissionType, ZohoModule } from '../../core/zoho/types.js';

export type { PermissionType, ZohoModule };

/**
 * A territory rule criterion as Zoho's docs show it (zoho-api.md §4.3): a leaf
 * `{comparator, field:{api_name,id}, value}` or a group `{group_operator, group:[...]}`.
 */
export type SimCriteria =
  | { comparator: string; field: { api_name: string; id: string }; value: unknown }
  | { group_operator: 'and' | 'or'; group: SimCriteria[] };

export interface SeedTerritory {
  id: string;
  name: string;
  apiName: string;
  description: string | null;
  /** Parent territory id; null for the root (organisation) territory. */
  parentId: string | null;
  managerId: string | null;
  permissionType: PermissionType;
  accountRule: SimCriteria | null;
  dealRule: SimCriteria | null;
  leadRule: SimCriteria | null;
  createdTime: string;
  modifiedTime: string;
}

export interface SeedUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  zuid: string;
  /** `active`, `disabled`, `deleted`, ... */
  status: string;
  confirm: boolean;
  role: { id: string; name: string };
  profile: { id: string; name: string };
  reportingToId: string | null;
  createdTime: string;
}

export interface SeedMembership {
  userId: string;
  territoryId: string;
}

export interface SeedRecordTerritory {
  territoryId: string;
  /** `manually` (API/UI) or `automatically` (territory rules). */
  assigned: 'manually' | 'automatically';
  /** Null for rule assignments (Zoho sends `$assigned_by: null` then). */
  assignedById: string | null;
  assignedTime: string;
}

export interface SeedRecord {
  module: ZohoModule;
  id: string;
  /** Field values by API name (Full_Name, Account_Name, Deal_Name, Stage, ...). */
  fields: Record<string, unknown>;
  ownerId: string;
  territories: SeedRecordTerritory[];
  locked: boolean;
  createdTime: string;
  modifiedTime: string;
}

/** A whole simulated org: everything the simulator serves. Plain JSON. */
export interface SimSeed {
  orgName: string;
  orgId: string;
  /** The user the OAuth credentials belong to (`GET /users?type=CurrentUser`). */
  apiUserId: string;
  territoryManagement: boolean;
  leadsTerritories: boolean;
  territories: SeedTerritory[];
  users: SeedUser[];
  memberships: SeedMembership[];
  records: SeedRecord[];
}

export interface SimCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** Timers the simulator uses for job completion and latency (inject fakes in tests). */
export interface SimTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ZohoSimulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The org to serve; default `demoSeed()`. Ignored when `stateFile` exists. */
  seed?: SimSeed;
  /** JSON file the org (and pending jobs) are loaded from at start and saved to after each change. */
  stateFile?: string;
  credentials?: Partial<SimCredentials>;
  clock?: Clock;
  timers?: SimTimers;
  /** Time from assign/remove to the job applying the change (default 1500 ms). */
  jobDelayMs?: number;
  /** Access token lifetime (default 3600 s). */
  tokenTtlSeconds?: number;
  /** Zoho's refresh throttle: more than `max` tokens per `windowMs` per refresh token (default 10 / 10 min). */
  refreshThrottle?: { max: number; windowMs: number } | false;
  /** NO_PERMISSION unless the API user may write the territory (default true; Administrators bypass). */
  enforceTerritoryPermissions?: boolean;
  /** Scopes granted to new access tokens (default: modules ALL, territories ALL, users ALL). */
  scopes?: string[];
  /** Fixed latency per call in ms (default 0). */
  latencyMs?: number;
  /** Request-log entries kept (oldest dropped; default 5000). */
  maxLogEntries?: number;
}

/** Faults injected through `sim.faults` or `POST /__sim/faults/...`. */
export interface FailNextFault {
  count: number;
  status: 429 | 500;
  /** Only calls whose path (after /crm/v8) starts with this; all API calls when absent. */
  pathPrefix?: string;
  /**
   * The call takes effect (e.g. the assignment is scheduled) and only then answers the
   * error: a lost answer, for testing retries that must not send a record twice.
   */
  afterApplying?: boolean;
  /**
   * Holds the answer this long (ms). With `afterApplying` the change is made at once, so a
   * client whose timeout is shorter has lost the answer of a call that took effect.
   */
  delayMs?: number;
}

export interface SimFaults {
  /** Fixed delay added to every call (ms). */
  setLatency(ms: number): void;
  /** The next `count` API calls (optionally only under `pathPrefix`) answer 429 TOO_MANY_REQUESTS or 500 INTERNAL_ERROR. */
  failNext(fault: FailNextFault): void;
  /** More than `limit` concurrent API calls answer 429 (null: no limit). */
  setConcurrencyLimit(limit: number | null): void;
  /** Every access token issued so far stops working (401 INVALID_TOKEN). */
  expireAccessTokens(): void;
  /** The refresh token is revoked: the token endpoint answers `{"error":"invalid_code"}`. */
  revokeRefreshToken(): void;
  restoreRefreshToken(): void;
  /** Scopes of tokens issued from now on (null: the default scopes). */
  setTokenScopes(scopes: string[] | null): void;
  /** Jobs finish without applying their change. */
  setJobsFail(fail: boolean): void;
  setJobDelay(ms: number): void;
  /** Clears latency, failNext, concurrency limit, job failure and token scopes. */
  clear(): void;
}

export interface SimJob {
  jobId: string;
  module: ZohoModule;
  recordId: string;
  /** manual_territory_assignment | manual_territory_removal | creation | update */
  source: string;
  territoryIds: string[];
  dueAt: number;
}

export interface LoggedCall {
  seq: number;
  time: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Operation name, e.g. `getTerritories`, `assignTerritories`, `token`; `unknown` for no route. */
  operation: string;
  /** Parsed JSON (or form fields) of the request; secrets redacted. */
  requestBody: unknown;
  status: number;
  /** Parsed JSON answer (null for 204); tokens redacted. */
  responseBody: unknown;
}

export interface CallCount {
  operation: string;
  method: string;
  count: number;
  /** Clock time the first and the latest of these calls were answered (benchmarks time spans). */
  firstAt: number;
  lastAt: number;
}

/** A view of one territory as the simulator holds it. */
export interface SimTerritoryView extends SeedTerritory {
  deleted: boolean;
}

export interface ZohoSimulator {
  /** Base URL, e.g. http://127.0.0.1:54321 (API under /crm/v8, OAuth under /oauth/v2). */
  readonly url: string;
  readonly accountsUrl: string;
  readonly apiDomain: string;
  readonly credentials: SimCredentials;
  readonly apiUserId: string;

  // --- org state -------------------------------------------------------------------------
  territory(id: string): SimTerritoryView | undefined;
  /** Live (not deleted) territories. */
  territories(): SimTerritoryView[];
  territoryByName(name: string): SimTerritoryView | undefined;
  record(module: ZohoModule, id: string): SeedRecord | undefined;
  records(module: ZohoModule): SeedRecord[];
  userTerritoryIds(userId: string): string[];
  deleteTerritory(id: string): void;
  renameTerritory(id: string, name: string): void;
  setPermissionType(id: string, permissionType: PermissionType): void;
  addUserToTerritory(userId: string, territoryId: string): void;
  removeUserFromTerritory(userId: string, territoryId: string): void;
  setTerritoryManagement(enabled: boolean): void;
  setLeadsTerritories(enabled: boolean): void;
  setRecordLocked(module: ZohoModule, id: string, locked: boolean): void;
  setEnforceTerritoryPermissions(enforce: boolean): void;
  /** A user's `status` (`active`, `disabled`, `deleted`...); Zoho keeps serving the API user's token. */
  setUserStatus(userId: string, status: string): void;
  /**
   * Whether the API user may read a territory. Unreadable: `GET /settings/territories/{id}`
   * (and its children/users) answer 403 NO_PERMISSION, lists leave it out, assigning it
   * answers NO_PERMISSION.
   */
  setTerritoryReadable(id: string, readable: boolean): void;
  /** The org as a seed (deep copy): save it, or start another simulator from it. */
  snapshot(): SimSeed;

  // --- jobs ------------------------------------------------------------------------------
  pendingJobs(): SimJob[];
  /** Finishes every pending job now (applying it unless jobs are set to fail). */
  completeJobsNow(): number;
  /** A territory-rule job (source `creation`/`update`) pending on a record, as Zoho runs after edits. */
  scheduleRuleJob(module: ZohoModule, recordId: string, source?: 'creation' | 'update'): SimJob;

  // --- faults ----------------------------------------------------------------------------
  readonly faults: SimFaults;

  // --- observation -----------------------------------------------------------------------
  /** Calls received, by operation and method. */
  calls(): CallCount[];
  /** Calls of one operation (optionally one method). */
  callCount(operation: string, method?: string): number;
  /** Access tokens issued so far. */
  tokensIssued(): number;
  /** Territory jobs finished since the last resetCalls, and the latest due time among them (when Zoho finished). */
  jobsFinished(): { count: number; lastFinishedAt: number | null };
  /** Highest number of API calls in flight at once. */
  maxConcurrency(): number;
  requestLog(): readonly LoggedCall[];
  resetCalls(): void;

  close(): Promise<void>;
}
