/**
 * The parent message of a request (DESIGN.md §2): who asked, what, which records, a state badge
 * with progress, updated in place with chat.update; Cancel while it waits for approval.
 */
import type { KnownBlock } from '@slack/types';
import type { RequestRecord } from '../core/store/types.js';
import { actions, button, confirmDialog, context, type SlackMessage, section } from './blocks.js';
import { ACTION } from './ids.js';
import {
  KIND_VERB,
  type Progress,
  type RecordLinker,
  type RecordRefView,
  recordKey,
  recordLabel,
  stateBadge,
  type TerritoryNames,
  territoryList,
} from './labels.js';
import { type BulkSummary, summaryBlocks } from './summary.js';
import { escapeTruncate, formatCount, mention, oneLine, plural, slackDate } from './text.js';

export type RequestView = Pick<
  RequestRecord,
  | 'id'
  | 'kind'
  | 'state'
  | 'requesterId'
  | 'reason'
  | 'itemCount'
  | 'createdAt'
  | 'expiresAt'
  | 'decidedBy'
  | 'decidedAt'
  | 'decisionComment'
> &
  Partial<Pick<RequestRecord, 'summary'>>;

export interface RequestMessageInput {
  request: RequestView;
  /** From `progressFromCounts(store.countItemsByState(id))`; shown while running and when done. */
  progress?: Progress | null;
  /** The record (single) or the first records (bulk); more than 5 are counted, not listed. */
  records: readonly RecordRefView[];
  /** Territories assigned / removed / moved to (single-record requests). */
  territoryIds?: readonly string[];
  /** Bulk: counts per module and territory. */
  summary?: BulkSummary | null;
  names: TerritoryNames;
  recordUrl?: RecordLinker;
}

const SHOWN_RECORDS = 5;
const BAR_WIDTH = 20;

export function buildRequestMessage(input: RequestMessageInput): SlackMessage {
  const { request } = input;
  const blocks: KnownBlock[] = [section(`${mention(request.requesterId)} ${whatLine(input)}`)];

  if (request.kind === 'bulk' || input.records.length > 1) {
    const shown = input.records.slice(0, SHOWN_RECORDS).map((r) => `• ${recordLabel(r, input.recordUrl)}`);
    const rest = request.itemCount - shown.length;
    if (shown.length > 0) {
      blocks.push(
        section([...shown, ...(rest > 0 ? [`_…and ${plural(rest, 'more record')}_`] : [])].join('\n')),
      );
    }
    if (input.summary)
      blocks.push(
        ...summaryBlocks(input.summary, input.names, {
          maxBlocks: 4,
          maxChars: 4000,
          maxTerritories: 5,
          maxWarnings: 3,
        }),
      );
  }
  if (request.reason) blocks.push(context(`Reason: ${escapeTruncate(oneLine(request.reason), 500)}`));

  blocks.push(section(statusText(input)));

  if (request.state === 'pending_approval') {
    blocks.push(
      actions(
        [
          button({
            text: 'Cancel request',
            actionId: ACTION.requestCancel,
            value: request.id,
            style: 'danger',
            confirm: confirmDialog({
              title: 'Cancel this request?',
              text: 'It will not be sent to Zoho. Approvers see it as cancelled.',
              confirm: 'Cancel request',
              deny: 'Keep it',
              danger: true,
            }),
          }),
        ],
        `request_actions_${request.id}`.slice(0, 255),
      ),
    );
  }
  blocks.push(
    context(`Request \`${escapeTruncate(request.id, 100)}\` · asked ${slackDate(request.createdAt)}`),
  );

  return { text: fallbackText(input), blocks };
}

function whatLine(input: RequestMessageInput): string {
  const { request } = input;
  const territories = territoryList(input.territoryIds ?? [], input.names);
  const first = input.records[0];
  const record = first ? recordLabel(first, input.recordUrl) : `${formatCount(request.itemCount)} records`;
  switch (request.kind) {
    case 'assign':
      return input.records.length > 1
        ? `asked to assign ${territories} to ${plural(request.itemCount, 'record')}`
        : `asked to assign ${territories} to ${record}`;
    case 'remove':
      return `asked to remove ${territories} from ${input.records.length > 1 ? plural(request.itemCount, 'record') : record}`;
    case 'move':
      return `asked to move ${input.records.length > 1 ? plural(request.itemCount, 'record') : record} to ${territories}`;
    case 'bulk':
      return `asked to change territories of *${plural(request.itemCount, 'record')}* (bulk)`;
  }
}

function progressBar(p: Progress): string {
  const ratio = p.total > 0 ? Math.min(1, p.finished / p.total) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  return `\`${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}\` ${Math.floor(ratio * 100)}%`;
}

function countsLine(p: Progress): string {
  const parts = [`${formatCount(p.done)} done`];
  if (p.failed > 0) parts.push(`${formatCount(p.failed)} failed`);
  if (p.unconfirmed > 0) parts.push(`${formatCount(p.unconfirmed)} unconfirmed`);
  if (p.skipped > 0) parts.push(`${formatCount(p.skipped)} skipped`);
  return parts.join(' · ');
}

/** Items held up (Zoho down or busy): they are tried again by themselves; say so. */
function waitingLine(p: Progress): string {
  if (!p.waiting) return '';
  return `\n:hourglass_flowing_sand: ${formatCount(p.waiting)} waiting for Zoho to answer; they are tried again automatically.`;
}

function statusText(input: RequestMessageInput): string {
  const { request } = input;
  const progress = input.progress ?? undefined;
  const badge = `*${stateBadge(request.state, progress)}*`;
  const comment = request.decisionComment
    ? `\n> ${escapeTruncate(oneLine(request.decisionComment), 500)}`
    : '';
  const by = request.decidedBy ? ` by ${mention(request.decidedBy)}` : '';
  const when = request.decidedAt !== null ? ` ${slackDate(request.decidedAt)}` : '';
  switch (request.state) {
    case 'pending_approval':
      return request.expiresAt !== null
        ? `${badge}\nWaiting for a manager. Expires ${slackDate(request.expiresAt)}.`
        : `${badge}\nWaiting for a manager.`;
    case 'approved':
      return `${badge}${by}${when}${comment}\nStarting…`;
    case 'running':
      return progress
        ? `${badge}\n${progressBar(progress)}\n${countsLine(progress)}${waitingLine(progress)}`
        : badge;
    case 'done':
    case 'failed':
      return progress ? `${badge}\n${countsLine(progress)}\nDetails in the thread.` : badge;
    case 'rejected':
      return `${badge}${by}${when}${comment}`;
    case 'expired':
      return `${badge}${when}\nNo manager decided in time. Submit it again with \`/territory bulk\` if it is still needed.`;
    case 'cancelled':
      return `${badge}${by}${when}`;
    case 'draft':
      return `${badge}\nPreview shown, not submitted yet.`;
    case 'checking':
      return `${badge}\nReading the record in Zoho…`;
    case 'waiting_for_zoho':
      return `${badge}\n${zohoWaitText(request)}`;
    case 'refused':
      return badge;
  }
}

/** What the waiting request says: why, and until when it keeps trying (summary.zohoWait). */
function zohoWaitText(request: RequestView & { summary?: Record<string, unknown> }): string {
  const wait = request.summary?.zohoWait as { problem?: unknown; giveUpAt?: unknown } | undefined;
  const problem = typeof wait?.problem === 'string' ? `${escapeTruncate(oneLine(wait.problem), 300)} ` : '';
  const until =
    typeof wait?.giveUpAt === 'number' ? ` (it keeps trying until ${slackDate(wait.giveUpAt)})` : '';
  return `${problem}Your request is saved: it runs as soon as Zoho answers again${until}. Nothing to do on your side.`;
}

function fallbackText(input: RequestMessageInput): string {
  const { request } = input;
  const first = input.records[0];
  const subject =
    request.kind === 'bulk' || input.records.length !== 1 || !first
      ? `${formatCount(request.itemCount)} records`
      : recordKey(first);
  const p = input.progress;
  const state =
    request.state === 'running' && p
      ? `running ${formatCount(p.finished)}/${formatCount(p.total)}`
      : request.state.replace('_', ' ');
  return `${KIND_VERB[request.kind]} request for ${subject}: ${state}`;
}
