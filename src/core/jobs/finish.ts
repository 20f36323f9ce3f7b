/**
 * Ending a request once every item is final. Both the engine (after sending) and the job
 * tracker (after confirming) may get here at the same moment; the atomic `running -> done|failed`
 * transition lets exactly one of them through, so `requestFinished` is posted exactly once.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import { FINAL_ITEM_STATES, type ItemState, type Store } from '../store/types.js';

export interface FinishDeps {
  store: Store;
  notifier: RequestNotifier;
  clock: Clock;
  logger: Logger;
}

const FINAL = new Set<ItemState>(FINAL_ITEM_STATES);

export async function finishIfComplete(deps: FinishDeps, requestId: string): Promise<boolean> {
  const counts = await deps.store.countItemsByState(requestId);
  const open = Object.entries(counts).some(([state, n]) => !FINAL.has(state as ItemState) && (n ?? 0) > 0);
  if (open) return false;
  const request = await deps.store.getRequest(requestId);
  if (request?.state !== 'running') return false;
  const done = counts.done ?? 0;
  const notDone = (counts.failed ?? 0) + (counts.unconfirmed ?? 0);
  // "failed" only when nothing succeeded; a partly successful bulk is done, with its failures listed.
  const to = done === 0 && notDone > 0 ? 'failed' : 'done';
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
  try {
    await deps.notifier.requestFinished(requestId);
  } catch (err) {
    deps.logger.error({ err, requestId }, 'notifier.requestFinished failed');
  }
  return true;
}
