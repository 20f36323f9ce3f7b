/**
 * How long the tracker waits before polling a job again: 2 s, 4 s, 8 s ... capped at 60 s
 * (DESIGN.md §3 "Jobs": backoff from seconds to a minute). Zoho's territory jobs usually finish
 * within seconds; the cap keeps a slow job from costing more than one status call a minute.
 */
export interface PollSchedule {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Short second look when Zoho reports no pending job but the record does not show the change yet. */
  recheckDelayMs: number;
  /** After this a job that is still not confirmed is marked unconfirmed. */
  timeoutMs: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = {
  firstDelayMs: 2_000,
  maxDelayMs: 60_000,
  recheckDelayMs: 5_000,
  timeoutMs: 15 * 60_000,
};

/** Delay before poll number `polls + 1`, given `polls` polls already made (0 for a new job). */
export function pollDelayMs(polls: number, schedule: PollSchedule = DEFAULT_POLL_SCHEDULE): number {
  return Math.min(schedule.maxDelayMs, schedule.firstDelayMs * 2 ** Math.max(0, polls));
}

/** Next poll time, never later than the deadline so a job gets its last look on time. */
export function nextPollAt(
  now: number,
  polls: number,
  deadlineAt: number,
  schedule = DEFAULT_POLL_SCHEDULE,
): number {
  return Math.min(deadlineAt, now + pollDelayMs(polls, schedule));
}
