/**
 * Territory names and ids as people type them → territories from the catalog. A name that
 * matches nothing gets "did you mean" suggestions; a name shared by several territories lists
 * them with their paths, and the path ("Americas › West") or the id picks one.
 */
import type { Territory } from '../zoho/types.js';
import { PATH_SEPARATOR, TerritoryIndex } from './hierarchy.js';
import { type SuggestionBudget, SuggestionIndex } from './suggest.js';
import { clipEnd, clipStart, editDistance, foldedKey, nameKey, typoAllowance } from './text.js';

export type TerritoryMatch = 'id' | 'name' | 'api_name' | 'path';

export interface TerritoryCandidate {
  territory: Territory;
  path: string;
}

export type TerritoryResolution =
  | { ok: true; input: string; territory: Territory; matchedBy: TerritoryMatch }
  | {
      ok: false;
      input: string;
      reason: 'empty' | 'not_found' | 'ambiguous' | 'too_many';
      /** A sentence for people. */
      message: string;
      /** Close names for not_found (at most 3). */
      suggestions: TerritoryCandidate[];
      /** Every match for ambiguous. */
      candidates: TerritoryCandidate[];
    };

export type TerritoryResolutionFailure = Extract<TerritoryResolution, { ok: false }>;

export interface TerritoriesResolution {
  ok: boolean;
  /** Resolved territories, in input order, each once. */
  territories: Territory[];
  failures: TerritoryResolutionFailure[];
  /** Every failure's message, one per line; null when all resolved. */
  message: string | null;
}

export interface TerritoryOption {
  id: string;
  name: string;
  path: string;
  /** For Slack select options: at most 75 characters. */
  label: string;
}

/** Slack's external select: at most 100 options, labels at most 75 characters. */
export const MAX_SELECT_OPTIONS = 100;
export const MAX_OPTION_LABEL = 75;
/** Zoho holds at most 10 territories on a record: more names on one line is not a request. */
export const MAX_TERRITORIES_PER_ENTRY = 10;

type Catalog = TerritoryIndex | readonly Territory[];

// Resolution runs once per line of a bulk list; build the name maps once per snapshot.
const lookups = new WeakMap<object, Lookup>();

interface Entry {
  territory: Territory;
  /** For the suggestion index's tie-breaks. */
  displayName: string;
  id: string;
  path: string;
  /** Folded (case, spacing, accents) name, api_name and path, computed once per snapshot. */
  name: string;
  nameLength: number;
  words: string[];
  api: string;
  apiLength: number;
  foldedPath: string;
}

interface Lookup {
  index: TerritoryIndex;
  byName: Map<string, Territory[]>;
  byApiName: Map<string, Territory[]>;
  /** Tree order (as listed to people). */
  entries: Entry[];
  /** "Did you mean": bigram index built once per snapshot (suggest.ts). */
  suggestions: SuggestionIndex<Entry>;
}

function lookupFor(catalog: Catalog): Lookup {
  const cached = lookups.get(catalog);
  if (cached) return cached;
  const index = catalog instanceof TerritoryIndex ? catalog : new TerritoryIndex(catalog);
  const fromIndex = lookups.get(index);
  if (fromIndex) {
    lookups.set(catalog, fromIndex);
    return fromIndex;
  }
  const byName = new Map<string, Territory[]>();
  const byApiName = new Map<string, Territory[]>();
  const add = (map: Map<string, Territory[]>, key: string, t: Territory) => {
    const list = map.get(key);
    if (list) list.push(t);
    else map.set(key, [t]);
  };
  for (const t of index.list) {
    add(byName, nameKey(t.name), t);
    if (t.apiName) add(byApiName, nameKey(t.apiName), t);
  }
  const entries = index.lines().map((l): Entry => {
    const name = foldedKey(l.territory.name);
    const api = l.territory.apiName ? foldedKey(l.territory.apiName) : '';
    return {
      territory: l.territory,
      displayName: l.territory.name,
      id: l.territory.id,
      path: l.path,
      name,
      nameLength: Array.from(name).length,
      words: name.split(/[\s\-_/]/).filter((w) => w !== ''),
      api,
      apiLength: Array.from(api).length,
      foldedPath: foldedKey(l.path),
    };
  });
  const lookup: Lookup = { index, byName, byApiName, entries, suggestions: new SuggestionIndex(entries) };
  lookups.set(catalog, lookup);
  lookups.set(index, lookup);
  return lookup;
}

/** One territory by id, name (case-insensitive), api_name, or path. */
export function resolveTerritory(
  catalog: Catalog,
  input: string,
  /** Shared by every name of one list: bounds the names scored for suggestions. */
  budget?: SuggestionBudget,
): TerritoryResolution {
  const text = stripQuotes(input.trim()).trim();
  const lookup = lookupFor(catalog);
  const { index, byName, byApiName } = lookup;
  const fail = (
    reason: TerritoryResolutionFailure['reason'],
    message: string,
    suggestions: TerritoryCandidate[] = [],
    candidates: TerritoryCandidate[] = [],
  ): TerritoryResolutionFailure => ({ ok: false, input, reason, message, suggestions, candidates });

  if (text === '') return fail('empty', 'No territory given: give its name or id.');

  if (/^\d+$/.test(text)) {
    const t = index.byId(text);
    if (t) return { ok: true, input, territory: t, matchedBy: 'id' };
  }

  const key = nameKey(text);
  const attempts: Array<[TerritoryMatch, Territory[] | undefined]> = [
    ['name', byName.get(key)],
    ['api_name', byApiName.get(key)],
    ['path', matchPath(index, byName, text)],
  ];
  for (const [matchedBy, found] of attempts) {
    if (!found || found.length === 0) continue;
    const unique = dedupe(found);
    if (unique.length === 1) return { ok: true, input, territory: unique[0]!, matchedBy };
    const candidates = unique.map((t) => candidate(index, t));
    return fail(
      'ambiguous',
      `"${text}" matches ${unique.length} territories: ${candidates
        .map((c) => `${c.path} (id ${c.territory.id})`)
        .join('; ')}. Give the id or the path, e.g. "${shortPath(index, unique[0]!)}".`,
      [],
      candidates,
    );
  }

  if (/^\d{15,19}$/.test(text)) {
    return fail('not_found', `No territory has the id ${text}; it may have been deleted.`);
  }
  const suggestions = suggest(lookup, text, budget);
  return fail(
    'not_found',
    suggestions.length > 0
      ? `No territory is called "${text}". Did you mean ${suggestions.map((s) => describe(s)).join(', or ')}?`
      : `No territory is called "${text}". Check the spelling against the territory list (/territory list).`,
    suggestions,
  );
}

/**
 * Several territories: a comma- (or semicolon-) separated string or a list. The whole string
 * is tried first, so a name containing a comma still resolves.
 */
export function resolveTerritories(
  catalog: Catalog,
  inputs: string | readonly string[],
  budget?: SuggestionBudget,
): TerritoriesResolution {
  const index = lookupFor(catalog).index;
  let parts: string[];
  if (typeof inputs === 'string') {
    const whole = inputs.trim();
    const single = whole === '' ? null : resolveTerritory(index, whole, budget);
    parts = single?.ok && /[,;]/.test(whole) ? [whole] : splitTerritoryList(inputs);
  } else {
    parts = inputs.map((s) => s.trim()).filter((s) => s !== '');
  }
  if (parts.length === 0) {
    const failure = resolveTerritory(index, '') as TerritoryResolutionFailure;
    return { ok: false, territories: [], failures: [failure], message: failure.message };
  }
  if (parts.length > MAX_TERRITORIES_PER_ENTRY) {
    // Bounded work: a line of a thousand names is not resolved name by name.
    const message = `${parts.length} territories are named, but a record holds at most ${MAX_TERRITORIES_PER_ENTRY}: name fewer.`;
    const failure: TerritoryResolutionFailure = {
      ok: false,
      input: parts.slice(0, 3).join(', ').slice(0, 200),
      reason: 'too_many',
      message,
      suggestions: [],
      candidates: [],
    };
    return { ok: false, territories: [], failures: [failure], message };
  }
  const territories: Territory[] = [];
  const failures: TerritoryResolutionFailure[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const r = resolveTerritory(index, part, budget);
    if (!r.ok) failures.push(r);
    else if (!seen.has(r.territory.id)) {
      seen.add(r.territory.id);
      territories.push(r.territory);
    }
  }
  return {
    ok: failures.length === 0,
    territories,
    failures,
    message: failures.length === 0 ? null : failures.map((f) => f.message).join('\n'),
  };
}

export function splitTerritoryList(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Type-ahead for Slack's external select: best matches first (id, exact name, prefix, word
 * prefix, substring, path, then typos), at most `limit` (≤ 100) options with labels ≤ 75 chars.
 */
export function searchTerritories(
  catalog: Catalog,
  query: string,
  limit = MAX_SELECT_OPTIONS,
): TerritoryOption[] {
  const { entries } = lookupFor(catalog);
  const max = Math.max(0, Math.min(limit, MAX_SELECT_OPTIONS));
  const q = nameKey(query);
  if (q === '') return entries.slice(0, max).map((e) => option(e.territory, e.path));

  const fq = foldedKey(query);
  const qLength = Array.from(fq).length;
  const allowance = typoAllowance(qLength);
  const id = query.trim();
  const scored: Array<{ score: number; order: number; entry: Entry }> = [];
  entries.forEach((e, order) => {
    let score: number;
    if (e.territory.id === id) score = 0;
    else if (e.name === fq || e.api === fq) score = 1;
    else if (e.name.startsWith(fq)) score = 2;
    else if (e.words.some((w) => w.startsWith(fq))) score = 3;
    else if (e.name.includes(fq) || e.api.includes(fq)) score = 4;
    else if (e.foldedPath.includes(fq) || e.territory.id.startsWith(id)) score = 5;
    // Typo tolerance on one or two characters would match nearly everything.
    else if (qLength < 3) return;
    else {
      const d = Math.min(
        editDistance(fq, e.name, allowance),
        editDistance(fq, e.name.slice(0, fq.length), allowance),
      );
      if (d > allowance) return;
      score = 6 + d;
    }
    scored.push({ score, order, entry: e });
  });
  scored.sort((a, b) => a.score - b.score || a.order - b.order);
  return scored.slice(0, max).map((s) => option(s.entry.territory, s.entry.path));
}

/** "US West (Global › Americas › US West)", or just the name at the top. */
export function describeTerritory(catalog: Catalog, territory: Territory): string {
  return describe(candidate(lookupFor(catalog).index, territory));
}

function describe(c: TerritoryCandidate): string {
  return c.path === c.territory.name ? c.territory.name : `${c.territory.name} (${c.path})`;
}

function option(t: Territory, path: string): TerritoryOption {
  // The path tells same-named territories apart; when too long keep its end, which names the territory.
  const label =
    path.length <= MAX_OPTION_LABEL
      ? path
      : t.name.length + 2 > MAX_OPTION_LABEL
        ? clipEnd(t.name, MAX_OPTION_LABEL)
        : clipStart(path, MAX_OPTION_LABEL);
  return { id: t.id, name: t.name, path, label };
}

function candidate(index: TerritoryIndex, t: Territory): TerritoryCandidate {
  return { territory: t, path: index.path(t.id) };
}

function shortPath(index: TerritoryIndex, t: Territory): string {
  const names = index.pathNames(t.id);
  return names.slice(-2).join(PATH_SEPARATOR);
}

function dedupe(list: Territory[]): Territory[] {
  return [...new Map(list.map((t) => [t.id, t])).values()];
}

/** "Americas › West", "Americas > West" or "Americas/West": the last names of a path. */
function matchPath(
  index: TerritoryIndex,
  byName: Map<string, Territory[]>,
  text: string,
): Territory[] | undefined {
  if (!/[›>/]/.test(text)) return undefined;
  const segments = text
    .split(/[›>/]/)
    .map(nameKey)
    .filter((s) => s !== '');
  if (segments.length < 2) return undefined;
  const last = segments[segments.length - 1]!;
  return (byName.get(last) ?? []).filter((t) => {
    const names = index.pathNames(t.id).map(nameKey);
    if (names.length < segments.length) return false;
    const tail = names.slice(names.length - segments.length);
    return tail.every((n, i) => n === segments[i]);
  });
}

function suggest(lookup: Lookup, text: string, budget?: SuggestionBudget): TerritoryCandidate[] {
  const cached = lookup.suggestions.cached(text);
  // Past the list's budget an unknown name is reported without suggestions (bounded work).
  const found = cached ?? (!budget || budget.take() ? lookup.suggestions.suggest(text) : []);
  return found.map((e) => ({ territory: e.territory, path: e.path }));
}

// Quotes, and Slack's code/bold marks people wrap names in.
const QUOTES = new Set(['"', "'", '“', '”', '‘', '’', '`', '*']);

/** Quotes around a typed name; a loop because `["…]+$` is quadratic on long runs. */
function stripQuotes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && QUOTES.has(s[start]!)) start++;
  while (end > start && QUOTES.has(s[end - 1]!)) end--;
  return s.slice(start, end);
}
