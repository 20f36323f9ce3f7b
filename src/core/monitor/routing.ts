/**
 * The routing file (ROUTING_CONFIG): the territories the lead routing depends on, so the
 * monitor watches those instead of every territory. YAML, validated with zod; every problem
 * names the file, the line and the field, and says how to fix it, because a bad file stops the
 * start.
 *
 *   territories:
 *     - name: US West
 *       modules: [Leads, Deals]
 *     - id: "3652397000000123456"
 */

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { z } from 'zod';
import { normalizeModule } from '../records/modules.js';
import { editDistance, nameKey } from '../territories/text.js';
import { whyUnreadable } from '../unreadable.js';
import type { Territory, ZohoModule } from '../zoho/types.js';

// yaml (~7 MB of RSS) loads when a routing file is read, not with the app (issue 13).
const require = createRequire(import.meta.url);
const yaml = () => require('yaml') as typeof Yaml;

export interface RoutingEntry {
  /** 0-based position under `territories:`. */
  index: number;
  /** 1-based line in the file, for messages. */
  line: number | null;
  id: string | null;
  name: string | null;
  /** Modules routed to this territory; empty when the file does not say. */
  modules: ZohoModule[];
}

export interface RoutingConfig {
  file: string;
  entries: RoutingEntry[];
}

export class RoutingConfigError extends Error {
  override readonly name = 'RoutingConfigError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    message: string,
  ) {
    super(message);
  }
}

const EXAMPLE = [
  'territories:',
  '  - name: US West',
  '    modules: [Leads, Deals]',
  '  - id: "3652397000000123456"',
].join('\n');

const entrySchema = z
  .strictObject({
    id: z
      .string({ error: 'id must be a quoted string of digits, e.g. id: "3652397000000123456"' })
      .trim()
      .regex(/^\d{1,19}$/, {
        error: 'id must be the territory id: up to 19 digits, quoted, e.g. id: "3652397000000123456"',
      })
      .optional(),
    name: z
      .string({ error: 'name must be text, e.g. name: US West (quote names that look like numbers)' })
      .trim()
      .min(1, { error: 'name must not be empty' })
      .optional(),
    modules: z
      .array(
        z
          .string({ error: 'each module must be one of Leads, Accounts, Contacts, Deals' })
          .transform((v, ctx) => {
            const m = normalizeModule(v);
            if (!m) {
              ctx.addIssue({
                code: 'custom',
                message: `"${v}" is not a module with territories: use Leads, Accounts, Contacts or Deals`,
              });
              return z.NEVER;
            }
            return m;
          }),
        { error: 'modules must be a list, e.g. modules: [Leads, Deals]' },
      )
      .optional(),
  })
  .refine((e) => e.id !== undefined || e.name !== undefined, {
    error: 'each territory needs an id (quoted) or a name',
  });

const fileSchema = z.strictObject(
  {
    territories: z
      .array(entrySchema, { error: 'territories must be a list of entries, each starting with "- "' })
      .min(1, {
        error: 'territories lists nothing: add the territories the routing uses, or unset ROUTING_CONFIG',
      }),
  },
  { error: 'the file must be a mapping with a "territories:" list' },
);

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Parses and validates the file's text. Throws RoutingConfigError. */
export function parseRoutingConfig(text: string, file: string): RoutingConfig {
  const { isScalar, LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const fail = (line: number | null, field: string | null, what: string): never => {
    const where = [line !== null ? `line ${line}` : null, field].filter(Boolean).join(', ');
    throw new RoutingConfigError(
      file,
      line,
      field,
      `Routing file ${file}${where ? ` (${where})` : ''}: ${what}\nExpected shape:\n${EXAMPLE}`,
    );
  };
  const lineOf = (path: readonly PropertyKey[]): number | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] };
      if (node && typeof node === 'object' && Array.isArray(node.range))
        return lines.linePos(node.range[0]).line;
    }
    return null;
  };

  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? null;
    // yaml's message already ends with the offending line and a caret.
    fail(line, null, `not valid YAML: ${first.message.trim()}`);
  }
  if (doc.contents === null) {
    fail(null, null, 'the file is empty: list the territories under "territories:", or unset ROUTING_CONFIG');
  }

  // YAML reads an unquoted 19-digit id as a float and silently rounds it
  // (3652397000000123456 becomes 3652397000000123400), so plain numbers are refused before
  // they become a wrong territory id.
  const list = doc.get('territories', true);
  const count = list && typeof list === 'object' && 'items' in list ? (list.items as unknown[]).length : 0;
  for (let i = 0; i < count; i++) {
    for (const key of ['id', 'name'] as const) {
      const node = doc.getIn(['territories', i, key], true);
      if (isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'number') {
        const written = node.range ? text.slice(node.range[0], node.range[1]) : String(node.value);
        fail(
          lineOf(['territories', i, key]),
          `territories[${i}].${key}`,
          key === 'id'
            ? `id ${written} is an unquoted number. YAML reads it as a floating-point number and a 19-digit ` +
                `Zoho id loses its last digits (it would become ${String(node.value)}). Quote it: id: "${written}"`
            : `name ${written} is a number to YAML: quote it, e.g. name: "${written}"`,
        );
      }
    }
  }

  const parsed = fileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path;
    // The refine on an entry reports at the entry; unknown keys name themselves.
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''}${keys}: an entry takes only id, name and modules` +
          (path.length === 0 ? '; the file takes only "territories:"' : '')
        : issue.message;
    const at = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...path, issue.keys[0]] : path;
    fail(lineOf(at), at.length ? fieldPath(at) : null, message);
  }
  const data = parsed.data!;

  const entries: RoutingEntry[] = data.territories.map((e, index) => ({
    index,
    line: lineOf(['territories', index]),
    id: e.id ?? null,
    name: e.name ?? null,
    modules: [...new Set(e.modules ?? [])],
  }));

  const seen = new Map<string, RoutingEntry>();
  for (const e of entries) {
    const key = e.id !== null ? `id:${e.id}` : `name:${e.name!.toLowerCase()}`;
    const prev = seen.get(key);
    if (prev) {
      fail(
        e.line,
        `territories[${e.index}]`,
        `${e.id !== null ? `id "${e.id}"` : `name "${e.name}"`} is listed twice (also line ${prev.line}): ` +
          'keep one entry and put all its modules there',
      );
    }
    seen.set(key, e);
  }
  return { file, entries };
}

/** Reads the file at ROUTING_CONFIG; null path → null (every territory is watched). */
export async function loadRoutingConfig(path: string | null | undefined): Promise<RoutingConfig | null> {
  if (!path) return null;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const why = whyUnreadable(err);
    throw new RoutingConfigError(
      path,
      null,
      null,
      `Routing file ${path}: ${why}. Fix ROUTING_CONFIG to point at a readable YAML file, or unset it to watch every territory.`,
    );
  }
  return parseRoutingConfig(text, path);
}

/** What the monitor watches this run, resolved against the current territory list. */
export interface WatchedTerritory {
  id: string;
  /** The name in Zoho now. */
  name: string;
  modules: ZohoModule[];
  /** The entry that asked for it; null when every territory is watched. */
  entry: RoutingEntry | null;
}

export type RoutingProblem =
  /** An `id:` entry whose territory is not in the list (deleted, or not visible to the API user). */
  | { kind: 'missing_id'; entry: RoutingEntry }
  /** A `name:` entry that matches no territory; `previous` is what it matched last time, if known. */
  | {
      kind: 'unmatched_name';
      entry: RoutingEntry;
      previous: { id: string; currentName: string | null } | null;
      suggestions: string[];
    }
  /** A `name:` entry that matches several territories. */
  | { kind: 'ambiguous_name'; entry: RoutingEntry; candidates: Territory[] };

export interface RoutingResolution {
  watched: WatchedTerritory[];
  problems: RoutingProblem[];
}

/** Last known id → name of watched territories (kept in the store between runs). */
export type TerritoryNames = Readonly<Record<string, string>>;

// Names match as `/territory` matches them (territories/text.ts).
const norm = nameKey;

/**
 * Resolves the routing entries against today's territory list. Names match case-insensitively
 * (as `/territory` does); `previous` (id → name from earlier runs) explains a name that stopped
 * matching: renamed (same id, new name) or deleted (id gone).
 */
export function resolveRouting(
  config: RoutingConfig | null,
  territories: readonly Territory[],
  previous: TerritoryNames = {},
): RoutingResolution {
  if (!config) {
    return {
      watched: territories.map((t) => ({ id: t.id, name: t.name, modules: [], entry: null })),
      problems: [],
    };
  }
  const byId = new Map(territories.map((t) => [t.id, t]));
  const byName = new Map<string, Territory[]>();
  for (const t of territories) {
    const k = norm(t.name);
    byName.set(k, [...(byName.get(k) ?? []), t]);
  }
  const watched = new Map<string, WatchedTerritory>();
  const problems: RoutingProblem[] = [];
  const add = (t: Territory, entry: RoutingEntry) => {
    const had = watched.get(t.id);
    if (had) had.modules = [...new Set([...had.modules, ...entry.modules])];
    else watched.set(t.id, { id: t.id, name: t.name, modules: [...entry.modules], entry });
  };
  for (const entry of config.entries) {
    if (entry.id !== null) {
      const t = byId.get(entry.id);
      if (t) add(t, entry);
      else problems.push({ kind: 'missing_id', entry });
      continue;
    }
    const matches = byName.get(norm(entry.name!)) ?? [];
    if (matches.length === 1) {
      add(matches[0]!, entry);
    } else if (matches.length > 1) {
      problems.push({ kind: 'ambiguous_name', entry, candidates: matches });
    } else {
      const prevId = Object.entries(previous).find(([, n]) => norm(n) === norm(entry.name!))?.[0];
      problems.push({
        kind: 'unmatched_name',
        entry,
        previous: prevId ? { id: prevId, currentName: byId.get(prevId)?.name ?? null } : null,
        suggestions: suggestNames(entry.name!, territories),
      });
    }
  }
  return { watched: [...watched.values()], problems };
}

/** Up to three territory names close to `name` (shared words, prefix, small edit distance). */
export function suggestNames(name: string, territories: readonly Territory[]): string[] {
  const target = norm(name);
  const scored = territories
    .map((t) => ({ name: t.name, d: distance(target, norm(t.name)) }))
    .filter((s) => s.d <= Math.max(2, Math.floor(target.length / 3)) || norm(s.name).includes(target))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
  return [...new Set(scored.map((s) => s.name))].slice(0, 3);
}

/** Edit distance, except names of very different lengths are simply far apart. */
function distance(a: string, b: string): number {
  return Math.abs(a.length - b.length) > 8 ? 99 : editDistance(a, b);
}
