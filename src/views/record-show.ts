/**
 * `/territory show <record>`: the record's territories (manual vs by rule), Zoho jobs still
 * pending on it, and the last change made through the bot.
 */
import type { KnownBlock } from '@slack/types';
import type { ItemAction, ItemState } from '../core/store/types.js';
import type { PendingJob, RecordTerritory, ZohoRecord } from '../core/zoho/types.js';
import { context, type SlackMessage, section } from './blocks.js';
import {
  NAME_MAX,
  type RecordLinker,
  recordKey,
  recordLabel,
  type TerritoryNames,
  territoryList,
} from './labels.js';
import { packLines } from './pack.js';
import { escapeTruncate, mention, oneLine, slackDate } from './text.js';

export interface LastChangeView {
  requestId: string;
  action: ItemAction;
  state: ItemState;
  requesterId: string;
  at: number;
  territoryIds: readonly string[];
  message?: string | null;
}

export interface RecordShowInput {
  record: ZohoRecord;
  /** Jobs Zoho still runs on this record. */
  pendingJobs: readonly PendingJob[];
  lastChange: LastChangeView | null;
  names: TerritoryNames;
  recordUrl?: RecordLinker;
}

const SOURCE: Readonly<Record<string, string>> = {
  manual_territory_assignment: 'assignment',
  manual_territory_removal: 'removal',
  creation: 'record creation (rules)',
  update: 'record update (rules)',
};

const ITEM_STATE: Readonly<Record<ItemState, string>> = {
  pending: 'queued',
  sending: 'sending',
  removing: 'removing old territories',
  pending_assign: 'assigning',
  scheduled: 'waiting for Zoho',
  retry: 'will retry',
  done: 'done',
  failed: 'failed',
  unconfirmed: 'not confirmed',
  skipped: 'skipped (nothing to change)',
};

function territoryLines(territories: readonly RecordTerritory[]): string[] {
  return territories.map(
    (t) => `• *${escapeTruncate(oneLine(t.name || t.id), NAME_MAX)}* \`${escapeTruncate(t.id, 30)}\``,
  );
}

export function buildRecordShowMessage(input: RecordShowInput): SlackMessage {
  const { record } = input;
  const ref = { module: record.module, recordId: record.id, name: record.name };
  const manual = record.territories.filter((t) => t.assigned !== 'automatically');
  const byRule = record.territories.filter((t) => t.assigned === 'automatically');
  const blocks: KnownBlock[] = [section(`*${recordLabel(ref, input.recordUrl)}*`)];

  const groups: Array<[string, RecordTerritory[]]> = [
    [`*Manual (${manual.length})*`, manual],
    [`*By territory rules (${byRule.length})*`, byRule],
  ];
  for (const [title, list] of groups) {
    const lines = list.length > 0 ? territoryLines(list) : ['_none_'];
    blocks.push(...packLines([title, ...lines], { maxBlocks: 3, maxChars: 3500 }).blocks);
  }
  if (record.territories.length === 0) {
    blocks.push(context('This record has no territory.'));
  }

  if (input.pendingJobs.length > 0) {
    const lines = input.pendingJobs.map(
      (j) =>
        `• job \`${escapeTruncate(j.jobId, 40)}\`${j.source ? ` (${escapeTruncate(SOURCE[j.source] ?? j.source, 60)})` : ''}`,
    );
    blocks.push(
      ...packLines([':hourglass_flowing_sand: *Zoho jobs still running on this record*', ...lines], {
        maxBlocks: 2,
        maxChars: 2000,
      }).blocks,
    );
  } else {
    blocks.push(context('No Zoho territory job is pending on this record.'));
  }

  const last = input.lastChange;
  if (last) {
    const what =
      last.action === 'remove'
        ? `remove ${territoryList(last.territoryIds, input.names)}`
        : last.action === 'move'
          ? `move to ${territoryList(last.territoryIds, input.names)}`
          : `assign ${territoryList(last.territoryIds, input.names)}`;
    const message = last.message ? ` — ${escapeTruncate(oneLine(last.message), 300)}` : '';
    blocks.push(
      section(
        `*Last change through the bot:* ${mention(last.requesterId)} asked to ${what} ${slackDate(last.at)}: ` +
          `*${ITEM_STATE[last.state]}*${message} (request \`${escapeTruncate(last.requestId, 60)}\`)`,
      ),
    );
  } else {
    blocks.push(context('No change to this record was made through the bot.'));
  }

  const summary = `${manual.length} manual, ${byRule.length} by rule${input.pendingJobs.length > 0 ? `, ${input.pendingJobs.length} job pending` : ''}`;
  return { text: `${recordKey(ref)}: ${summary}`, blocks };
}
