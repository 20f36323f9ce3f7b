/**
 * Turns Zoho's answers into what happens to an item: scheduled (track the job), failed (with a
 * message a person can act on), or retry later. Per-record errors come inside `data[]` whatever
 * the HTTP status (zoho-api.md §7.4); request-level errors arrive as thrown errors for the whole
 * batch (§13.1) and must never lose the batch's items.
 */

import type { ItemAction } from '../store/types.js';
import {
  TERRITORY_OFF_CODES,
  ZohoApiError,
  ZohoAuthError,
  ZohoNetworkError,
  ZohoOutcomeUnknownError,
  ZohoResponseError,
} from '../zoho/errors.js';
import type { WriteOutcome, ZohoModule } from '../zoho/types.js';
import type { Operation } from './phases.js';

/** Our own item codes (Zoho's codes are stored as Zoho sent them). */
export const ItemCodes = {
  territoryDeleted: 'TERRITORY_DELETED',
  recordNotFound: 'RECORD_NOT_FOUND',
  networkError: 'NETWORK_ERROR',
  /** A write whose answer was lost (timeout, network, 5xx after sending): Zoho may have made it. */
  outcomeUnknown: 'OUTCOME_UNKNOWN',
  badResponse: 'BAD_RESPONSE',
  /** The process stopped while the call was in flight; checked before resending. */
  interrupted: 'INTERRUPTED',
  nothingToDo: 'NOTHING_TO_DO',
  alreadyApplied: 'ALREADY_APPLIED',
  removedOld: 'REMOVED_OLD',
  jobNotApplied: 'JOB_NOT_APPLIED',
  jobTimeout: 'JOB_TIMEOUT',
  gaveUp: 'GAVE_UP',
} as const;

/**
 * Codes after which Zoho may have taken the change although we saw no answer: before a resend
 * a pending job on the record is adopted as ours and a visible change counts as done.
 */
export const UNCERTAIN_CODES: ReadonlySet<string> = new Set([
  ItemCodes.outcomeUnknown,
  ItemCodes.networkError,
  ItemCodes.badResponse,
  ItemCodes.interrupted,
]);

/** `unavailable`: Zoho as a whole is down, throttling or refusing the bot's credentials (waited out longer). */
export type RetryReason = 'pending_job' | 'transient' | 'uncertain' | 'unavailable';

export type ItemVerdict =
  | { kind: 'scheduled'; jobId: string; code: string; message: string }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'retry'; reason: RetryReason; code: string; message: string }
  /** INVALID_DATA that may name a territory: look the territories up before deciding. */
  | { kind: 'check_territories'; code: string; message: string }
  /** DUPLICATE_DATA: done if the record now has the territories, failed otherwise (read it). */
  | { kind: 'check_record'; code: string; message: string }
  /** The record already shows the change (found by reading it): done without a job. */
  | { kind: 'applied'; code: string; message: string; after: string[] };

export interface OutcomeContext {
  module: ZohoModule;
  operation: Operation;
  territoryIds: readonly string[];
  /** The item's action, when known: a move's assign reads LIMIT_EXCEEDED differently. */
  action?: ItemAction;
}

const verb = (op: Operation) => (op === 'assign' ? 'assign' : 'remove');

function jsonPath(details: Record<string, unknown>): string | null {
  const p = details.json_path;
  return typeof p === 'string' ? p : null;
}

/**
 * Zoho points INVALID_DATA at the offending value with `details.json_path`
 * (`$.data[0].Territories[1].id` for a territory, `$.data[0].id` for the record).
 */
export function invalidDataTarget(details: Record<string, unknown>): 'territory' | 'record' | 'unknown' {
  const path = jsonPath(details);
  if (path) {
    if (/territor/i.test(path)) return 'territory';
    if (/^\$\.data\[\d+\]\.id$/.test(path)) return 'record';
  }
  if (typeof details.resource_path_index === 'number') return 'record';
  return 'unknown';
}

function zohoMessage(o: { code: string; message: string }): string {
  return o.message ? `${o.message} (${o.code})` : o.code;
}

/** One record's result from assign_territories / remove_territories. */
export function mapWriteOutcome(outcome: WriteOutcome, ctx: OutcomeContext): ItemVerdict {
  const { code } = outcome;
  if (outcome.status === 'scheduled' && outcome.jobId) {
    return {
      kind: 'scheduled',
      jobId: outcome.jobId,
      code,
      message: `Zoho scheduled the change (job ${outcome.jobId})`,
    };
  }
  if (outcome.status === 'scheduled') {
    // A success without a job id leaves nothing to track by; the record is read to confirm.
    return {
      kind: 'retry',
      reason: 'uncertain',
      code: ItemCodes.badResponse,
      message: 'Zoho sent no job id',
    };
  }
  const territories = ctx.territoryIds.join(', ');
  switch (code) {
    case 'ALREADY_SCHEDULED':
      return {
        kind: 'retry',
        reason: 'pending_job',
        code,
        message: 'Another territory job is pending on this record; retrying once it finishes',
      };
    case 'INVALID_DATA': {
      const target = invalidDataTarget(outcome.details);
      if (target === 'record') {
        return {
          kind: 'failed',
          code: ItemCodes.recordNotFound,
          message: `Zoho does not know this ${ctx.module} record (deleted or merged?): ${zohoMessage(outcome)}`,
        };
      }
      if (ctx.operation === 'remove') {
        // Remove answers INVALID_DATA also when the territory is not on the record (§8), which
        // is what a removal wants: the record is read before anything is sent again.
        return {
          kind: 'retry',
          reason: 'transient',
          code,
          message: `Zoho did not take the removal of ${territories} (not on the record, or deleted?): checking the record`,
        };
      }
      return { kind: 'check_territories', code, message: zohoMessage(outcome) };
    }
    case 'DUPLICATE_DATA':
      // Also what a lost-then-repeated assign meets: the record decides (DESIGN.md §3 "Retries").
      return {
        kind: 'check_record',
        code,
        message: `The record already has territory ${territories}; nothing was changed`,
      };
    case ItemCodes.outcomeUnknown:
      return {
        kind: 'retry',
        reason: 'uncertain',
        code,
        message: `Zoho's answer was lost; checking the record before anything is sent again (${zohoMessage(outcome)})`,
      };
    case 'ALREADY_USED':
      return {
        kind: 'failed',
        code,
        message: `The same territory was listed twice: ${zohoMessage(outcome)}`,
      };
    case 'LIMIT_EXCEEDED':
      return {
        kind: 'failed',
        code,
        message:
          ctx.module === 'Deals'
            ? ctx.action === 'move'
              ? 'The Deal still holds a territory after the old ones were removed (a territory assigned by a rule cannot be removed through the API)'
              : 'A Deal holds only one territory and this one already has one: use move to replace it'
            : 'The record would have more than 10 territories: remove one first',
      };
    case 'RECORD_LOCKED':
      return {
        kind: 'failed',
        code,
        message: 'The record is locked in Zoho (approval or locking rule): unlock it, then try again',
      };
    case 'NOT_ALLOWED':
      return {
        kind: 'failed',
        code,
        message: `Territory ${territories} was assigned by a territory rule; Zoho does not let the API remove it`,
      };
    case 'NO_PERMISSION':
    case 'AUTHORIZATION_FAILED':
      return {
        kind: 'failed',
        code,
        message: `The Zoho API user may not ${verb(ctx.operation)} territories on this record: ${zohoMessage(outcome)}`,
      };
    case 'INTERNAL_ERROR':
    case 'INTERNAL_SERVER_ERROR':
      return {
        kind: 'retry',
        reason: 'transient',
        code,
        message: `Zoho had an internal error: ${zohoMessage(outcome)}`,
      };
    default:
      return { kind: 'failed', code: code || 'ERROR', message: `Zoho refused: ${zohoMessage(outcome)}` };
  }
}

/** What a thrown, request-level error means for every item of the batch. */
export function mapBatchError(err: unknown, ctx: Pick<OutcomeContext, 'module' | 'operation'>): ItemVerdict {
  if (err instanceof ZohoApiError) {
    if (TERRITORY_OFF_CODES.has(err.code)) {
      const leads =
        ctx.module === 'Leads'
          ? ' (for Leads, Zoho turns territories on only when asked through Zoho support)'
          : '';
      return {
        kind: 'failed',
        code: err.code,
        message: `Territory management is not enabled for ${ctx.module} in Zoho${leads}: an admin must turn it on before territories can be ${ctx.operation === 'assign' ? 'assigned' : 'removed'}`,
      };
    }
    // The client already retried these; they are worth another try later, not a failure now.
    if (err.status === 429 || err.status >= 500 || err.code === 'TOO_MANY_REQUESTS') {
      return {
        kind: 'retry',
        reason: 'unavailable',
        code: err.code,
        message: `Zoho is busy: ${zohoMessage(err)}`,
      };
    }
    if (err.code === 'INVALID_TOKEN' || err.code === 'AUTHENTICATION_FAILURE') {
      return {
        kind: 'retry',
        reason: 'transient',
        code: err.code,
        message: `Zoho did not accept the access token: ${zohoMessage(err)}`,
      };
    }
    if (err.code === 'OAUTH_SCOPE_MISMATCH') {
      return {
        kind: 'failed',
        code: err.code,
        message: `The Zoho connection lacks a permission scope for ${ctx.module}: ops must re-authorise it with ZohoCRM.modules.ALL`,
      };
    }
    if (err.code === 'NO_PERMISSION' || err.code === 'AUTHORIZATION_FAILED') {
      return {
        kind: 'failed',
        code: err.code,
        message: `The Zoho API user may not ${verb(ctx.operation)} territories in ${ctx.module}: ${zohoMessage(err)}`,
      };
    }
    return { kind: 'failed', code: err.code, message: `Zoho refused the call: ${zohoMessage(err)}` };
  }
  if (err instanceof ZohoAuthError) {
    if (err.reason === 'throttled') {
      return {
        kind: 'retry',
        reason: 'unavailable',
        code: 'AUTH_THROTTLED',
        message: 'Zoho is throttling token refreshes; retrying later',
      };
    }
    if (err.reason === 'revoked' || err.reason === 'invalid_client') {
      // Ops are alerted (the monitor's check fails the same way); the items wait for the fix.
      return {
        kind: 'retry',
        reason: 'unavailable',
        code: `AUTH_${err.reason.toUpperCase()}`,
        message: `Zoho refused the bot's credentials (${err.reason}): ops must check the Zoho connection; waiting for the fix (${err.message})`,
      };
    }
    return {
      kind: 'failed',
      code: `AUTH_${err.reason.toUpperCase()}`,
      message: `Zoho refused the bot's credentials (${err.reason}): ops must check the Zoho connection (${err.message})`,
    };
  }
  if (err instanceof ZohoOutcomeUnknownError) {
    return {
      kind: 'retry',
      reason: 'uncertain',
      code: ItemCodes.outcomeUnknown,
      message: `Zoho's answer was lost; checking the record before anything is sent again (${err.message})`,
    };
  }
  if (err instanceof ZohoNetworkError) {
    return {
      kind: 'retry',
      reason: 'uncertain',
      code: ItemCodes.networkError,
      message: `No answer from Zoho: ${err.message}`,
    };
  }
  if (err instanceof ZohoResponseError) {
    return {
      kind: 'retry',
      reason: 'uncertain',
      code: ItemCodes.badResponse,
      message: `Zoho's answer could not be read: ${err.message}`,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    kind: 'retry',
    reason: 'uncertain',
    code: ItemCodes.networkError,
    message: `Call failed: ${message}`,
  };
}

export function territoryDeletedMessage(ids: readonly string[]): string {
  return ids.length === 1
    ? `Territory ${ids[0]} was deleted in Zoho`
    : `Territories ${ids.join(', ')} were deleted in Zoho`;
}
