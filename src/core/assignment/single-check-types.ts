/**
 * The vocabulary of single changes stored before their Zoho read (single-check.ts): how long
 * they wait for Zoho, which errors are worth waiting out, what the deferred check answers, and
 * the access-policy port it calls once the record is read.
 */
import type { RecordRef } from '../records/index.js';
import type { RequestRecord } from '../store/types.js';
import { ZohoApiError, ZohoAuthError, ZohoNetworkError, ZohoResponseError } from '../zoho/errors.js';
import type { ChangeAction } from './plan.js';
import type { RetryPolicy } from './retry.js';
import type { SingleChangeResult } from './single-request.js';

/** How long a stored request waits for Zoho before it fails (from its first failed read). */
export const ZOHO_WAIT_CEILING_MS = 30 * 60_000;
/** Reads again after 5 s, doubling to one a minute (with jitter, zoho-api.md §11.3). */
export const ZOHO_WAIT_RETRY: RetryPolicy = {
  maxAttempts: Number.MAX_SAFE_INTEGER,
  outageAttempts: Number.MAX_SAFE_INTEGER,
  baseDelayMs: 5_000,
  maxDelayMs: 60_000,
};

export const ZOHO_UNAVAILABLE_CODE = 'ZOHO_UNAVAILABLE';

export interface AskedSingleInput {
  requesterId: string;
  originChannelId: string | null;
  action: ChangeAction;
  ref: RecordRef;
  /** As typed or picked; resolved when Zoho is read. */
  territories: string | readonly string[];
}

/** summary.zohoWait of a waiting request. */
export interface ZohoWait {
  since: number;
  attempts: number;
  nextAt: number;
  giveUpAt: number;
  problem: string;
}

export type SingleRefusal =
  | Exclude<SingleChangeResult, { ok: true }>
  /** The access policy refused it (e.g. a requester unknown to Zoho, a rule of the org). */
  | { ok: false; reason: 'not_mapped'; message: string }
  /** It needs approval and could not be submitted (e.g. nobody could decide it). */
  | { ok: false; reason: 'not_submitted'; message: string };

export type AskedCheckOutcome =
  | { kind: 'planned'; requestId: string }
  /** The access policy asked for approval: a one-item draft submitted like a bulk list. */
  | { kind: 'pending_approval'; requestId: string; reasons: string[]; mention: string[] }
  | { kind: 'refused'; refusal: SingleRefusal }
  | { kind: 'waiting'; requestId: string; problem: string; nextAt: number; giveUpAt: number }
  /** Refused by a later check, or the ceiling passed: told in the parent message's thread. */
  | { kind: 'failed'; requestId: string; message: string }
  /** Someone else (another replica, a timer) moved it meanwhile. */
  | { kind: 'moved'; requestId: string };

/**
 * Why Zoho could not be read right now, in words for people, or null when the error is not a
 * passing one (a refusal that waiting will not change). The client already retried the read.
 */
export function zohoUnavailable(err: unknown): string | null {
  if (err instanceof ZohoApiError) {
    if (err.status === 429 || err.code === 'TOO_MANY_REQUESTS')
      return 'Zoho is throttling the bot (too many requests).';
    if (err.status >= 500) return `Zoho is not answering normally (HTTP ${err.status}).`;
    return null;
  }
  if (err instanceof ZohoNetworkError) return 'Zoho does not answer.';
  if (err instanceof ZohoResponseError) return 'Zoho sent answers the bot cannot read.';
  if (err instanceof ZohoAuthError) {
    // Ops are alerted by the monitor; the request runs once the connection is fixed.
    if (err.reason === 'throttled') return 'Zoho is limiting how often the bot may sign in.';
    if (err.reason === 'revoked' || err.reason === 'invalid_client') {
      return "Zoho refused the bot's credentials; ops must fix the Zoho connection.";
    }
  }
  return null;
}

/** What the access policy (DESIGN.md §4) says about a read and planned single change. */
export type SinglePolicyDecision =
  | { kind: 'direct'; access: Record<string, unknown> }
  | { kind: 'needs_approval'; access: Record<string, unknown>; reasons: string[]; mention: string[] }
  | { kind: 'refused'; message: string };

/**
 * The access policy step, run once the record is read (it needs the Owner and territories).
 * Implemented in core/requests (single-policy.ts); the engine only holds the port.
 */
export interface SinglePolicy {
  decide(
    request: RequestRecord,
    prepared: Extract<SingleChangeResult, { ok: true }>,
  ): Promise<SinglePolicyDecision>;
  /** Submits the stored draft for approval (card to the approvers), as a bulk list is. */
  submit(request: RequestRecord): Promise<{ ok: true } | { ok: false; message: string }>;
}
