/**
 * Runs the monitor on MONITOR_CRON in MONITOR_TIMEZONE (node-cron 4), one run at a time, on one
 * replica at a time (a lease in the store), records each run, and answers `/territory health`
 * (`runNow`) and the health endpoint (`health`).
 *
 * node-cron 4 facts (toolchain.md §3): an invalid timezone is accepted at creation and throws
 * later from destroy(), crashing the process, so both settings are validated up front;
 * `noOverlap` is off by default, and we also guard in code because `runNow` bypasses cron.
 */
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import { type Clock, systemClock } from '../clock.js';
import type { Logger } from '../log.js';
import type { AlertNotifier } from '../notify.js';
import type { AlertRecord, MonitorRun, Store } from '../store/types.js';
import { apiInLane, type ZohoApi } from '../zoho/types.js';
import { AlertLifecycle, type AppliedAlerts, type SnoozeResult } from './alerts.js';
import { type CheckResult, runChecks } from './checks.js';
import { type AlertCondition, routingFileInvalid } from './conditions.js';
import { loadRoutingConfig, type RoutingConfig, RoutingConfigError } from './routing.js';
import { loadPreviousNames, saveNames, trackInconclusive } from './run-memory.js';
import { summarizeRun } from './run-summary.js';
import { validateSchedule } from './schedule-check.js';

export const MONITOR_LEASE = 'monitor';

export interface MonitorOptions {
  api: ZohoApi;
  store: Store;
  notifier: AlertNotifier;
  cron: string;
  timezone: string;
  alertRepeatHours: number;
  /** The routing file as loaded (and validated) at start; null: every territory is watched. */
  routing: RoutingConfig | null;
  /** When set, the file is read again at each run so edits apply without a restart. */
  routingPath?: string | null;
  clock?: Clock;
  logger?: Logger;
  /** Identifies this replica in the lease. */
  holderId?: string;
  /** Lease time; default 1.5 cron periods so the holder keeps it between its ticks. */
  leaseTtlMs?: number;
}

export interface MonitorRunResult {
  startedAt: number;
  finishedAt: number;
  /** scheduled: a cron tick; manual: runNow. */
  trigger: 'scheduled' | 'manual';
  /** False when the checks could not judge everything (throttled, network) or the run failed. */
  ok: boolean;
  /** Whether this run updated alerts (it holds the lease); false: checks only. */
  alertsUpdated: boolean;
  outcome: string;
  check: CheckResult | null;
  alerts: AppliedAlerts | null;
  /** Every firing alert after the run (from the store). */
  firing: AlertRecord[];
  note: string | null;
}

export interface MonitorHealth {
  ok: boolean;
  lastRun: MonitorRun | null;
  /** Cron fire times since the last run (or since start) that passed without a run. */
  missedPeriods: number;
  expectedPeriodMs: number;
  nextRunAt: number | null;
  reason: string | null;
}

export class MonitorRunner {
  readonly holderId: string;
  readonly expectedPeriodMs: number;
  readonly lifecycle: AlertLifecycle;
  private readonly clock: Clock;
  private readonly task: ScheduledTask;
  private readonly leaseTtlMs: number;
  private readonly stepMs: number;
  private routing: RoutingConfig | null;
  private inFlight: Promise<MonitorRunResult> | null = null;
  private startedAt: number | null = null;
  private stopped = false;

  constructor(private readonly opts: MonitorOptions) {
    validateSchedule(opts.cron, opts.timezone);
    this.clock = opts.clock ?? systemClock;
    this.routing = opts.routing;
    this.holderId = opts.holderId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    const log = opts.logger?.child({ component: 'monitor-cron' });
    this.task = cron.createTask(opts.cron, () => this.tick(), {
      timezone: opts.timezone,
      name: 'territory-monitor',
      noOverlap: true,
      logger: log
        ? {
            info: (m) => log.info(m),
            warn: (m) => log.warn(m),
            error: (m, err) => log.error({ err: err ?? m }, String(m)),
            debug: (m, err) => log.debug({ err }, String(m)),
          }
        : undefined,
    });
    // Expected period: the longest gap among the next fire times (covers "weekdays at 9").
    const runs = this.task.getNextRuns(16).map((d) => d.getTime());
    let period = 0;
    for (let i = 1; i < runs.length; i++) period = Math.max(period, runs[i]! - runs[i - 1]!);
    this.expectedPeriodMs = period || 60_000;
    this.leaseTtlMs = opts.leaseTtlMs ?? Math.max(Math.round(this.expectedPeriodMs * 1.5), 60_000);
    this.stepMs = opts.cron.trim().split(/\s+/).length === 6 ? 1000 : 60_000;
    this.lifecycle = new AlertLifecycle({
      store: opts.store,
      notifier: opts.notifier,
      clock: this.clock,
      repeatIntervalMs: opts.alertRepeatHours * 3600_000,
      logger: opts.logger,
    });
  }

  async start(): Promise<void> {
    if (this.stopped) throw new Error('this monitor was stopped; create a new one');
    if (this.startedAt !== null) return;
    this.startedAt = this.clock.now();
    await this.task.start();
    this.opts.logger?.info(
      { cron: this.opts.cron, timezone: this.opts.timezone, holder: this.holderId },
      'territory monitor scheduled',
    );
  }

  /** Stops the schedule, waits for a run in progress and hands the lease over. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.task.stop();
    await this.task.destroy();
    await this.inFlight?.catch(() => {});
    await this.opts.store.releaseLease(MONITOR_LEASE, this.holderId).catch(() => {});
  }

  /** A cron tick: skipped while a run is in progress or another replica holds the lease. */
  async tick(): Promise<MonitorRunResult | null> {
    if (this.stopped) return null;
    if (this.inFlight) {
      this.opts.logger?.warn('territory monitor: previous run still in progress, tick skipped');
      return null;
    }
    return this.track(this.run('scheduled'));
  }

  /**
   * `/territory health`: runs the checks now and, holding the lease, updates alerts like a
   * scheduled run (so what the user sees and what the channel says agree). A run in progress is
   * joined, not doubled. Without the lease (another replica runs the monitor) it checks only.
   */
  async runNow(): Promise<MonitorRunResult> {
    if (this.inFlight) return this.inFlight;
    return this.track(this.run('manual'));
  }

  async snooze(
    fingerprint: string,
    userId: string,
    durationMs: number,
    isOps: boolean,
  ): Promise<SnoozeResult> {
    return this.lifecycle.snooze(fingerprint, userId, durationMs, isOps);
  }

  async unsnooze(fingerprint: string, userId: string, isOps: boolean): Promise<SnoozeResult> {
    return this.lifecycle.unsnooze(fingerprint, userId, isOps);
  }

  private track(p: Promise<MonitorRunResult>): Promise<MonitorRunResult> {
    this.inFlight = p;
    return p.finally(() => {
      if (this.inFlight === p) this.inFlight = null;
    });
  }

  private async run(trigger: 'scheduled' | 'manual'): Promise<MonitorRunResult> {
    const { store, logger } = this.opts;
    const startedAt = this.clock.now();
    const base = { startedAt, trigger, check: null, alerts: null, note: null } as const;
    let leased = false;
    try {
      leased = await store.acquireLease(MONITOR_LEASE, this.holderId, this.leaseTtlMs, startedAt);
      if (!leased && trigger === 'scheduled') {
        logger?.debug({ holder: this.holderId }, 'territory monitor: another replica holds the lease');
        return {
          ...base,
          finishedAt: this.clock.now(),
          ok: true,
          alertsUpdated: false,
          outcome: 'skipped: another replica runs the monitor',
          firing: [],
        };
      }

      const extra: AlertCondition[] = [];
      if (this.opts.routingPath) {
        try {
          this.routing = await loadRoutingConfig(this.opts.routingPath);
        } catch (err) {
          if (!(err instanceof RoutingConfigError)) throw err;
          logger?.error({ err: err.message }, 'routing file invalid; keeping the last valid version');
          extra.push(routingFileInvalid(err.file, err.message));
        }
      }
      const previousNames = await loadPreviousNames(store);
      // No one waits on a scheduled run: its Zoho calls go after people's and a bulk's (limiter.ts).
      const api = trigger === 'scheduled' ? apiInLane(this.opts.api, 'background') : this.opts.api;
      const check = await runChecks({ api, routing: this.routing, previousNames });

      let alerts: AppliedAlerts | null = null;
      if (leased) {
        const blind = await trackInconclusive(store, check, startedAt);
        if (blind) extra.push(blind);
        alerts = await this.lifecycle.apply({
          conditions: [...check.conditions, ...extra],
          evaluatedKinds: [...check.evaluatedKinds, 'routing_file_invalid', 'monitor_inconclusive'],
        });
        if (check.names) await saveNames(store, check.names, previousNames, alerts.firing);
      }
      const firing = alerts?.firing ?? (await store.listAlerts({ states: ['firing'] }));
      const finishedAt = this.clock.now();
      const ok = check.status !== 'inconclusive';
      const outcome = summarizeRun(check, firing, alerts);
      if (leased) {
        await store.recordMonitorRun({
          startedAt,
          finishedAt,
          ok,
          outcome,
          details: {
            trigger,
            holder: this.holderId,
            status: check.status,
            inconclusiveReason: check.inconclusiveReason,
            territoryCount: check.territoryCount,
            watched: check.watched.length,
            unusable: check.watched.filter((w) => !w.usable).length,
            firing: firing.map((a) => a.fingerprint),
            events: alerts?.events ?? [],
            zohoCalls: check.calls,
          },
        });
      }
      logger?.info({ trigger, outcome, zohoCalls: check.calls }, 'territory monitor run');
      return {
        ...base,
        check,
        alerts,
        finishedAt,
        ok,
        alertsUpdated: leased,
        outcome,
        firing,
        note: leased
          ? null
          : 'Another replica runs the monitor: these are fresh checks; alerts update on its next run.',
      };
    } catch (err) {
      // A failed run (store down, bug) must not kill the schedule; it is recorded and logged.
      const finishedAt = this.clock.now();
      const message = err instanceof Error ? err.message : String(err);
      logger?.error({ err }, 'territory monitor run failed');
      if (leased) {
        await store
          .recordMonitorRun({
            startedAt,
            finishedAt,
            ok: false,
            outcome: `failed: ${message}`,
            details: { trigger, holder: this.holderId },
          })
          .catch(() => {});
      }
      return {
        ...base,
        finishedAt,
        ok: false,
        alertsUpdated: false,
        outcome: `failed: ${message}`,
        firing: [],
      };
    }
  }

  /**
   * Healthy unless two cron periods passed without a recorded run (any replica's: the store is
   * shared). Counted from the later of the last run and this scheduler's start; a fire time is
   * missed once a short grace for the run itself has passed.
   */
  async health(now: number = this.clock.now()): Promise<MonitorHealth> {
    const lastRun = await this.opts.store.lastMonitorRun();
    const next = this.stopped ? null : this.task.getNextRun();
    const base = {
      lastRun,
      expectedPeriodMs: this.expectedPeriodMs,
      nextRunAt: next ? next.getTime() : null,
    };
    if (this.startedAt === null || this.stopped) {
      return { ...base, ok: false, missedPeriods: 0, reason: 'the monitor is not running' };
    }
    const since = Math.max(lastRun?.startedAt ?? Number.NEGATIVE_INFINITY, this.startedAt);
    const missedPeriods = this.countFireTimes(since, now - Math.min(this.expectedPeriodMs / 2, 120_000));
    const ok = missedPeriods < 2;
    return {
      ...base,
      ok,
      missedPeriods,
      reason: ok
        ? null
        : `no monitor run for ${missedPeriods} scheduled periods (last run ${iso(lastRun?.startedAt)})`,
    };
  }

  /** Cron fire times in (from, to]. Steps through candidate times with node-cron's own matcher. */
  private countFireTimes(from: number, to: number): number {
    if (to <= from) return 0;
    const cap = 1000;
    const maxSteps = 200_000;
    let count = 0;
    let steps = 0;
    for (let t = Math.floor(from / this.stepMs) * this.stepMs + this.stepMs; t <= to; t += this.stepMs) {
      if (++steps > maxSteps) {
        // Very long outage of a fine-grained schedule: the period estimate is enough.
        return Math.min(cap, Math.floor((to - from) / this.expectedPeriodMs));
      }
      if (this.task.match(new Date(t)) && ++count >= cap) break;
    }
    return count;
  }
}

function iso(ms: number | undefined): string {
  return ms === undefined ? 'never' : new Date(ms).toISOString();
}
