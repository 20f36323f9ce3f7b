/** What the engine's parts share: dependencies plus the resolved policies. */
import type { Clock } from '../clock.js';
import type { PollSchedule } from '../jobs/backoff.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import type { Store } from '../store/types.js';
import type { ZohoApi } from '../zoho/types.js';
import type { LaneLimiter } from './engine-limiter.js';
import type { RetryPolicy } from './retry.js';

export interface EngineContext {
  api: ZohoApi;
  store: Store;
  notifier: RequestNotifier;
  clock: Clock;
  logger: Logger;
  /** Bounds Zoho calls in flight across every request this engine runs. */
  limiter: LaneLimiter;
  retry: RetryPolicy;
  poll: PollSchedule;
  random: () => number;
  /** Current territory ids (catalog refresh); used when Zoho answers INVALID_DATA for a territory. */
  territoryIds: () => Promise<Set<string>>;
  /** New jobs were stored: wake the job tracker. */
  jobsCreated: () => void;
}

/** Notifier calls must never break the money path: a Slack hiccup is logged, not thrown. */
export async function safeNotify(ctx: EngineContext, requestId: string): Promise<void> {
  try {
    await ctx.notifier.requestUpdated(requestId);
  } catch (err) {
    ctx.logger.warn({ err, requestId }, 'notifier.requestUpdated failed');
  }
}
