/**
 * Wires the engine and the job tracker together: new jobs wake the tracker; confirmed jobs
 * let the engine send what comes next and finish requests. main.ts builds one of these.
 */
import type { PollSchedule } from '../jobs/backoff.js';
import { JobTracker } from '../jobs/tracker.js';
import { AssignmentEngine, type AssignmentEngineDeps } from './engine.js';

export interface AssignmentServiceOptions extends AssignmentEngineDeps {
  /** Poll timing shared by the engine (first poll, deadline) and the tracker (backoff). */
  schedule?: Partial<PollSchedule>;
  /** Due jobs taken per tracker round. */
  roundLimit?: number;
}

export interface AssignmentService {
  engine: AssignmentEngine;
  tracker: JobTracker;
  /** Starts the tracker and resumes requests a previous process left running. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createAssignmentService(options: AssignmentServiceOptions): AssignmentService {
  const schedule = { ...options.schedule, ...options.poll };
  const engine = new AssignmentEngine({ ...options, poll: schedule });
  const tracker = new JobTracker({
    api: options.api,
    store: options.store,
    notifier: options.notifier,
    clock: options.clock,
    logger: options.logger,
    concurrency: options.concurrency,
    schedule,
    timers: options.timers,
    roundLimit: options.roundLimit,
    onItemsSettled: (requestId) => engine.advance(requestId),
  });
  engine.setJobsCreatedListener(() => tracker.nudge());
  return {
    engine,
    tracker,
    async start() {
      tracker.start();
      await engine.resume();
    },
    async stop() {
      await engine.stop();
      await tracker.stop();
    },
  };
}
