/** One monitor run in a line, for the run's stored outcome and the logs. */
import type { AlertRecord } from '../store/types.js';
import type { AppliedAlerts } from './alerts.js';
import type { CheckResult } from './checks.js';

export function summarizeRun(
  check: CheckResult,
  firing: readonly AlertRecord[],
  alerts: AppliedAlerts | null,
): string {
  if (check.status === 'inconclusive') return `inconclusive: ${check.inconclusiveReason}`;
  const parts: string[] = [];
  if (check.territoryCount !== null) {
    parts.push(`${check.territoryCount} territories, ${check.watched.length} watched`);
    const unusable = check.watched.filter((w) => !w.usable).length;
    if (unusable > 0) parts.push(`${unusable} unusable`);
  }
  const posted = firing.filter((a) => !a.inhibitedBy).length;
  parts.push(
    firing.length === 0
      ? 'no alert firing'
      : `${firing.length} alert${firing.length === 1 ? '' : 's'} firing${posted < firing.length ? ` (${firing.length - posted} held back)` : ''}`,
  );
  if (alerts) {
    const fired = alerts.events.filter((e) => e.type === 'firing').length;
    if (fired) parts.push(`${fired} new`);
    if (alerts.resolved.length) parts.push(`${alerts.resolved.length} resolved`);
  }
  return parts.join(', ');
}
