/**
 * `/territory health`: the monitor's checks run now (✅ / ⚠️ / ❌), when the last scheduled run
 * completed, and the alerts still open.
 */
import type { KnownBlock } from '@slack/types';
import type { AlertRecord, MonitorRun } from '../core/store/types.js';
import { context, header, type SlackMessage, section } from './blocks.js';
import { packLines, renderLimit } from './pack.js';
import { escapeTruncate, formatCount, formatDuration, oneLine, plural, slackDate } from './text.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface HealthCheckView {
  name: string;
  status: CheckStatus;
  /** One line on what was found (and what to do when not ok). */
  detail: string;
}

export interface HealthInput {
  checks: readonly HealthCheckView[];
  /** The last completed scheduled run, if any. */
  lastRun: MonitorRun | null;
  /** Alerts still firing. */
  openAlerts: readonly AlertRecord[];
  now: number;
}

const ICON: Readonly<Record<CheckStatus, string>> = { ok: '✅', warn: '⚠️', fail: '❌' };

export function buildHealthMessage(input: HealthInput): SlackMessage {
  const worst: CheckStatus = input.checks.some((c) => c.status === 'fail')
    ? 'fail'
    : input.checks.some((c) => c.status === 'warn')
      ? 'warn'
      : 'ok';
  const verdict =
    worst === 'ok'
      ? 'All checks passed'
      : worst === 'warn'
        ? 'Some checks need attention'
        : 'Some checks failed';
  // Failures first: they are what people came for.
  const order: Record<CheckStatus, number> = { fail: 0, warn: 1, ok: 2 };
  const checks = [...input.checks].sort((a, b) => order[a.status] - order[b.status]);
  const lines = checks
    .slice(0, renderLimit(6000, 20))
    .map(
      (c) =>
        `${ICON[c.status]} *${escapeTruncate(oneLine(c.name), 80)}* — ${escapeTruncate(oneLine(c.detail), 300)}`,
    );

  const blocks: KnownBlock[] = [header(`${ICON[worst]} ${verdict}`)];
  if (lines.length > 0) {
    blocks.push(...packLines(lines, { maxBlocks: 4, maxChars: 6000, totalLines: checks.length }).blocks);
  } else {
    blocks.push(section('No checks ran.'));
  }

  const run = input.lastRun;
  blocks.push(
    context(
      run
        ? `Last scheduled run ${slackDate(run.finishedAt)} (${formatDuration(input.now - run.finishedAt)} ago): ${run.ok ? 'ok' : 'problems'} — ${escapeTruncate(oneLine(run.outcome), 200)}`
        : 'The scheduled monitor has not completed a run yet.',
    ),
  );

  if (input.openAlerts.length > 0) {
    const alertLines = input.openAlerts
      .slice(0, renderLimit(3000, 20))
      .map(
        (a) =>
          `${a.severity === 'critical' ? ':red_circle:' : ':large_orange_circle:'} ${escapeTruncate(oneLine(a.title) || a.kind, 150)} — since ${slackDate(a.startsAt)}${a.snoozedUntil !== null && a.snoozedUntil > input.now ? ' :zzz:' : ''}`,
      );
    blocks.push(
      ...packLines([`*Open alerts (${formatCount(input.openAlerts.length)})*`, ...alertLines], {
        maxBlocks: 2,
        maxChars: 3000,
        totalLines: input.openAlerts.length + 1,
      }).blocks,
    );
  } else {
    blocks.push(context('No open alerts.'));
  }

  const failing = checks.filter((c) => c.status !== 'ok').length;
  return {
    text: `Territory health: ${verdict.toLowerCase()}${failing > 0 ? ` (${plural(failing, 'check')} not ok)` : ''}; ${plural(input.openAlerts.length, 'open alert')}`,
    blocks,
  };
}
