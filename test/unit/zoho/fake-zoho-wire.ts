/**
 * A scripted Zoho on undici's MockAgent: every request is recorded and answered by a handler,
 * so tests can assert exactly what the client sent (method, path, query, body, auth header).
 */
import { type Interceptable, MockAgent } from 'undici';
import { ManualClock } from '../../../src/core/clock.js';
import { ZohoClient, type ZohoClientOptions } from '../../../src/core/zoho/index.js';

export const ACCOUNTS = 'https://accounts.zoho.test';
export const API = 'https://www.zohoapis.test';

type CallbackOpts = { path: string; method: string; headers?: unknown; body?: unknown };

export interface SeenRequest {
  method: string;
  /** Path without query. */
  path: string;
  query: URLSearchParams;
  /** Raw query string as sent (to check literal commas). */
  rawQuery: string;
  headers: Record<string, string>;
  body: string | null;
  json: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
}

export type Handler = (req: SeenRequest) => Reply;

export interface FakeZohoWire {
  agent: MockAgent;
  api: Interceptable;
  accounts: Interceptable;
  clock: ManualClock;
  /** Every API request (not token calls), in order. */
  calls: SeenRequest[];
  /** Every token-endpoint request. */
  tokenCalls: SeenRequest[];
  /** Number of access tokens issued so far. */
  issued: () => number;
  /** Answers API calls (registered after any one-off interceptors the test added first). */
  serve(handler: Handler): void;
  /** Replaces the token endpoint's behaviour (default: a fresh 1-hour token per call). */
  tokenReply(handler: (n: number) => Reply): void;
  client(extra?: Partial<ZohoClientOptions>): ZohoClient;
  /** The access token issued by the n-th refresh (1-based). */
  tokenN(n: number): string;
}

function toSeen(opts: CallbackOpts): SeenRequest {
  const [path = '', rawQuery = ''] = opts.path.split('?', 2);
  const headers: Record<string, string> = {};
  const h = opts.headers;
  if (h instanceof Headers) {
    h.forEach((v, k) => {
      headers[k.toLowerCase()] = v;
    });
  } else if (h) {
    for (const [k, v] of Object.entries(h as Record<string, string>)) headers[k.toLowerCase()] = String(v);
  }
  const body = typeof opts.body === 'string' ? opts.body : opts.body ? String(opts.body) : null;
  let json: unknown = null;
  if (body && headers['content-type']?.includes('json')) json = JSON.parse(body);
  return { method: opts.method, path, query: new URLSearchParams(rawQuery), rawQuery, headers, body, json };
}

export function tokenBody(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    access_token: tokenOf(n),
    scope: 'ZohoCRM.settings.territories.READ ZohoCRM.users.READ ZohoCRM.modules.ALL',
    api_domain: API,
    token_type: 'Bearer',
    expires_in: 3600,
    ...extra,
  };
}

function tokenOf(n: number): string {
  return `1000.${n.toString(16).padStart(32, 'a')}.${'b'.repeat(32)}`;
}

export function fakeZohoWire(): FakeZohoWire {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const api = agent.get<Interceptable>(API);
  const accounts = agent.get<Interceptable>(ACCOUNTS);
  const clock = new ManualClock();
  const calls: SeenRequest[] = [];
  const tokenCalls: SeenRequest[] = [];
  let issued = 0;
  let tokenHandler: (n: number) => Reply = (n) => ({ status: 200, body: tokenBody(n) });

  // Registered on first client(), so a test can put one-off interceptors (errors) in front of it.
  let accountsServed = false;
  const serveAccounts = () => {
    if (accountsServed) return;
    accountsServed = true;
    accounts
      .intercept({ path: () => true, method: () => true })
      .reply((opts) => {
        tokenCalls.push(toSeen(opts));
        const r = tokenHandler(tokenCalls.length);
        const b = r.body as { access_token?: string } | undefined;
        if (b?.access_token) issued += 1;
        return { statusCode: r.status, data: JSON.stringify(r.body ?? {}) };
      })
      .persist();
  };

  const fake: FakeZohoWire = {
    agent,
    api,
    accounts,
    clock,
    calls,
    tokenCalls,
    issued: () => issued,
    serve(handler) {
      api
        .intercept({ path: () => true, method: () => true })
        .reply((opts) => {
          const seen = toSeen(opts);
          calls.push(seen);
          const r = handler(seen);
          const data =
            r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
          return { statusCode: r.status, data };
        })
        .persist();
    },
    tokenReply(handler) {
      tokenHandler = handler;
    },
    client(extra = {}) {
      serveAccounts();
      return new ZohoClient({
        accountsUrl: ACCOUNTS,
        clientId: 'cid',
        clientSecret: 'csecret',
        refreshToken: 'rtoken',
        clock,
        dispatcher: agent,
        retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5, sleep: async () => {} },
        ...extra,
      });
    },
    tokenN: tokenOf,
  };
  return fake;
}

/** A v8 territory as Zoho's docs show it (root: reporting_to null; unset manager null). */
export function territoryWire(id: string, parentId: string | null, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `Territory ${id}`,
    api_name: `Territory_${id}`,
    description: null,
    permission_type: 'read_write_delete',
    reporting_to: parentId ? { id: parentId, name: `Territory ${parentId}` } : null,
    manager: null,
    created_time: '2026-01-01T00:00:00+00:00',
    modified_time: '2026-01-01T00:00:00+00:00',
    created_by: { id: '111111000000000001', name: 'Admin' },
    modified_by: { id: '111111000000000001', name: 'Admin' },
    account_rule_criteria: null,
    deal_rule_criteria: null,
    ...extra,
  };
}

export function info(page: number, perPage: number, count: number, more: boolean) {
  return { per_page: perPage, count, page, more_records: more };
}
