/**
 * One Zoho CRM call: auth header, bounded concurrency, retries, error envelopes.
 *
 * Retries (DESIGN.md §3): 429/5xx/network errors/timeouts are retried with backoff and jitter
 * for reads. A write is retried only when Zoho certainly did not act on it (429, or no token
 * yet); once its body may have reached Zoho, a lost answer surfaces as ZohoOutcomeUnknownError
 * and is never re-sent blindly.
 *
 * Transport is npm undici's `request` with its dispatcher (toolchain.md §2): tests pass a
 * MockAgent, production gets a keep-alive Agent with timeouts. Not `fetch`: its web streams cost
 * ~0.8 ms of CPU per 100-record call against ~0.3 ms here (issue 13, send overhead).
 */
import type { Logger } from 'pino';
import { type Dispatcher, request } from 'undici';
import type { Clock } from '../clock.js';
import {
  ZohoApiError,
  ZohoAuthError,
  ZohoNetworkError,
  ZohoOutcomeUnknownError,
  ZohoResponseError,
} from './errors.js';
import type { Lane, Limiter } from './limiter.js';
import { type ZohoCallObserver, zohoOperation } from './observer.js';
import { errorEnvelopeSchema } from './schemas.js';
import { type AccessToken, errorSummary, type TokenManager } from './token.js';

export interface ResolvedRetry {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface ZohoRequest {
  method: 'GET' | 'POST';
  /** Path below the API domain, e.g. `/crm/v8/settings/territories`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /**
   * Per-record write APIs put item errors in `data[]` and may answer 207 or 400 for a mixed
   * batch: with this set, a 4xx whose body has a `data` array is returned, not thrown.
   */
  itemResults?: boolean;
  /** A change (assign/remove): never re-sent once its body may have reached Zoho. */
  write?: boolean;
  /** Where the call waits for a slot (default: someone waiting in Slack). */
  lane?: Lane;
}

export interface ZohoResponse {
  status: number;
  /** Parsed JSON, or null for 204/304/empty bodies. */
  body: unknown;
}

export interface ZohoHttpOptions {
  tokens: TokenManager;
  limiter: Limiter;
  logger: Logger;
  clock: Clock;
  retry: ResolvedRetry;
  requestTimeoutMs: number;
  dispatcher?: Dispatcher;
  /** Told each attempt's operation, status and latency (metrics). */
  observer?: ZohoCallObserver;
}

const AUTH_RETRY_CODES = new Set(['INVALID_TOKEN', 'AUTHENTICATION_FAILURE']);

/**
 * A transient failure worth another attempt; carries the error to throw if attempts run out.
 * `mayHaveApplied`: the request may have reached Zoho and been acted on (only a 429 or a
 * failure before sending says it was not).
 */
class Retryable extends Error {
  constructor(
    readonly final: Error,
    readonly mayHaveApplied = true,
  ) {
    super(final.message);
  }
}

export class ZohoHttp {
  constructor(private readonly o: ZohoHttpOptions) {}

  async request(req: ZohoRequest): Promise<ZohoResponse> {
    const { retry } = this.o;
    let refreshedAfter401 = false;
    let attempt = 0;
    for (;;) {
      attempt += 1;
      let token: AccessToken | null = null;
      try {
        token = await this.tokens();
        const { accessToken, apiDomain } = token;
        return await this.o.limiter.run(() => this.once(req, accessToken, apiDomain, attempt), req.lane);
      } catch (err) {
        if (err instanceof TokenRejected) {
          // DESIGN.md §1: 401 INVALID_TOKEN -> refresh once and retry once.
          if (refreshedAfter401) {
            throw new ZohoAuthError(
              'unknown',
              `Zoho rejected a freshly refreshed access token (${err.code}) for ${req.method} ${req.path}.`,
            );
          }
          refreshedAfter401 = true;
          if (token) this.o.tokens.invalidate(token.accessToken);
          attempt -= 1; // the auth retry does not use up a transient-failure attempt
          continue;
        }
        if (!(err instanceof Retryable)) throw err;
        if (req.write && err.mayHaveApplied) {
          throw new ZohoOutcomeUnknownError(
            `Zoho ${req.method} ${req.path}: the answer was lost (${err.message}); Zoho may have made the change`,
            { cause: err.final },
          );
        }
        if (attempt >= retry.attempts) throw err.final;
        const delay = backoffDelay(attempt, retry);
        this.o.logger.debug(
          { method: req.method, path: req.path, attempt, delayMs: Math.round(delay), reason: err.message },
          'zoho call will be retried',
        );
        await retry.sleep(delay);
      }
    }
  }

  /** A network failure while refreshing is retried like any other (each try uses refresh budget). */
  private async tokens(): Promise<AccessToken> {
    try {
      return await this.o.tokens.getToken();
    } catch (err) {
      // Nothing was sent yet: retried even for a write.
      if (err instanceof ZohoNetworkError) throw new Retryable(err, false);
      throw err;
    }
  }

  private async once(req: ZohoRequest, accessToken: string, apiDomain: string, attempt: number) {
    const url = `${apiDomain}${req.path}${queryString(req.query)}`;
    const headers: Record<string, string> = {
      authorization: `Zoho-oauthtoken ${accessToken}`,
      accept: 'application/json',
    };
    const options: RequestOptions = {
      method: req.method,
      headers,
      signal: AbortSignal.timeout(this.o.requestTimeoutMs),
    };
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      options.body = JSON.stringify(req.body);
    }
    if (this.o.dispatcher) options.dispatcher = this.o.dispatcher;

    const started = this.o.clock.now();
    const logCall = (status: number | string) => {
      const ms = this.o.clock.now() - started;
      this.o.logger.debug({ method: req.method, path: req.path, status, ms, attempt }, 'zoho call');
      this.o.observer?.zohoCall({
        operation: zohoOperation(req.method, req.path),
        status: String(status).replace('-', '_'),
        seconds: ms / 1000,
      });
    };

    let status: number;
    let text: string;
    try {
      const res = await request(url, options);
      status = res.statusCode;
      // 204/304 carry no body (zoho-api.md §13.2): never JSON-parse them.
      if (status === 204 || status === 304) {
        await res.body.dump();
        text = '';
      } else text = await res.body.text();
    } catch (err) {
      const timedOut = isTimeout(err);
      logCall(timedOut ? 'timeout' : 'network-error');
      const what = timedOut ? `timed out after ${this.o.requestTimeoutMs} ms` : 'network error';
      throw new Retryable(
        new ZohoNetworkError(`Zoho ${req.method} ${req.path} ${what}: ${errorSummary(err)}`, { cause: err }),
      );
    }
    logCall(status);
    return this.interpret(req, status, text);
  }

  private interpret(req: ZohoRequest, status: number, text: string): ZohoResponse {
    let body: unknown = null;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        const err = new ZohoResponseError(
          `Zoho ${req.method} ${req.path} answered HTTP ${status} with a non-JSON body`,
          status,
        );
        if (status === 429 || status >= 500) throw new Retryable(err, status !== 429);
        throw err;
      }
    }

    const envelope = errorEnvelopeSchema.safeParse(body);
    if (envelope.success) {
      const { code } = envelope.data;
      const message = envelope.data.message ?? code;
      const details = envelope.data.details ?? {};
      if (status === 401 && AUTH_RETRY_CODES.has(code)) throw new TokenRejected(code);
      if (code === 'OAUTH_SCOPE_MISMATCH') {
        throw new ZohoAuthError(
          'scope',
          `The Zoho token lacks a scope needed for ${req.method} ${req.path} (OAUTH_SCOPE_MISMATCH: ${message}). ` +
            'Generate a refresh token with the scopes listed in the README.',
        );
      }
      const apiError = new ZohoApiError(code, message, status, details);
      // A 429 is turned away before Zoho acts on the call; a 5xx may come after it did.
      if (status === 429 || code === 'TOO_MANY_REQUESTS') throw new Retryable(apiError, false);
      if (status >= 500) throw new Retryable(apiError);
      // Zoho's error envelope means failure whatever the HTTP status says.
      throw apiError;
    }

    if (status === 401) throw new TokenRejected('HTTP_401');
    if (status === 429 || status >= 500) {
      const err = new ZohoApiError(`HTTP_${status}`, `Zoho answered HTTP ${status}`, status);
      throw new Retryable(err, status !== 429);
    }
    if (status >= 400) {
      if (req.itemResults && hasDataArray(body)) return { status, body };
      throw new ZohoResponseError(
        `Zoho ${req.method} ${req.path} answered HTTP ${status} without an error envelope`,
        status,
      );
    }
    return { status, body };
  }
}

class TokenRejected extends Error {
  constructor(readonly code: string) {
    super(`Zoho rejected the access token (${code})`);
  }
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(attempt-1))). */
export function backoffDelay(attempt: number, retry: ResolvedRetry): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(retry.random() * ceiling);
}

/** `?a=1&ids=x,y`: commas stay literal, as in Zoho's docs (`ids=a,b`, `fields=A,B`). */
function queryString(query: ZohoRequest['query']): string {
  const parts = Object.entries(query ?? {})
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v)).replace(/%2C/gi, ',')}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function hasDataArray(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Array.isArray((body as { data?: unknown }).data);
}

function isTimeout(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  const cause = err.cause;
  return cause instanceof Error && (cause.name === 'TimeoutError' || /timeout/i.test(cause.name));
}

/** undici's request options: a URL string carries the origin and path. */
export type RequestOptions = { dispatcher?: Dispatcher } & Omit<Dispatcher.RequestOptions, 'origin' | 'path'>;
