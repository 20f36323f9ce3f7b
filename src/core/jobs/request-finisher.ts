/**
 * Ends a request once every item is final. Both the engine (after sending) and the job tracker
 * (after confirming) may get here at the same moment; the atomic `running -> done|failed`
 * transition lets exactly one of them through. The final reply is written to the outbox in that
 * transition (core/outbox.ts), so it goes out once, even when the process stops right after.
 */
import { requestLifecycle } from '../approvals/request-lifecycle.js';
import { itemLifecycle } from '../assignment/item-lifecycle.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import type { ItemState, Store } from '../store/types.js';
import type { WorkObserver } from '../work-observer.js';

export interface RequestFinisherDeps {
  store: Store;
  notifier: RequestNotifier;
  clock: Clock;
  logger: Logger;
  /** Told each finished request's items by outcome (metrics). */
  observer?: WorkObserver;
}

export class RequestFinisher {
  constructor(private readonly deps: RequestFinisherDeps) {}

  /** Finishes the request when every item is final; returns whether this call finished it. */
  async finishIfComplete(requestId: string): Promise<boolean> {
    const { store, clock, logger } = this.deps;
    const counts = await store.countItemsByState(requestId);
    const open = Object.entries(counts).some(
      ([state, n]) => !itemLifecycle.isFinal(state as ItemState) && (n ?? 0) > 0,
    );
    if (open) return false;
    const request = await store.getRequest(requestId);
    if (!request) return false;
    // A request that waited for Zoho and will not run (refused later, or past the ceiling).
    const givingUp = requestLifecycle.apply(request.state, 'give_up');
    // The engine and the tracker finish only what runs (an approved request fails elsewhere).
    if (request.state !== 'running' && !givingUp.ok) return false;
    const done = counts.done ?? 0;
    const notDone = (counts.failed ?? 0) + (counts.unconfirmed ?? 0);
    // "failed" only when nothing succeeded; a partly successful bulk is done, with its failures listed.
    const to = givingUp.ok
      ? givingUp.to
      : requestLifecycle.to(request.state, done === 0 && notDone > 0 ? 'fail' : 'finish');
    const now = clock.now();
    const outcome = {
      done,
      failed: counts.failed ?? 0,
      unconfirmed: counts.unconfirmed ?? 0,
      skipped: counts.skipped ?? 0,
    };
    const won = await store.transitionRequest(
      requestId,
      [request.state],
      to,
      { summary: { ...request.summary, outcome } },
      now,
      ['final'],
    );
    if (!won) return false;
    await store.appendAudit({ at: now, actor: 'system', action: `request.${to}`, requestId, data: outcome });
    logger.info({ requestId, state: to, ...outcome }, 'request finished');
    this.deps.observer?.requestFinished(outcome);
    try {
      // Already in the outbox: this only wakes the poster of this process.
      await this.deps.notifier.requestFinished(requestId);
    } catch (err) {
      logger.warn({ err, requestId }, 'waking the outbox failed; it polls');
    }
    return true;
  }
}
