/**
 * The territory health monitor (DESIGN.md §5): routing file, checks, alert lifecycle, schedule.
 * Wiring: `loadRoutingConfig(config.monitor.routingConfigPath)` at start (a bad file stops it),
 * then `new MonitorRunner({...}).start()`; `/territory health` calls `runNow()`, the health
 * endpoint `health()`, the alert buttons `snooze()` / `unsnooze()`.
 */
export { type AccessCode, type AccessVerdict, evaluateAccess, territoryPath } from './access.js';
export { type AlertKind, INHIBITION_RULES } from './alert-kinds.js';
export { type AlertEvaluation, contentHash, type HeldBack, planAlerts } from './alert-plan.js';
export { AlertLifecycle, type AppliedAlerts, MAX_SNOOZE_MS, type SnoozeResult } from './alerts.js';
export { type CheckResult, runChecks, type WatchedStatus } from './checks.js';
export type { AffectedTerritory, AlertCondition } from './conditions.js';
export {
  loadRoutingConfig,
  parseRoutingConfig,
  type RoutingConfig,
  RoutingConfigError,
  type RoutingEntry,
  resolveRouting,
} from './routing.js';
export {
  MONITOR_LEASE,
  type MonitorHealth,
  type MonitorOptions,
  MonitorRunner,
  type MonitorRunResult,
} from './runner.js';
export { MonitorScheduleError, validateSchedule } from './schedule-check.js';
