/**
 * What a failed Web API call means for a message the outbox is posting (see outbox-worker.ts):
 * wait and try again (rate limits, Slack's own faults, a lost answer), or give up on this
 * conversation (the bot cannot post there, the message is invalid).
 */
import { slackErrorCode } from './slack-poster.js';

export type SlackFailure =
  /** Slack said no before doing anything (ok:false, 429): nothing was posted. */
  | { kind: 'refused'; transient: boolean; code: string; retryAfterMs: number | null }
  /** No answer, or a 5xx/timeout: the call may have taken effect. */
  | { kind: 'lost'; transient: true; code: string; retryAfterMs: null };

/** Platform errors Slack documents as temporary (its own trouble, or limits). */
const TEMPORARY = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

export function classifySlackFailure(err: unknown): SlackFailure {
  const e = err as { code?: unknown; retryAfter?: unknown } | null;
  if (e?.code === 'slack_webapi_rate_limited_error') {
    const sec = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
    return { kind: 'refused', transient: true, code: 'ratelimited', retryAfterMs: Math.max(0, sec) * 1000 };
  }
  const platform = slackErrorCode(err);
  if (platform !== null) {
    return { kind: 'refused', transient: TEMPORARY.has(platform), code: platform, retryAfterMs: null };
  }
  // HTTP errors, timeouts, resets, and anything unexpected (a store hiccup): the outcome of the
  // call is unknown, so it is retried after a read-back of the conversation.
  const code = typeof e?.code === 'string' ? e.code : err instanceof Error ? err.name : 'unknown';
  return { kind: 'lost', transient: true, code, retryAfterMs: null };
}
