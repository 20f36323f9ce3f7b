import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.js';
import type {
  PendingJob,
  Territory,
  TerritoryChange,
  TokenInfo,
  UserTerritory,
  WriteOutcome,
  ZohoApi,
  ZohoModule,
  ZohoRecord,
  ZohoUser,
} from './types.js';

export interface RetryOptions {
  /** Total attempts per call, first one included (default 4). */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Uniform [0,1) source for jitter; injectable for deterministic tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ZohoClientOptions {
  /** OAuth host of the data centre, e.g. https://accounts.zoho.eu */
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Overrides the token response's `api_domain` (null/undefined: use Zoho's). */
  apiDomain?: string | null;
  /** Calls in flight at once (default 5, Zoho's smallest edition limit). */
  maxConcurrency?: number;
  clock?: Clock;
  logger?: Logger;
  dispatcher?: Dispatcher;
  retry?: RetryOptions;
  requestTimeoutMs?: number;
}

const notYet = (): never => {
  throw new Error('ZohoClient: implementation in progress');
};

export class ZohoClient implements ZohoApi {
  constructor(readonly options: ZohoClientOptions) {}
  listTerritories(): Promise<Territory[]> {
    return notYet();
  }
  getTerritory(_id: string): Promise<Territory> {
    return notYet();
  }
  getChildTerritories(_id: string): Promise<Territory[]> {
    return notYet();
  }
  getTerritoryUsers(_id: string): Promise<ZohoUser[]> {
    return notYet();
  }
  getCurrentUser(): Promise<ZohoUser> {
    return notYet();
  }
  getUserTerritories(_userId: string): Promise<UserTerritory[]> {
    return notYet();
  }
  getRecords(_module: ZohoModule, _ids: readonly string[]): Promise<ZohoRecord[]> {
    return notYet();
  }
  assignTerritories(_module: ZohoModule, _changes: readonly TerritoryChange[]): Promise<WriteOutcome[]> {
    return notYet();
  }
  removeTerritories(_module: ZohoModule, _changes: readonly TerritoryChange[]): Promise<WriteOutcome[]> {
    return notYet();
  }
  getPendingJobs(_module: ZohoModule, _recordIds: readonly string[]): Promise<PendingJob[]> {
    return notYet();
  }
  checkAuth(): Promise<TokenInfo> {
    return notYet();
  }
}
