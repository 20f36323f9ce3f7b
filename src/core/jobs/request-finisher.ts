/**
 * Ends a request once every item is final. Both the engine (after sending) and the job tracker
 * (after confirming) may get here at the same moment; the atomic `running -> done|failed`
 * transition lets exactly one of them through, so `requestFinished` is posted exactly once.
 */
import { requestLifecycle } from '../approvals/request-lifecycle.js';
import { itemLifecycle } from '../assignment/item-lifecycle.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import type { ItemState, RequestRecord, Store } from '../store/types.js';

export interface RequestFinisherDeps {
  store: Store;
  notifier: RequestNotifier;
  clock: Clock;
  logger: Logger;
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
    );
    if (!won) return false;
    await store.appendAudit({ at: now, actor: 'system', action: `request.${to}`, requestId, data: outcome });
    logger.info({ requestId, state: to, ...outcome }, 'request finished');
    await this.notifyFinished(won);
    return true;
  }

  /** At start-up: requests finished in the last day whose final reply never went out. */
  async resendMissedFinishes(withinMs = 24 * 3_600_000): Promise<string[]> {
    const since = this.deps.clock.now() - withinMs;
    const ends = [requestLifecycle.target('finish'), requestLifecycle.target('fail')];
    const finished = await this.deps.store.listRequestsByState(ends, 500);
    const missed = finished.filter(
      (r) =>
        r.updatedAt >= since && r.summary.outcome !== undefined && r.summary.finishedNotifiedAt === undefined,
    );
    for (const r of missed) await this.notifyFinished(r);
    return missed.map((r) => r.id);
  }

  /**
   * Posts the final reply, then records that it went out (`summary.finishedNotifiedAt`). A process
   * stopped between the transition and the post leaves the mark missing, and the next start
   * posts it (resendMissedFinishes), so the requester always hears the result.
   */
  private async notifyFinished(request: RequestRecord): Promise<void> {
    const { store, notifier, clock, logger } = this.deps;
    try {
      await notifier.requestFinished(request.id);
    } catch (err) {
      logger.error({ err, requestId: request.id }, 'notifier.requestFinished failed');
      return;
    }
    // Re-read: the notifier may have kept something in the summary meanwhile.
    const fresh = (await store.getRequest(request.id)) ?? request;
    await store.updateRequestSummary(
      request.id,
      { ...fresh.summary, finishedNotifiedAt: clock.now() },
      clock.now(),
    );
  }
}
