import type { ActionsBlock, Button, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildApprovalCard, buildApprovalDecidedCard } from '../../../src/views/approval-card.js';
import {
  ACTION,
  CALLBACK,
  decodePagedRequest,
  REVIEW_BLOCK,
  REVIEW_DECISION,
} from '../../../src/views/ids.js';
import { progressFromCounts } from '../../../src/views/labels.js';
import { assertBlockKitLimits } from '../../../src/views/limits.js';
import { pageSlice } from '../../../src/views/preview-rows.js';
import { buildRequestsList } from '../../../src/views/requests-list.js';
import { buildReviewModal } from '../../../src/views/review-modal.js';
import { summarizeItems } from '../../../src/views/summary.js';
import {
  hostileName,
  item,
  namesOf,
  noRawInjection,
  request,
  T0,
  territoryId,
  territoryTree,
} from './fixtures.js';

const names = namesOf(territoryTree(50));
const small = [
  { ...item(0, { module: 'Deals' }), warning: 'Deal already has a territory' },
  item(1, { module: 'Leads' }),
  item(2, { module: 'Leads' }),
];
const smallSummary = summarizeItems(small);

const bigNames = namesOf(territoryTree(2000, (i) => hostileName(i)));
const hostileNames = Array.from({ length: 100 }, (_, i) => hostileName(i));
const bigItems = Array.from({ length: 10_000 }, (_, i) => ({
  ...item(i, { territoryIds: [territoryId(i % 2000)], before: [territoryId((i + 1) % 2000)] }),
  recordName: hostileNames[i % 100],
  warning: hostileNames[i % 37],
}));
const bigSummary = summarizeItems(bigItems, 120);

describe('approval card', () => {
  it('pending: summary, warnings, reason, requester, expiry and Review button', () => {
    const m = buildApprovalCard({ request: request(), summary: smallSummary, names });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('<@U0REQUEST> asks to change the territories of *3 records*');
    expect(json).toContain('*Deals*\\n1');
    expect(json).toContain('*Leads*\\n2');
    expect(json).toContain('Deal already has a territory: 1 record');
    expect(json).toContain('*Reason:* Q1 re-territorialisation');
    const expires = Math.floor((T0 + 72 * 3_600_000) / 1000);
    expect(json).toContain(`<!date^${expires}^{date_short_pretty} at {time}|2026-01-18 09:30 UTC>`);
    expect(m.text).toContain('(expires 2026-01-18 09:30 UTC)');
    const actions = m.blocks.find((b) => b.type === 'actions') as ActionsBlock;
    const review = actions.elements[0] as Button;
    expect(review.action_id).toBe(ACTION.approvalReview);
    expect(review.value).toBe('req_01');
  });

  it('decided forms say who, when and the comment, without buttons', () => {
    const cases = [
      ['approved', 'Approved'],
      ['rejected', 'Rejected'],
      ['expired', 'Expired'],
      ['cancelled', 'Cancelled'],
    ] as const;
    for (const [state, word] of cases) {
      const decided = request({
        state,
        decidedBy: state === 'expired' ? null : 'U0MANAGER',
        decidedAt: T0 + 3_600_000,
        decisionComment: state === 'rejected' ? 'Wrong quarter <!here>' : null,
      });
      const m = buildApprovalCard({ request: decided, summary: smallSummary, names });
      expect(m).toEqual(buildApprovalDecidedCard({ request: decided, summary: smallSummary, names }));
      assertBlockKitLimits(m);
      const json = JSON.stringify(m.blocks);
      expect(json).toContain(word);
      expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
      if (state !== 'expired') expect(json).toContain('by <@U0MANAGER>');
      if (state === 'rejected') expect(json).toContain('Wrong quarter &lt;!here&gt;');
      if (state === 'expired') expect(json).toContain('Nobody decided in time');
    }
  });

  it('stays within limits for 10,000 records over 2,000 hostile territories', () => {
    for (const state of ['pending_approval', 'approved', 'rejected'] as const) {
      const m = buildApprovalCard({
        request: request({
          state,
          itemCount: 10_000,
          reason: hostileName(1, 3000),
          decisionComment: hostileName(2, 3000),
          decidedBy: 'U0MANAGER',
          decidedAt: T0,
        }),
        summary: bigSummary,
        names: bigNames,
      });
      assertBlockKitLimits(m);
      expect(noRawInjection(m)).toBe(true);
      expect(JSON.stringify(m.blocks)).toContain('more territories');
    }
  });
});

describe('review modal', () => {
  it('shows rows, decision radio, comment hint and the request id + page in metadata', () => {
    const view = buildReviewModal({ request: request(), summary: smallSummary, rows: small, page: 0, names });
    assertBlockKitLimits(view);
    expect(view.callback_id).toBe(CALLBACK.reviewModal);
    expect(decodePagedRequest(view.private_metadata)).toEqual({ requestId: 'req_01', page: 0 });
    const radio = view.blocks.find((b) => b.block_id === REVIEW_BLOCK.decision);
    expect(radio).toMatchObject({
      type: 'input',
      element: {
        type: 'radio_buttons',
        action_id: ACTION.reviewDecision,
        options: [{ value: REVIEW_DECISION.approve }, { value: REVIEW_DECISION.reject }],
      },
    });
    const comment = view.blocks.find((b) => b.block_id === REVIEW_BLOCK.comment);
    expect(JSON.stringify(comment)).toContain('Required when you reject');
    expect(view.submit?.text).toBe('Submit decision');
    expect(JSON.stringify(view.blocks)).toContain(':warning: Deal already has a territory');
  });

  it('is read-only for someone who cannot decide or once decided', () => {
    const own = buildReviewModal({
      request: request(),
      summary: smallSummary,
      rows: small,
      page: 0,
      names,
      cannotDecide: 'You cannot approve your own request.',
    });
    assertBlockKitLimits(own);
    expect(own.submit).toBeUndefined();
    expect(own.blocks.some((b) => b.type === 'input')).toBe(false);
    expect(JSON.stringify(own.blocks)).toContain('You cannot approve your own request.');
    const decided = buildReviewModal({
      request: request({ state: 'approved' }),
      summary: smallSummary,
      rows: small,
      page: 0,
      names,
    });
    expect(decided.submit).toBeUndefined();
    expect(JSON.stringify(decided.blocks)).toContain('This request is approved.');
  });

  it('pages through 10,000 hostile rows within limits', () => {
    for (const page of [0, 7, 499]) {
      const view = buildReviewModal({
        request: request({ itemCount: 10_000, reason: hostileName(3, 3000) }),
        summary: bigSummary,
        rows: pageSlice(bigItems, page),
        page,
        names: bigNames,
      });
      assertBlockKitLimits(view);
      expect(noRawInjection(view)).toBe(true);
      expect(decodePagedRequest(view.private_metadata)?.page).toBe(page);
      const pager = view.blocks.find((b) => b.type === 'actions') as ActionsBlock;
      const ids = pager.elements.map((e) => e.action_id);
      if (page > 0) expect(ids).toContain(ACTION.reviewPrev);
      if (page < 499) expect(ids).toContain(ACTION.reviewNext);
    }
  });
});

describe('requests list', () => {
  it('lists my requests with state and the ones waiting for me with Review buttons', () => {
    const m = buildRequestsList({
      mine: [
        {
          request: request({ id: 'req_a', state: 'running', itemCount: 10 }),
          progress: progressFromCounts({ done: 4 }, 10),
        },
        { request: request({ id: 'req_b', kind: 'assign', state: 'done', itemCount: 1 }) },
      ],
      awaitingMe: [request({ id: 'req_c', requesterId: 'U0OTHER' })],
      isApprover: true,
    });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('`req_a` Bulk assign · 10 records · :arrows_counterclockwise: Running 4/10');
    expect(json).toContain('`req_b` Assign · 1 record · :white_check_mark: Done');
    const review = m.blocks
      .filter((b): b is SectionBlock => b.type === 'section')
      .map((b) => b.accessory as Button | undefined)
      .find((a) => a?.action_id === ACTION.approvalReview);
    expect(review?.value).toBe('req_c');
    expect(m.text).toBe('Your territory requests: 2; 1 waiting for your approval');
  });

  it('non-approvers see only their own; empty states read well', () => {
    const m = buildRequestsList({ mine: [], awaitingMe: [], isApprover: false });
    assertBlockKitLimits(m);
    expect(JSON.stringify(m.blocks)).toContain('You have no requests yet');
    expect(JSON.stringify(m.blocks)).not.toContain('Waiting for your approval');
  });

  it('stays within limits with 10,000 requests each way', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      request({ id: `req_${i}_${'x'.repeat(40)}`, reason: hostileNames[i % 100], requesterId: 'U0OTHER' }),
    );
    const m = buildRequestsList({
      mine: many.map((r) => ({ request: r, progress: progressFromCounts({ done: 1 }) })),
      awaitingMe: many,
      isApprover: true,
    });
    assertBlockKitLimits(m);
    expect(noRawInjection(m)).toBe(true);
    expect(JSON.stringify(m.blocks)).toMatch(/more requests waiting/);
    expect(JSON.stringify(m.blocks)).toMatch(/older requests/);
  });
});
