/**
 * `/territory list [filter]`: the territory tree, indented, marking the territories the API
 * user cannot use and why. Big trees (thousands of territories) are cut within Slack's message
 * limits, saying how many were left out and how to narrow the list.
 */
import type { KnownBlock } from '@slack/types';
import type { Territory } from '../core/zoho/types.js';
import { context, type SlackMessage, section } from './blocks.js';
import { NAME_MAX } from './labels.js';
import { packLines, renderLimit } from './pack.js';
import { escapeTruncate, formatCount, oneLine, plural } from './text.js';

export interface TerritoryListInput {
  territories: readonly Territory[];
  /** Territory id -> why the API user cannot assign to it. */
  unusable: ReadonlyMap<string, string>;
  /** Case-insensitive part of a name or an id; matches are shown with their ancestors. */
  filter?: string | null;
}

/** Em spaces: Slack keeps them, unlike leading ASCII spaces. Deep trees stop indenting at 8. */
const INDENT = '\u2003';
const MAX_INDENT = 8;
const TREE_CHARS = 8_000;
const TREE_BLOCKS = 8;

interface Row {
  territory: Territory;
  depth: number;
  matched: boolean;
}

/** Depth-first order, children by name; orphans (parent unknown) become roots; cycles are cut. */
export function treeRows(territories: readonly Territory[]): Array<{ territory: Territory; depth: number }> {
  const byId = new Map(territories.map((t) => [t.id, t]));
  const children = new Map<string, Territory[]>();
  const roots: Territory[] = [];
  for (const t of territories) {
    if (t.parentId !== null && t.parentId !== t.id && byId.has(t.parentId)) {
      const list = children.get(t.parentId) ?? [];
      list.push(t);
      children.set(t.parentId, list);
    } else {
      roots.push(t);
    }
  }
  const byName = (a: Territory, b: Territory) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const out: Array<{ territory: Territory; depth: number }> = [];
  const seen = new Set<string>();
  // Iterative DFS: a 2,000-deep chain must not overflow the stack.
  const stack: Array<{ territory: Territory; depth: number }> = [...roots]
    .sort(byName)
    .reverse()
    .map((t) => ({ territory: t, depth: 0 }));
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next.territory.id)) continue;
    seen.add(next.territory.id);
    out.push(next);
    const kids = [...(children.get(next.territory.id) ?? [])].sort(byName).reverse();
    for (const k of kids) stack.push({ territory: k, depth: next.depth + 1 });
  }
  // Territories only reachable through a cycle: list them at the top level rather than lose them.
  for (const t of territories) if (!seen.has(t.id)) out.push({ territory: t, depth: 0 });
  return out;
}

function filterRows(
  rows: Array<{ territory: Territory; depth: number }>,
  byId: Map<string, Territory>,
  filter: string,
): Row[] {
  const needle = filter.trim().toLowerCase();
  const matched = new Set(
    rows
      .filter((r) => r.territory.name.toLowerCase().includes(needle) || r.territory.id === needle)
      .map((r) => r.territory.id),
  );
  const keep = new Set(matched);
  for (const id of matched) {
    let parent = byId.get(id)?.parentId ?? null;
    const guard = new Set<string>();
    while (parent !== null && !guard.has(parent) && byId.has(parent)) {
      guard.add(parent);
      keep.add(parent);
      parent = byId.get(parent)?.parentId ?? null;
    }
  }
  return rows
    .filter((r) => keep.has(r.territory.id))
    .map((r) => ({ ...r, matched: matched.has(r.territory.id) }));
}

function rowLine(row: Row, unusable: ReadonlyMap<string, string>, filtering: boolean): string {
  const indent = INDENT.repeat(Math.min(row.depth, MAX_INDENT));
  const name = escapeTruncate(oneLine(row.territory.name) || row.territory.id, NAME_MAX);
  const label = filtering && !row.matched ? `_${name}_` : `*${name}*`;
  const why = unusable.get(row.territory.id);
  return why
    ? `${indent}:no_entry: ${label} — _${escapeTruncate(oneLine(why), 120)}_`
    : `${indent}• ${label}`;
}

export function buildTerritoryListMessage(input: TerritoryListInput): SlackMessage {
  const filter = input.filter?.trim() ?? '';
  const all = treeRows(input.territories);
  const byId = new Map(input.territories.map((t) => [t.id, t]));
  const rows: Row[] = filter ? filterRows(all, byId, filter) : all.map((r) => ({ ...r, matched: true }));
  const unusableCount = input.territories.filter((t) => input.unusable.has(t.id)).length;

  const title = filter
    ? `*Territories matching “${escapeTruncate(oneLine(filter), 60)}”*: ${formatCount(rows.filter((r) => r.matched).length)} of ${formatCount(input.territories.length)}`
    : `*Territories*: ${formatCount(input.territories.length)}`;
  const blocks: KnownBlock[] = [
    section(
      `${title}${unusableCount > 0 ? ` · :no_entry: ${plural(unusableCount, 'territory', 'territories')} the bot cannot use` : ''}`,
    ),
  ];
  if (rows.length === 0) {
    blocks.push(
      section(
        filter ? 'No territory matches. Try part of a name, or no filter.' : 'No territories found in Zoho.',
      ),
    );
    return {
      text: filter ? `No territory matches "${escapeTruncate(oneLine(filter), 60)}"` : 'No territories',
      blocks,
    };
  }

  const lines = rows
    .slice(0, renderLimit(TREE_CHARS, 6))
    .map((r) => rowLine(r, input.unusable, filter !== ''));
  const packed = packLines(lines, {
    maxBlocks: TREE_BLOCKS,
    maxChars: TREE_CHARS,
    totalLines: rows.length,
    more: (n) =>
      `_…and ${plural(n, 'more territory', 'more territories')} not shown. Narrow it down with \`/territory list <part of a name>\`._`,
  });
  blocks.push(...packed.blocks);

  // Unusable territories cut from the tree are still named, so nobody misses one.
  const hiddenUnusable = rows
    .slice(packed.shown)
    .filter((r) => input.unusable.has(r.territory.id))
    .map((r) => `:no_entry: ${escapeTruncate(oneLine(r.territory.name), 40)}`);
  if (hiddenUnusable.length > 0) {
    const shown = hiddenUnusable.slice(0, 10).join(', ');
    const rest = hiddenUnusable.length - Math.min(10, hiddenUnusable.length);
    blocks.push(
      context(
        `Also cannot be used (not shown above): ${shown}${rest > 0 ? ` and ${formatCount(rest)} more` : ''}`,
      ),
    );
  }
  if (unusableCount > 0)
    blocks.push(context('`/territory health` explains how to fix territories the bot cannot use.'));

  return {
    text: `${formatCount(input.territories.length)} territories${unusableCount > 0 ? `, ${formatCount(unusableCount)} the bot cannot use` : ''}`,
    blocks,
  };
}
