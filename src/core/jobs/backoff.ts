/**
 * How long the tracker waits before polling a job again: a fixed fraction of the job's age, at
 * least `firstDelayMs`, at most `maxDelayMs` (DESIGN.md §3 "Jobs": from seconds to a minute).
 * Zoho's territory jobs finish in seconds to minutes, and Zoho counts API credits per call. A
 * doubling backoff (2 s, 4 s, 8 s ...) noticed a 10 s job near 14 s; polling at 8% of the age
 * keeps the lag from Zoho finishing to the reply within ~10% of the job's duration (issue 13),
 * for a number of polls that grows with the log of the duration: bench figures
 * `confirmation_lag_*` report the lag beside the calls (1 s ≈ 2 polls, 10 s ≈ 11, 60 s ≈ 30).
 */
export interface PollSchedule {
  /** First poll after the assign call, and the shortest interval between polls. */
  firstDelayMs: number;
  /** Interval as a fraction of the job's age (time since its assign call). */
  ageFraction: number;
  maxDelayMs: number;
  /** Short second look when Zoho reports no pending job but the record does not show the change yet. */
  recheckDelayMs: number;
  /** After this a job that is still not confirmed is marked unconfirmed. */
  timeoutMs: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = {
  firstDelayMs: 1_000,
  ageFraction: 0.08,
  maxDelayMs: 60_000,
  recheckDelayMs: 5_000,
  timeoutMs: 15 * 60_000,
};

/** Delay before the next poll of a job `ageMs` old. */
export function pollDelayMs(ageMs: number, schedule: PollSchedule = DEFAULT_POLL_SCHEDULE): number {
  const proportional = Math.round(schedule.ageFraction * Math.max(0, ageMs));
  return Math.min(schedule.maxDelayMs, Math.max(schedule.firstDelayMs, proportional));
}

/** Next poll time, never later than the deadline so a job gets its last look on time. */
export function nextPollAt(
  now: number,
  createdAt: number,
  deadlineAt: number,
  schedule = DEFAULT_POLL_SCHEDULE,
): number {
  return Math.min(deadlineAt, now + pollDelayMs(now - createdAt, schedule));
}
