/** Text matching for territory names people type: case, spacing, accents, typos. */

/** Case- and spacing-insensitive key; NFKC so full-width and composed forms compare equal. */
export function nameKey(s: string): string {
  return s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** nameKey without accents ("São Paulo" → "sao paulo"), for suggestions only. */
export function foldedKey(s: string): string {
  return nameKey(s)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

/**
 * Edit distance over code points counting a swap of two neighbours as one edit (optimal string
 * alignment, the restricted Damerau–Levenshtein distance): "Wset" is one typo from "West", not
 * two. Gives up (returning max + 1) once every alignment exceeds `max`, so scanning thousands of
 * names per keystroke stays cheap. The npm packages for this (damerau-levenshtein, talisman's
 * metrics) are CommonJS without types and have no such cut-off; this is the one place for it.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (Math.abs(s.length - t.length) > max) return max + 1;
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  // Three rows: a transposition looks two rows back.
  let prev2 = new Array<number>(t.length + 1).fill(0);
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  let cur = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // Safe with transpositions too: a row's minimum is at most one above the previous row's,
    // so once a row is past max, every later row is.
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  const d = prev[t.length]!;
  return d > max ? max + 1 : d;
}

/** Typos tolerated for a name of this length: 1 for short names, up to 3. */
export function typoAllowance(length: number): number {
  return Math.min(3, Math.max(1, Math.floor(length / 4)));
}

/** Cuts to at most `max` UTF-16 units (Slack's limits), never splitting a character; adds "…". */
export function clipEnd(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** Like clipEnd but keeps the end ("… › Americas › US West"). */
export function clipStart(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = Array.from(s);
  let out = '';
  for (let i = chars.length - 1; i >= 0; i--) {
    const ch = chars[i]!;
    if (out.length + ch.length > max - 1) break;
    out = ch + out;
  }
  return `…${out}`;
}
