/**
 * How records, territories, requests and their states read in Slack. Shared by every builder so
 * a record or a state looks the same in the parent message, the thread and the requests list.
 * Everything returned here is mrkdwn with user/Zoho-provided text already escaped.
 */
import { recordKey } from '../core/records/ref.js';
import type { ItemState, RequestKind, RequestState } from '../core/store/types.js';
import type { ZohoModule } from '../core/zoho/types.js';
import { escapeTruncate, formatCount, oneLine } from './text.js';

/** Builds the Zoho web-UI link of a record, when the app knows the org's URL; null for none. */
export type RecordLinker = (module: ZohoModule, recordId: string) => string | null;

/** Territory id -> name, from the catalog. Unknown ids are shown as ids. */
export type TerritoryNames = ReadonlyMap<string, string>;

export interface RecordRefView {
  module: ZohoModule;
  recordId: string;
  /** Display name when known (Full_Name, Deal_Name...). */
  name?: string | null;
}

const SINGULAR: Readonly<Record<ZohoModule, string>> = {
  Leads: 'Lead',
  Accounts: 'Account',
  Contacts: 'Contact',
  Deals: 'Deal',
};

export function moduleSingular(module: ZohoModule): string {
  return SINGULAR[module];
}

/** Record names and territory names are cut so a 500-character name cannot eat a section. */
export const NAME_MAX = 60;

export { recordKey };

/**
 * `<url|Leads/365…567>` and the record's name when known. Link labels cannot contain `|` or `>`
 * unescaped; ids never do, and the name stays outside the link.
 */
export function recordLabel(ref: RecordRefView, linker?: RecordLinker): string {
  const key = recordKey(ref);
  const url = linker?.(ref.module, ref.recordId) ?? null;
  const linked = url && isSafeUrl(url) ? `<${url}|${key}>` : `\`${key}\``;
  const name = ref.name ? oneLine(ref.name) : '';
  return name ? `${linked} ${escapeTruncate(name, NAME_MAX)}` : linked;
}

function isSafeUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>|]+$/.test(url) && url.length <= 2000;
}

/** Escaped, shortened territory name (falls back to the id). */
export function territoryName(id: string, names: TerritoryNames, max = NAME_MAX): string {
  const name = names.get(id);
  return name ? escapeTruncate(oneLine(name), max) : `\`${escapeTruncate(id, max)}\``;
}

/** "North, South and 3 more" — at most `show` names, for one-line summaries. */
export function territoryList(ids: readonly string[], names: TerritoryNames, show = 5): string {
  if (ids.length === 0) return '_none_';
  const shown = ids.slice(0, show).map((id) => `*${territoryName(id, names)}*`);
  const rest = ids.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} +${formatCount(rest)} more` : shown.join(', ');
}

export const KIND_VERB: Readonly<Record<RequestKind, string>> = {
  assign: 'Assign',
  remove: 'Remove',
  move: 'Move',
  bulk: 'Bulk assign',
};

const STATE_BADGE: Readonly<Record<RequestState, string>> = {
  checking: ':mag: Checking',
  waiting_for_zoho: ':hourglass_flowing_sand: Waiting for Zoho',
  refused: ':no_entry_sign: Refused',
  draft: ':memo: Draft',
  pending_approval: ':hourglass_flowing_sand: Pending approval',
  approved: ':white_check_mark: Approved',
  running: ':arrows_counterclockwise: Running',
  done: ':white_check_mark: Done',
  failed: ':x: Failed',
  rejected: ':no_entry_sign: Rejected',
  expired: ':hourglass: Expired',
  cancelled: ':heavy_multiplication_x: Cancelled',
};

export interface Progress {
  /** Items in a final state (done, failed, unconfirmed, skipped). */
  finished: number;
  total: number;
  done: number;
  failed: number;
  unconfirmed: number;
  skipped: number;
  /** Items waiting to be tried again (Zoho busy or down, a pending job on the record). */
  waiting?: number;
}

/** From `Store.countItemsByState`. */
export function progressFromCounts(counts: Partial<Record<ItemState, number>>, total?: number): Progress {
  const get = (s: ItemState) => counts[s] ?? 0;
  const sum = Object.values(counts).reduce((n: number, v) => n + (v ?? 0), 0);
  const done = get('done');
  const failed = get('failed');
  const unconfirmed = get('unconfirmed');
  const skipped = get('skipped');
  return {
    finished: done + failed + unconfirmed + skipped,
    total: total ?? sum,
    done,
    failed,
    unconfirmed,
    skipped,
    waiting: get('retry'),
  };
}

/** State badge, with n/N while running and the failures of a finished request. */
export function stateBadge(state: RequestState, progress?: Progress): string {
  const base = STATE_BADGE[state];
  if (!progress) return base;
  if (state === 'running') return `${base} ${formatCount(progress.finished)}/${formatCount(progress.total)}`;
  if (state === 'done' && progress.failed + progress.unconfirmed > 0) {
    const parts = [`${formatCount(progress.done)} done`];
    if (progress.failed > 0) parts.push(`${formatCount(progress.failed)} failed`);
    if (progress.unconfirmed > 0) parts.push(`${formatCount(progress.unconfirmed)} unconfirmed`);
    return `:warning: Done with problems (${parts.join(', ')})`;
  }
  return base;
}
