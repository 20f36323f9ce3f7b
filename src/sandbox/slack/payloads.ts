/**
 * Slack's `state.values` entries and `actions[]` items for each interactive element, built from
 * the element definition the app sent plus the value a test (or the sandbox UI) picked.
 * Shapes follow Slack's payloads: `selected_option {text, value}`, `selected_users`, `files`, ...
 */
import { type Element, optionsOf } from './blocks.js';
import type { SubmitValue } from './options.js';
import type { ViewStateValue } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export class DriverInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverInputError';
  }
}

export interface ValueContext {
  /** Slack's file object for a file id (throws on an unknown id). */
  fileObject(id: string): Obj;
  /** The option text the app answered for an external select (block_suggestion), if known. */
  externalOption(actionId: string, value: string): Obj | undefined;
  /** Throws when the id names no user/channel in the workspace. */
  checkUser(id: string): void;
  checkConversation(id: string): void;
}

const TEXT_INPUTS = new Set(['plain_text_input', 'email_text_input', 'url_text_input', 'number_text_input']);

const asList = (v: SubmitValue): string[] =>
  v === null ? [] : Array.isArray(v) ? v : typeof v === 'string' ? [v] : v.files;

const asOne = (v: SubmitValue, what: string): string | null => {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length <= 1) return v[0] ?? null;
  throw new DriverInputError(`${what} takes a single value`);
};

function pickOption(el: Element, value: string, ctx: ValueContext): Obj {
  if (el.type === 'external_select' || el.type === 'multi_external_select') {
    return (
      ctx.externalOption(String(el.action_id), value) ?? {
        text: { type: 'plain_text', text: value, emoji: true },
        value,
      }
    );
  }
  const found = optionsOf(el).find((o) => o.value === value);
  if (!found) {
    const known = optionsOf(el)
      .map((o) => String(o.value))
      .join(', ');
    throw new DriverInputError(
      `no option "${value}" in ${el.type} ${String(el.action_id)} (options: ${known})`,
    );
  }
  return structuredClone(found);
}

/** The value an element starts with (initial_* fields), as Slack reports an untouched input. */
export function initialStateValue(el: Element): ViewStateValue {
  const type = el.type;
  if (TEXT_INPUTS.has(type))
    return { type, value: typeof el.initial_value === 'string' ? el.initial_value : null };
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: isObj(el.initial_option) ? structuredClone(el.initial_option) : null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return {
        type,
        selected_options: Array.isArray(el.initial_options) ? structuredClone(el.initial_options) : [],
      };
    case 'users_select':
      return { type, selected_user: typeof el.initial_user === 'string' ? el.initial_user : null };
    case 'multi_users_select':
      return {
        type,
        selected_users: Array.isArray(el.initial_users) ? [...(el.initial_users as string[])] : [],
      };
    case 'conversations_select':
      return {
        type,
        selected_conversation: typeof el.initial_conversation === 'string' ? el.initial_conversation : null,
      };
    case 'multi_conversations_select':
      return {
        type,
        selected_conversations: Array.isArray(el.initial_conversations)
          ? [...(el.initial_conversations as string[])]
          : [],
      };
    case 'channels_select':
      return { type, selected_channel: typeof el.initial_channel === 'string' ? el.initial_channel : null };
    case 'multi_channels_select':
      return {
        type,
        selected_channels: Array.isArray(el.initial_channels) ? [...(el.initial_channels as string[])] : [],
      };
    case 'datepicker':
      return { type, selected_date: typeof el.initial_date === 'string' ? el.initial_date : null };
    case 'timepicker':
      return { type, selected_time: typeof el.initial_time === 'string' ? el.initial_time : null };
    case 'datetimepicker':
      return {
        type,
        selected_date_time: typeof el.initial_date_time === 'number' ? el.initial_date_time : null,
      };
    case 'rich_text_input':
      return { type, rich_text_value: isObj(el.initial_value) ? structuredClone(el.initial_value) : null };
    case 'file_input':
      return { type, files: [] };
    default:
      return { type };
  }
}

/** The state value after the user entered `value` into `el`. */
export function stateValue(el: Element, value: SubmitValue, ctx: ValueContext): ViewStateValue {
  const type = el.type;
  const what = `${type} ${String(el.action_id)}`;
  if (TEXT_INPUTS.has(type)) {
    const v = asOne(value, what);
    return { type, value: v === '' ? null : v };
  }
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
    case 'overflow': {
      const v = asOne(value, what);
      return { type, selected_option: v === null ? null : pickOption(el, v, ctx) };
    }
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: asList(value).map((v) => pickOption(el, v, ctx)) };
    case 'users_select': {
      const v = asOne(value, what);
      if (v !== null) ctx.checkUser(v);
      return { type, selected_user: v };
    }
    case 'multi_users_select': {
      const list = asList(value);
      for (const u of list) ctx.checkUser(u);
      return { type, selected_users: list };
    }
    case 'conversations_select':
    case 'channels_select': {
      const v = asOne(value, what);
      if (v !== null) ctx.checkConversation(v);
      return type === 'channels_select' ? { type, selected_channel: v } : { type, selected_conversation: v };
    }
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const list = asList(value);
      for (const c of list) ctx.checkConversation(c);
      return type === 'multi_channels_select'
        ? { type, selected_channels: list }
        : { type, selected_conversations: list };
    }
    case 'datepicker':
      return { type, selected_date: asOne(value, what) };
    case 'timepicker':
      return { type, selected_time: asOne(value, what) };
    case 'datetimepicker': {
      const v = asOne(value, what);
      return { type, selected_date_time: v === null ? null : Number(v) };
    }
    case 'rich_text_input': {
      const v = asOne(value, what);
      return {
        type,
        rich_text_value:
          v === null
            ? null
            : {
                type: 'rich_text',
                elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: v }] }],
              },
      };
    }
    case 'file_input': {
      if (value !== null && (typeof value !== 'object' || Array.isArray(value)))
        throw new DriverInputError(`${what} takes { files: [<file id>] }`);
      return { type, files: asList(value).map((id) => ctx.fileObject(id)) };
    }
    default:
      throw new DriverInputError(`${what} holds no value`);
  }
}

/** True when the state holds nothing (Slack's client blocks submitting an empty required input). */
export function isEmptyState(v: ViewStateValue): boolean {
  for (const [k, x] of Object.entries(v)) {
    if (k === 'type') continue;
    if (x === null || x === undefined || x === '') continue;
    if (Array.isArray(x) && x.length === 0) continue;
    return false;
  }
  return true;
}

/** One entry of a block_actions `actions[]` array. */
export function actionItem(el: Element, blockId: string, actionTs: string, state?: ViewStateValue): Obj {
  const item: Obj = { type: el.type, action_id: el.action_id, block_id: blockId };
  if (el.type === 'button') {
    item.text = el.text;
    if (el.value !== undefined) item.value = el.value;
    if (el.style !== undefined) item.style = el.style;
    if (el.url !== undefined) item.url = el.url;
  } else if (state) {
    for (const [k, v] of Object.entries(state)) if (k !== 'type') item[k] = v;
    if (el.placeholder !== undefined) item.placeholder = el.placeholder;
  }
  item.action_ts = actionTs;
  return item;
}
