/**
 * Replies in a request's thread, mentioning the requester (DESIGN.md §2-§3): one record done,
 * failed or unconfirmed, and the final report of a bulk request. The bulk report lists every
 * failure it can within 50 blocks / 3000 characters per section, then points to
 * `/territory requests`.
 */
import type { KnownBlock } from '@slack/types';
import type { ItemAction } from '../core/store/types.js';
import type { RecordTerritory, ZohoRecord } from '../core/zoho/types.js';
import { context, fieldsSection, LIMITS, type SlackMessage, section } from './blocks.js';
import {
  NAME_MAX,
  type Progress,
  type RecordLinker,
  type RecordRefView,
  recordKey,
  recordLabel,
  type TerritoryNames,
  territoryList,
} from './labels.js';
import { packLines, renderLimit } from './pack.js';
import { escapeTruncate, formatCount, formatDuration, mention, oneLine, plural } from './text.js';

const ACTION_DONE: Readonly<Record<ItemAction, string>> = {
  assign: 'assigned',
  remove: 'removed',
  move: 'moved',
};

/** `North (manual), West (by rule)`; at most `show` names. */
export function recordTerritoriesText(territories: readonly RecordTerritory[], show = 10): string {
  if (territories.length === 0) return '_no territories_';
  const label = (t: RecordTerritory) =>
    `*${escapeTruncate(oneLine(t.name || t.id), NAME_MAX)}*${t.assigned === 'automatically' ? ' (by rule)' : t.assigned === 'manually' ? ' (manual)' : ''}`;
  const shown = territories.slice(0, show).map(label);
  return territories.length > show
    ? `${shown.join(', ')} +${territories.length - show} more`
    : shown.join(', ');
}

export interface RecordDoneInput {
  requesterId: string;
  action: ItemAction;
  /** The record as read back from Zoho after the job (its territories now). */
  record: ZohoRecord;
  /** The territories that were assigned / removed. */
  territoryIds: readonly string[];
  names: TerritoryNames;
  recordUrl?: RecordLinker;
}

export function buildRecordDoneReply(input: RecordDoneInput): SlackMessage {
  const ref = { module: input.record.module, recordId: input.record.id, name: input.record.name };
  const changed = territoryList(input.territoryIds, input.names);
  const verb =
    input.action === 'remove'
      ? `removed ${changed} from`
      : input.action === 'move'
        ? `moved`
        : `assigned ${changed} to`;
  const head =
    input.action === 'move'
      ? `${mention(input.requesterId)} :white_check_mark: Done: ${recordLabel(ref, input.recordUrl)} ${verb} to ${changed}.`
      : `${mention(input.requesterId)} :white_check_mark: Done: ${verb} ${recordLabel(ref, input.recordUrl)}.`;
  return {
    text: `Done: ${recordKey(ref)} ${ACTION_DONE[input.action]}`,
    blocks: [
      section(head),
      section(`Its territories now: ${recordTerritoriesText(input.record.territories)}`),
    ],
  };
}

export interface RecordFailedInput {
  requesterId: string;
  action: ItemAction;
  record: RecordRefView;
  territoryIds: readonly string[];
  names: TerritoryNames;
  /** Human-readable reason (item.message). */
  reason: string;
  /** Zoho's or our code (item.code). */
  code?: string | null;
  recordUrl?: RecordLinker;
}

export function buildRecordFailedReply(input: RecordFailedInput): SlackMessage {
  const reason = escapeTruncate(oneLine(input.reason), 1500);
  const code = input.code ? ` (\`${escapeTruncate(input.code, 60)}\`)` : '';
  return {
    text: `Failed: ${input.action} on ${recordKey(input.record)}: ${escapeTruncate(oneLine(input.reason), 200)}`,
    blocks: [
      section(
        `${mention(input.requesterId)} :x: Could not ${input.action} ${territoryList(input.territoryIds, input.names)} ` +
          `${input.action === 'remove' ? 'from' : input.action === 'move' ? 'for' : 'to'} ${recordLabel(input.record, input.recordUrl)}.`,
      ),
      section(`*Reason:* ${reason}${code}`),
      context(`Check the record with \`/territory show ${recordKey(input.record)}\` before trying again.`),
    ],
  };
}

export interface RecordUnconfirmedInput {
  requesterId: string;
  action: ItemAction;
  record: RecordRefView;
  territoryIds: readonly string[];
  names: TerritoryNames;
  /** Zoho's background job id, if it answered SCHEDULED. */
  jobId: string | null;
  /** How long we waited for the job before giving up. */
  waitedMs: number;
  recordUrl?: RecordLinker;
}

export function buildRecordUnconfirmedReply(input: RecordUnconfirmedInput): SlackMessage {
  const key = recordKey(input.record);
  const job = input.jobId ? ` (job \`${escapeTruncate(input.jobId, 40)}\`)` : '';
  return {
    text: `Not confirmed: ${input.action} on ${key} — check the record`,
    blocks: [
      section(
        `${mention(input.requesterId)} :grey_question: Zoho accepted the change to ${recordLabel(input.record, input.recordUrl)}${job}, ` +
          `but it was not confirmed within ${formatDuration(input.waitedMs)}.`,
      ),
      section(
        [
          '*What to check:*',
          `• \`/territory show ${key}\`: are ${territoryList(input.territoryIds, input.names)} ${input.action === 'remove' ? 'gone' : 'there'}? Is a job still pending?`,
          '• If a job is still pending, Zoho is slow: look again later; nothing needs to be sent twice.',
          '• If no job is pending and the change is missing, make the request again.',
        ].join('\n'),
      ),
    ],
  };
}

export interface BulkProblem {
  lineNo: number | null;
  module: RecordRefView['module'];
  recordId: string;
  recordName?: string | null;
  state: 'failed' | 'unconfirmed';
  reason: string | null;
}

export interface BulkFinalInput {
  requesterId: string;
  requestId: string;
  progress: Progress;
  /**
   * Failed and unconfirmed items in list order: at most BULK_REPORT_PROBLEMS of each (more would
   * not fit); how many there are in all comes from `progress`.
   */
  problems: readonly BulkProblem[];
  recordUrl?: RecordLinker;
}

/** Keeps the report well under the ~13k characters Slack accepts per message. */
const REPORT_LIST_CHARS = 9_000;
/** Problem lines the report can hold at most: the caller reads no more than these of each kind. */
export const BULK_REPORT_PROBLEMS = renderLimit(REPORT_LIST_CHARS, 20);

export function buildBulkFinalReply(input: BulkFinalInput): SlackMessage {
  const p = input.progress;
  const ok = p.failed === 0 && p.unconfirmed === 0;
  const head = ok
    ? `${mention(input.requesterId)} :white_check_mark: Bulk request finished: all ${plural(p.done, 'record')} done${p.skipped > 0 ? ` (${formatCount(p.skipped)} skipped, nothing to change)` : ''}.`
    : `${mention(input.requesterId)} :warning: Bulk request finished with problems.`;
  const blocks: KnownBlock[] = [
    section(head),
    fieldsSection([
      `*Done*\n${formatCount(p.done)}`,
      `*Failed*\n${formatCount(p.failed)}`,
      `*Unconfirmed*\n${formatCount(p.unconfirmed)}`,
      `*Skipped*\n${formatCount(p.skipped)}`,
    ]),
  ];
  const failed = input.problems.filter((x) => x.state === 'failed');
  const unconfirmed = input.problems.filter((x) => x.state === 'unconfirmed');
  // Only what can fit is rendered; the rest is counted.
  const cap = BULK_REPORT_PROBLEMS;
  const failedCount = Math.max(p.failed, failed.length);
  const unconfirmedCount = Math.max(p.unconfirmed, unconfirmed.length);
  const totalLines =
    failedCount + unconfirmedCount + (failedCount > 0 ? 1 : 0) + (unconfirmedCount > 0 ? 1 : 0);
  const lines = [
    ...(failedCount > 0 ? [`*Failed (${formatCount(failedCount)})*`] : []),
    ...failed.slice(0, cap).map((x) => problemLine(x, input.recordUrl)),
    ...(unconfirmedCount > 0
      ? [`*Not confirmed in time (${formatCount(unconfirmedCount)})* — check these with \`/territory show\`:`]
      : []),
    ...unconfirmed.slice(0, Math.max(0, cap - failed.length)).map((x) => problemLine(x, input.recordUrl)),
  ];
  const footer = context(
    `Request \`${escapeTruncate(input.requestId, 100)}\` · \`/territory requests\` shows it again.`,
  );
  if (lines.length > 0) {
    const packed = packLines(lines, {
      maxBlocks: LIMITS.messageBlocks - blocks.length - 1,
      maxChars: REPORT_LIST_CHARS,
      more: (n) => `_…and ${formatCount(n)} more (see /territory requests)_`,
      totalLines,
    });
    blocks.push(...packed.blocks);
  }
  blocks.push(footer);
  const text = ok
    ? `Bulk request done: ${formatCount(p.done)} done`
    : `Bulk request finished: ${formatCount(p.done)} done, ${formatCount(p.failed)} failed, ${formatCount(p.unconfirmed)} unconfirmed, ${formatCount(p.skipped)} skipped`;
  return { text, blocks };
}

function problemLine(x: BulkProblem, linker?: RecordLinker): string {
  const where = x.lineNo !== null ? `Line ${x.lineNo} · ` : '';
  const record = recordLabel({ module: x.module, recordId: x.recordId, name: x.recordName }, linker);
  const reason = x.reason
    ? escapeTruncate(oneLine(x.reason), 300)
    : x.state === 'unconfirmed'
      ? 'job not confirmed'
      : 'no reason given';
  return `• ${where}${record}: ${reason}`;
}
