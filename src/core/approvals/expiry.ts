/** pending_approval → expired for one overdue request; shared by the timer and by checkDecider. */
import type { RequestRecord, Store } from '../store/types.js';
import type { ApprovalRecorder } from './recorder.js';
import { transitionRule } from './request-lifecycle.js';

/** Returns the expired request, or null when another transition landed first. */
export async function expireRequest(
  store: Store,
  recorder: ApprovalRecorder,
  request: RequestRecord,
  now: number,
): Promise<RequestRecord | null> {
  const rule = transitionRule('expire');
  const moved = await store.transitionRequest(request.id, rule.from, rule.to, {}, now, [
    'decision',
    'progress',
  ]);
  if (!moved) return null;
  await recorder.audit('system', 'request.expired', request.id, { expiresAt: request.expiresAt });
  await recorder.notify('approvalDecided', request.id);
  await recorder.notify('requestUpdated', request.id);
  return moved;
}
