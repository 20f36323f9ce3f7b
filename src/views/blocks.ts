/**
 * Small Block Kit constructors that apply Slack's length limits at the point of construction
 * (slack-platform.md §4), so a builder fed 500-character names still produces valid JSON.
 */
import type {
  ActionsBlock,
  Button,
  ConfirmationDialog,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  PlainTextOption,
  SectionBlock,
} from '@slack/types';
import { truncate, truncateMrkdwn } from './text.js';

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  fieldCount: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  modalTitle: 24,
  privateMetadata: 3000,
  selectOptions: 100,
  optionText: 75,
  optionValue: 75,
  placeholder: 150,
  label: 2000,
  hint: 2000,
  plainTextInput: 3000,
  radioOptions: 10,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /**
   * Undocumented: Slack answers `msg_blocks_too_long` at roughly 13k characters across a
   * message's blocks (bolt-js #2509). Our messages stay under this budget.
   */
  messageTextBudget: 12_000,
} as const;

/** A chat message: `text` is the notification / screen-reader fallback for `blocks`. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export function plain(text: string, max: number = LIMITS.sectionText): PlainTextElement {
  return { type: 'plain_text', text: truncate(text.trim() === '' ? ' ' : text, max), emoji: true };
}

export function mrkdwn(text: string, max: number = LIMITS.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: truncateMrkdwn(text === '' ? ' ' : text, max) };
}

/** Section with mrkdwn text (already escaped by the caller), cut to 3000 characters. */
export function section(
  text: string,
  extra: Partial<Omit<SectionBlock, 'type' | 'text'>> = {},
): SectionBlock {
  return { type: 'section', text: mrkdwn(text), ...extra };
}

/** Section with up to 10 two-column fields (each cut to 2000). */
export function fieldsSection(fields: readonly string[], blockId?: string): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    fields: fields.slice(0, LIMITS.fieldCount).map((f) => mrkdwn(f, LIMITS.fieldText)),
  };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(text, LIMITS.headerText) };
}

/** Context block of mrkdwn snippets (at most 10 kept). */
export function context(...texts: string[]): ContextBlock {
  return {
    type: 'context',
    elements: texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(t)),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function actions(elements: Button[], blockId?: string): ActionsBlock {
  return {
    type: 'actions',
    ...(blockId ? { block_id: blockId } : {}),
    elements: elements.slice(0, LIMITS.actionsElements),
  };
}

export function button(options: {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmationDialog;
}): Button {
  if (options.value.length > LIMITS.buttonValue) {
    // A cut value would name another thing than the one shown: refuse instead.
    throw new RangeError(`button value longer than ${LIMITS.buttonValue} characters`);
  }
  return {
    type: 'button',
    text: plain(options.text, LIMITS.buttonText),
    action_id: options.actionId,
    value: options.value,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
}

export function confirmDialog(options: {
  title: string;
  text: string;
  confirm: string;
  deny: string;
  danger?: boolean;
}): ConfirmationDialog {
  return {
    title: plain(options.title, LIMITS.confirmTitle),
    text: plain(options.text, LIMITS.confirmText),
    confirm: plain(options.confirm, LIMITS.confirmButton),
    deny: plain(options.deny, LIMITS.confirmButton),
    ...(options.danger ? { style: 'danger' as const } : {}),
  };
}

/** Select option with text cut to 75; values longer than 75 are refused (they identify things). */
export function option(text: string, value: string, description?: string): PlainTextOption {
  if (value.length > LIMITS.optionValue) {
    throw new RangeError(`option value longer than ${LIMITS.optionValue} characters`);
  }
  return {
    text: plain(text, LIMITS.optionText),
    value,
    ...(description ? { description: plain(description, LIMITS.optionText) } : {}),
  };
}
