/**
 * requestsWaitingFor: the one list behind App Home's "waiting for your decision" and
 * /territory requests: admins see every pending request but their own; a territory manager,
 * those whose approval card asked them (the access route kept with the request).
 */
import { describe, expect, it } from 'vitest';
import { requestAccessFrom } from '../../../src/core/access/request-access.js';
import { requestsWaitingFor } from '../../../src/core/requests/index.js';
import type { RequestRecord } from '../../../src/core/store/types.js';

function pending(id: string, requesterId: string, mention: string[]): RequestRecord {
  const access = requestAccessFrom(
    'zoho',
    {
      decision: {
        kind: 'needs_approval',
        reasons: [{ kind: 'not_owner', text: 'not theirs' }],
        touchedTerritoryIds: ['T1'],
      },
      requester: { zohoUserId: 'Z1' },
    } as never,
    { mention, adminsDecide: mention.length === 0 } as never,
  );
  return {
    id,
    kind: 'bulk',
    state: 'pending_approval',
    requesterId,
    originChannelId: null,
    reason: 'r',
    itemCount: 1,
    summary: { access },
    createdAt: 0,
    expiresAt: null,
  } as unknown as RequestRecord;
}

const requests = [
  pending('r1', 'UREP', ['UMGR']),
  pending('r2', 'UMGR', ['UMGR']),
  pending('r3', 'UREP', []),
];

function deps() {
  return {
    store: { listRequestsByState: async () => requests },
    policy: { approverUserIds: ['UADMIN'], approverUsergroup: null, opsUserIds: [] },
    directory: { members: async () => [] },
  };
}

describe('requestsWaitingFor', () => {
  it('an admin: every pending request but their own', async () => {
    const w = await requestsWaitingFor(deps(), 'UADMIN', 10);
    expect(w.canDecide).toBe(true);
    expect(w.requests.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
  });

  it('a territory manager: the requests whose card asked them, never their own', async () => {
    const w = await requestsWaitingFor(deps(), 'UMGR', 10);
    expect(w.canDecide).toBe(true);
    expect(w.requests.map((r) => r.id)).toEqual(['r1']);
  });

  it('anyone else: nothing, and no decision section', async () => {
    const w = await requestsWaitingFor(deps(), 'UREP', 10);
    expect(w).toEqual({ canDecide: false, requests: [] });
  });
});
