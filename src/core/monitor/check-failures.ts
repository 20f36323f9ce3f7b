/**
 * How a monitor run reads a Zoho failure: a condition worth an alert (revoked token, missing
 * scope, invalid client), or `Inconclusive` for what may pass by itself (a throttled refresh,
 * network, 429/5xx), which ends the run without resolving or raising anything.
 */
import {
  isTerritoryManagementOff,
  ZohoApiError,
  ZohoAuthError,
  ZohoNetworkError,
  ZohoResponseError,
} from '../zoho/errors.js';
import { type AlertCondition, oauthCondition } from './conditions.js';

export class Inconclusive extends Error {}

/** Maps a Zoho failure to a condition, or throws Inconclusive for what may pass by itself. */
export function authCondition(err: unknown): AlertCondition | null {
  if (err instanceof ZohoAuthError) {
    if (err.reason === 'revoked' || err.reason === 'scope' || err.reason === 'invalid_client') {
      return oauthCondition(err.reason, err.message);
    }
    throw new Inconclusive(
      err.reason === 'throttled'
        ? 'Zoho throttled the token refresh (more than 10 refreshes in 10 minutes); the next run retries'
        : `Zoho OAuth failed: ${err.message}`,
    );
  }
  if (err instanceof ZohoApiError && err.code === 'OAUTH_SCOPE_MISMATCH') {
    return oauthCondition('scope', err.message);
  }
  return null;
}

export function transient(err: unknown, step: string): never {
  if (err instanceof Inconclusive) throw err;
  const what =
    err instanceof ZohoApiError
      ? `Zoho answered ${err.status} ${err.code}: ${err.message}`
      : err instanceof ZohoNetworkError || err instanceof ZohoResponseError
        ? err.message
        : err instanceof Error
          ? `${err.name}: ${err.message}`
          : String(err);
  throw new Inconclusive(`${step} failed (${what}); the next run retries`);
}

export const isForbidden = (err: unknown) =>
  err instanceof ZohoApiError &&
  !isTerritoryManagementOff(err) &&
  (err.code === 'NO_PERMISSION' || err.code === 'AUTHORIZATION_FAILED' || err.status === 403);
