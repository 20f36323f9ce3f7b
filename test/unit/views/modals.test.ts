import type { InputBlock, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildAssignModal } from '../../../src/views/assign-modal.js';
import { buildBulkModal, PASTE_MAX_CHARS } from '../../../src/views/bulk-modal.js';
import { ACTION, ASSIGN_BLOCK, BULK_BLOCK, CALLBACK, decodeModalOrigin } from '../../../src/views/ids.js';
import { assertBlockKitLimits } from '../../../src/views/limits.js';
import { buildErrorModal, buildLoadingModal } from '../../../src/views/modal.js';
import { buildTerritoryOptions } from '../../../src/views/territory-options.js';
import { hostileName, territoryId } from './fixtures.js';

function input(view: ModalView, blockId: string): InputBlock {
  const block = view.blocks.find((b) => b.block_id === blockId);
  if (block?.type !== 'input') throw new Error(`no input block ${blockId}`);
  return block as InputBlock;
}

describe('assign modal', () => {
  it('has the module select, record input, territory type-ahead and replace checkbox', () => {
    const view = buildAssignModal({ channelId: 'C0SALES' });
    assertBlockKitLimits(view);
    expect(view.callback_id).toBe(CALLBACK.assignModal);
    expect(decodeModalOrigin(view.private_metadata)).toEqual({ channelId: 'C0SALES' });
    const module = input(view, ASSIGN_BLOCK.module).element;
    expect(module).toMatchObject({ type: 'static_select', action_id: ACTION.assignModule });
    expect(module.type === 'static_select' && module.options?.map((o) => o.value)).toEqual([
      'Leads',
      'Accounts',
      'Contacts',
      'Deals',
    ]);
    expect(input(view, ASSIGN_BLOCK.record).element).toMatchObject({
      type: 'plain_text_input',
      action_id: ACTION.assignRecord,
    });
    expect(input(view, ASSIGN_BLOCK.territories).element).toMatchObject({
      type: 'multi_external_select',
      action_id: ACTION.territorySearch,
      min_query_length: 1,
    });
    expect(input(view, ASSIGN_BLOCK.replace).element).toMatchObject({
      type: 'checkboxes',
      action_id: ACTION.assignReplace,
    });
    expect(input(view, ASSIGN_BLOCK.replace).optional).toBe(true);
  });

  it('pre-fills safely from hostile values', () => {
    const view = buildAssignModal({
      channelId: null,
      initial: {
        module: 'Deals',
        record: 'x'.repeat(5000),
        territories: Array.from({ length: 2000 }, (_, i) => ({ id: territoryId(i), name: hostileName(i) })),
        replace: true,
      },
    });
    assertBlockKitLimits(view);
    const territories = input(view, ASSIGN_BLOCK.territories).element;
    expect(territories.type === 'multi_external_select' && territories.initial_options?.length).toBe(10);
    expect(decodeModalOrigin(view.private_metadata)).toEqual({ channelId: null });
  });
});

describe('loading and error modals', () => {
  it('fit the limits', () => {
    const loading = buildLoadingModal({
      title: 'Assign territories to a record',
      message: hostileName(1, 5000),
    });
    assertBlockKitLimits(loading);
    expect(loading.title.text.length).toBeLessThanOrEqual(24);
    expect(loading.submit).toBeUndefined();
    const error = buildErrorModal({ problem: hostileName(2, 10_000), action: 'Try again' });
    assertBlockKitLimits(error);
    expect(error.callback_id).toBe(CALLBACK.errorModal);
    expect(JSON.stringify(error)).not.toContain('<!channel>');
  });
});

describe('bulk modal', () => {
  it('has the paste box, CSV input, default territory, module, required reason', () => {
    const view = buildBulkModal({ channelId: 'C1', maxRecords: 10_000, approvalThreshold: 1 });
    assertBlockKitLimits(view);
    expect(view.callback_id).toBe(CALLBACK.bulkModal);
    const paste = input(view, BULK_BLOCK.paste);
    expect(paste.element).toMatchObject({
      type: 'plain_text_input',
      multiline: true,
      max_length: PASTE_MAX_CHARS,
    });
    expect(paste.hint?.text).toContain('attach a CSV for longer lists');
    expect(input(view, BULK_BLOCK.file).element).toMatchObject({
      type: 'file_input',
      filetypes: ['csv', 'txt'],
      max_files: 1,
    });
    expect(input(view, BULK_BLOCK.defaultTerritory).element).toMatchObject({
      type: 'external_select',
      action_id: ACTION.territorySearch,
      min_query_length: 1,
    });
    expect(input(view, BULK_BLOCK.module).element).toMatchObject({ type: 'static_select' });
    expect(input(view, BULK_BLOCK.reason).optional).toBeUndefined();
    expect(JSON.stringify(view)).toContain('At most 10,000 records per request');
  });

  it('pre-fills a 10,000-line paste by cutting it to the input limit', () => {
    const paste = Array.from({ length: 10_000 }, (_, i) => `Leads/${3652397000001234567n + BigInt(i)}`).join(
      '\n',
    );
    const view = buildBulkModal({
      channelId: 'C1',
      maxRecords: 10_000,
      approvalThreshold: 0,
      initial: {
        paste,
        module: 'Leads',
        reason: hostileName(3, 2000),
        defaultTerritory: { id: territoryId(1), name: hostileName(1) },
      },
    });
    assertBlockKitLimits(view);
    expect(JSON.stringify(view)).toContain('Every list is reviewed');
  });
});

describe('territory options', () => {
  it('answers at most 100 options with short texts and ids as values', () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({
      id: territoryId(i),
      name: hostileName(i),
      parentName: hostileName(i + 1),
      unusable: i % 2 === 0,
    }));
    const payload = buildTerritoryOptions(many);
    assertBlockKitLimits(payload);
    expect(payload.options).toHaveLength(100);
    expect(payload.options[0]?.value).toBe(territoryId(0));
    expect(payload.options[0]?.text.text.endsWith('(cannot be used)')).toBe(true);
    expect(
      buildTerritoryOptions([{ id: territoryId(1), name: 'North', parentName: 'EMEA' }]).options[0]?.text
        .text,
    ).toBe('North · EMEA');
  });
});
