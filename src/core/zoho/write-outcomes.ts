/**
 * What a territory write returned, per record: Zoho's data[] paired with the inputs, and the
 * outcome reported for records of a chunk whose call failed as a whole.
 */
import {
  ZohoApiError,
  ZohoAuthError,
  ZohoNetworkError,
  ZohoOutcomeUnknownError,
  ZohoResponseError,
} from './errors.js';
import type { WriteItemWire } from './schemas.js';
import type { TerritoryChange, WriteOutcome } from './types.js';

/** An auth or contract failure, or a 4xx other than 429: it applies to every chunk of a write. */
export function isFatal(err: unknown): boolean {
  return (
    err instanceof ZohoAuthError ||
    err instanceof ZohoResponseError ||
    (err instanceof ZohoApiError && err.status !== 429 && err.status < 500)
  );
}

export function chunkFailure(change: TerritoryChange, err: unknown): WriteOutcome {
  const code =
    err instanceof ZohoApiError
      ? err.code
      : err instanceof ZohoOutcomeUnknownError
        ? 'OUTCOME_UNKNOWN'
        : err instanceof ZohoNetworkError
          ? 'NETWORK_ERROR'
          : 'REQUEST_FAILED';
  return {
    recordId: change.recordId,
    status: 'error',
    code,
    message: err instanceof Error ? err.message : String(err),
    jobId: null,
    details: { requestLevel: true },
  };
}

/**
 * Pairs data[] items with the inputs: by `details.id` when Zoho names the record, else by the
 * `$.data[i]` index in `details.json_path`, else by position. One outcome per input, in order.
 */
export function matchOutcomes(
  inputs: readonly TerritoryChange[],
  items: readonly WriteItemWire[],
  httpStatus = 0,
): WriteOutcome[] {
  const byInput: (WriteItemWire | undefined)[] = new Array(inputs.length).fill(undefined);
  const usedItems = new Set<number>();

  items.forEach((item, idx) => {
    const id = item.details?.id;
    if (id === undefined || id === null) return;
    if (typeof id !== 'string') {
      throw new ZohoResponseError('Zoho returned a non-string record id in a write result', httpStatus);
    }
    const target = inputs.findIndex((c, i) => c.recordId === id && byInput[i] === undefined);
    if (target >= 0) {
      byInput[target] = item;
      usedItems.add(idx);
    }
  });
  items.forEach((item, idx) => {
    if (usedItems.has(idx)) return;
    const target = jsonPathIndex(item) ?? idx;
    if (target < inputs.length && byInput[target] === undefined) {
      byInput[target] = item;
      usedItems.add(idx);
    }
  });

  return inputs.map((input, i) => {
    const item = byInput[i];
    if (!item) {
      return {
        recordId: input.recordId,
        status: 'error',
        code: 'NO_RESULT',
        message: 'Zoho returned no result for this record',
        jobId: null,
        details: {},
      };
    }
    const details = item.details ?? {};
    const jobId = typeof details.job_id === 'string' ? details.job_id : null;
    const ok = item.status.toLowerCase() === 'success';
    return {
      recordId: input.recordId,
      status: ok ? 'scheduled' : 'error',
      code: item.code,
      message: item.message ?? item.code,
      jobId,
      details,
    };
  });
}

function jsonPathIndex(item: WriteItemWire): number | null {
  const path = item.details?.json_path;
  if (typeof path !== 'string') return null;
  const m = /^\$\.data\[(\d+)\]/.exec(path);
  return m?.[1] ? Number(m[1]) : null;
}
