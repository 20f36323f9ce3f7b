/**
 * Wires the engine and the job tracker together: new jobs wake the tracker; confirmed jobs
 * let the engine send what comes next and finish requests. main.ts builds one of these.
 */
import type { PollSchedule } from '../jobs/backoff.js';
import { globalTimers } from '../jobs/timers.js';
import { JobTracker } from '../jobs/tracker.js';
import { LEASE_RENEW_MS } from '../replica.js';
import { AssignmentEngine, type AssignmentEngineDeps } from './engine.js';

export interface AssignmentServiceOptions extends AssignmentEngineDeps {
  /** Poll timing shared by the engine (first poll, deadline) and the tracker (backoff). */
  schedule?: Partial<PollSchedule>;
  /** Due jobs taken per tracker round. */
  roundLimit?: number;
  /**
   * How often every running request is moved on (default LEASE_RENEW_MS; 0: never): the safety
   * net, and how a replica finds a bulk whose sender died once its lease expires.
   */
  sweepMs?: number;
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
    instanceId: options.instanceId,
    onItemsSettled: (requestId) => engine.advance(requestId),
    ...(options.observer ? { observer: options.observer } : {}),
  });
  engine.setJobsCreatedListener(() => tracker.nudge());
  const timers = options.timers ?? globalTimers;
  const sweepMs = options.sweepMs ?? LEASE_RENEW_MS;
  let sweepTimer: unknown = null;
  let running = false;
  const scheduleSweep = () => {
    if (!running || sweepMs <= 0) return;
    sweepTimer = timers.setTimeout(() => {
      engine
        .sweep()
        .catch((err: unknown) => options.logger.error({ err }, 'assignment sweep failed'))
        .finally(scheduleSweep);
    }, sweepMs);
  };
  return {
    engine,
    tracker,
    async start() {
      running = true;
      tracker.start();
      await engine.resume();
      scheduleSweep();
    },
    async stop() {
      running = false;
      if (sweepTimer !== null) timers.clearTimeout(sweepTimer);
      await engine.stop();
      await tracker.stop();
    },
  };
}
