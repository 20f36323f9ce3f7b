/**
 * The Zoho CRM v8 simulator's HTTP server: OAuth token endpoint, API under /crm/v8 with
 * auth, scopes, faults, job timers, call counting and a request log, and the /__sim/ admin
 * API the sandbox UI uses. Loopback only.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../core/clock.js';
import type { ZohoModule } from '../../core/zoho/types.js';
import { isLoopbackHost, NOT_LOOPBACK_MESSAGE } from '../loopback.js';
import { handleAdmin } from './admin.js';
import { tokenParams } from './form.js';
import { scopeAllows, TokenStore } from './oauth.js';
import { type PersistedState, SimOrg } from './org.js';
import { fail, type Reply, type Route, type RouteContext } from './route-kit.js';
import { recordRoutes, territoryOff } from './routes-records.js';
import { settingsRoutes } from './routes-settings.js';
import { territoryRoutes } from './routes-territories.js';
import { userRoutes } from './routes-users.js';
import { demoSeed } from './seed.js';
import type {
  CallCount,
  FailNextFault,
  LoggedCall,
  SimCredentials,
  SimFaults,
  SimJob,
  SimTimers,
  ZohoSimulator,
  ZohoSimulatorOptions,
} from './types.js';

export const DEFAULT_CREDENTIALS: SimCredentials = {
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret',
  refreshToken: 'sim-refresh-token',
};

// Settings first: `/org` and `/settings/...` would otherwise match the record routes' `/{module}`.
const ROUTES: Route[] = [...settingsRoutes, ...territoryRoutes, ...userRoutes, ...recordRoutes];
const API_PREFIX = '/crm/v8';

const realTimers: SimTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface FaultState {
  latencyMs: number;
  failNext: FailNextFault[];
  concurrencyLimit: number | null;
  jobsFail: boolean;
}

const REDACTED = '[Redacted]';
/**
 * Zoho's OAS names the 500 code per API family: INTERNAL_SERVER_ERROR for settings/users
 * (territories.json, users.json), INTERNAL_ERROR for records (record.json API_Exception).
 */
function internalError(apiPath: string): Reply {
  const code = /^\/(settings|users)(\/|$)/.test(apiPath) ? 'INTERNAL_SERVER_ERROR' : 'INTERNAL_ERROR';
  return fail(500, code, 'Internal server error occurred.');
}

const ADMIN_CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

const TOO_MANY_MESSAGE = 'The number of API requests or concurrent calls exceeded the limit';

function redactForm(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) out[k] = /secret|token/i.test(k) ? REDACTED : v;
  return out;
}

function copy<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : structuredClone(value);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function loadState(options: ZohoSimulatorOptions): PersistedState {
  if (options.stateFile && existsSync(options.stateFile)) {
    const parsed = JSON.parse(readFileSync(options.stateFile, 'utf8')) as PersistedState;
    if (parsed.version !== 1 || !parsed.seed)
      throw new Error(`${options.stateFile}: not a simulator state file`);
    return parsed;
  }
  return { version: 1, seed: options.seed ?? demoSeed(), deletedTerritories: [], jobs: [], jobSeq: 0 };
}

export async function startZohoSimulator(options: ZohoSimulatorOptions = {}): Promise<ZohoSimulator> {
  const clock: Clock = options.clock ?? systemClock;
  const timers = options.timers ?? realTimers;
  const credentials: SimCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const org = new SimOrg(loadState(options));
  const maxLog = options.maxLogEntries ?? 5000;
  let enforcePermissions = options.enforceTerritoryPermissions ?? true;
  let jobDelayMs = options.jobDelayMs ?? 1500;
  const faults: FaultState = {
    latencyMs: options.latencyMs ?? 0,
    failNext: [],
    concurrencyLimit: null,
    jobsFail: false,
  };
  const counts = new Map<string, CallCount>();
  let log: LoggedCall[] = [];
  let seq = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let closed = false;

  const save = () => {
    if (!options.stateFile) return;
    const tmp = `${options.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(org.toState()));
    renameSync(tmp, options.stateFile);
  };
  save();

  const finished = { count: 0, lastFinishedAt: null as number | null };
  const settleJobs = (now: number) => {
    const done = org.finishJobs(now, faults.jobsFail);
    for (const { job } of done) {
      finished.count += 1;
      finished.lastFinishedAt = Math.max(finished.lastFinishedAt ?? 0, job.dueAt);
    }
    if (done.length > 0) save();
    return done.length;
  };

  /**
   * One timer, armed for the earliest pending job. When it fires it settles what is due on the
   * clock and re-arms for the next job: a timer firing a little early, or an injected clock
   * that has not moved yet, only means another round.
   */
  let jobTimer: unknown = null;
  let jobTimerDue = Number.POSITIVE_INFINITY;
  const armJobTimer = (dueAt: number) => {
    if (closed || (jobTimer !== null && jobTimerDue <= dueAt)) return;
    if (jobTimer !== null) timers.clearTimeout(jobTimer);
    jobTimerDue = dueAt;
    jobTimer = timers.setTimeout(
      () => {
        jobTimer = null;
        jobTimerDue = Number.POSITIVE_INFINITY;
        settleJobs(clock.now());
        const next = org.nextJobDue();
        if (next !== null) armJobTimer(next);
      },
      Math.max(1, dueAt - clock.now()),
    );
  };
  // Jobs restored from a state file finish on their own schedule.
  const firstDue = org.nextJobDue();
  if (firstDue !== null) armJobTimer(firstDue);

  const scheduleJob = (job: Omit<SimJob, 'jobId' | 'dueAt'>): SimJob => {
    const full = org.scheduleJob({ ...job, dueAt: clock.now() + jobDelayMs });
    armJobTimer(full.dueAt);
    return full;
  };

  // The count is taken when a call is handled; its times when it is answered, after its latency.
  const answering = new WeakMap<IncomingMessage, CallCount>();
  const answeredOnce = new WeakSet<CallCount>();
  const count = (operation: string, method: string, req: IncomingMessage) => {
    const key = `${operation} ${method}`;
    const now = clock.now();
    const c = counts.get(key) ?? { operation, method, count: 0, firstAt: now, lastAt: now };
    c.count += 1;
    counts.set(key, c);
    answering.set(req, c);
  };
  const answered = (req: IncomingMessage) => {
    const c = answering.get(req);
    if (!c) return;
    const now = clock.now();
    if (!answeredOnce.has(c)) c.firstAt = now;
    answeredOnce.add(c);
    c.lastAt = now;
  };

  const record = (entry: Omit<LoggedCall, 'seq' | 'time'>) => {
    seq += 1;
    log.push({ seq, time: clock.now(), ...entry });
    if (log.length > maxLog) log = log.slice(log.length - maxLog);
  };

  let baseUrl = '';
  const tokens = new TokenStore({
    clock,
    credentials,
    ttlSeconds: options.tokenTtlSeconds ?? 3600,
    throttle:
      options.refreshThrottle === undefined ? { max: 10, windowMs: 600_000 } : options.refreshThrottle,
    get apiDomain() {
      return baseUrl;
    },
  });
  if (options.scopes) tokens.scopesOverride = options.scopes;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      timers.setTimeout(resolve, ms);
    });

  const send = (res: ServerResponse, reply: Reply, extraHeaders: Record<string, string> = {}) => {
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, extraHeaders);
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...extraHeaders,
      'content-type': 'application/json;charset=UTF-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  };

  const handleToken = async (req: IncomingMessage, url: URL, raw: string): Promise<Reply> => {
    const params = tokenParams(url.searchParams, String(req.headers['content-type'] ?? ''), raw);
    const isRevoke = url.pathname === '/oauth/v2/token/revoke';
    let reply: Reply;
    if (req.method !== 'POST') reply = { status: 405, body: { error: 'invalid_request' } };
    else if (isRevoke) {
      tokens.revoke(params.get('token'));
      reply = { status: 200, body: { status: 'success' } };
    } else {
      const grant = tokens.grant(params);
      reply = { status: grant.status, body: grant.body };
    }
    const operation = isRevoke ? 'revokeToken' : 'token';
    count(operation, req.method ?? 'GET', req);
    const body = reply.body as Record<string, unknown>;
    record({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: redactForm(url.searchParams),
      operation,
      requestBody: raw
        ? redactForm(tokenParams(new URLSearchParams(), String(req.headers['content-type'] ?? ''), raw))
        : null,
      status: reply.status,
      responseBody: 'access_token' in body ? { ...body, access_token: REDACTED } : body,
    });
    return reply;
  };

  const handleApi = async (
    req: IncomingMessage,
    url: URL,
    raw: string,
    overLimit: boolean,
  ): Promise<Reply> => {
    const method = req.method ?? 'GET';
    const path = url.pathname.slice(API_PREFIX.length) || '/';
    const matches = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m !== null);
    const hit = matches.find((x) => x.r.method === method);
    const operation = hit?.r.operation ?? matches[0]?.r.operation ?? 'unknown';
    let body: unknown;
    let bodyInvalid = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        bodyInvalid = true;
      }
    }
    let holdMs = 0;
    const reply = (() => {
      if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
        return fail(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
      }
      if (matches.length === 0) {
        return fail(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
      }
      if (!hit) return fail(400, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one');
      // Zoho's concurrency limit per org/app (zoho-api.md §11.2): excess calls answer 429.
      if (overLimit) return fail(429, 'TOO_MANY_REQUESTS', TOO_MANY_MESSAGE);
      const injected = faults.failNext.find((f) => !f.pathPrefix || path.startsWith(f.pathPrefix));
      if (injected) {
        injected.count -= 1;
        if (injected.count <= 0) faults.failNext.splice(faults.failNext.indexOf(injected), 1);
        holdMs = injected.delayMs ?? 0;
      }
      const injectedReply = (): Reply =>
        injected!.status === 429 ? fail(429, 'TOO_MANY_REQUESTS', TOO_MANY_MESSAGE) : internalError(path);
      if (injected && !injected.afterApplying) return injectedReply();
      const scopes = tokens.check(req.headers.authorization);
      if (!scopes) return fail(401, 'INVALID_TOKEN', 'invalid oauth token');
      const params = hit.m!.slice(1) as string[];
      if (!scopeAllows(scopes, hit.r.scopes(params))) {
        return fail(401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL');
      }
      const now = clock.now();
      settleJobs(now);
      if (hit.r.needsTerritories && !org.territoryManagement) return territoryOff();
      const ctx: RouteContext = {
        org,
        now,
        params,
        query: url.searchParams,
        body,
        bodyInvalid,
        enforcePermissions,
        scheduleJob,
      };
      const out = hit.r.handle(ctx);
      if (hit.r.mutates) save();
      // The call took effect but its answer is "lost" (a 5xx/429 after the fact).
      return injected?.afterApplying ? injectedReply() : out;
    })();
    count(operation, method, req);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    record({
      method,
      path: url.pathname,
      query,
      operation,
      requestBody: bodyInvalid ? raw : (body ?? null),
      status: reply.status,
      responseBody: reply.body ?? null,
    });
    if (holdMs > 0) await sleep(holdMs);
    return reply;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isAdmin = url.pathname === '/__sim' || url.pathname.startsWith('/__sim/');
    const isApi = !isAdmin && !url.pathname.startsWith('/oauth/');
    // A call over the concurrency limit is turned away at once and does not occupy a slot.
    const overLimit = isApi && faults.concurrencyLimit !== null && inFlight >= faults.concurrencyLimit;
    const counted = isApi && !overLimit;
    const arrivedAt = clock.now();
    if (counted) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
    }
    (async () => {
      const raw = await readBody(req);
      if (isAdmin && !isLoopbackHost(req.headers.host)) {
        return { status: 421, body: { error: NOT_LOOPBACK_MESSAGE } };
      }
      if (isAdmin && req.method === 'OPTIONS') return { status: 204 };
      if (isAdmin) return handleAdmin(sim, req.method ?? 'GET', url, raw);
      const reply =
        url.pathname === '/oauth/v2/token' || url.pathname === '/oauth/v2/token/revoke'
          ? await handleToken(req, url, raw)
          : !isApi
            ? { status: 404, body: { error: 'invalid_request' } }
            : await handleApi(req, url, raw, overLimit);
      // A fixed latency per call: answered latencyMs after it arrived, the simulator's own work
      // inside that time, as Zoho's servers work inside the time a call takes. Added on top, the
      // single-threaded simulator's work on calls arriving together would queue up.
      const left = faults.latencyMs - (clock.now() - arrivedAt);
      if (faults.latencyMs > 0 && !overLimit && left > 0) await sleep(left);
      answered(req);
      return reply;
    })()
      .catch((err: unknown) => fail(500, 'INTERNAL_ERROR', `Internal server error occurred. ${String(err)}`))
      .then((reply) => {
        if (counted) inFlight -= 1;
        // The sandbox web page (another port) drives /__sim/ from the browser.
        send(res, reply, isAdmin ? ADMIN_CORS : {});
      });
  });
  // Idle connections stay open as a real API's load balancer keeps them (about a minute). A
  // short timeout made every call a new connection: undici does not reuse a socket whose
  // Keep-Alive timeout is under its 2 s safety margin. close() ends idle sockets itself.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const mutate = <T>(fn: () => T): T => {
    const out = fn();
    save();
    return out;
  };

  const faultControl: SimFaults = {
    setLatency: (ms) => {
      faults.latencyMs = Math.max(0, ms);
    },
    failNext: (f) => {
      if (f.count > 0) faults.failNext.push({ ...f });
    },
    setConcurrencyLimit: (limit) => {
      faults.concurrencyLimit = limit;
    },
    expireAccessTokens: () => tokens.expireAll(),
    revokeRefreshToken: () => tokens.revokeRefreshToken(),
    restoreRefreshToken: () => {
      tokens.refreshTokenRevoked = false;
    },
    setTokenScopes: (scopes) => {
      tokens.scopesOverride = scopes ?? options.scopes ?? null;
    },
    setJobsFail: (fail) => {
      faults.jobsFail = fail;
    },
    setJobDelay: (ms) => {
      jobDelayMs = Math.max(0, ms);
    },
    clear: () => {
      faults.latencyMs = 0;
      faults.failNext = [];
      faults.concurrencyLimit = null;
      faults.jobsFail = false;
      tokens.scopesOverride = options.scopes ?? null;
    },
  };

  const sim: ZohoSimulator = {
    get url() {
      return baseUrl;
    },
    get accountsUrl() {
      return baseUrl;
    },
    get apiDomain() {
      return baseUrl;
    },
    credentials,
    apiUserId: org.apiUserId,
    // Copies: changing the org goes through the methods below (which also save the state file).
    territory: (id) => copy(org.territory(id)),
    territories: () => org.liveTerritories().map((t) => ({ ...t })),
    territoryByName: (name) => copy(org.liveTerritories().find((t) => t.name === name)),
    record: (module: ZohoModule, id: string) => copy(org.record(module, id)),
    records: (module: ZohoModule) => structuredClone(org.records(module)),
    userTerritoryIds: (userId) => org.territoriesOf(userId).map((t) => t.id),
    deleteTerritory: (id) => mutate(() => org.deleteTerritory(id, clock.now())),
    renameTerritory: (id, name) => mutate(() => org.renameTerritory(id, name, clock.now())),
    setPermissionType: (id, pt) => mutate(() => org.setPermissionType(id, pt, clock.now())),
    addUserToTerritory: (userId, territoryId) => mutate(() => org.addMember(userId, territoryId)),
    removeUserFromTerritory: (userId, territoryId) => mutate(() => org.removeMember(userId, territoryId)),
    setTerritoryManagement: (enabled) =>
      mutate(() => {
        org.territoryManagement = enabled;
      }),
    setLeadsTerritories: (enabled) =>
      mutate(() => {
        org.leadsTerritories = enabled;
      }),
    setRecordLocked: (module, id, locked) =>
      mutate(() => {
        const r = org.record(module, id);
        if (!r) throw new Error(`no ${module} record ${id}`);
        r.locked = locked;
      }),
    setUserStatus: (userId, status) => mutate(() => org.setUserStatus(userId, status)),
    setTerritoryReadable: (id, readable) =>
      mutate(() => {
        if (!org.liveTerritory(id)) throw new Error(`no territory ${id}`);
        if (readable) org.unreadable.delete(id);
        else org.unreadable.add(id);
      }),
    setEnforceTerritoryPermissions: (enforce) => {
      enforcePermissions = enforce;
    },
    snapshot: () => org.toState().seed,
    pendingJobs: () => org.pendingJobs().map((j) => ({ ...j, territoryIds: [...j.territoryIds] })),
    completeJobsNow: () => settleJobs(Number.POSITIVE_INFINITY),
    scheduleRuleJob: (module, recordId, source = 'update') => {
      if (!org.record(module, recordId)) throw new Error(`no ${module} record ${recordId}`);
      const job = mutate(() => scheduleJob({ module, recordId, source, territoryIds: [] }));
      return { ...job };
    },
    faults: faultControl,
    calls: () => [...counts.values()].map((c) => ({ ...c })),
    callCount: (operation, method) =>
      [...counts.values()]
        .filter((c) => c.operation === operation && (method === undefined || c.method === method))
        .reduce((n, c) => n + c.count, 0),
    tokensIssued: () => tokens.issuedCount,
    jobsFinished: () => ({ ...finished }),
    maxConcurrency: () => maxInFlight,
    requestLog: () => log,
    resetCalls: () => {
      counts.clear();
      log = [];
      finished.count = 0;
      finished.lastFinishedAt = null;
      maxInFlight = inFlight;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (jobTimer !== null) timers.clearTimeout(jobTimer);
      jobTimer = null;
      save();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return sim;
}
