/**
 * Drops a Slack delivery the app already handled, in one place for every entry point: Slack
 * retries an event it thinks was not received (X-Slack-Retry-Num, up to 3 times over ~5
 * minutes: same event_id), and a slash command can be replayed inside the 5-minute signature
 * window (the same payload re-sent: same trigger_id). Neither may start a second request. The
 * key is claimed in the store (several replicas share it) before any listener runs.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import type { Store } from '../core/store/types.js';

/** Slack's retries end ~5 minutes after the first delivery; the replay window is 5 minutes. */
export const INBOUND_KEEP_MS = 10 * 60_000;

/** The identity of a delivery, or null for payloads that are not deduplicated. */
export function inboundKey(body: unknown): string | null {
  const b = body as { event_id?: unknown; command?: unknown; trigger_id?: unknown; type?: unknown };
  if (typeof b.event_id === 'string' && b.event_id !== '') return `event:${b.event_id}`;
  // A slash command's trigger_id is minted per invocation: a second payload with it is a replay.
  if (typeof b.command === 'string' && typeof b.trigger_id === 'string' && b.trigger_id !== '')
    return `command:${b.trigger_id}`;
  return null;
}

export function inboundDedupe(deps: {
  store: Pick<Store, 'claimInbound'>;
  clock: Clock;
  logger: Logger;
}): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = inboundKey(args.body);
    if (key !== null) {
      let first = true;
      try {
        first = await deps.store.claimInbound(key, deps.clock.now(), INBOUND_KEEP_MS);
      } catch (err) {
        // The store is down: handling twice is better than dropping what a person asked for.
        deps.logger.warn({ err, key }, 'could not record an inbound delivery; handling it');
      }
      if (!first) {
        const retryNum = (args as { context?: { retryNum?: number } }).context?.retryNum;
        deps.logger.info({ key, retryNum: retryNum ?? null }, 'dropped a delivery Slack sent again');
        const ack = (args as { ack?: (r?: unknown) => Promise<void> }).ack;
        if (ack) await ack();
        return;
      }
    }
    await args.next();
  };
}
