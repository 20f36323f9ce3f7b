/**
 * `/territory health`: the monitor's checks run now (✅ / ⚠️ / ❌), when the last scheduled run
 * completed, and the alerts still open.
 */
import type { KnownBlock } from '@slack/types';
import type { AlertKind, MonitorRunResult } from '../core/monitor/index.js';
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
  /** The last completed run (scheduled or on demand), if any. */
  lastRun: MonitorRun | null;
  /** A line under the checks, e.g. "another replica runs the monitor". */
  note?: string | null;
  /** Alerts still firing. */
  openAlerts: readonly AlertRecord[];
  now: number;
  /** How changes are allowed (core/access accessModeNotice): ACCESS_MODE=open says it is on. */
  accessMode?: string | null;
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
        ? `Last completed run ${slackDate(run.finishedAt)} (${formatDuration(input.now - run.finishedAt)} ago): ${run.ok ? 'ok' : 'problems'} — ${escapeTruncate(oneLine(run.outcome), 200)}`
        : 'The monitor has not completed a run yet.',
    ),
  );
  if (input.note) blocks.push(context(escapeTruncate(oneLine(input.note), 500)));
  if (input.accessMode) blocks.push(context(escapeTruncate(oneLine(input.accessMode), 1000)));

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

/** Kinds shown by the fixed checks below; any other condition gets a line of its own. */
const COVERED: ReadonlySet<AlertKind> = new Set<AlertKind>([
  'oauth_revoked',
  'oauth_scope_missing',
  'oauth_invalid_client',
  'territory_management_off',
  'territory_settings_forbidden',
  'api_user_inactive',
  'api_user_outside_hierarchy',
  'api_user_not_member',
  'api_user_read_only',
  'territory_deleted',
  'territory_unreadable',
]);
/** Up to this many watched territories get a line each; more are summed up (failures always listed). */
const WATCHED_LINES = 15;

/**
 * One monitor run (`runNow`) as check lines: the OAuth token, territory management, the API
 * user, each watched territory (can the API user assign to it, and why not), then any other
 * condition (renames, routing file). A step the run could not reach shows ⚠️ "not checked".
 */
export function healthChecks(run: Pick<MonitorRunResult, 'check' | 'outcome'>): HealthCheckView[] {
  const check = run.check;
  if (!check) return [{ name: 'Monitor run', status: 'fail', detail: run.outcome }];
  const out: HealthCheckView[] = [];
  const judged = new Set<AlertKind>(check.evaluatedKinds);
  const cond = (...kinds: AlertKind[]) => check.conditions.find((c) => kinds.includes(c.kind));
  const notChecked = (name: string): HealthCheckView => ({
    name,
    status: 'warn',
    detail: 'not checked: an earlier step failed or the run was inconclusive',
  });
  const line = (
    name: string,
    kinds: AlertKind[],
    okDetail: () => string,
    judgedKind: AlertKind = kinds[0]!,
  ): void => {
    const c = cond(...kinds);
    if (c)
      out.push({
        name,
        status: c.severity === 'critical' ? 'fail' : 'warn',
        detail: `${c.title}. ${c.cause}`,
      });
    else if (judged.has(judgedKind)) out.push({ name, status: 'ok', detail: okDetail() });
    else out.push(notChecked(name));
  };

  if (check.status === 'inconclusive') {
    out.push({ name: 'Monitor run', status: 'warn', detail: check.inconclusiveReason ?? 'inconclusive' });
  }
  line(
    'Zoho OAuth token',
    ['oauth_revoked', 'oauth_scope_missing', 'oauth_invalid_client'],
    () => 'the refresh token works',
  );
  line(
    'Territory management',
    ['territory_management_off', 'territory_settings_forbidden'],
    () => `on; ${plural(check.territoryCount ?? 0, 'territory', 'territories')} listed`,
  );
  line(
    'API user',
    ['api_user_inactive', 'api_user_outside_hierarchy'],
    () =>
      check.apiUser
        ? `${check.apiUser.name}${check.apiUser.email ? ` (${check.apiUser.email})` : ''}, ${check.apiUser.status}, in the territory hierarchy`
        : 'in the territory hierarchy',
    'api_user_outside_hierarchy',
  );

  if (!judged.has('api_user_not_member')) {
    out.push(notChecked('Watched territories'));
  } else {
    const bad = check.watched.filter((w) => !w.usable);
    const good = check.watched.filter((w) => w.usable);
    for (const w of bad) {
      out.push({ name: `Territory ${w.name}`, status: 'fail', detail: w.reason ?? w.code });
    }
    if (check.watched.length <= WATCHED_LINES) {
      for (const w of good) {
        out.push({
          name: `Territory ${w.name}`,
          status: 'ok',
          detail: w.viaName && w.viaId !== w.id ? `usable through ${w.viaName}` : 'usable',
        });
      }
    } else if (good.length > 0) {
      out.push({
        name: 'Watched territories',
        status: 'ok',
        detail: `${formatCount(good.length)} of ${formatCount(check.watched.length)} usable by the API user`,
      });
    }
    if (check.watched.length === 0) {
      out.push({ name: 'Watched territories', status: 'warn', detail: 'no territory is watched' });
    }
  }
  for (const c of check.conditions) {
    if (COVERED.has(c.kind)) continue;
    out.push({ name: c.title, status: c.severity === 'critical' ? 'fail' : 'warn', detail: c.cause });
  }
  return out;
}
