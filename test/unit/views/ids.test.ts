import { describe, expect, it } from 'vitest';
import {
  ACTION,
  ALERT_SNOOZE_ACTION,
  ASSIGN_BLOCK,
  BULK_BLOCK,
  BULK_PREVIEW_PAGE_ACTION,
  CALLBACK,
  decodeModalOrigin,
  decodePagedRequest,
  encodeModalOrigin,
  encodePagedRequest,
  parsePageValue,
  parseSnoozeValue,
  REVIEW_BLOCK,
  REVIEW_PAGE_ACTION,
  snoozeValue,
} from '../../../src/views/ids.js';

describe('ids', () => {
  it('are unique, short and match the names listeners expect', () => {
    const all = [
      ...Object.values(CALLBACK),
      ...Object.values(ASSIGN_BLOCK),
      ...Object.values(BULK_BLOCK),
      ...Object.values(REVIEW_BLOCK),
      ...Object.values(ACTION),
    ];
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id.length).toBeLessThanOrEqual(255);
    expect(CALLBACK.assignModal).toBe('assign_modal');
    expect(CALLBACK.bulkModal).toBe('bulk_modal');
    expect(CALLBACK.bulkPreview).toBe('bulk_preview');
    expect(CALLBACK.reviewModal).toBe('review_modal');
  });

  it('pager and snooze patterns match exactly their buttons', () => {
    expect(BULK_PREVIEW_PAGE_ACTION.test(ACTION.bulkPreviewPrev)).toBe(true);
    expect(BULK_PREVIEW_PAGE_ACTION.test(ACTION.bulkPreviewNext)).toBe(true);
    expect(BULK_PREVIEW_PAGE_ACTION.test(ACTION.reviewNext)).toBe(false);
    expect(REVIEW_PAGE_ACTION.test(ACTION.reviewPrev)).toBe(true);
    expect(REVIEW_PAGE_ACTION.test(ACTION.reviewNext)).toBe(true);
    for (const id of [ACTION.alertSnooze1h, ACTION.alertSnooze1d, ACTION.alertSnooze1w]) {
      expect(ALERT_SNOOZE_ACTION.test(id)).toBe(true);
    }
  });

  it('snooze values round-trip and reject foreign values', () => {
    const fp = 'territory_deleted:3652397000000123456';
    expect(parseSnoozeValue(snoozeValue(fp, '1d'))).toEqual({ fingerprint: fp, duration: '1d' });
    expect(parseSnoozeValue(`${fp}|2d`)).toBeNull();
    expect(parseSnoozeValue('|1h')).toBeNull();
    expect(parseSnoozeValue('no-duration')).toBeNull();
    expect(parseSnoozeValue('a|b|1w')).toEqual({ fingerprint: 'a|b', duration: '1w' });
  });

  it('private_metadata round-trips and tolerates garbage', () => {
    expect(decodeModalOrigin(encodeModalOrigin({ channelId: 'C123' }))).toEqual({ channelId: 'C123' });
    expect(decodeModalOrigin(encodeModalOrigin({ channelId: null }))).toEqual({ channelId: null });
    expect(decodeModalOrigin('not json')).toEqual({ channelId: null });
    expect(decodeModalOrigin(undefined)).toEqual({ channelId: null });
    expect(decodePagedRequest(encodePagedRequest({ requestId: 'req_1', page: 3 }))).toEqual({
      requestId: 'req_1',
      page: 3,
    });
    expect(decodePagedRequest('{"r":"x","p":-1}')).toEqual({ requestId: 'x', page: 0 });
    expect(decodePagedRequest('[1]')).toBeNull();
    expect(decodePagedRequest('{"p":1}')).toBeNull();
  });

  it('parses pager values', () => {
    expect(parsePageValue('0')).toBe(0);
    expect(parsePageValue('12')).toBe(12);
    expect(parsePageValue('-1')).toBeNull();
    expect(parsePageValue('1e3')).toBeNull();
    expect(parsePageValue(undefined)).toBeNull();
  });
});
