import type { ActionsBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildBulkPreviewModal } from '../../../src/views/bulk-preview.js';
import { ACTION, BULK_BLOCK, CALLBACK, decodePagedRequest } from '../../../src/views/ids.js';
import { buildInlineErrors, summarizeLineErrors } from '../../../src/views/inline-errors.js';
import { assertBlockKitLimits } from '../../../src/views/limits.js';
import { pageCount, pageSlice, previewRowLine } from '../../../src/views/preview-rows.js';
import { expectedAfter, summarizeItems } from '../../../src/views/summary.js';
import { hostileName, item, namesOf, noRawInjection, territoryId, territoryTree } from './fixtures.js';

const tree = territoryTree(50);
const names = namesOf(tree);

describe('summary', () => {
  it('counts per module, per territory and groups warnings', () => {
    const items = [
      item(0, { module: 'Deals', warning: 'Deal already has a territory' } as never),
      item(1, { module: 'Deals', territoryIds: [territoryId(0)] }),
      item(2, { module: 'Leads', territoryIds: [territoryId(0)], state: 'skipped' }),
    ].map((it, i) => ({ ...it, warning: i === 0 ? 'Deal already has a territory' : null }));
    const s = summarizeItems(items, 4);
    expect(s.total).toBe(3);
    expect(s.byModule).toEqual({ Deals: 2, Leads: 1 });
    expect(s.byTerritory[0]).toEqual({ territoryId: territoryId(0), count: 3 });
    expect(s.warnings).toEqual([{ text: 'Deal already has a territory', count: 1 }]);
    expect(s.skipped).toBe(1);
    expect(s.invalidLines).toBe(4);
  });

  it('computes the expected territories after assign, remove and move', () => {
    const a = territoryId(1);
    const b = territoryId(2);
    const c = territoryId(3);
    expect(expectedAfter(item(0, { action: 'assign', before: [a], territoryIds: [b, a] }))).toEqual([a, b]);
    expect(expectedAfter(item(0, { action: 'remove', before: [a, b], territoryIds: [a] }))).toEqual([b]);
    expect(
      expectedAfter(item(0, { action: 'move', before: [a, b], removeTerritoryIds: [a], territoryIds: [c] })),
    ).toEqual([b, c]);
    expect(expectedAfter(item(0, { before: null }))).toBeNull();
  });

  it('renders a row as before → after with line number and warning', () => {
    const line = previewRowLine(
      {
        ...item(2, { before: [territoryId(1)], territoryIds: [territoryId(2)] }),
        warning: 'record at 10 territories',
      },
      names,
    );
    expect(line).toContain('Line 4 · `Contacts/');
    expect(line).toContain('Territory 1 → Territory 1, Territory 2');
    expect(line).toContain(':warning: record at 10 territories');
  });
});

describe('bulk preview modal', () => {
  const items = Array.from({ length: 10_000 }, (_, i) => item(i));

  it('shows counts, rows and a pager for 10,000 items, page by page', () => {
    const summary = summarizeItems(items);
    expect(pageCount(summary.total)).toBe(500);
    for (const page of [0, 1, 250, 499]) {
      const view = buildBulkPreviewModal({
        requestId: 'req_01',
        summary,
        rows: pageSlice(items, page),
        page,
        needsApproval: true,
        reason: 'Q1',
        names,
      });
      assertBlockKitLimits(view);
      expect(view.callback_id).toBe(CALLBACK.bulkPreview);
      expect(view.submit?.text).toBe('Submit for approval');
      expect(decodePagedRequest(view.private_metadata)).toEqual({ requestId: 'req_01', page });
      const json = JSON.stringify(view);
      expect(json).toContain(`Page ${page + 1} of 500`);
      expect(json).toContain(`Line ${page * 20 + 2} ·`);
      const pager = view.blocks.find((b) => b.type === 'actions') as ActionsBlock;
      const values = Object.fromEntries(
        pager.elements.map((e) => [e.action_id, 'value' in e ? e.value : null]),
      );
      if (page > 0) expect(values[ACTION.bulkPreviewPrev]).toBe(String(page - 1));
      else expect(values[ACTION.bulkPreviewPrev]).toBeUndefined();
      if (page < 499) expect(values[ACTION.bulkPreviewNext]).toBe(String(page + 1));
      else expect(values[ACTION.bulkPreviewNext]).toBeUndefined();
    }
  });

  it('says Run now when no approval is needed and clamps a page out of range', () => {
    const few = items.slice(0, 3);
    const view = buildBulkPreviewModal({
      requestId: 'r',
      summary: summarizeItems(few),
      rows: few,
      page: 99,
      needsApproval: false,
      reason: null,
      names,
    });
    assertBlockKitLimits(view);
    expect(view.submit?.text).toBe('Run now');
    expect(decodePagedRequest(view.private_metadata)?.page).toBe(0);
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('reads well with no rows at all', () => {
    const view = buildBulkPreviewModal({
      requestId: 'r',
      summary: summarizeItems([]),
      rows: [],
      page: 0,
      needsApproval: false,
      reason: null,
      names,
      sendable: 0,
    });
    assertBlockKitLimits(view);
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('_No rows._');
    expect(json).not.toContain('Page 1 of');
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('shows validation notes, how many will be sent, and no submit when nothing can be sent', () => {
    const few = items.slice(0, 3);
    const base = {
      requestId: 'r',
      summary: summarizeItems(few),
      rows: few,
      page: 0,
      needsApproval: true,
      reason: null,
      names,
    };
    const some = buildBulkPreviewModal({ ...base, sendable: 2, notes: ['2 duplicate lines merged <!here>'] });
    assertBlockKitLimits(some);
    const json = JSON.stringify(some.blocks);
    expect(json).toContain('*2 of 3 records* will be sent to a manager');
    expect(json).toContain('2 duplicate lines merged &lt;!here&gt;');
    expect(some.submit?.text).toBe('Submit for approval');
    const none = buildBulkPreviewModal({ ...base, sendable: 0 });
    assertBlockKitLimits(none);
    expect(none.submit).toBeUndefined();
    expect(JSON.stringify(none.blocks)).toContain('nothing to submit');
  });

  it('stays within limits with 2,000 hostile territories, 500-char names and warnings', () => {
    const bigTree = territoryTree(2000, (i) => hostileName(i));
    const bigNames = namesOf(bigTree);
    const hostileNames = Array.from({ length: 300 }, (_, i) => hostileName(i));
    const hostile = Array.from({ length: 10_000 }, (_, i) => ({
      ...item(i, {
        territoryIds: Array.from({ length: 10 }, (_, j) => territoryId((i + j) % 2000)),
        before: Array.from({ length: 10 }, (_, j) => territoryId((i * 7 + j) % 2000)),
      }),
      recordName: hostileNames[i % 300],
      warning: hostileNames[i % 300],
    }));
    const summary = summarizeItems(hostile, 37);
    const view = buildBulkPreviewModal({
      requestId: 'req_x',
      summary,
      rows: pageSlice(hostile, 3),
      page: 3,
      needsApproval: true,
      reason: hostileName(5, 3000),
      names: bigNames,
      notes: Array.from({ length: 100 }, (_, i) => hostileName(i, 2000)),
      sendable: 9_000,
    });
    assertBlockKitLimits(view);
    expect(noRawInjection(view)).toBe(true);
    expect(JSON.stringify(view)).toMatch(/more territories/);
  });
});

describe('inline errors', () => {
  it('summarises many bad lines', () => {
    const lines = Array.from({ length: 40 }, (_, i) => ({
      lineNo: 4 + i * 5,
      message: 'not a record URL or Module/ID',
    }));
    const text = summarizeLineErrors(lines);
    expect(text.startsWith('Line 4: not a record URL or Module/ID; Line 9: not a record URL')).toBe(true);
    expect(text).toMatch(/; and \d+ more$/);
    expect(text.length).toBeLessThanOrEqual(500);
  });

  it('lists a few bad lines in full and maps field errors to block ids', () => {
    const errors = buildInlineErrors({
      fields: { [BULK_BLOCK.reason]: 'Give a reason', [BULK_BLOCK.module]: null },
      lines: [
        { lineNo: 9, message: 'unknown territory "Nrth"' },
        { lineNo: 4, message: 'not a record' },
      ],
      linesBlockId: BULK_BLOCK.paste,
    });
    expect(errors).toEqual({
      [BULK_BLOCK.reason]: 'Give a reason',
      [BULK_BLOCK.paste]: 'Line 4: not a record; Line 9: unknown territory "Nrth"',
    });
  });

  it('handles 10,000 bad lines with long messages', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => ({
      lineNo: i + 1,
      message: hostileName(i, 2000),
    }));
    const text = buildInlineErrors({ lines, linesBlockId: BULK_BLOCK.paste })[BULK_BLOCK.paste]!;
    expect(text.length).toBeLessThanOrEqual(500);
    expect(text).toMatch(/and 99\d\d more$/);
  });
});
