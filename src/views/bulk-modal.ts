/**
 * The bulk form (`/territory bulk`): paste a list or attach a CSV, default territory, module for
 * bare ids, and a reason. A plain_text_input holds at most 3000 characters (Slack limit), so the
 * hint sends longer lists to the CSV.
 */
import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { EXAMPLES, exampleRef, exampleUrl } from '../core/records/examples.js';
import type { ZohoModule } from '../core/zoho/types.js';
import { moduleOptions, type TerritoryChoice, territoryOption } from './assign-modal.js';
import { context, option, plain, section } from './blocks.js';
import { ACTION, BULK_BLOCK, CALLBACK, encodeModalOrigin } from './ids.js';
import { modal } from './modal.js';
import { formatCount, truncate } from './text.js';

export interface BulkModalInput {
  channelId: string | null;
  /** MAX_RECORDS_PER_REQUEST, shown so people split lists before pasting. */
  maxRecords: number;
  /** Lists of more than this many records go to a manager (APPROVAL_THRESHOLD). */
  approvalThreshold: number;
  initial?: {
    paste?: string | null;
    module?: ZohoModule | null;
    defaultTerritory?: TerritoryChoice | null;
    reason?: string | null;
  };
}

export const PASTE_MAX_CHARS = 3000;

export function buildBulkModal(input: BulkModalInput): ModalView {
  const initial = input.initial ?? {};
  const inputs: InputBlock[] = [
    {
      type: 'input',
      block_id: BULK_BLOCK.paste,
      optional: true,
      label: plain('Records'),
      hint: plain(
        `One record per line: a record URL or Module/ID, optionally followed by ", territory[; territory]". ` +
          `Up to ${formatCount(PASTE_MAX_CHARS)} characters here; attach a CSV for longer lists.`,
      ),
      element: {
        type: 'plain_text_input',
        action_id: ACTION.bulkPaste,
        multiline: true,
        max_length: PASTE_MAX_CHARS,
        placeholder: plain(
          `${exampleRef('lead')}, ${EXAMPLES.lead.territories[0]}\n${exampleUrl('account')}`,
        ),
        ...(initial.paste ? { initial_value: truncate(initial.paste, PASTE_MAX_CHARS) } : {}),
      },
    },
    {
      type: 'input',
      block_id: BULK_BLOCK.file,
      optional: true,
      label: plain('…or a CSV file'),
      hint: plain(
        'Columns: record, territory (a header line "record,territory" is allowed). One file, .csv or .txt.',
      ),
      element: {
        type: 'file_input',
        action_id: ACTION.bulkFile,
        filetypes: ['csv', 'txt'],
        max_files: 1,
      },
    },
    {
      type: 'input',
      block_id: BULK_BLOCK.defaultTerritory,
      optional: true,
      label: plain('Default territory'),
      hint: plain('Used for lines that name no territory.'),
      element: {
        type: 'external_select',
        action_id: ACTION.territorySearch,
        placeholder: plain('Start typing a territory name'),
        min_query_length: 1,
        ...(initial.defaultTerritory ? { initial_option: territoryOption(initial.defaultTerritory) } : {}),
      },
    },
    {
      type: 'input',
      block_id: BULK_BLOCK.module,
      optional: true,
      label: plain('Module for bare IDs'),
      hint: plain('Lines with a record URL or Module/ID do not need it.'),
      element: {
        type: 'static_select',
        action_id: ACTION.bulkModule,
        placeholder: plain('Leads, Accounts, Contacts or Deals'),
        options: moduleOptions(),
        ...(initial.module ? { initial_option: option(initial.module, initial.module) } : {}),
      },
    },
    {
      type: 'input',
      block_id: BULK_BLOCK.reason,
      label: plain('Reason'),
      hint: plain('Shown to the approver and kept in the audit log.'),
      element: {
        type: 'plain_text_input',
        action_id: ACTION.bulkReason,
        max_length: 500,
        placeholder: plain('e.g. Q1 re-territorialisation of DACH accounts'),
        ...(initial.reason ? { initial_value: truncate(initial.reason, 500) } : {}),
      },
    },
  ];
  const approval =
    input.approvalThreshold <= 0
      ? 'Every list is reviewed by a manager before it runs.'
      : `Lists of more than ${formatCount(input.approvalThreshold)} ${input.approvalThreshold === 1 ? 'record' : 'records'} are reviewed by a manager before they run.`;
  const blocks: KnownBlock[] = [
    section('Paste a list *or* attach a CSV. You will see a preview before anything is sent to Zoho.'),
    ...inputs,
    context(`At most ${formatCount(input.maxRecords)} records per request. ${approval}`),
  ];
  return modal({
    callbackId: CALLBACK.bulkModal,
    title: 'Bulk assign',
    submit: 'Preview',
    privateMetadata: encodeModalOrigin({ channelId: input.channelId }),
    blocks,
  });
}
