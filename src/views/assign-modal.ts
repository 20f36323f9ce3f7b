/**
 * The single-record form (`/territory assign` without arguments): module, record URL or ID,
 * territories by type-ahead, and "replace existing" to turn the assign into a move.
 */
import type { InputBlock, ModalView, PlainTextOption } from '@slack/types';
import { exampleRef } from '../core/records/examples.js';
import { TERRITORY_MODULES, type ZohoModule } from '../core/zoho/types.js';
import { context, LIMITS, option, plain } from './blocks.js';
import { ACTION, ASSIGN_BLOCK, ASSIGN_REPLACE_VALUE, CALLBACK, encodeModalOrigin } from './ids.js';
import { modal } from './modal.js';
import { truncate } from './text.js';

export interface TerritoryChoice {
  id: string;
  name: string;
}

export interface AssignModalInput {
  /** Channel the command came from (kept in private_metadata for the parent message). */
  channelId: string | null;
  /** Values to start with, e.g. after a failed submit or from a partial command. */
  initial?: {
    module?: ZohoModule | null;
    record?: string | null;
    territories?: readonly TerritoryChoice[];
    replace?: boolean;
  };
}

/** A Deal holds 1 territory, other records 10 (zoho-api.md); the select allows the larger bound. */
const MAX_TERRITORIES = 10;

export function moduleOptions(): PlainTextOption[] {
  return TERRITORY_MODULES.map((m) => option(m, m));
}

/** An option for a territory in a select: name (cut to 75) -> id. */
export function territoryOption(t: TerritoryChoice): PlainTextOption {
  return option(t.name, t.id);
}

export function buildAssignModal(input: AssignModalInput): ModalView {
  const initial = input.initial ?? {};
  const moduleInitial = initial.module ? { initial_option: option(initial.module, initial.module) } : {};
  const territories = (initial.territories ?? []).slice(0, MAX_TERRITORIES).map(territoryOption);
  // initial_options must match an option exactly, description included.
  const replaceOption = option(
    'Replace existing territories (move)',
    ASSIGN_REPLACE_VALUE,
    "Remove the record's manual territories first (how a Deal changes territory)",
  );

  const blocks: InputBlock[] = [
    {
      type: 'input',
      block_id: ASSIGN_BLOCK.record,
      label: plain('Record'),
      hint: plain(`A Zoho CRM record URL, or Module/ID such as ${exampleRef('lead')}.`),
      element: {
        type: 'plain_text_input',
        action_id: ACTION.assignRecord,
        placeholder: plain('https://crm.zoho.com/crm/org…/tab/Leads/…', LIMITS.placeholder),
        max_length: 2000,
        ...(initial.record ? { initial_value: truncate(initial.record, 2000) } : {}),
      },
    },
    {
      type: 'input',
      block_id: ASSIGN_BLOCK.module,
      optional: true,
      label: plain('Module'),
      hint: plain('Only needed when the record is a bare ID.'),
      element: {
        type: 'static_select',
        action_id: ACTION.assignModule,
        placeholder: plain('Leads, Accounts, Contacts or Deals'),
        options: moduleOptions(),
        ...moduleInitial,
      },
    },
    {
      type: 'input',
      block_id: ASSIGN_BLOCK.territories,
      label: plain('Territories'),
      hint: plain('Type part of a name. A Deal holds one territory; other records up to 10.'),
      element: {
        type: 'multi_external_select',
        action_id: ACTION.territorySearch,
        placeholder: plain('Start typing a territory name'),
        min_query_length: 1,
        max_selected_items: MAX_TERRITORIES,
        ...(territories.length > 0 ? { initial_options: territories } : {}),
      },
    },
    {
      type: 'input',
      block_id: ASSIGN_BLOCK.replace,
      optional: true,
      label: plain('Existing territories'),
      element: {
        type: 'checkboxes',
        action_id: ACTION.assignReplace,
        options: [replaceOption],
        ...(initial.replace ? { initial_options: [replaceOption] } : {}),
      },
    },
  ];

  return modal({
    callbackId: CALLBACK.assignModal,
    title: 'Assign territories',
    submit: 'Assign',
    privateMetadata: encodeModalOrigin({ channelId: input.channelId }),
    blocks: [
      ...blocks,
      context('The change runs as a Zoho background job; the result is posted in a thread.'),
    ],
  });
}
