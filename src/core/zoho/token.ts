/**
 * OAuth access tokens for Zoho CRM (refresh-token flow, zoho-api.md §2).
 *
 * Zoho allows only 10 access tokens per refresh token per 10 minutes and answers the 11th
 * with HTTP 200 `"error":"Access Denied"`, so: one refresh at a time shared by every caller,
 * refresh a few minutes before expiry, and count refreshes locally so we refuse the 11th
 * ourselves instead of spending Zoho's budget.
 */
import { type Logger, pino } from 'pino';
import { type Dispatcher, request } from 'undici';
import { type Clock, systemClock } from '../clock.js';
import { ZohoAuthError, ZohoNetworkError, ZohoResponseError } from './errors.js';
import type { RequestOptions } from './http.js';
import type { ZohoCallObserver } from './observer.js';
import { type TokenResponseWire, tokenResponseSchema } from './schemas.js';
import type { TokenInfo } from './types.js';

export interface TokenManagerOptions {
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Overrides the token response's `api_domain`. */
  apiDomain?: string | null;
  clock?: Clock;
  logger?: Logger;
  dispatcher?: Dispatcher;
  /** Refresh this long before the token expires (default 5 minutes). */
  refreshAheadMs?: number;
  /** Local refresh budget: at most `maxRefreshes` per `refreshWindowMs` (Zoho: 10 per 10 min). */
  maxRefreshes?: number;
  refreshWindowMs?: number;
  requestTimeoutMs?: number;
  /** Told the outcome of each refresh (metrics). */
  observer?: Pick<ZohoCallObserver, 'tokenRefresh'>;
}

export interface AccessToken {
  accessToken: string;
  apiDomain: string;
  scopes: string[] | null;
  expiresAt: number;
  /** When to refresh ahead: `refreshAheadMs` before expiry, but never before half the lifetime. */
  refreshAt: number;
}

const DEFAULT_LIFETIME_SEC = 3600;

const THROTTLED_MESSAGE =
  'Zoho refused to issue an access token: too many token refreshes. Zoho allows 10 refreshes per ' +
  '10 minutes per refresh token; wait a few minutes and try again.';
const REVOKED_MESSAGE =
  'Zoho rejected the refresh token (invalid_code): it was revoked or is invalid. Generate a new ' +
  'refresh token in the Zoho API console (api-console.zoho.com) and set ZOHO_REFRESH_TOKEN.';
const INVALID_CLIENT_MESSAGE =
  'Zoho rejected the OAuth client (invalid_client): check ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET, ' +
  'and that ZOHO_DC / ZOHO_ACCOUNTS_URL point at the data centre where the client was registered.';

export class TokenManager {
  private current: AccessToken | null = null;
  private inflight: Promise<AccessToken> | null = null;
  /** Times of refresh calls sent to Zoho within the sliding window. */
  private refreshTimes: number[] = [];
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly refreshAheadMs: number;
  private readonly maxRefreshes: number;
  private readonly refreshWindowMs: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: TokenManagerOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? pino({ enabled: false })).child({ component: 'zoho-token' });
    this.refreshAheadMs = options.refreshAheadMs ?? 5 * 60_000;
    this.maxRefreshes = options.maxRefreshes ?? 10;
    this.refreshWindowMs = options.refreshWindowMs ?? 10 * 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /** Refresh calls sent to Zoho in the current window (for diagnostics and tests). */
  get refreshesInWindow(): number {
    this.pruneWindow();
    return this.refreshTimes.length;
  }

  /** A usable access token: the cached one, or a fresh one (single-flight refresh). */
  async getToken(): Promise<AccessToken> {
    const cur = this.current;
    if (cur && this.clock.now() < cur.refreshAt) return cur;
    try {
      return await this.refreshShared();
    } catch (err) {
      // Refresh-ahead failed but the old token has not expired yet: keep using it.
      const still = this.current;
      if (still && this.clock.now() < still.expiresAt) {
        this.log.warn({ err: errorSummary(err) }, 'zoho token refresh-ahead failed; using the current token');
        return still;
      }
      throw err;
    }
  }

  /**
   * Zoho rejected `accessToken` (401 INVALID_TOKEN). Drops it so the next getToken() refreshes,
   * unless another caller already replaced it — many concurrent 401s cause one refresh.
   */
  invalidate(accessToken: string): void {
    if (this.current?.accessToken === accessToken) this.current = null;
  }

  async info(): Promise<TokenInfo> {
    const t = await this.getToken();
    return { apiDomain: t.apiDomain, scopes: t.scopes, expiresAt: t.expiresAt };
  }

  private refreshShared(): Promise<AccessToken> {
    if (!this.inflight) {
      const observer = this.options.observer;
      this.inflight = this.refresh()
        .then(
          (token) => {
            observer?.tokenRefresh('ok');
            return token;
          },
          (err: unknown) => {
            observer?.tokenRefresh(err instanceof ZohoAuthError ? err.reason : 'error');
            throw err;
          },
        )
        .finally(() => {
          this.inflight = null;
        });
    }
    return this.inflight;
  }

  private pruneWindow(): void {
    const cutoff = this.clock.now() - this.refreshWindowMs;
    this.refreshTimes = this.refreshTimes.filter((t) => t > cutoff);
  }

  private async refresh(): Promise<AccessToken> {
    this.pruneWindow();
    if (this.refreshTimes.length >= this.maxRefreshes) {
      const oldest = this.refreshTimes[0] ?? this.clock.now();
      const waitSec = Math.max(1, Math.ceil((oldest + this.refreshWindowMs - this.clock.now()) / 1000));
      this.log.warn({ waitSec }, 'zoho token refresh refused locally: refresh budget used up');
      throw new ZohoAuthError(
        'throttled',
        `${THROTTLED_MESSAGE} (Refused locally before calling Zoho: ${this.refreshTimes.length} refreshes ` +
          `in the last ${Math.round(this.refreshWindowMs / 60_000)} minutes; next one possible in ~${waitSec}s.)`,
      );
    }
    this.refreshTimes.push(this.clock.now());

    const o = this.options;
    const url = `${o.accountsUrl.replace(/\/+$/, '')}/oauth/v2/token`;
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: o.clientId,
      client_secret: o.clientSecret,
      refresh_token: o.refreshToken,
    });
    const options: RequestOptions = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(this.requestTimeoutMs),
    };
    if (o.dispatcher) options.dispatcher = o.dispatcher;

    const started = this.clock.now();
    let status: number;
    let text: string;
    try {
      const res = await request(url, options);
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw new ZohoNetworkError(`Zoho token refresh failed: ${errorSummary(err)}`, { cause: err });
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ZohoResponseError(`Zoho token endpoint answered HTTP ${status} with a non-JSON body`, status);
    }
    const parsed = tokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new ZohoResponseError(
        `Zoho token endpoint answered HTTP ${status} with an unexpected body`,
        status,
      );
    }
    const body = parsed.data;
    // Zoho signals failure with HTTP 200 and no access_token: check the body, not the status.
    if (!body.access_token) throw tokenError(body, status);

    const now = this.clock.now();
    const lifetime = lifetimeMs(body);
    const token: AccessToken = {
      accessToken: body.access_token,
      apiDomain: (o.apiDomain || body.api_domain || '').replace(/\/+$/, ''),
      scopes: body.scope ? body.scope.split(/[\s,]+/).filter(Boolean) : null,
      expiresAt: now + lifetime,
      // Short-lived tokens must not be refreshed on every call: that would burn the 10/10 min budget.
      refreshAt: now + Math.max(lifetime - this.refreshAheadMs, lifetime / 2),
    };
    if (!token.apiDomain) {
      throw new ZohoResponseError('Zoho token response carried no api_domain and none is configured', status);
    }
    this.current = token;
    this.log.info(
      {
        apiDomain: token.apiDomain,
        expiresInSec: Math.round((token.expiresAt - this.clock.now()) / 1000),
        scopes: token.scopes,
        ms: this.clock.now() - started,
      },
      'zoho access token refreshed',
    );
    return token;
  }
}

/**
 * Two conventions exist: `expires_in` in seconds, or (older Accounts answers) `expires_in` in
 * milliseconds alongside `expires_in_sec`. Zoho's SDK: if `expires_in_sec` is present,
 * `expires_in` is milliseconds (zohocrm-python-sdk-8.0 oauth_token.py get_token_expires_in).
 */
function lifetimeMs(body: TokenResponseWire): number {
  if (body.expires_in_sec !== undefined) {
    return body.expires_in !== undefined ? body.expires_in : body.expires_in_sec * 1000;
  }
  return (body.expires_in ?? DEFAULT_LIFETIME_SEC) * 1000;
}

function tokenError(body: TokenResponseWire, status: number): ZohoAuthError {
  const error = body.error ?? '';
  switch (error.toLowerCase()) {
    case 'access denied':
    case 'access_denied':
      return new ZohoAuthError('throttled', THROTTLED_MESSAGE);
    case 'invalid_code':
      return new ZohoAuthError('revoked', REVOKED_MESSAGE);
    case 'invalid_client':
      return new ZohoAuthError('invalid_client', INVALID_CLIENT_MESSAGE);
    default:
      return new ZohoAuthError(
        'unknown',
        `Zoho token refresh failed (HTTP ${status}, error ${JSON.stringify(error || 'none')}` +
          `${body.error_description ? `: ${body.error_description}` : ''}).`,
      );
  }
}

export function errorSummary(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.name}: ${err.message}${cause}`;
  }
  return String(err);
}
