import { describe, expect, it } from 'vitest';
import { packLines } from '../../../src/views/pack.js';
import {
  escapeMrkdwn,
  escapeTruncate,
  formatCount,
  mention,
  slackDate,
  truncate,
  truncateMrkdwn,
} from '../../../src/views/text.js';

describe('text helpers', () => {
  it('escapes &, <, > so user text cannot ping or link', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> <http://x|y>')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;http://x|y&gt;',
    );
  });

  it('truncates without splitting surrogate pairs or entities', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    const t = escapeTruncate('a&&&&&&', 8);
    expect(t.length).toBeLessThanOrEqual(8);
    expect(t).toBe('a&amp;…');
    expect(truncateMrkdwn('hello <@U12345678> there', 12)).toBe('hello …');
    expect(truncateMrkdwn('x &amp; y', 5)).toBe('x …');
  });

  it('mentions only well-formed ids', () => {
    expect(mention('U0123ABC')).toBe('<@U0123ABC>');
    expect(mention('<!here>')).toBe('&lt;!here&gt;');
  });

  it('formats dates and counts', () => {
    expect(slackDate(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe(
      '<!date^1767323045^{date_short_pretty} at {time}|2026-01-02 03:04 UTC>',
    );
    expect(formatCount(10000)).toBe('10,000');
    expect(formatCount(999)).toBe('999');
  });
});

describe('packLines', () => {
  it('packs short lines into one section', () => {
    const p = packLines(['a', 'b', 'c'], { maxBlocks: 5, maxChars: 1000 });
    expect(p.blocks).toHaveLength(1);
    expect(p.shown).toBe(3);
    expect(p.omitted).toBe(0);
  });

  it('splits across sections under 3000 chars and ends with the more line', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `Line ${i}: ${'x'.repeat(80)}`);
    const p = packLines(lines, { maxBlocks: 4, maxChars: 11_000, more: (n) => `…and ${n} more` });
    expect(p.blocks.length).toBeLessThanOrEqual(4);
    expect(p.shown + p.omitted).toBe(10_000);
    const texts = p.blocks.map((b) => b.text?.text ?? '');
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);
    expect(texts.join('').length).toBeLessThanOrEqual(11_000);
    expect(texts.at(-1)?.endsWith(`\n…and ${p.omitted} more`)).toBe(true);
    expect(texts[0]?.startsWith('Line 0:')).toBe(true);
  });

  it('puts the closing line in its own block when the last section is full', () => {
    const lines = Array.from({ length: 10 }, () => 'z'.repeat(2990));
    const p = packLines(lines, { maxBlocks: 3, maxChars: 100_000 });
    expect(p.blocks).toHaveLength(3);
    expect(p.shown).toBe(2);
    expect(p.blocks[2]?.text?.text).toBe('_…and 8 more_');
  });

  it('cuts a single oversized line instead of failing', () => {
    const p = packLines(['y'.repeat(10_000)], { maxBlocks: 2, maxChars: 20_000 });
    expect(p.blocks[0]?.text?.text.length).toBe(3000);
    expect(p.shown).toBe(1);
  });
});
