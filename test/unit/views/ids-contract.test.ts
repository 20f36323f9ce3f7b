/**
 * Listeners register only on the ids in ids.ts: every action_id / callback_id / input block_id a
 * builder emits must come from there, and every exported id must be emitted by some builder.
 */
import { describe, expect, it } from 'vitest';
import { buildAlertMessage } from '../../../src/views/alerts.js';
import { buildAppHome } from '../../../src/views/app-home.js';
import { buildApprovalCard } from '../../../src/views/approval-card.js';
import { buildAssignModal } from '../../../src/views/assign-modal.js';
import { buildBulkModal } from '../../../src/views/bulk-modal.js';
import { buildBulkPreviewModal } from '../../../src/views/bulk-preview.js';
import { ACTION, ASSIGN_BLOCK, BULK_BLOCK, CALLBACK, REVIEW_BLOCK } from '../../../src/views/ids.js';
import { buildErrorModal, buildLoadingModal } from '../../../src/views/modal.js';
import { pageSlice } from '../../../src/views/preview-rows.js';
import { buildRequestMessage } from '../../../src/views/request-message.js';
import { buildRequestsList } from '../../../src/views/requests-list.js';
import { buildReviewModal } from '../../../src/views/review-modal.js';
import { summarizeItems } from '../../../src/views/summary.js';
import { item, namesOf, request, T0, territoryTree } from './fixtures.js';

const names = namesOf(territoryTree(10));
const items = Array.from({ length: 100 }, (_, i) => item(i));
const summary = summarizeItems(items);

const outputs: unknown[] = [
  buildAssignModal({ channelId: 'C1' }),
  buildBulkModal({ channelId: 'C1', maxRecords: 10, approvalThreshold: 1 }),
  buildBulkPreviewModal({
    requestId: 'r',
    summary,
    rows: pageSlice(items, 1),
    page: 1,
    needsApproval: true,
    reason: null,
    names,
  }),
  buildReviewModal({ request: request(), summary, rows: pageSlice(items, 1), page: 1, names }),
  buildLoadingModal({ title: 'x' }),
  buildErrorModal({ problem: 'x', action: 'y' }),
  buildRequestMessage({ request: request(), records: [], names }),
  buildApprovalCard({ request: request(), summary, names }),
  buildRequestsList({ mine: [], awaitingMe: [request()], isApprover: true }),
  buildAppHome({
    userId: 'U1',
    mine: [],
    waiting: { canDecide: true, requests: [request()] },
    ops: null,
    now: T0,
  }),
  buildAlertMessage({
    alert: {
      fingerprint: 'f',
      kind: 'monitor_inconclusive',
      territoryId: null,
      state: 'firing',
      severity: 'warning',
      title: 't',
      details: {},
      contentHash: '',
      inhibitedBy: null,
      startsAt: T0,
      updatedAt: T0,
      lastNotifiedAt: null,
      resolvedAt: null,
      snoozedUntil: null,
      snoozedBy: null,
      channel: null,
      ts: null,
    },
    now: T0,
  }),
];

function collect(value: unknown, key: string, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) collect(v, key, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && typeof v === 'string') out.add(v);
      else collect(v, key, out);
    }
  }
  return out;
}

function inputBlockIds(value: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as { type?: unknown; block_id?: unknown };
      if (o.type === 'input' && typeof o.block_id === 'string') out.add(o.block_id);
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return out;
}

describe('ids contract', () => {
  const actionIds = collect(outputs, 'action_id', new Set());
  const callbackIds = collect(outputs, 'callback_id', new Set());
  const inputIds = inputBlockIds(outputs);

  it('every emitted id is declared in ids.ts', () => {
    const declaredActions = new Set<string>(Object.values(ACTION));
    for (const id of actionIds) expect(declaredActions, id).toContain(id);
    const declaredCallbacks = new Set<string>(Object.values(CALLBACK));
    for (const id of callbackIds) expect(declaredCallbacks, id).toContain(id);
    const declaredBlocks = new Set<string>([
      ...Object.values(ASSIGN_BLOCK),
      ...Object.values(BULK_BLOCK),
      ...Object.values(REVIEW_BLOCK),
    ]);
    for (const id of inputIds) expect(declaredBlocks, id).toContain(id);
  });

  it('every declared id is emitted by some builder', () => {
    for (const id of Object.values(ACTION)) expect(actionIds, id).toContain(id);
    for (const id of Object.values(CALLBACK)) expect(callbackIds, id).toContain(id);
    for (const id of [
      ...Object.values(ASSIGN_BLOCK),
      ...Object.values(BULK_BLOCK),
      ...Object.values(REVIEW_BLOCK),
    ]) {
      expect(inputIds, id).toContain(id);
    }
  });
});
