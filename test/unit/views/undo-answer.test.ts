import { describe, expect, it } from 'vitest';
import { assertBlockKitLimits } from '../../../src/views/limits.js';
import { buildUndoAnswer } from '../../../src/views/undo-answer.js';

const skipped = Array.from({ length: 5_000 }, (_, i) => ({
  module: 'Leads',
  recordId: String(3652397000001000000n + BigInt(i)),
  reason: `Changed since the request: it now has ${'Very Long Territory Name <!channel> '.repeat(20)}`,
}));

describe('undo answer', () => {
  it('stays within Block Kit limits with thousands of skipped records, escaped', () => {
    const m = buildUndoAnswer({
      ok: true,
      requestId: 'r-1',
      state: 'pending_approval',
      restoring: 3,
      skipped,
    });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m);
    expect(json).toContain('sent for approval');
    expect(json).toContain('4,990 more');
    expect(json).not.toContain('<!channel>');
  });

  it('says nothing was undone, with the records left alone', () => {
    const m = buildUndoAnswer({
      ok: false,
      reason: 'nothing_to_undo',
      message: 'all changed',
      skipped: skipped.slice(0, 2),
    });
    assertBlockKitLimits(m);
    expect(m.text).toBe('Nothing undone: all changed');
    expect(JSON.stringify(m.blocks)).toContain(skipped[1]!.recordId);
  });
});
