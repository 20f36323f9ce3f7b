export { DEFAULT_POLL_SCHEDULE, nextPollAt, type PollSchedule, pollDelayMs } from './backoff.js';
export { JobCodes, type JobObservation, type JobVerdict, judgeJob } from './confirm.js';
export { RequestFinisher, type RequestFinisherDeps } from './request-finisher.js';
export { globalTimers, type Timers } from './timers.js';
export { JobTracker, type JobTrackerDeps, type PollRoundResult } from './tracker.js';
