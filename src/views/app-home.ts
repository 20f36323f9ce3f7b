/**
 * The app's Home tab (views.publish, type `home`): buttons that open the assign and bulk
 * modals, the person's recent requests and where each stands, the requests waiting for their
 * decision with Review buttons, and for ops the open alerts and the monitor's last run.
 * Pure: data in, view out; a Home view holds at most 100 blocks.
 */
import type { HomeView, KnownBlock } from '@slack/types';
import type { AlertRecord, ItemState, MonitorRun, RequestRecord } from '../core/store/types.js';
import { actions, button, context, divider, header, LIMITS, section } from './blocks.js';
import { ACTION } from './ids.js';
import { KIND_VERB, progressFromCounts, stateBadge } from './labels.js';
import { reviewSection } from './review-section.js';
import { escapeTruncate, formatDuration, oneLine, plural, slackDate } from './text.js';

export interface AppHomeInput {
  userId: string;
  mine: ReadonlyArray<{ request: RequestRecord; counts: Partial<Record<ItemState, number>> | null }>;
  waiting: { canDecide: boolean; requests: readonly RequestRecord[] };
  ops: { alerts: readonly AlertRecord[]; lastRun: MonitorRun | null } | null;
  now: number;
}

/** Each list is cut so the three together stay within a Home view's 100 blocks. */
const MINE_SHOWN = 10;
const WAITING_SHOWN = 25;
const ALERTS_SHOWN = 20;

export function buildAppHome(input: AppHomeInput): HomeView {
  const blocks: KnownBlock[] = [
    header('Territory requests'),
    section('Assign territories to one record, or paste a list of records for a bulk change.'),
    actions(
      [
        button({
          text: 'Assign territories',
          actionId: ACTION.homeOpenAssign,
          value: 'assign',
          style: 'primary',
        }),
        button({ text: 'Bulk assign', actionId: ACTION.homeOpenBulk, value: 'bulk' }),
      ],
      'home_actions',
    ),
    divider(),
    header('Your recent requests'),
  ];

  if (input.mine.length === 0) {
    blocks.push(section('You have no requests yet. `/territory help` shows how to make one.'));
  } else {
    const lines = input.mine.slice(0, MINE_SHOWN).map(({ request: r, counts }) => {
      const progress = counts ? progressFromCounts(counts, r.itemCount) : undefined;
      const reason = r.reason ? ` — _${escapeTruncate(oneLine(r.reason), 80)}_` : '';
      return (
        `• \`${escapeTruncate(r.id, 60)}\` ${KIND_VERB[r.kind]} · ${plural(r.itemCount, 'record')} · ` +
        `${stateBadge(r.state, progress)} · ${slackDate(r.createdAt)}${reason}`
      );
    });
    // One section per line keeps each well under 3,000 characters.
    for (const line of lines) blocks.push(section(line));
    if (input.mine.length > MINE_SHOWN) blocks.push(context('Older requests: `/territory requests`.'));
  }

  if (input.waiting.canDecide) {
    blocks.push(divider(), header('Waiting for your decision'));
    const waiting = input.waiting.requests;
    if (waiting.length === 0) blocks.push(section('Nothing waits for you. :tada:'));
    for (const r of waiting.slice(0, WAITING_SHOWN)) {
      blocks.push(reviewSection(r));
    }
    if (waiting.length > WAITING_SHOWN) {
      blocks.push(context(`…and ${plural(waiting.length - WAITING_SHOWN, 'more request')} waiting.`));
    }
  }

  if (input.ops) {
    blocks.push(divider(), header('Territory health'));
    const run = input.ops.lastRun;
    blocks.push(
      section(
        run
          ? `${run.ok ? ':white_check_mark:' : ':x:'} Last monitor run ${slackDate(run.finishedAt)} ` +
              `(${formatDuration(Math.max(0, input.now - run.finishedAt))} ago): ${escapeTruncate(oneLine(run.outcome), 500)}`
          : ':grey_question: The monitor has not completed a run yet.',
      ),
    );
    const alerts = input.ops.alerts;
    if (alerts.length === 0) blocks.push(section('No alert is firing.'));
    for (const a of alerts.slice(0, ALERTS_SHOWN)) {
      const icon = a.severity === 'critical' ? ':red_circle:' : ':large_orange_circle:';
      const snoozed =
        a.snoozedUntil !== null && a.snoozedUntil > input.now
          ? ` · snoozed until ${slackDate(a.snoozedUntil)}`
          : '';
      blocks.push(
        section(
          `${icon} *${escapeTruncate(oneLine(a.title), 300)}* · since ${slackDate(a.startsAt)}${snoozed}`,
        ),
      );
    }
    if (alerts.length > ALERTS_SHOWN) {
      blocks.push(
        context(`…and ${plural(alerts.length - ALERTS_SHOWN, 'more alert')}: \`/territory health\`.`),
      );
    }
  }

  blocks.push(context(`Updated ${slackDate(input.now)}.`));
  return { type: 'home', blocks: blocks.slice(0, LIMITS.modalBlocks) };
}
