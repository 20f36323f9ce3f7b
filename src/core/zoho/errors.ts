/** Errors from Zoho. Every message is safe to log: none carries a token or secret. */

/** Zoho answered with its error envelope `{code, message, details, status:"error"}`. */
export class ZohoApiError extends Error {
  override readonly name = 'ZohoApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export type ZohoAuthReason =
  /** More than 10 refreshes in 10 minutes: HTTP 200 with `"error":"Access Denied"`. */
  | 'throttled'
  /** Refresh token revoked or invalid (`invalid_code`). */
  | 'revoked'
  /** Wrong client id/secret or wrong data centre (`invalid_client`). */
  | 'invalid_client'
  /** The token lacks a scope the call needs (`OAUTH_SCOPE_MISMATCH`). */
  | 'scope'
  | 'unknown';

export class ZohoAuthError extends Error {
  override readonly name = 'ZohoAuthError';
  constructor(
    readonly reason: ZohoAuthReason,
    message: string,
  ) {
    super(message);
  }
}

/** The network failed or Zoho did not answer in time (after retries). */
export class ZohoNetworkError extends Error {
  override readonly name = 'ZohoNetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A write (assign/remove) whose answer was lost: a timeout, a network error or a 5xx after the
 * body may have reached Zoho. Zoho may have made the change, so the client never re-sends it;
 * the engine's resend check reads pending jobs and the record first (DESIGN.md §3 "Retries").
 */
export class ZohoOutcomeUnknownError extends Error {
  override readonly name = 'ZohoOutcomeUnknownError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Zoho answered with something our schemas do not accept. */
export class ZohoResponseError extends Error {
  override readonly name = 'ZohoResponseError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Codes Zoho uses when territory management is off for the org (or for Leads). */
export const TERRITORY_OFF_CODES = new Set([
  'TERRITORY_NOT_ENABLED',
  'TERRITORY_DISABLED',
  'FEATURE_NOT_ENABLED',
]);

export function isTerritoryManagementOff(err: unknown): boolean {
  return err instanceof ZohoApiError && TERRITORY_OFF_CODES.has(err.code);
}

/** Zoho's answer for an id that does not exist (deleted territory, unknown record). */
export function isInvalidId(err: unknown): boolean {
  return err instanceof ZohoApiError && err.code === 'INVALID_DATA';
}
