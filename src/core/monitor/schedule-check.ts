/** MONITOR_CRON and MONITOR_TIMEZONE checked before the monitor starts (node-cron 4 would throw later). */
import cron from 'node-cron';
import { isValidTimezone } from '../config/index.js';

export class MonitorScheduleError extends Error {
  override readonly name = 'MonitorScheduleError';
}

/** Throws MonitorScheduleError naming what is wrong with MONITOR_CRON / MONITOR_TIMEZONE. */
export function validateSchedule(expression: string, timezone: string): void {
  const problems: string[] = [];
  const detail = cron.validateDetailed(expression);
  if (!detail.valid) {
    const why = detail.errors.map((e) => e.message).join('; ');
    problems.push(
      `MONITOR_CRON "${expression}" is not a valid cron expression (${why}): use 5 fields ` +
        '(minute hour day month weekday) or 6 with seconds first, e.g. "*/15 * * * *"',
    );
  }
  if (!isValidTimezone(timezone)) {
    problems.push(`MONITOR_TIMEZONE "${timezone}" is not an IANA time zone: use e.g. UTC or Europe/Berlin`);
  }
  if (problems.length > 0) throw new MonitorScheduleError(problems.join('\n'));
}
