import { describe, expect, it } from 'vitest';
import {
  type InboundClaim,
  InboundClaims,
  MAX_CLAIMS_PER_STATEMENT,
} from '../../../src/core/store/inbound-claims.js';

/** A writer that records each statement and treats keys it has not seen as new. */
function recordingWriter(fail = false) {
  const seen = new Set<string>();
  const statements: Array<{ keys: string[]; keepMs: number }> = [];
  const write = async (claims: readonly InboundClaim[], keepMs: number) => {
    statements.push({ keys: claims.map((c) => c.key), keepMs });
    if (fail) throw new Error('store down');
    const fresh = new Set(claims.map((c) => c.key).filter((k) => !seen.has(k)));
    for (const k of fresh) seen.add(k);
    return fresh;
  };
  return { write, statements };
}

describe('InboundClaims', () => {
  it('writes the claims of one turn in one statement; a key twice in it is claimed once', async () => {
    const w = recordingWriter();
    const claims = new InboundClaims(w.write);
    const answers = await Promise.all([
      claims.claim('a', 1, 60_000),
      claims.claim('b', 1, 60_000),
      claims.claim('a', 2, 60_000),
    ]);
    expect(answers).toEqual([true, true, false]);
    expect(w.statements).toEqual([{ keys: ['a', 'b'], keepMs: 60_000 }]);
    // The next turn is its own statement, and knows what the first one claimed.
    expect(await claims.claim('b', 3, 60_000)).toBe(false);
    expect(w.statements).toHaveLength(2);
  });

  it('splits a large turn into bounded statements, and by window', async () => {
    const w = recordingWriter();
    const claims = new InboundClaims(w.write);
    const n = MAX_CLAIMS_PER_STATEMENT + 1;
    const answers = await Promise.all([
      ...Array.from({ length: n }, (_, i) => claims.claim(`k${i}`, 1, 60_000)),
      claims.claim('other-window', 1, 1_000),
    ]);
    expect(answers.every((a) => a)).toBe(true);
    expect(w.statements.map((s) => [s.keys.length, s.keepMs])).toEqual([
      [MAX_CLAIMS_PER_STATEMENT, 60_000],
      [1, 60_000],
      [1, 1_000],
    ]);
  });

  it('fails every claim of a statement the store refused', async () => {
    const claims = new InboundClaims(recordingWriter(true).write);
    const answers = await Promise.allSettled([claims.claim('a', 1, 60_000), claims.claim('b', 1, 60_000)]);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
  });
});
