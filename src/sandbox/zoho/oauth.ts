/**
 * Zoho Accounts' refresh-token grant as the CRM docs describe it (zoho-api.md §2):
 * `POST /oauth/v2/token`, tokens `1000.<hex>.<hex>` valid 1 h, at most 10 tokens per
 * refresh token per 10 min (HTTP 200 "Access Denied"), at most 15 live tokens per refresh
 * token (the 16th invalidates the oldest), `invalid_code` / `invalid_client` errors.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { SimCredentials } from './types.js';

export const DEFAULT_SCOPES = [
  'ZohoCRM.modules.ALL',
  'ZohoCRM.settings.territories.ALL',
  'ZohoCRM.users.ALL',
];

const MAX_LIVE_TOKENS = 15;

interface AccessToken {
  token: string;
  expiresAt: number;
  scopes: string[];
  revoked: boolean;
}

export interface TokenGrant {
  status: number;
  body: Record<string, unknown>;
}

export interface TokenStoreOptions {
  clock: Clock;
  credentials: SimCredentials;
  ttlSeconds: number;
  throttle: { max: number; windowMs: number } | false;
  apiDomain: string;
}

export class TokenStore {
  private readonly tokens = new Map<string, AccessToken>();
  /** Live tokens in issue order, for the 15-per-refresh-token cap. */
  private readonly order: string[] = [];
  private readonly issuedAt: number[] = [];
  private issued = 0;
  refreshTokenRevoked = false;
  scopesOverride: string[] | null = null;

  constructor(private readonly opts: TokenStoreOptions) {}

  get issuedCount(): number {
    return this.issued;
  }

  /** Handles the token endpoint's parameters (query or form body). */
  grant(params: URLSearchParams): TokenGrant {
    const { credentials, clock } = this.opts;
    const grantType = params.get('grant_type');
    if (grantType !== 'refresh_token') {
      return { status: 200, body: { error: grantType ? 'unsupported_grant_type' : 'invalid_request' } };
    }
    if (
      params.get('client_id') !== credentials.clientId ||
      params.get('client_secret') !== credentials.clientSecret
    ) {
      return { status: 200, body: { error: 'invalid_client' } };
    }
    if (params.get('refresh_token') !== credentials.refreshToken || this.refreshTokenRevoked) {
      return { status: 200, body: { error: 'invalid_code' } };
    }
    const now = clock.now();
    if (this.opts.throttle) {
      const { max, windowMs } = this.opts.throttle;
      while (this.issuedAt.length > 0 && this.issuedAt[0]! <= now - windowMs) this.issuedAt.shift();
      if (this.issuedAt.length >= max) {
        // Kaizen #43: the throttle answers HTTP 200, not 4xx.
        return {
          status: 200,
          body: {
            error_description:
              'You have made too many requests continuously. Please try again after some time.',
            error: 'Access Denied',
            status: 'failure',
          },
        };
      }
      this.issuedAt.push(now);
    }
    const token = `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
    const scopes = this.scopesOverride ?? DEFAULT_SCOPES;
    this.tokens.set(token, { token, expiresAt: now + this.opts.ttlSeconds * 1000, scopes, revoked: false });
    this.order.push(token);
    while (this.order.length > MAX_LIVE_TOKENS) this.tokens.delete(this.order.shift()!);
    this.issued += 1;
    return {
      status: 200,
      body: {
        access_token: token,
        scope: scopes.join(' '),
        api_domain: this.opts.apiDomain,
        token_type: 'Bearer',
        expires_in: this.opts.ttlSeconds,
      },
    };
  }

  /** Revocation endpoint (`POST /oauth/v2/token/revoke?token=`): revokes the refresh token. */
  revoke(token: string | null): boolean {
    if (token === this.opts.credentials.refreshToken) {
      this.revokeRefreshToken();
      return true;
    }
    if (token && this.tokens.has(token)) {
      this.tokens.get(token)!.revoked = true;
      return true;
    }
    return false;
  }

  /** Revoking a refresh token also kills the access tokens made from it (Kaizen #43). */
  revokeRefreshToken(): void {
    this.refreshTokenRevoked = true;
    this.expireAll();
  }

  expireAll(): void {
    for (const t of this.tokens.values()) t.revoked = true;
  }

  /** The scopes of a valid token, or null when the header is missing, unknown or expired. */
  check(authorization: string | undefined): string[] | null {
    const m = /^Zoho-oauthtoken (\S+)$/.exec(authorization ?? '');
    if (!m) return null;
    const t = this.tokens.get(m[1]!);
    if (!t || t.revoked || t.expiresAt <= this.opts.clock.now()) return null;
    return t.scopes;
  }
}

/**
 * Whether a token's scopes cover one of the accepted scopes. Zoho scope names are
 * case-insensitive in practice (its own OAS writes both `ZohoCRM.users.ALL` and `.All`).
 */
export function scopeAllows(tokenScopes: readonly string[], accepted: readonly string[]): boolean {
  const have = new Set(tokenScopes.map((s) => s.toLowerCase()));
  return accepted.some((s) => have.has(s.toLowerCase()));
}
