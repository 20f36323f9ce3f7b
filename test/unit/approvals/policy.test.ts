import { describe, expect, it } from 'vitest';
import {
  type ApprovalRoles,
  approvalPolicyFromConfig,
  canDecide,
  canRequest,
  canSnooze,
  isApprover,
  needsApproval,
} from '../../../src/core/approvals/index.js';

const roles: ApprovalRoles = {
  approverUserIds: ['UMGR1', 'UMGR2'],
  approverUsergroup: 'SAPPROVERS',
  requesterUsergroup: null,
  opsUserIds: ['UOPS'],
};

describe('needsApproval', () => {
  it('needs approval for lists of more than the threshold (default 1)', () => {
    expect(needsApproval(1)).toBe(false);
    expect(needsApproval(2)).toBe(true);
    expect(needsApproval(10_000)).toBe(true);
    expect(needsApproval(5, 5)).toBe(false);
    expect(needsApproval(6, 5)).toBe(true);
    expect(needsApproval(1, 0)).toBe(true);
    expect(needsApproval(0, 0)).toBe(false);
  });
});

describe('canRequest', () => {
  it('lets everyone request without a requester group', () => {
    expect(canRequest('UANY', roles, null)).toEqual({ ok: true });
  });

  it('checks the requester group when set', () => {
    const r = { ...roles, requesterUsergroup: 'SREPS' };
    expect(canRequest('UREP', r, ['UREP'])).toEqual({ ok: true });
    const no = canRequest('UOTHER', r, ['UREP']);
    expect(no).toMatchObject({ ok: false, reason: 'not_requester' });
    expect(canRequest('UREP', r, null).ok).toBe(false);
  });
});

describe('canDecide', () => {
  const request = { requesterId: 'UREP' };

  it('allows configured approver ids and approver group members', () => {
    expect(canDecide('UMGR1', request, roles, null)).toEqual({ ok: true });
    expect(canDecide('UGRP', request, roles, ['UGRP'])).toEqual({ ok: true });
  });

  it('never lets the requester decide, even an approver', () => {
    const r = canDecide('UMGR1', { requesterId: 'UMGR1' }, roles, ['UMGR1']);
    expect(r).toMatchObject({ ok: false, reason: 'own_request' });
    expect(!r.ok && r.message).toMatch(/another approver/);
  });

  it('refuses everyone else', () => {
    expect(canDecide('UOPS', request, roles, ['UGRP'])).toMatchObject({ ok: false, reason: 'not_approver' });
  });

  it('ignores group members when no approver group is configured', () => {
    const r = { ...roles, approverUsergroup: null };
    expect(canDecide('UGRP', request, r, ['UGRP']).ok).toBe(false);
    expect(isApprover('UGRP', r, ['UGRP'])).toBe(false);
  });

  it('says when no approver is configured at all', () => {
    const r = canDecide('UX', request, { approverUserIds: [], approverUsergroup: null }, null);
    expect(!r.ok && r.message).toMatch(/No approvers are configured/);
  });
});

describe('canSnooze', () => {
  it('allows ops only', () => {
    expect(canSnooze('UOPS', roles)).toEqual({ ok: true });
    expect(canSnooze('UMGR1', roles)).toMatchObject({ ok: false, reason: 'not_ops' });
    const none = canSnooze('UOPS', { opsUserIds: [] });
    expect(!none.ok && none.message).toMatch(/No ops users are configured/);
  });
});

describe('approvalPolicyFromConfig', () => {
  it('takes roles and policy from the loaded configuration', async () => {
    const { loadConfig } = await import('../../../src/core/config/index.js');
    const loaded = loadConfig({
      APPROVER_USER_IDS: 'UMGR1, UMGR2',
      APPROVER_USERGROUP: 'SAPPROVERS',
      OPS_USER_IDS: 'UOPS',
      APPROVAL_THRESHOLD: '25',
      APPROVAL_TTL_HOURS: '48',
    });
    if (!loaded.ok) throw new Error(loaded.problems.join('; '));
    expect(approvalPolicyFromConfig(loaded.config)).toEqual({
      approverUserIds: ['UMGR1', 'UMGR2'],
      approverUsergroup: 'SAPPROVERS',
      requesterUsergroup: null,
      opsUserIds: ['UOPS'],
      approvalThreshold: 25,
      approvalTtlHours: 48,
    });
  });
});
