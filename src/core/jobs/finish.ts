/**
 * Ending a request once every item is final. Both the engine (after sending) and the job
 * tracker (after confirming) may get here at the same moment; the atomic `running -> done|failed`
 * transition lets exactly one of them through, so `requestFinished` is posted exactly once.
 */

import { requestLifecycle } from '../approvals/request-lifecycle.js';
import { itemLifecycle } from '../assignment/item-lifecycle.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import type { ItemState, RequestRecord, Store } from '../store/types.js';

export interface FinishDeps {
  store: Store;
  notifier: RequestNotifier;
  clock: Clock;
  logger: Logger;
}

export async function finishIfComplete(deps: FinishDeps, requestId: string): Promise<boolean> {
  const counts = await deps.store.countItemsByState(requestId);
  const open = Object.entries(counts).some(
    ([state, n]) => !itemLifecycle.isFinal(state as ItemState) && (n ?? 0) > 0,
  );
  if (open) return false;
  const request = await deps.store.getRequest(requestId);
  if (request?.state !== 'running') return false;
  const done = counts.done ?? 0;
  const notDone = (counts.failed ?? 0) + (counts.unconfirmed ?? 0);
  // "failed" only when nothing succeeded; a partly successful bulk is done, with its failures listed.
  const to = requestLifecycle.target(done === 0 && notDone > 0 ? 'fail' : 'finish');
  const now = deps.clock.now();
  const outcome = {
    done,
    failed: counts.failed ?? 0,
    unconfirmed: counts.unconfirmed ?? 0,
    skipped: counts.skipped ?? 0,
  };
  const won = await deps.store.transitionRequest(
    requestId,
    ['running'],
    to,
    { summary: { ...request.summary, outcome } },
    now,
  );
  if (!won) return false;
  await deps.store.appendAudit({
    at: now,
    actor: 'system',
    action: `request.${to}`,
    requestId,
    data: outcome,
  });
  deps.logger.info({ requestId, state: to, ...outcome }, 'request finished');
  await notifyFinished(deps, won);
  return true;
}

/**
 * Posts the final reply, then records that it went out (`summary.finishedNotifiedAt`). A process
 * stopped between the transition and the post leaves the mark missing, and the next start
 * posts it (see resendMissedFinishes), so the requester always hears the result.
 */
async function notifyFinished(deps: FinishDeps, request: RequestRecord): Promise<void> {
  try {
    await deps.notifier.requestFinished(request.id);
  } catch (err) {
    deps.logger.error({ err, requestId: request.id }, 'notifier.requestFinished failed');
    return;
  }
  // Re-read: the notifier may have kept something in the summary meanwhile.
  const fresh = (await deps.store.getRequest(request.id)) ?? request;
  await deps.store.updateRequestSummary(
    request.id,
    { ...fresh.summary, finishedNotifiedAt: deps.clock.now() },
    deps.clock.now(),
  );
}

/** At start-up: requests the engine finished in the last day whose final reply never went out. */
export async function resendMissedFinishes(deps: FinishDeps, withinMs = 24 * 3_600_000): Promise<string[]> {
  const since = deps.clock.now() - withinMs;
  const finished = await deps.store.listRequestsByState(['done', 'failed'], 500);
  const missed = finished.filter(
    (r) =>
      r.updatedAt >= since && r.summary.outcome !== undefined && r.summary.finishedNotifiedAt === undefined,
  );
  for (const r of missed) await notifyFinished(deps, r);
  return missed.map((r) => r.id);
}
