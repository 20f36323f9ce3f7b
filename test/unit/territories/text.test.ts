import { describe, expect, it } from 'vitest';
import { editDistance, typoAllowance } from '../../../src/core/territories/text.js';

describe('editDistance (optimal string alignment)', () => {
  it('counts a swap of two neighbours as one edit', () => {
    expect(editDistance('wset', 'west')).toBe(1);
    expect(editDistance('ca', 'ac')).toBe(1);
    expect(editDistance('emae', 'emea')).toBe(1);
  });

  it('counts insertions, deletions and substitutions like Levenshtein', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('is the restricted distance: a swapped pair is not edited again', () => {
    // Full Damerau-Levenshtein says 2 (ca → ac → abc); optimal string alignment says 3.
    expect(editDistance('ca', 'abc')).toBe(3);
  });

  it('works on code points, not UTF-16 units', () => {
    expect(editDistance('東京', '京東')).toBe(1);
    expect(editDistance('😀a', 'a😀')).toBe(1);
  });

  it('gives up past max with max + 1, and agrees with the unbounded distance below it', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
    expect(editDistance('abcdefgh', 'a', 2)).toBe(3);
    const words = ['west', 'wset', 'east', 'us west', 'weston', 'twsee', 'ewst', 'w'];
    for (const a of words)
      for (const b of words)
        for (const max of [0, 1, 2, 3]) {
          const full = editDistance(a, b);
          expect(editDistance(a, b, max)).toBe(full > max ? max + 1 : full);
        }
  });

  it('allows one typo in short names, up to three in long ones', () => {
    expect(typoAllowance(4)).toBe(1);
    expect(typoAllowance(8)).toBe(2);
    expect(typoAllowance(40)).toBe(3);
  });
});
