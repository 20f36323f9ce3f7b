/**
 * Zoho CRM v8 client for the territory endpoints (paths and parameters from Zoho's OAS files:
 * territories.json, users.json, users_territories.json, territory_users.json, record.json).
 */
import { type Logger, pino } from 'pino';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { chunk } from '../chunk.js';
import { type Clock, systemClock } from '../clock.js';
import { MAX_RECORDS_PER_CALL } from './call-limits.js';
import { ZohoApiError, ZohoResponseError } from './errors.js';
import {
  NAME_FIELD,
  parse,
  TERRITORY_FIELDS,
  toPendingJobs,
  toRecord,
  toTerritory,
  toUser,
} from './from-wire.js';
import { type ResolvedRetry, ZohoHttp, type ZohoRequest, type ZohoResponse } from './http.js';
import { type Lane, Limiter } from './limiter.js';
import type { ZohoCallObserver } from './observer.js';
import {
  featureInfoResponseSchema,
  recordsResponseSchema,
  territoriesResponseSchema,
  usersResponseSchema,
  userTerritoriesResponseSchema,
  writeResponseSchema,
} from './schemas.js';
import { TokenManager } from './token.js';
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
  ZohoUsersApi,
} from './types.js';
import { chunkFailure, isFatal, matchOutcomes } from './write-outcomes.js';

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
  /** Per-attempt timeout for one HTTP call (default 30 s). */
  requestTimeoutMs?: number;
  /** Told every call and token refresh (metrics). */
  observer?: ZohoCallObserver;
}

const API = '/crm/v8';
/** Zoho's per-call caps (zoho-api.md §11.4). */
const TERRITORIES_PER_PAGE = 2000;
const CHILD_TERRITORIES_PER_PAGE = 200;
/** `GET /users`: `per_page` max 200 (zoho-api.md §5.3). */
const USERS_PER_PAGE = 200;
/** Stops a server that keeps saying more_records from looping us forever. */
const MAX_PAGES = 1000;

export class ZohoClient implements ZohoApi, ZohoUsersApi {
  readonly tokens: TokenManager;
  private readonly http: ZohoHttp;
  /** Where this view's calls wait at the limiter (`inLane`); the client itself is interactive. */
  private lane: Lane = 'interactive';
  /** One view per lane, shared by the client and its views (a Map is shared through the prototype). */
  private readonly views = new Map<Lane, ZohoClient>([['interactive', this]]);

  constructor(options: ZohoClientOptions) {
    const clock = options.clock ?? systemClock;
    const logger = (options.logger ?? pino({ enabled: false })).child({ component: 'zoho' });
    const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    // Without an injected dispatcher, undici's global keep-alive Agent carries the calls, and each
    // call's AbortSignal bounds its time.
    const dispatcher = options.dispatcher;
    this.tokens = new TokenManager({
      accountsUrl: options.accountsUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshToken: options.refreshToken,
      apiDomain: options.apiDomain ?? null,
      clock,
      logger,
      requestTimeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
      ...(options.observer ? { observer: options.observer } : {}),
    });
    const r = options.retry ?? {};
    const retry: ResolvedRetry = {
      attempts: Math.max(1, r.attempts ?? 4),
      baseDelayMs: r.baseDelayMs ?? 500,
      maxDelayMs: r.maxDelayMs ?? 20_000,
      random: r.random ?? Math.random,
      sleep: r.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
    this.http = new ZohoHttp({
      tokens: this.tokens,
      limiter: new Limiter(options.maxConcurrency ?? 5),
      logger,
      clock,
      retry,
      requestTimeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
      ...(options.observer ? { observer: options.observer } : {}),
    });
  }

  /**
   * This client with its calls in `lane`: one object on top of this one (its prototype), so the
   * token manager, the limiter and the connections stay shared.
   */
  inLane(lane: Lane): ZohoClient {
    let view = this.views.get(lane);
    if (!view) {
      view = Object.create(this.views.get('interactive')!) as ZohoClient;
      view.lane = lane;
      this.views.set(lane, view);
    }
    return view;
  }

  private call(req: ZohoRequest): Promise<ZohoResponse> {
    return this.http.request({ ...req, lane: this.lane });
  }

  /** Nothing of its own to close: an injected dispatcher belongs to its owner. */
  async close(): Promise<void> {}

  async listTerritories(): Promise<Territory[]> {
    const rows = await this.pages(
      `${API}/settings/territories`,
      territoriesResponseSchema,
      (b) => b.territories,
      { per_page: TERRITORIES_PER_PAGE },
      true,
    );
    return rows.map(toTerritory);
  }

  async getTerritory(id: string): Promise<Territory> {
    const path = `${API}/settings/territories/${seg(id)}`;
    const res = await this.call({ method: 'GET', path });
    const first = res.body === null ? undefined : parse(territoriesResponseSchema, res, path).territories[0];
    if (!first) {
      throw new ZohoApiError('INVALID_DATA', `Zoho returned no territory for id ${id}`, res.status, { id });
    }
    return toTerritory(first);
  }

  async getChildTerritories(id: string): Promise<Territory[]> {
    const rows = await this.pages(
      `${API}/settings/territories/${seg(id)}/__child_territories`,
      territoriesResponseSchema,
      (b) => b.territories,
      { per_page: CHILD_TERRITORIES_PER_PAGE },
      true,
    );
    return rows.map(toTerritory);
  }

  async getTerritoryUsers(id: string): Promise<ZohoUser[]> {
    // The OAS declares no paging parameters here, yet Zoho returns `info` (zoho-api.md §5.1):
    // the first call sends none; `page` is added only when Zoho says there are more records.
    const rows = await this.pages(
      `${API}/settings/territories/${seg(id)}/users`,
      usersResponseSchema,
      (b) => b.users,
      {},
      false,
    );
    return rows.map(toUser);
  }

  async getCurrentUser(): Promise<ZohoUser> {
    const path = `${API}/users`;
    const res = await this.call({ method: 'GET', path, query: { type: 'CurrentUser' } });
    const user = res.body === null ? undefined : parse(usersResponseSchema, res, path).users[0];
    if (!user) throw new ZohoResponseError('Zoho returned no current user', res.status);
    return toUser(user);
  }

  async listActiveUsers(): Promise<ZohoUser[]> {
    // `type` and `page`/`per_page` are all declared for GET /users in users.json.
    const rows = await this.pages(
      `${API}/users`,
      usersResponseSchema,
      (b) => b.users,
      { type: 'ActiveUsers', per_page: USERS_PER_PAGE },
      true,
    );
    return rows.map(toUser);
  }

  async getUserTerritories(userId: string): Promise<UserTerritory[]> {
    // Same paging caveat as getTerritoryUsers: users_territories.json declares no page params.
    const rows = await this.pages(
      `${API}/users/${seg(userId)}/territories`,
      userTerritoriesResponseSchema,
      (b) => b.territories,
      {},
      false,
    );
    return rows.map((t) => ({
      id: t.id,
      name: t.Name ?? t.name ?? '',
      parentId: t.Reporting_To?.id ?? null,
      managerId: t.Manager?.id ?? null,
    }));
  }

  async getRecords(module: ZohoModule, ids: readonly string[]): Promise<ZohoRecord[]> {
    const path = `${API}/${module}`;
    // Owner: the access policy's "the record is theirs" (DESIGN.md §4).
    const fields = [...TERRITORY_FIELDS[module], NAME_FIELD[module], 'Owner'].join(',');
    const chunks = chunk(unique(ids), MAX_RECORDS_PER_CALL);
    const results = await Promise.all(
      chunks.map(async (part) => {
        const res = await this.call({ method: 'GET', path, query: { ids: part.join(','), fields } });
        if (res.body === null) return [];
        return parse(recordsResponseSchema, res, path).data.map((r) => toRecord(module, r));
      }),
    );
    return results.flat();
  }

  assignTerritories(module: ZohoModule, changes: readonly TerritoryChange[]): Promise<WriteOutcome[]> {
    return this.write(module, 'assign_territories', changes);
  }

  removeTerritories(module: ZohoModule, changes: readonly TerritoryChange[]): Promise<WriteOutcome[]> {
    return this.write(module, 'remove_territories', changes);
  }

  async getPendingJobs(module: ZohoModule, recordIds: readonly string[]): Promise<PendingJob[]> {
    const path = `${API}/${module}/actions/get_feature_specific_info`;
    const results = await Promise.all(
      chunk(unique(recordIds), MAX_RECORDS_PER_CALL).map(async (part) => {
        const res = await this.call({
          method: 'GET',
          path,
          query: { features: 'territory_scheduled_jobs', ids: part.join(',') },
        });
        // 204: no record of those asked has a pending job.
        if (res.body === null) return [];
        const body = parse(featureInfoResponseSchema, res, path);
        const asked = new Set(part);
        return [...(body.data ?? []), ...(body.territory_scheduled_jobs ?? [])]
          .flatMap(toPendingJobs)
          .filter((j) => asked.has(j.recordId));
      }),
    );
    return results.flat();
  }

  checkAuth(): Promise<TokenInfo> {
    return this.tokens.info();
  }

  /** GET every page of a paged list (page/per_page + `info.more_records`). */
  private async pages<B, T>(
    path: string,
    schema: z.ZodType<B>,
    items: (body: B) => T[],
    query: Record<string, string | number>,
    pageParamOnFirst: boolean,
  ): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const q: ZohoRequest['query'] = { ...query };
      if (pageParamOnFirst || page > 1) q.page = page;
      const res = await this.call({ method: 'GET', path, query: q });
      if (res.body === null) break; // 204: no (more) records
      const body = parse(schema, res, path);
      const rows = items(body);
      out.push(...rows);
      const info = (body as { info?: { more_records?: boolean | null } | null }).info;
      if (!info?.more_records || rows.length === 0) break;
    }
    return out;
  }

  private async write(
    module: ZohoModule,
    action: 'assign_territories' | 'remove_territories',
    changes: readonly TerritoryChange[],
  ): Promise<WriteOutcome[]> {
    if (changes.length === 0) return [];
    const path = `${API}/${module}/actions/${action}`;
    const chunks = chunk(changes, MAX_RECORDS_PER_CALL);
    // Chunks run in parallel; the limiter in ZohoHttp bounds how many are in flight.
    const settled = await Promise.allSettled(
      chunks.map(async (part) => {
        const res = await this.call({
          method: 'POST',
          path,
          itemResults: true,
          write: true,
          body: {
            data: part.map((c) => ({ id: c.recordId, Territories: c.territoryIds.map((id) => ({ id })) })),
          },
        });
        // Never branch on the HTTP status alone (202/207/400 all carry per-record data[]).
        return matchOutcomes(part, parse(writeResponseSchema, res, path).data, res.status);
      }),
    );
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    const first = failures[0];
    // Nothing went through, or an auth/contract failure that applies to every chunk: throw.
    if (first && (failures.length === settled.length || failures.some((f) => isFatal(f.reason)))) {
      throw first.reason;
    }
    // Some chunks were scheduled, others failed after retries: keep the scheduled job ids and
    // report the failed chunk's records as errors rather than losing everything.
    return settled.flatMap((s, i) =>
      s.status === 'fulfilled' ? s.value : (chunks[i] ?? []).map((c) => chunkFailure(c, s.reason)),
    );
  }
}

function seg(id: string): string {
  return encodeURIComponent(id);
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
