/**
 * "Did you mean" for a territory name that matches nothing, at a bounded cost whatever the
 * input (issue 11 item 3). The catalog is indexed once per snapshot by character bigrams; a
 * name is scored only against the few catalog entries sharing the most bigrams with it, never
 * against every entry. A list shares one SuggestionBudget, so a paste of thousands of unknown
 * names scores at most a fixed number of them; the rest are reported without suggestions.
 */
import { editDistance, foldedKey, typoAllowance } from './text.js';

/** What the index needs of a catalog entry (folded names, computed once per snapshot). */
export interface SuggestEntry {
  name: string;
  nameLength: number;
  api: string;
  apiLength: number;
  /** The folded name's words: one word typed with a typo ("Wset") still finds "US West". */
  words?: readonly string[];
  /** Tie-breakers, in this order. */
  displayName: string;
  id: string;
}

/** Candidates scored per name: the entries sharing the most bigrams with it. */
export const SUGGESTION_CANDIDATES = 48;
/** Distinct unknown names scored per list (the rest get the plain "no territory is called…"). */
export const SUGGESTIONS_PER_LIST = 50;
/** Longer input is no territory name; only its start is looked at. */
export const MAX_SUGGEST_QUERY_CHARS = 80;
const MAX_SUGGESTIONS = 3;

/** One per list (bulk modal, command): counts the unknown names that were scored. */
export class SuggestionBudget {
  private used = 0;
  constructor(readonly limit = SUGGESTIONS_PER_LIST) {}
  /** Takes one unit; false when the list has spent its budget. */
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }
}

function bigrams(s: string): string[] {
  const padded = ` ${s} `;
  const out = new Set<string>();
  const chars = Array.from(padded);
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return [...out];
}

export class SuggestionIndex<E extends SuggestEntry> {
  private readonly postings = new Map<string, number[]>();
  /** Per folded query: repeated typos in a list cost one scoring. Bounded. */
  private readonly cache = new Map<string, E[]>();

  constructor(private readonly entries: readonly E[]) {
    entries.forEach((e, i) => {
      const grams = new Set([...bigrams(e.name), ...(e.api ? bigrams(e.api) : [])]);
      for (const g of grams) {
        const list = this.postings.get(g);
        if (list) list.push(i);
        else this.postings.set(g, [i]);
      }
    });
  }

  /** Cached result for this input, if any (costs no budget). */
  cached(text: string): E[] | undefined {
    const hit = this.cache.get(queryKey(text));
    return hit ? [...hit] : undefined;
  }

  /** At most three close entries, best first. */
  suggest(text: string): E[] {
    const q = queryKey(text);
    const hit = this.cache.get(q);
    if (hit) return [...hit];
    const result = this.score(q, this.candidates(q));
    if (this.cache.size < 10_000) this.cache.set(q, result);
    return [...result];
  }

  /** The entries sharing the most bigrams with q (ties: catalog order). */
  private candidates(q: string): E[] {
    const counts = new Map<number, number>();
    for (const g of bigrams(q)) {
      for (const i of this.postings.get(g) ?? []) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    return [...counts]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, SUGGESTION_CANDIDATES)
      .map(([i]) => this.entries[i]!);
  }

  private score(q: string, candidates: readonly E[]): E[] {
    const qLen = Array.from(q).length;
    const allowance = typoAllowance(qLen);
    const scored: Array<{ e: E; score: number; d: number }> = [];
    for (const e of candidates) {
      let best: { score: number; d: number } | null = null;
      for (const [n, nLen] of [
        [e.name, e.nameLength],
        [e.api, e.apiLength],
      ] as const) {
        if (n === '') continue;
        let s: { score: number; d: number } | null = null;
        if (n === q) s = { score: 0, d: 0 };
        else if (n.startsWith(q) || (q.startsWith(n) && nLen >= 3))
          s = { score: 1, d: Math.abs(nLen - qLen) };
        else if (qLen >= 2 && n.includes(q)) s = { score: 2, d: nLen - qLen };
        else if (Math.abs(nLen - qLen) <= allowance) {
          const d = editDistance(q, n, allowance);
          if (d <= allowance) s = { score: 3, d };
        }
        if (s && (!best || s.score < best.score || (s.score === best.score && s.d < best.d))) best = s;
      }
      if (!best && qLen >= 3 && !q.includes(' ')) {
        for (const w of e.words ?? []) {
          const wLen = Array.from(w).length;
          if (Math.abs(wLen - qLen) > allowance) continue;
          const d = editDistance(q, w, allowance);
          if (d <= allowance && (!best || d < best.d)) best = { score: 4, d };
        }
      }
      if (best) scored.push({ e, ...best });
    }
    scored.sort(
      (a, b) =>
        a.score - b.score ||
        a.d - b.d ||
        a.e.displayName.localeCompare(b.e.displayName) ||
        (a.e.id < b.e.id ? -1 : 1),
    );
    return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.e);
  }
}

function queryKey(text: string): string {
  return Array.from(foldedKey(text)).slice(0, MAX_SUGGEST_QUERY_CHARS).join('');
}
