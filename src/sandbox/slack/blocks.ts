/**
 * Block Kit checks the emulator applies (Slack's documented limits: 50 blocks per message,
 * 100 per view, section text 3000, fields 10 x 2000, actions 25 elements, ids 255,
 * button value 2000) and element lookup for the driver.
 */
import type { Block } from './types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string | undefined =>
  isObj(v) && typeof v.text === 'string' ? v.text : undefined;

/** Elements that may sit in an actions block, a section accessory or an input block. */
export type Element = Obj & { type: string; action_id?: string };

export interface LocatedElement {
  block: Block;
  element: Element;
  /** Where Slack considers the element: input blocks feed state.values on submission. */
  container: 'actions' | 'accessory' | 'input';
}

/** Every interactive element of a block list, in order. */
export function elementsOf(blocks: readonly Block[]): LocatedElement[] {
  const out: LocatedElement[] = [];
  for (const block of blocks) {
    if (block.type === 'actions' && Array.isArray(block.elements)) {
      for (const el of block.elements)
        if (isObj(el)) out.push({ block, element: el as Element, container: 'actions' });
    } else if (block.type === 'input' && isObj(block.element)) {
      out.push({ block, element: block.element as Element, container: 'input' });
    } else if (isObj(block.accessory)) {
      out.push({ block, element: block.accessory as Element, container: 'accessory' });
    }
  }
  return out;
}

/** Finds an element by action_id (and block_id when given). */
export function findElements(blocks: readonly Block[], actionId: string, blockId?: string): LocatedElement[] {
  return elementsOf(blocks).filter(
    (e) => e.element.action_id === actionId && (blockId === undefined || e.block.block_id === blockId),
  );
}

/**
 * Slack fills in missing block_id and action_id values with random ones; the emulator does the
 * same (deterministically) so payloads always carry both.
 */
export function assignIds(blocks: Block[], nextId: () => string): Block[] {
  return blocks.map((b) => {
    const block: Block = { ...b, block_id: typeof b.block_id === 'string' ? b.block_id : nextId() };
    const fill = (el: unknown): unknown =>
      isObj(el) &&
      typeof el.type === 'string' &&
      el.type !== 'image' &&
      el.action_id === undefined &&
      isInteractive(el.type)
        ? { ...el, action_id: nextId() }
        : el;
    if (Array.isArray(block.elements) && block.type === 'actions') block.elements = block.elements.map(fill);
    if (isObj(block.accessory)) block.accessory = fill(block.accessory);
    if (isObj(block.element)) block.element = fill(block.element);
    return block;
  });
}

const INTERACTIVE = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'timepicker',
  'overflow',
  'radio_buttons',
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_text_input',
  'rich_text_input',
  'file_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
]);

export function isInteractive(type: string): boolean {
  return INTERACTIVE.has(type);
}

const pointer = (path: string, msg: string) => `[ERROR] ${msg} [json-pointer:${path}]`;

/** Problems Slack reports as `invalid_blocks` (messages) or `invalid_arguments` (views). */
export function blockProblems(blocks: unknown, maxBlocks: number, base: string): string[] {
  if (!Array.isArray(blocks)) return [pointer(base, 'must be an array')];
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(pointer(base, `no more than ${maxBlocks} items allowed`));
  const seenBlockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `${base}/${i}`;
    if (!isObj(b) || typeof b.type !== 'string') {
      problems.push(pointer(at, 'must provide an object with a type'));
      return;
    }
    if (typeof b.block_id === 'string') {
      if (b.block_id.length > 255)
        problems.push(pointer(`${at}/block_id`, 'must be less than 256 characters'));
      if (seenBlockIds.has(b.block_id)) problems.push(pointer(`${at}/block_id`, 'duplicate block_id'));
      seenBlockIds.add(b.block_id);
    }
    switch (b.type) {
      case 'section': {
        const text = textOf(b.text);
        if (b.text !== undefined && (text === undefined || text.length === 0))
          problems.push(pointer(`${at}/text`, 'must be a text object with non-empty text'));
        if (text !== undefined && text.length > 3000)
          problems.push(pointer(`${at}/text`, 'must be less than 3001 characters'));
        if (b.text === undefined && b.fields === undefined)
          problems.push(pointer(at, 'must provide either text or fields'));
        if (Array.isArray(b.fields)) {
          if (b.fields.length > 10) problems.push(pointer(`${at}/fields`, 'no more than 10 items allowed'));
          b.fields.forEach((f, j) => {
            if ((textOf(f)?.length ?? 0) > 2000)
              problems.push(pointer(`${at}/fields/${j}/text`, 'must be less than 2001 characters'));
          });
        }
        if (isObj(b.accessory)) problems.push(...elementProblems(b.accessory, `${at}/accessory`));
        break;
      }
      case 'header':
        if ((textOf(b.text)?.length ?? 0) > 150)
          problems.push(pointer(`${at}/text`, 'must be less than 151 characters'));
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length === 0)
          problems.push(pointer(`${at}/elements`, 'must provide at least 1 item'));
        else {
          if (b.elements.length > 25)
            problems.push(pointer(`${at}/elements`, 'no more than 25 items allowed'));
          const ids = new Set<string>();
          b.elements.forEach((el, j) => {
            problems.push(...elementProblems(el, `${at}/elements/${j}`));
            if (isObj(el) && typeof el.action_id === 'string') {
              if (ids.has(el.action_id))
                problems.push(pointer(`${at}/elements/${j}/action_id`, 'duplicate action_id'));
              ids.add(el.action_id);
            }
          });
        }
        break;
      case 'context':
        if (Array.isArray(b.elements) && b.elements.length > 10)
          problems.push(pointer(`${at}/elements`, 'no more than 10 items allowed'));
        break;
      case 'input':
        if (!isObj(b.label)) problems.push(pointer(`${at}/label`, 'must provide a label'));
        if (!isObj(b.element)) problems.push(pointer(`${at}/element`, 'must provide an element'));
        else problems.push(...elementProblems(b.element, `${at}/element`));
        break;
      default:
        break;
    }
  });
  return problems;
}

function elementProblems(el: unknown, at: string): string[] {
  if (!isObj(el) || typeof el.type !== 'string') return [pointer(at, 'must provide an object with a type')];
  const problems: string[] = [];
  if (typeof el.action_id === 'string' && el.action_id.length > 255)
    problems.push(pointer(`${at}/action_id`, 'must be less than 256 characters'));
  if (el.type === 'button') {
    if (typeof el.value === 'string' && el.value.length > 2000)
      problems.push(pointer(`${at}/value`, 'must be less than 2001 characters'));
    if ((textOf(el.text)?.length ?? 0) > 75)
      problems.push(pointer(`${at}/text`, 'must be less than 76 characters'));
  }
  if (Array.isArray(el.options)) {
    const max = el.type === 'checkboxes' || el.type === 'radio_buttons' ? 10 : 100;
    if (el.options.length > max) problems.push(pointer(`${at}/options`, `no more than ${max} items allowed`));
  }
  return problems;
}

/** Options of a select-like element, flattening option_groups. */
export function optionsOf(el: Element): Obj[] {
  const direct = Array.isArray(el.options) ? el.options.filter(isObj) : [];
  const grouped = Array.isArray(el.option_groups)
    ? el.option_groups.flatMap((g) => (isObj(g) && Array.isArray(g.options) ? g.options.filter(isObj) : []))
    : [];
  return [...direct, ...grouped];
}
