/**
 * What a tracked job's verdict writes on its item: confirmed (a move's removal lets its assign
 * go), failed or unconfirmed, with the message people read in the final reply.
 */
import { itemLifecycle } from '../assignment/item-lifecycle.js';
import type { ItemPatch, JobRecord } from '../store/types.js';
import type { JobVerdict } from './confirm.js';

export function itemPatch(
  job: JobRecord,
  verdict: Exclude<JobVerdict, { kind: 'wait' }>,
  phaseOne: boolean,
): ItemPatch {
  if (verdict.kind === 'done') {
    return phaseOne
      ? {
          state: itemLifecycle.target('removal_confirmed'),
          jobId: null,
          code: 'REMOVED_OLD',
          message: 'The old territories are removed; assigning the new one',
        }
      : {
          state: itemLifecycle.target('confirm'),
          code: 'CONFIRMED',
          message: confirmedMessage(job),
          after: verdict.after,
        };
  }
  const prefix = phaseOne ? 'Could not remove the old territories first: ' : '';
  return {
    state: itemLifecycle.target(verdict.kind === 'failed' ? 'fail' : 'unconfirm'),
    code: verdict.code,
    message: prefix + verdict.message,
    ...(verdict.kind === 'failed' && verdict.after ? { after: verdict.after } : {}),
  };
}

function confirmedMessage(job: JobRecord): string {
  const parts: string[] = [];
  if (job.expectPresent.length) parts.push(`shows ${job.expectPresent.join(', ')}`);
  if (job.expectAbsent.length) parts.push(`no longer shows ${job.expectAbsent.join(', ')}`);
  return `Confirmed: the record ${parts.join(' and ')}`;
}
