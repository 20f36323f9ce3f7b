/**
 * Retry policy for items Zoho did not take on the first try. HTTP-level retries (429, 5xx,
 * network) happen inside the Zoho client; what reaches the engine is per-record: a pending
 * job on the record (`ALREADY_SCHEDULED`), a territory id Zoho no longer knows
 * (`INVALID_DATA`), or a batch the client gave up on. Those items wait in state `retry` with
 * `notBefore` and are checked again (pending jobs, then the record) before any resend.
 */

export interface RetryPolicy {
  /** Checks (resends or waits on a pending job) per item before it is failed. */
  maxAttempts: number;
  /**
   * Checks for an item held up by Zoho itself (down, throttling, the bot's credentials refused):
   * an outage is waited out rather than charged to the item, up to about half an hour at the cap.
   */
  outageAttempts: number;
  /** First wait; doubles per attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * 8 checks at 5 s doubling to a 60 s cap wait about 5 minutes in all: long enough for Zoho's
 * territory jobs (which usually finish in seconds), short enough that a person gets an answer.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  outageAttempts: 36,
  baseDelayMs: 5_000,
  maxDelayMs: 60_000,
};

/**
 * Wait before check number `attempt + 1` (attempt = checks already made, from 1).
 * "Equal jitter": half the exponential delay is fixed, half random, so items failed together
 * by one batch do not all come back in the same instant (zoho-api.md §11.3: no Retry-After).
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const half = exp / 2;
  return Math.round(half + half * Math.min(1, Math.max(0, random())));
}

export function attemptsLeft(attempts: number, policy: RetryPolicy): boolean {
  return attempts < policy.maxAttempts;
}
