import { afterEach, describe, expect, it } from 'vitest';
import {
  DIRECT_CHANGE_WINDOW_MS,
  directChangesLastHour,
  WENT_AHEAD_STATES,
} from '../../../src/core/access/rate.js';
import { accessModeNotice, accessSettingsFromConfig } from '../../../src/core/access/settings.js';
import { ManualClock } from '../../../src/core/clock.js';
import { loadConfig } from '../../../src/core/config/index.js';
import { openStore } from '../../../src/core/store/index.js';
import type { NewRequest, NewRequestItem, Store } from '../../../src/core/store/types.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

const item = (seq: number): NewRequestItem => ({
  seq,
  lineNo: null,
  module: 'Leads',
  recordId: `36523970000012${String(seq).padStart(5, '0')}`,
  action: 'assign',
  territoryIds: ['3652397000000100001'],
  removeTerritoryIds: [],
  before: null,
});

const request = (id: string, over: Partial<NewRequest>): NewRequest => ({
  id,
  kind: 'assign',
  state: 'done',
  requesterId: 'UREP',
  originChannelId: null,
  reason: null,
  itemCount: 1,
  summary: {},
  createdAt: NOW,
  expiresAt: null,
  ...over,
});

describe('the hourly count of direct changes', () => {
  let store: Store | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  it('counts the states a request reaches once it goes ahead, derived from the lifecycle table', () => {
    expect([...WENT_AHEAD_STATES].sort()).toEqual(['approved', 'done', 'failed', 'running']);
  });

  it('counts the last hour only, undecided requests only', async () => {
    store = await openStore('sqlite::memory:', { clock: new ManualClock(NOW) });
    await store.createRequest(request('in-window', { createdAt: NOW - DIRECT_CHANGE_WINDOW_MS }), [
      item(0),
      item(1),
    ]);
    await store.createRequest(request('running', { state: 'running', createdAt: NOW - 60_000 }), [item(0)]);
    await store.createRequest(request('too-old', { createdAt: NOW - DIRECT_CHANGE_WINDOW_MS - 1 }), [
      item(0),
    ]);
    await store.createRequest(request('waiting', { state: 'pending_approval', createdAt: NOW }), [item(0)]);
    await store.createRequest(request('draft', { state: 'draft', createdAt: NOW }), [item(0)]);
    await store.createRequest(request('approved-by-boss', { state: 'approved', createdAt: NOW }), [item(0)]);
    await store.transitionRequest('approved-by-boss', ['approved'], 'running', {
      decidedBy: 'UBOSS',
      decidedAt: NOW,
    });
    expect(await directChangesLastHour(store, 'UREP', NOW)).toBe(3);
    expect(await directChangesLastHour(store, 'USOMEONE', NOW)).toBe(0);
    expect(await directChangesLastHour(store, 'UREP', NOW + DIRECT_CHANGE_WINDOW_MS - 60_000)).toBe(1);
    expect(await directChangesLastHour(store, 'UREP', NOW + DIRECT_CHANGE_WINDOW_MS)).toBe(0);
  });
});

describe('access settings', () => {
  it('come from the configuration, with the notice the start-up log and health show', () => {
    const r = loadConfig({ ACCESS_MODE: 'open', APPROVAL_THRESHOLD: '5' });
    if (!r.ok) throw new Error(r.problems.join());
    const open = accessSettingsFromConfig(r.config);
    expect(open).toEqual({ mode: 'open', maxDirectChangesPerHour: 200, approvalThreshold: 5 });
    expect(accessModeNotice(open)).toBe(
      'Access mode: open. Anyone who may make requests can change any record without approval; only lists of more than 5 records need approval.',
    );
    const zoho = accessModeNotice({ mode: 'zoho', maxDirectChangesPerHour: 200, approvalThreshold: 1 });
    expect(zoho).toContain('Access mode: zoho.');
    expect(zoho).toContain('up to 200 records an hour; lists of more than 1 record need approval');
  });
});
