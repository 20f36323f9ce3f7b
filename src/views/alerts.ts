/**
 * Ops alerts (DESIGN.md §5), Alertmanager-style: one message per fingerprint, edited when it
 * changes or resolves; reminders and "resolved" replies in its thread; snooze buttons. An
 * API-user-wide alert lists the per-territory alerts it holds back.
 */
import type { KnownBlock } from '@slack/types';
import type { AlertKind } from '../core/monitor/index.js';
import type { AlertRecord } from '../core/store/types.js';
import { actions, button, context, header, LIMITS, type SlackMessage, section } from './blocks.js';
import { ACTION, type SnoozeDuration, snoozeValue } from './ids.js';
import { NAME_MAX, type TerritoryNames, territoryName } from './labels.js';
import { packLines, renderLimit } from './pack.js';
import { escapeTruncate, formatCount, formatDuration, mention, oneLine, slackDate } from './text.js';

/** What an alert shows, read leniently from `AlertRecord.details` (written by the monitor). */
export interface AlertContent {
  cause: string | null;
  fixSteps: string[];
  /** `id` is null for a routing entry that names no territory Zoho has. */
  territories: Array<{ id: string | null; name: string | null; modules?: string[] }>;
  /** Alerts this one holds back (inhibits), as the monitor lists them in `details.heldBack`. */
  heldBack: Array<{ title: string; kind?: AlertKind }>;
  /** How it was resolved (set by the monitor on recovery). */
  resolution: string | null;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() === '' ? [] : [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return [];
}

function territoryEntry(t: unknown): AlertContent['territories'] {
  if (typeof t === 'string') return [{ id: t, name: null }];
  if (!t || typeof t !== 'object') return [];
  const { id, name, modules } = t as { id?: unknown; name?: unknown; modules?: unknown };
  const okId = typeof id === 'string' ? id : null;
  const okName = typeof name === 'string' && name.trim() !== '' ? name : null;
  if (okId === null && okName === null) return [];
  const mods = strings(modules);
  return [{ id: okId, name: okName, ...(mods.length > 0 ? { modules: mods } : {}) }];
}

/**
 * Accepts `cause`/`reason`, `fix`/`fixSteps`/`steps` (string or string[]), `territories` (ids, or
 * `{id, name}` objects) or the monitor's `affected` (`{id|null, name, modules}`), and `heldBack`
 * (`{title}`) — the details are free-form JSON.
 */
export function alertContent(alert: AlertRecord): AlertContent {
  const d = alert.details;
  const cause = strings(d.cause)[0] ?? strings(d.reason)[0] ?? null;
  const fixSteps = [...strings(d.fixSteps), ...strings(d.fix), ...strings(d.steps)];
  const raw = [
    ...(Array.isArray(d.territories) ? d.territories : []),
    ...(Array.isArray(d.affected) ? d.affected : []),
  ];
  const territories = raw.flatMap(territoryEntry);
  if (territories.length === 0 && alert.territoryId) territories.push({ id: alert.territoryId, name: null });
  const heldBack = (Array.isArray(d.heldBack) ? d.heldBack : []).flatMap((h: unknown) => {
    const title = (h as { title?: unknown } | null)?.title;
    return typeof title === 'string' ? [{ title }] : [];
  });
  const resolution = strings(d.resolution)[0] ?? null;
  return { cause, fixSteps, territories, heldBack, resolution };
}

export interface AlertMessageInput {
  alert: AlertRecord;
  /** Alerts held back (inhibited) by this one, shown inside it; default: `details.heldBack`. */
  heldBack?: ReadonlyArray<{ title: string; kind?: AlertKind }>;
  names?: TerritoryNames;
  now: number;
}

const SNOOZES: ReadonlyArray<[SnoozeDuration, string, string]> = [
  ['1h', 'Snooze 1 h', ACTION.alertSnooze1h],
  ['1d', 'Snooze 1 day', ACTION.alertSnooze1d],
  ['1w', 'Snooze 1 week', ACTION.alertSnooze1w],
];

function territoryText(t: AlertContent['territories'][number], names?: TerritoryNames): string {
  const modules = t.modules?.length ? ` (${escapeTruncate(t.modules.join(', '), 60)})` : '';
  if (t.id === null) return `*${escapeTruncate(oneLine(t.name ?? ''), NAME_MAX)}*${modules}`;
  if (t.name)
    return `*${escapeTruncate(oneLine(t.name), NAME_MAX)}* \`${escapeTruncate(t.id, 30)}\`${modules}`;
  return (names ? territoryName(t.id, names) : `\`${escapeTruncate(t.id, 30)}\``) + modules;
}

function icon(alert: AlertRecord): string {
  if (alert.state === 'resolved') return ':white_check_mark:';
  return alert.severity === 'critical' ? ':red_circle:' : ':large_orange_circle:';
}

export function buildAlertMessage(input: AlertMessageInput): SlackMessage {
  const { alert } = input;
  const content = alertContent(alert);
  const title = oneLine(alert.title) || alert.kind;
  const blocks: KnownBlock[] = [];

  if (alert.state === 'resolved') {
    const resolvedAt = alert.resolvedAt ?? alert.updatedAt;
    blocks.push(
      header(`✅ Resolved: ${title}`),
      section(
        `Resolved ${slackDate(resolvedAt)} after ${formatDuration(resolvedAt - alert.startsAt)} (firing since ${slackDate(alert.startsAt)}).`,
      ),
    );
    if (content.resolution) blocks.push(section(escapeTruncate(oneLine(content.resolution), 1000)));
    if (content.territories.length > 0) {
      blocks.push(...territoryBlocks(content.territories, input.names, 'Territories', 2));
    }
    blocks.push(context(`Alert \`${escapeTruncate(alert.fingerprint, 200)}\``));
    return { text: `Resolved: ${escapeTruncate(title, 200)}`, blocks };
  }

  blocks.push(header(`${alert.severity === 'critical' ? '🔴' : '🟠'} ${title}`));
  const cause = content.cause ? escapeTruncate(content.cause.trim(), 1500) : '_No cause recorded._';
  blocks.push(section(`*What is wrong:* ${cause}`));
  if (content.fixSteps.length > 0) {
    const steps = content.fixSteps.map((s, i) => `${i + 1}. ${escapeTruncate(oneLine(s), 400)}`);
    blocks.push(...packLines(['*How to fix it:*', ...steps], { maxBlocks: 2, maxChars: 3000 }).blocks);
  }
  if (content.territories.length > 0) {
    blocks.push(...territoryBlocks(content.territories, input.names, 'Affected territories', 2));
  }
  const heldBack = input.heldBack ?? content.heldBack;
  if (heldBack.length > 0) {
    const lines = heldBack
      .slice(0, renderLimit(3000, 8))
      .map((h) => `• ${escapeTruncate(oneLine(h.title) || h.kind || 'alert', 150)}`);
    blocks.push(
      ...packLines(
        [`*Also affected, held back while this alert fires (${formatCount(heldBack.length)}):*`, ...lines],
        {
          maxBlocks: 3,
          maxChars: 3000,
          totalLines: heldBack.length + 1,
          more: (n) => `_…and ${formatCount(n)} more_`,
        },
      ).blocks,
    );
  }
  const meta = [`Firing since ${slackDate(alert.startsAt)} (${formatDuration(input.now - alert.startsAt)})`];
  if (alert.snoozedUntil !== null && alert.snoozedUntil > input.now) {
    meta.push(
      `:zzz: snoozed until ${slackDate(alert.snoozedUntil)}${alert.snoozedBy ? ` by ${mention(alert.snoozedBy)}` : ''}`,
    );
  }
  meta.push(`\`${escapeTruncate(alert.fingerprint, 200)}\``);
  blocks.push(context(meta.join(' · ')));

  // A value over 2000 characters would be refused by Slack; such a fingerprint gets no buttons.
  if (snoozeValue(alert.fingerprint, '1w').length <= LIMITS.buttonValue) {
    blocks.push(
      actions(
        SNOOZES.map(([duration, text, actionId]) =>
          button({ text, actionId, value: snoozeValue(alert.fingerprint, duration) }),
        ),
        'alert_snooze',
      ),
    );
  }
  const severity = alert.severity === 'critical' ? 'Critical' : 'Warning';
  return { text: `${severity}: ${escapeTruncate(title, 300)}`, blocks };
}

function territoryBlocks(
  territories: AlertContent['territories'],
  names: TerritoryNames | undefined,
  title: string,
  maxBlocks: number,
): KnownBlock[] {
  const lines = territories.slice(0, 400).map((t) => `• ${territoryText(t, names)}`);
  return packLines([`*${title} (${formatCount(territories.length)}):*`, ...lines], {
    maxBlocks,
    maxChars: 3000,
    totalLines: territories.length + 1,
  }).blocks;
}

/** Reply in the alert's thread after the repeat interval. */
export function buildAlertReminderReply(input: { alert: AlertRecord; now: number }): SlackMessage {
  const { alert } = input;
  const content = alertContent(alert);
  const title = escapeTruncate(oneLine(alert.title) || alert.kind, 300);
  const next = content.fixSteps[0]
    ? `\nFirst step: ${escapeTruncate(oneLine(content.fixSteps[0]), 500)}`
    : '';
  return {
    text: `Still firing: ${title}`,
    blocks: [
      section(
        `${icon(alert)} *Still firing* for ${formatDuration(input.now - alert.startsAt)} (since ${slackDate(alert.startsAt)}): ${title}${next}`,
      ),
    ],
  };
}

/** Reply in the alert's thread when it resolves (the message itself is edited too). */
export function buildAlertResolvedReply(input: { alert: AlertRecord }): SlackMessage {
  const { alert } = input;
  const resolvedAt = alert.resolvedAt ?? alert.updatedAt;
  const title = escapeTruncate(oneLine(alert.title) || alert.kind, 300);
  return {
    text: `Resolved: ${title}`,
    blocks: [
      section(
        `:white_check_mark: *Resolved* ${slackDate(resolvedAt)}, after ${formatDuration(resolvedAt - alert.startsAt)}: ${title}`,
      ),
    ],
  };
}
