/**
 * Checks a message or a modal against Slack's Block Kit limits (slack-platform.md §3-§4;
 * @slack/types block-kit docs). Slack rejects a whole message (`invalid_blocks`,
 * `msg_too_long`) or modal for one oversize field, so every builder's test runs its output
 * through `assertBlockKitLimits` with large inputs. Pure: no network, no Slack client.
 */
import type { View } from '@slack/types';
import { LIMITS, type SlackMessage } from './blocks.js';

type Json = Record<string, unknown>;

/** An options response for external selects (`ack({ options })`). */
export interface OptionsPayload {
  options: unknown[];
}

export type BlockKitSubject = SlackMessage | View | OptionsPayload;

/** Strings that look like credentials must never reach Slack (DESIGN.md §9). */
const SECRET_PATTERNS: readonly RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]{6,}/, // Slack tokens
  /xapp-\d-[A-Za-z0-9-]{6,}/, // Slack app-level tokens
  /\b1000\.[0-9a-f]{16,}\.[0-9a-f]{16,}\b/, // Zoho access / refresh tokens
];

export class BlockKitLimitError extends Error {
  constructor(readonly violations: string[]) {
    super(`Block Kit limits violated:\n- ${violations.join('\n- ')}`);
    this.name = 'BlockKitLimitError';
  }
}

export function assertBlockKitLimits(subject: BlockKitSubject): void {
  const violations = blockKitViolations(subject);
  if (violations.length > 0) throw new BlockKitLimitError(violations);
}

export function blockKitViolations(subject: BlockKitSubject): string[] {
  const out: string[] = [];
  const s = subject as unknown as Json;
  if (s.type === 'modal' || s.type === 'home') checkView(s, out);
  else if (Array.isArray(s.options) && !('blocks' in s)) checkOptionsPayload(s, out);
  else checkMessage(s, out);
  for (const pattern of SECRET_PATTERNS) {
    if (pattern.test(JSON.stringify(subject)))
      out.push(`contains something that looks like a secret (${pattern})`);
  }
  return out;
}

function checkMessage(m: Json, out: string[]): void {
  if (typeof m.text !== 'string' || m.text.trim() === '') {
    out.push('text: a non-empty notification fallback is required with blocks');
  } else if (m.text.length > 40_000) {
    out.push(`text: ${m.text.length} > 40000 characters`);
  }
  const blocks = asArray(m.blocks);
  if (blocks.length > LIMITS.messageBlocks) out.push(`blocks: ${blocks.length} > ${LIMITS.messageBlocks}`);
  checkBlocks(blocks, 'blocks', out, 'message');
  const chars = textChars(blocks);
  if (chars > LIMITS.messageTextBudget) {
    out.push(`blocks: ${chars} characters of text > ${LIMITS.messageTextBudget} (msg_blocks_too_long)`);
  }
}

function checkView(v: Json, out: string[]): void {
  // A Home tab has no title (views.publish); a modal must have one.
  maxText(v.title, LIMITS.modalTitle, 'title', out, v.type === 'modal');
  maxText(v.submit, LIMITS.modalTitle, 'submit', out);
  maxText(v.close, LIMITS.modalTitle, 'close', out);
  maxLen(v.private_metadata, LIMITS.privateMetadata, 'private_metadata', out);
  maxLen(v.callback_id, LIMITS.id, 'callback_id', out);
  maxLen(v.external_id, LIMITS.id, 'external_id', out);
  const blocks = asArray(v.blocks);
  if (blocks.length > LIMITS.modalBlocks) out.push(`blocks: ${blocks.length} > ${LIMITS.modalBlocks}`);
  if (blocks.length === 0) out.push('blocks: a view needs at least one block');
  if (blocks.some((b) => isObj(b) && b.type === 'input') && v.submit === undefined) {
    out.push('submit: required when the view has input blocks');
  }
  checkBlocks(blocks, 'blocks', out, 'modal');
}

function checkOptionsPayload(p: Json, out: string[]): void {
  const options = asArray(p.options);
  if (options.length > LIMITS.selectOptions) out.push(`options: ${options.length} > ${LIMITS.selectOptions}`);
  options.forEach((o, i) => {
    checkOption(o, `options[${i}]`, out);
  });
}

function checkBlocks(blocks: unknown[], path: string, out: string[], surface: 'message' | 'modal'): void {
  const blockIds = new Set<string>();
  blocks.forEach((raw, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(raw)) {
      out.push(`${p}: not an object`);
      return;
    }
    const b = raw;
    if (b.block_id !== undefined) {
      maxLen(b.block_id, LIMITS.id, `${p}.block_id`, out);
      if (typeof b.block_id === 'string') {
        if (blockIds.has(b.block_id)) out.push(`${p}.block_id: duplicate "${b.block_id}"`);
        blockIds.add(b.block_id);
      }
    }
    switch (b.type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined) out.push(`${p}: section needs text or fields`);
        if (b.text !== undefined) checkTextObject(b.text, LIMITS.sectionText, `${p}.text`, out);
        if (b.fields !== undefined) {
          const fields = asArray(b.fields);
          if (fields.length > LIMITS.fieldCount)
            out.push(`${p}.fields: ${fields.length} > ${LIMITS.fieldCount}`);
          fields.forEach((f, j) => {
            checkTextObject(f, LIMITS.fieldText, `${p}.fields[${j}]`, out);
          });
        }
        if (b.accessory !== undefined) checkElement(b.accessory, `${p}.accessory`, out);
        break;
      }
      case 'header':
        checkTextObject(b.text, LIMITS.headerText, `${p}.text`, out, 'plain_text');
        break;
      case 'context': {
        const elements = asArray(b.elements);
        if (elements.length === 0 || elements.length > LIMITS.contextElements) {
          out.push(`${p}.elements: ${elements.length} not in 1..${LIMITS.contextElements}`);
        }
        elements.forEach((e, j) => {
          if (isObj(e) && (e.type === 'mrkdwn' || e.type === 'plain_text')) {
            checkTextObject(e, LIMITS.sectionText, `${p}.elements[${j}]`, out);
          }
        });
        break;
      }
      case 'actions': {
        const elements = asArray(b.elements);
        if (elements.length === 0 || elements.length > LIMITS.actionsElements) {
          out.push(`${p}.elements: ${elements.length} not in 1..${LIMITS.actionsElements}`);
        }
        const actionIds = new Set<string>();
        elements.forEach((e, j) => {
          checkElement(e, `${p}.elements[${j}]`, out);
          if (isObj(e) && typeof e.action_id === 'string') {
            if (actionIds.has(e.action_id)) out.push(`${p}.elements[${j}].action_id: duplicate in block`);
            actionIds.add(e.action_id);
          }
        });
        break;
      }
      case 'input':
        checkTextObject(b.label, LIMITS.label, `${p}.label`, out, 'plain_text');
        if (b.hint !== undefined) checkTextObject(b.hint, LIMITS.hint, `${p}.hint`, out, 'plain_text');
        checkElement(b.element, `${p}.element`, out);
        if (surface === 'modal' && typeof b.block_id !== 'string') {
          // Auto-generated ids change between renders and break `response_action: errors`.
          out.push(`${p}.block_id: input blocks need an explicit block_id`);
        }
        break;
      case 'divider':
        break;
      case 'markdown':
        if (surface !== 'message') out.push(`${p}: markdown blocks are for messages only`);
        maxLen(b.text, 12_000, `${p}.text`, out);
        break;
      case 'image':
      case 'rich_text':
        break;
      default:
        out.push(`${p}: unexpected block type ${String(b.type)}`);
    }
  });
}

function checkElement(raw: unknown, p: string, out: string[]): void {
  if (!isObj(raw)) {
    out.push(`${p}: not an object`);
    return;
  }
  const e = raw;
  if (e.action_id !== undefined) maxLen(e.action_id, LIMITS.id, `${p}.action_id`, out);
  if (e.placeholder !== undefined)
    checkTextObject(e.placeholder, LIMITS.placeholder, `${p}.placeholder`, out);
  if (e.confirm !== undefined) checkConfirm(e.confirm, `${p}.confirm`, out);
  switch (e.type) {
    case 'button':
      checkTextObject(e.text, LIMITS.buttonText, `${p}.text`, out, 'plain_text');
      maxLen(e.value, LIMITS.buttonValue, `${p}.value`, out);
      maxLen(e.url, 3000, `${p}.url`, out);
      if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') {
        out.push(`${p}.style: ${String(e.style)} is not primary/danger`);
      }
      break;
    case 'static_select':
    case 'multi_static_select': {
      const options = asArray(e.options);
      const groups = asArray(e.option_groups);
      if (e.options === undefined && e.option_groups === undefined)
        out.push(`${p}: options or option_groups required`);
      if (options.length > LIMITS.selectOptions)
        out.push(`${p}.options: ${options.length} > ${LIMITS.selectOptions}`);
      if (groups.length > LIMITS.selectOptions) out.push(`${p}.option_groups: ${groups.length} > 100`);
      options.forEach((o, j) => {
        checkOption(o, `${p}.options[${j}]`, out);
      });
      const values = new Set(options.map((o) => (isObj(o) ? o.value : undefined)));
      groups.forEach((g, j) => {
        if (!isObj(g)) return;
        checkTextObject(g.label, LIMITS.optionText, `${p}.option_groups[${j}].label`, out, 'plain_text');
        const inGroup = asArray(g.options);
        if (inGroup.length > LIMITS.selectOptions) out.push(`${p}.option_groups[${j}].options: > 100`);
        inGroup.forEach((o, k) => {
          checkOption(o, `${p}.option_groups[${j}].options[${k}]`, out);
          if (isObj(o)) values.add(o.value);
        });
      });
      checkInitialOptions(e, values, p, out);
      checkMaxSelected(e, p, out);
      break;
    }
    case 'external_select':
    case 'multi_external_select':
      if (e.min_query_length !== undefined && !isIntIn(e.min_query_length, 0, 1000)) {
        out.push(`${p}.min_query_length: must be a non-negative integer`);
      }
      if (e.initial_option !== undefined) checkOption(e.initial_option, `${p}.initial_option`, out);
      asArray(e.initial_options).forEach((o, j) => {
        checkOption(o, `${p}.initial_options[${j}]`, out);
      });
      checkMaxSelected(e, p, out);
      break;
    case 'checkboxes':
    case 'radio_buttons': {
      const options = asArray(e.options);
      if (options.length === 0 || options.length > LIMITS.radioOptions) {
        out.push(`${p}.options: ${options.length} not in 1..${LIMITS.radioOptions}`);
      }
      options.forEach((o, j) => {
        checkOption(o, `${p}.options[${j}]`, out, true);
      });
      checkInitialOptions(e, new Set(options.map((o) => (isObj(o) ? o.value : undefined))), p, out);
      break;
    }
    case 'plain_text_input': {
      if (e.max_length !== undefined && !isIntIn(e.max_length, 1, LIMITS.plainTextInput)) {
        out.push(`${p}.max_length: must be 1..${LIMITS.plainTextInput}`);
      }
      if (e.min_length !== undefined && !isIntIn(e.min_length, 0, LIMITS.plainTextInput)) {
        out.push(`${p}.min_length: must be 0..${LIMITS.plainTextInput}`);
      }
      const max = typeof e.max_length === 'number' ? e.max_length : LIMITS.plainTextInput;
      maxLen(e.initial_value, max, `${p}.initial_value`, out);
      break;
    }
    case 'file_input':
      if (e.max_files !== undefined && !isIntIn(e.max_files, 1, 10))
        out.push(`${p}.max_files: must be 1..10`);
      if (
        e.filetypes !== undefined &&
        !asArray(e.filetypes).every((t) => typeof t === 'string' && t !== '')
      ) {
        out.push(`${p}.filetypes: must be non-empty strings`);
      }
      break;
    case 'overflow': {
      const options = asArray(e.options);
      if (options.length < 1 || options.length > 5) out.push(`${p}.options: ${options.length} not in 1..5`);
      options.forEach((o, j) => {
        checkOption(o, `${p}.options[${j}]`, out);
      });
      break;
    }
    case 'users_select':
    case 'multi_users_select':
    case 'conversations_select':
    case 'multi_conversations_select':
    case 'channels_select':
    case 'multi_channels_select':
    case 'datepicker':
    case 'timepicker':
    case 'datetimepicker':
    case 'image':
      break;
    default:
      out.push(`${p}: unexpected element type ${String(e.type)}`);
  }
}

function checkOption(raw: unknown, p: string, out: string[], allowMrkdwn = false): void {
  if (!isObj(raw)) {
    out.push(`${p}: not an object`);
    return;
  }
  checkTextObject(raw.text, LIMITS.optionText, `${p}.text`, out, allowMrkdwn ? undefined : 'plain_text');
  if (typeof raw.value !== 'string' || raw.value === '') out.push(`${p}.value: required`);
  else maxLen(raw.value, LIMITS.optionValue, `${p}.value`, out);
  if (raw.description !== undefined)
    checkTextObject(raw.description, LIMITS.optionText, `${p}.description`, out);
}

function checkInitialOptions(e: Json, values: Set<unknown>, p: string, out: string[]): void {
  const initial = [
    ...(e.initial_option !== undefined ? [e.initial_option] : []),
    ...asArray(e.initial_options),
  ];
  initial.forEach((o, j) => {
    if (!isObj(o) || !values.has(o.value)) out.push(`${p}.initial_option(s)[${j}]: not one of the options`);
  });
}

function checkMaxSelected(e: Json, p: string, out: string[]): void {
  if (e.max_selected_items !== undefined && !isIntIn(e.max_selected_items, 1, 1000)) {
    out.push(`${p}.max_selected_items: must be at least 1`);
  }
}

function checkConfirm(raw: unknown, p: string, out: string[]): void {
  if (!isObj(raw)) {
    out.push(`${p}: not an object`);
    return;
  }
  checkTextObject(raw.title, LIMITS.confirmTitle, `${p}.title`, out, 'plain_text');
  checkTextObject(raw.text, LIMITS.confirmText, `${p}.text`, out);
  checkTextObject(raw.confirm, LIMITS.confirmButton, `${p}.confirm`, out, 'plain_text');
  checkTextObject(raw.deny, LIMITS.confirmButton, `${p}.deny`, out, 'plain_text');
}

function checkTextObject(
  raw: unknown,
  max: number,
  p: string,
  out: string[],
  only?: 'plain_text' | 'mrkdwn',
): void {
  if (!isObj(raw)) {
    out.push(`${p}: text object required`);
    return;
  }
  if (raw.type !== 'plain_text' && raw.type !== 'mrkdwn') out.push(`${p}.type: ${String(raw.type)}`);
  else if (only && raw.type !== only) out.push(`${p}.type: must be ${only}`);
  if (typeof raw.text !== 'string' || raw.text.length === 0) out.push(`${p}.text: must not be empty`);
  else if (raw.text.length > max) out.push(`${p}.text: ${raw.text.length} > ${max} characters`);
}

function maxText(raw: unknown, max: number, p: string, out: string[], required = false): void {
  if (raw === undefined) {
    if (required) out.push(`${p}: required`);
    return;
  }
  checkTextObject(raw, max, p, out, 'plain_text');
}

function maxLen(raw: unknown, max: number, p: string, out: string[]): void {
  if (raw === undefined) return;
  if (typeof raw !== 'string') out.push(`${p}: must be a string`);
  else if (raw.length > max) out.push(`${p}: ${raw.length} > ${max} characters`);
}

/** Total characters of text objects in the blocks (for the message-size budget). */
function textChars(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + textChars(v), 0);
  if (!isObj(value)) return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'text' && typeof v === 'string') n += v.length;
    else n += textChars(v);
  }
  return n;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isIntIn(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
