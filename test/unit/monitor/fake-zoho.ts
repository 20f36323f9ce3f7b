/**
 * A hand-written in-memory ZohoApi for the monitor's unit tests: an org with a territory tree,
 * the API user and its memberships, and switches that break it the way Zoho does.
 */
import { ZohoApiError, type ZohoAuthError } from '../../../src/core/zoho/errors.js';
import type {
  PendingJob,
  PermissionType,
  Territory,
  TokenInfo,
  UserTerritory,
  WriteOutcome,
  ZohoApi,
  ZohoRecord,
  ZohoUser,
} from '../../../src/core/zoho/types.js';

export const ID = {
  root: '3652397000000100001',
  us: '3652397000000100002',
  usWest: '3652397000000100003',
  california: '3652397000000100004',
  oregon: '3652397000000100005',
  usEast: '3652397000000100006',
  emea: '3652397000000100007',
  germany: '3652397000000100008',
} as const;

export const API_USER_ID = '3652397000000200001';

function territory(
  id: string,
  name: string,
  parentId: string | null,
  permissionType: PermissionType = 'read_write_delete',
): Territory {
  return {
    id,
    name,
    apiName: name.replace(/\W+/g, '_'),
    description: null,
    parentId,
    managerId: null,
    managerName: null,
    permissionType,
  };
}

export class FakeZoho implements ZohoApi {
  territories: Territory[] = [
    territory(ID.root, 'Zylker', null),
    territory(ID.us, 'US', ID.root),
    territory(ID.usWest, 'US West', ID.us),
    territory(ID.california, 'California', ID.usWest),
    territory(ID.oregon, 'Oregon', ID.usWest),
    territory(ID.usEast, 'US East', ID.us),
    territory(ID.emea, 'EMEA', ID.root),
    territory(ID.germany, 'Germany', ID.emea),
  ];
  user: ZohoUser = {
    id: API_USER_ID,
    fullName: 'Territory Bot',
    email: 'territory-bot@zylker.com',
    status: 'active',
    zuid: '700000001',
    roleName: 'CEO',
    profileName: 'Administrator',
  };
  /** The API user's territories (ids). By default the root: every territory is writable. */
  memberships = new Set<string>([ID.root]);
  authError: ZohoAuthError | null = null;
  territoryManagementOff = false;
  /** Any error thrown by the named method (network, 5xx...). */
  failures: Partial<Record<keyof ZohoApi, Error>> = {};
  /** Territories that answer NO_PERMISSION when read one by one (and are missing from the list). */
  unreadable = new Set<string>();
  calls: Record<string, number> = {};

  private count(name: string): void {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
    const f = this.failures[name as keyof ZohoApi];
    if (f) throw f;
  }
  private guard(): void {
    if (this.authError) throw this.authError;
    if (this.territoryManagementOff) {
      throw new ZohoApiError('TERRITORY_NOT_ENABLED', 'Territory management is not enabled', 403);
    }
  }

  byName(name: string): Territory {
    const t = this.territories.find((x) => x.name === name);
    if (!t) throw new Error(`no territory ${name}`);
    return t;
  }
  deleteTerritory(id: string): void {
    this.territories = this.territories.filter((t) => t.id !== id);
  }
  rename(id: string, name: string): void {
    this.territories = this.territories.map((t) => (t.id === id ? { ...t, name } : t));
  }
  setPermission(id: string, permissionType: PermissionType): void {
    this.territories = this.territories.map((t) => (t.id === id ? { ...t, permissionType } : t));
  }

  async checkAuth(): Promise<TokenInfo> {
    this.count('checkAuth');
    if (this.authError) throw this.authError;
    return { apiDomain: 'https://www.zohoapis.com', scopes: null, expiresAt: Date.UTC(2030, 0, 1) };
  }
  async listTerritories(): Promise<Territory[]> {
    this.count('listTerritories');
    this.guard();
    return this.territories.filter((t) => !this.unreadable.has(t.id)).map((t) => ({ ...t }));
  }
  async getTerritory(id: string): Promise<Territory> {
    this.count('getTerritory');
    this.guard();
    if (this.unreadable.has(id)) throw new ZohoApiError('NO_PERMISSION', 'permission denied', 403);
    const t = this.territories.find((x) => x.id === id);
    if (!t)
      throw new ZohoApiError('INVALID_DATA', 'the id given seems to be invalid', 400, {
        resource_path_index: 0,
      });
    return { ...t };
  }
  async getChildTerritories(id: string): Promise<Territory[]> {
    this.count('getChildTerritories');
    this.guard();
    return this.territories.filter((t) => t.parentId === id);
  }
  async getTerritoryUsers(id: string): Promise<ZohoUser[]> {
    this.count('getTerritoryUsers');
    this.guard();
    return this.memberships.has(id) ? [this.user] : [];
  }
  async getCurrentUser(): Promise<ZohoUser> {
    this.count('getCurrentUser');
    if (this.authError) throw this.authError;
    return { ...this.user };
  }
  async getUserTerritories(userId: string): Promise<UserTerritory[]> {
    this.count('getUserTerritories');
    this.guard();
    if (userId !== this.user.id) throw new ZohoApiError('INVALID_DATA', 'invalid user', 400);
    return this.territories
      .filter((t) => this.memberships.has(t.id))
      .map((t) => ({ id: t.id, name: t.name, parentId: t.parentId, managerId: t.managerId }));
  }
  async getRecords(): Promise<ZohoRecord[]> {
    throw new Error('the monitor does not read records');
  }
  async assignTerritories(): Promise<WriteOutcome[]> {
    throw new Error('the monitor does not write');
  }
  async removeTerritories(): Promise<WriteOutcome[]> {
    throw new Error('the monitor does not write');
  }
  async getPendingJobs(): Promise<PendingJob[]> {
    throw new Error('the monitor does not read jobs');
  }
}
