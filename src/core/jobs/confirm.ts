/**
 * Deciding a tracked job from what Zoho shows. Zoho does not report a job's result: the
 * feature-info API only lists records that still have a job pending (zoho-api.md §9.1), so a
 * job is done when none is pending for its record AND the record shows the change.
 */
import type { JobRecord } from '../store/types.js';
import type { ZohoRecord } from '../zoho/types.js';
import { DEFAULT_POLL_SCHEDULE, nextPollAt, type PollSchedule } from './backoff.js';

export type JobVerdict =
  | { kind: 'done'; after: string[] }
  /** `recheck`: Zoho shows no pending job but the record does not show the change yet. */
  | { kind: 'wait'; nextPollAt: number; recheck?: boolean }
  | { kind: 'failed'; code: string; message: string; after: string[] | null }
  | { kind: 'unconfirmed'; code: string; message: string };

export interface JobObservation {
  /** Zoho still lists a pending territory job for the record. */
  pending: boolean;
  /** The record as read now; null when Zoho no longer returns it; undefined when not read. */
  record?: ZohoRecord | null;
  /** This job was already seen finished without the change once (a re-check is due). */
  rechecked: boolean;
}

export const JobCodes = {
  notApplied: 'JOB_NOT_APPLIED',
  recordGone: 'RECORD_NOT_FOUND',
  timeout: 'JOB_TIMEOUT',
} as const;

type JobShape = Pick<
  JobRecord,
  'jobId' | 'operation' | 'expectPresent' | 'expectAbsent' | 'polls' | 'deadlineAt' | 'createdAt'
>;

function differences(
  job: Pick<JobShape, 'expectPresent' | 'expectAbsent'>,
  on: ReadonlySet<string>,
): { missing: string[]; left: string[] } {
  return {
    missing: job.expectPresent.filter((t) => !on.has(t)),
    left: job.expectAbsent.filter((t) => on.has(t)),
  };
}

const plural = (ids: readonly string[]) =>
  ids.length === 1 ? `territory ${ids[0]}` : `territories ${ids.join(', ')}`;

/** The record shows every change the job was to make (what `done` means). */
export function showsChange(
  job: Pick<JobShape, 'expectPresent' | 'expectAbsent'>,
  record: ZohoRecord,
): boolean {
  const { missing, left } = differences(job, new Set(record.territories.map((t) => t.id)));
  return missing.length === 0 && left.length === 0;
}

export function notAppliedMessage(job: JobShape, territoryIds: readonly string[]): string {
  const { missing, left } = differences(job, new Set(territoryIds));
  const parts: string[] = [];
  if (missing.length) parts.push(`does not show ${plural(missing)}`);
  if (left.length) parts.push(`still shows ${plural(left)}`);
  return `Zoho finished the job but the record ${parts.join(' and ')}`;
}

export function timeoutMessage(job: JobShape): string {
  const minutes = Math.max(1, Math.round((job.deadlineAt - job.createdAt) / 60_000));
  const want: string[] = [];
  if (job.expectPresent.length) want.push(`show ${plural(job.expectPresent)}`);
  if (job.expectAbsent.length) want.push(`no longer show ${plural(job.expectAbsent)}`);
  return (
    `Zoho had not confirmed territory job ${job.jobId} after ${minutes} min. ` +
    `Open the record in Zoho: it should ${want.join(' and ')}. If it does not, send the request again.`
  );
}

export function judgeJob(
  job: JobShape,
  seen: JobObservation,
  now: number,
  schedule: PollSchedule = DEFAULT_POLL_SCHEDULE,
): JobVerdict {
  if (seen.pending) {
    if (now >= job.deadlineAt)
      return { kind: 'unconfirmed', code: JobCodes.timeout, message: timeoutMessage(job) };
    return { kind: 'wait', nextPollAt: nextPollAt(now, job.createdAt, job.deadlineAt, schedule) };
  }
  if (seen.record === undefined) {
    // Not read (should not happen: every non-pending record is read); look again soon.
    return { kind: 'wait', nextPollAt: Math.min(job.deadlineAt, now + schedule.firstDelayMs) };
  }
  if (seen.record === null) {
    return {
      kind: 'failed',
      code: JobCodes.recordGone,
      message: 'Zoho no longer returns this record (deleted or merged?)',
      after: null,
    };
  }
  const on = seen.record.territories.map((t) => t.id);
  const { missing, left } = differences(job, new Set(on));
  if (missing.length === 0 && left.length === 0) return { kind: 'done', after: on };
  // Zoho may drop the job from the pending list a moment before the record shows the change:
  // look once more after a short delay before calling it failed.
  if (!seen.rechecked && now < job.deadlineAt) {
    return {
      kind: 'wait',
      nextPollAt: Math.min(job.deadlineAt, now + schedule.recheckDelayMs),
      recheck: true,
    };
  }
  return { kind: 'failed', code: JobCodes.notApplied, message: notAppliedMessage(job, on), after: on };
}
