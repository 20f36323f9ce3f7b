import { describe, expect, it } from 'vitest';
import type { RequestState } from '../../../src/core/store/types.js';
import { buildDecisionReply } from '../../../src/views/approval-outcome.js';
import { assertBlockKitLimits } from '../../../src/views/limits.js';
import { hostileName, noRawInjection, request, T0 } from './fixtures.js';

describe('decision reply to the requester', () => {
  it('approved, rejected with comment, expired', () => {
    const approved = buildDecisionReply(
      request({ state: 'approved', decidedBy: 'U0MANAGER', decidedAt: T0 }),
    );
    expect(approved).not.toBeNull();
    assertBlockKitLimits(approved!);
    expect(JSON.stringify(approved!.blocks)).toContain(
      '<@U0REQUEST> :white_check_mark: Your request was approved by <@U0MANAGER>',
    );

    const rejected = buildDecisionReply(
      request({
        state: 'rejected',
        decidedBy: 'U0MANAGER',
        decidedAt: T0,
        decisionComment: 'Wrong list <!here>',
      }),
    );
    assertBlockKitLimits(rejected!);
    expect(rejected!.text).toBe('Rejected: 3 records');
    expect(JSON.stringify(rejected!.blocks)).toContain('> Wrong list &lt;!here&gt;');

    const expired = buildDecisionReply(request({ state: 'expired' }));
    assertBlockKitLimits(expired!);
    expect(JSON.stringify(expired!.blocks)).toContain('no approver decided in time');
  });

  it('says nothing while pending, for self-cancelled or unapproved runs', () => {
    for (const state of ['pending_approval', 'cancelled', 'draft'] as RequestState[]) {
      expect(buildDecisionReply(request({ state }))).toBeNull();
    }
    expect(buildDecisionReply(request({ state: 'running', decidedBy: null }))).toBeNull();
  });

  it('stays within limits with huge hostile text', () => {
    const m = buildDecisionReply(
      request({
        id: hostileName(1, 5000),
        state: 'rejected',
        itemCount: 10_000,
        decidedBy: 'U0MANAGER',
        decidedAt: T0,
        decisionComment: hostileName(2, 20_000),
      }),
    );
    assertBlockKitLimits(m!);
    expect(noRawInjection(m)).toBe(true);
  });
});
