import { describe, expect, it } from 'vitest';
import { planBatches, type SendEntry } from '../../../src/core/assignment/batches.js';
import { changeVisible, firstPlan, moveSets, phaseOf, planFor } from '../../../src/core/assignment/phases.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../../src/core/assignment/retry.js';
import {
  ItemCodes,
  invalidDataTarget,
  mapBatchError,
  mapWriteOutcome,
} from '../../../src/core/assignment/verdicts.js';
import { chunk } from '../../../src/core/chunk.js';
import type { RequestItemRecord } from '../../../src/core/store/types.js';
import {
  ZohoApiError,
  ZohoAuthError,
  ZohoNetworkError,
  ZohoResponseError,
} from '../../../src/core/zoho/errors.js';
import type { WriteOutcome, ZohoModule } from '../../../src/core/zoho/types.js';

function item(seq: number, over: Partial<RequestItemRecord> = {}): RequestItemRecord {
  return {
    requestId: 'r1',
    seq,
    lineNo: null,
    module: 'Accounts',
    recordId: `rec-${seq}`,
    action: 'assign',
    territoryIds: ['T1'],
    removeTerritoryIds: [],
    state: 'pending',
    jobId: null,
    code: null,
    message: null,
    attempts: 0,
    before: null,
    after: null,
    notBefore: null,
    updatedAt: 0,
    recordName: null,
    warning: null,
    issue: null,
    ...over,
  };
}

const entry = (it: RequestItemRecord): SendEntry => ({ item: it, plan: firstPlan(it)! });

const outcome = (o: Partial<WriteOutcome>): WriteOutcome => ({
  recordId: 'rec-1',
  status: 'error',
  code: 'INVALID_DATA',
  message: 'the id given seems to be invalid',
  jobId: null,
  details: {},
  ...o,
});

describe('batching', () => {
  it('chunks 250 into 100, 100, 50 and rejects a bad size', () => {
    const sizes = chunk(
      Array.from({ length: 250 }, (_, i) => i),
      100,
    ).map((c) => c.length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });

  it('groups by module and operation, at most 100 records per call, in item order', () => {
    const items = [
      ...Array.from({ length: 250 }, (_, i) => item(i)),
      ...Array.from({ length: 30 }, (_, i) => item(250 + i, { module: 'Deals' })),
      item(280, { action: 'remove' }),
    ];
    const batches = planBatches(items.map(entry));
    expect(batches.map((b) => [b.module, b.operation, b.entries.length])).toEqual([
      ['Accounts', 'assign', 100],
      ['Accounts', 'assign', 100],
      ['Accounts', 'assign', 50],
      ['Deals', 'assign', 30],
      ['Accounts', 'remove', 1],
    ]);
    expect(batches[1]!.entries[0]!.item.seq).toBe(100);
  });
});

describe('phases', () => {
  it('a move removes the old manual territories first, then assigns the new one', () => {
    const move = item(0, {
      action: 'move',
      module: 'Deals',
      territoryIds: ['T2'],
      removeTerritoryIds: ['T1'],
    });
    expect(firstPlan(move)).toEqual({
      phase: 'remove_first',
      operation: 'remove',
      territoryIds: ['T1'],
      expectPresent: [],
      expectAbsent: ['T1'],
    });
    expect(planFor(move, 'main')).toEqual({
      phase: 'main',
      operation: 'assign',
      territoryIds: ['T2'],
      expectPresent: ['T2'],
      expectAbsent: ['T1'],
    });
  });

  it('a move keeps a territory that is both old and new, and may need no call at all', () => {
    expect(moveSets({ action: 'move', territoryIds: ['T2'], removeTerritoryIds: ['T1', 'T2'] })).toEqual({
      removeIds: ['T1'],
      assignIds: [],
    });
    expect(firstPlan({ action: 'move', territoryIds: ['T2'], removeTerritoryIds: ['T2'] })).toBeNull();
    expect(firstPlan({ action: 'move', territoryIds: ['T2'], removeTerritoryIds: [] })?.operation).toBe(
      'assign',
    );
  });

  it('remove expects the territories gone; phaseOf reads the state', () => {
    expect(firstPlan({ action: 'remove', territoryIds: ['T1', 'T1'], removeTerritoryIds: [] })).toMatchObject(
      {
        operation: 'remove',
        territoryIds: ['T1'],
        expectAbsent: ['T1'],
      },
    );
    const move = { action: 'move' as const, territoryIds: ['T2'], removeTerritoryIds: ['T1'] };
    expect(phaseOf({ ...move, state: 'removing' }, false)).toBe('remove_first');
    expect(phaseOf({ ...move, state: 'retry' }, false)).toBe('remove_first');
    expect(phaseOf({ ...move, state: 'retry' }, true)).toBe('main');
    expect(phaseOf({ ...move, state: 'pending_assign' }, false)).toBe('main');
  });

  it('changeVisible needs every expected territory present and every removed one gone', () => {
    const expectation = { expectPresent: ['T2'], expectAbsent: ['T1'] };
    expect(changeVisible(['T2', 'T3'], expectation)).toBe(true);
    expect(changeVisible(['T1', 'T2'], expectation)).toBe(false);
    expect(changeVisible([], expectation)).toBe(false);
  });
});

describe('outcome mapping', () => {
  const ctx = { module: 'Accounts' as ZohoModule, operation: 'assign' as const, territoryIds: ['T1'] };

  it('SCHEDULED with a job id is scheduled; without one it must be checked', () => {
    expect(
      mapWriteOutcome(outcome({ status: 'scheduled', code: 'SCHEDULED', jobId: 'j1' }), ctx),
    ).toMatchObject({
      kind: 'scheduled',
      jobId: 'j1',
    });
    expect(mapWriteOutcome(outcome({ status: 'scheduled', code: 'SCHEDULED' }), ctx)).toMatchObject({
      kind: 'retry',
      reason: 'uncertain',
    });
  });

  it('maps Zoho per-record codes to retry or a clear failure', () => {
    expect(mapWriteOutcome(outcome({ code: 'ALREADY_SCHEDULED' }), ctx)).toMatchObject({
      kind: 'retry',
      reason: 'pending_job',
    });
    expect(mapWriteOutcome(outcome({ code: 'LIMIT_EXCEEDED' }), { ...ctx, module: 'Deals' })).toMatchObject({
      kind: 'failed',
      message: expect.stringContaining('use move'),
    });
    expect(
      mapWriteOutcome(outcome({ code: 'LIMIT_EXCEEDED' }), { ...ctx, module: 'Deals', action: 'move' })
        .message,
    ).toContain('assigned by a rule');
    expect(mapWriteOutcome(outcome({ code: 'LIMIT_EXCEEDED' }), ctx)).toMatchObject({
      kind: 'failed',
      message: expect.stringContaining('more than 10'),
    });
    expect(mapWriteOutcome(outcome({ code: 'NOT_ALLOWED' }), { ...ctx, operation: 'remove' })).toMatchObject({
      kind: 'failed',
      message: expect.stringContaining('territory rule'),
    });
    expect(mapWriteOutcome(outcome({ code: 'INTERNAL_ERROR' }), ctx).kind).toBe('retry');
    expect(mapWriteOutcome(outcome({ code: 'SOMETHING_NEW', message: 'odd' }), ctx)).toEqual({
      kind: 'failed',
      code: 'SOMETHING_NEW',
      message: 'Zoho refused: odd (SOMETHING_NEW)',
    });
  });

  it('INVALID_DATA: a territory path asks for a catalog check, the record path fails', () => {
    expect(invalidDataTarget({ json_path: '$.data[0].Territories[1].id' })).toBe('territory');
    expect(invalidDataTarget({ json_path: '$.data[3].id' })).toBe('record');
    expect(invalidDataTarget({})).toBe('unknown');
    expect(
      mapWriteOutcome(outcome({ details: { json_path: '$.data[0].Territories[0].id' } }), ctx).kind,
    ).toBe('check_territories');
    expect(mapWriteOutcome(outcome({ details: { json_path: '$.data[0].id' } }), ctx)).toMatchObject({
      kind: 'failed',
      code: ItemCodes.recordNotFound,
    });
  });

  it('request-level errors: territory management off fails, busy/network retries', () => {
    const off = mapBatchError(
      new ZohoApiError('TERRITORY_NOT_ENABLED', 'the territory feature is not enabled for Leads Module', 403),
      {
        module: 'Leads',
        operation: 'assign',
      },
    );
    expect(off).toMatchObject({ kind: 'failed', code: 'TERRITORY_NOT_ENABLED' });
    expect(off.message).toContain('Territory management is not enabled for Leads');
    const m = { module: 'Accounts' as ZohoModule, operation: 'assign' as const };
    expect(mapBatchError(new ZohoApiError('INTERNAL_ERROR', 'boom', 500), m)).toMatchObject({
      kind: 'retry',
      reason: 'unavailable',
    });
    expect(mapBatchError(new ZohoApiError('TOO_MANY_REQUESTS', 'slow down', 429), m).kind).toBe('retry');
    expect(mapBatchError(new ZohoNetworkError('socket hang up'), m)).toMatchObject({
      kind: 'retry',
      reason: 'uncertain',
    });
    expect(mapBatchError(new ZohoResponseError('bad json', 202), m)).toMatchObject({ reason: 'uncertain' });
    // Waited out (ops fix the connection), not failed: issue 11 item 6.
    expect(mapBatchError(new ZohoAuthError('revoked', 'invalid_code'), m)).toMatchObject({
      kind: 'retry',
      reason: 'unavailable',
      code: 'AUTH_REVOKED',
    });
    expect(mapBatchError(new ZohoApiError('INTERNAL_ERROR', 'down', 503), m)).toMatchObject({
      reason: 'unavailable',
    });
    expect(mapBatchError(new ZohoAuthError('throttled', 'Access Denied'), m).kind).toBe('retry');
    expect(mapBatchError(new ZohoApiError('OAUTH_SCOPE_MISMATCH', 'scope', 401), m).kind).toBe('failed');
  });
});

describe('retry policy', () => {
  it('doubles from the base delay to the cap, half of it jittered', () => {
    const p = DEFAULT_RETRY_POLICY;
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, p, () => 1))).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
    expect(retryDelayMs(1, p, () => 0)).toBe(2_500);
    expect(retryDelayMs(3, p, () => 0.5)).toBe(15_000);
  });
});
