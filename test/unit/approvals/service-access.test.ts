/**
 * ApprovalService with the access policy (DESIGN.md §4): a request that carries its access
 * decision is decided by its territories' managers or the admins, from the clicking user only,
 * and the audit says under which rule; submit follows the stored decision, not the threshold.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdentityMap } from '../../../src/core/access/identity.js';
import { REQUEST_ACCESS_KEY, type RequestAccess } from '../../../src/core/access/request-access.js';
import { AccessService } from '../../../src/core/access/service.js';
import { ZohoUserDirectory } from '../../../src/core/access/zoho-users.js';
import { type ApprovalPolicy, ApprovalService } from '../../../src/core/approvals/index.js';
import { ManualClock } from '../../../src/core/clock.js';
import type { RequestNotifier } from '../../../src/core/notify.js';
import { openStore } from '../../../src/core/store/index.js';
import type { Store } from '../../../src/core/store/types.js';
import { FakeSlack, FakeUsersApi, zohoUser } from '../access/fakes.js';
import { ORG, T, U } from '../access/org.js';

const policy: ApprovalPolicy = {
  approverUserIds: ['UADMIN'],
  approverUsergroup: null,
  requesterUsergroup: null,
  opsUserIds: [],
  approvalThreshold: 1,
  approvalTtlHours: 72,
};

const PEOPLE: Record<string, { zoho: string; email: string }> = {
  UREP: { zoho: U.repWest, email: 'rep@acme.test' },
  UEMEA: { zoho: U.emeaMgr, email: 'emea@acme.test' },
  UGER: { zoho: U.germanyMgr, email: 'ger@acme.test' },
};

const noop = async () => {};
const notifier: RequestNotifier = {
  requestCreated: noop,
  requestUpdated: noop,
  requestFinished: noop,
  approvalRequested: noop,
  approvalDecided: noop,
};

describe('ApprovalService with territory managers', () => {
  let store: Store;
  let clock: ManualClock;
  let approvals: ApprovalService;
  const started: string[] = [];

  beforeEach(async () => {
    clock = new ManualClock(1_800_000_000_000);
    store = await openStore('sqlite::memory:', { clock });
    const users = new FakeUsersApi(
      Object.values(PEOPLE).map((p, i) => zohoUser(i + 1, p.email, { id: p.zoho })),
    );
    const slack = new FakeSlack(Object.fromEntries(Object.entries(PEOPLE).map(([s, p]) => [s, p.email])));
    const access = new AccessService({
      settings: { mode: 'zoho', maxDirectChangesPerHour: 200, approvalThreshold: 1 },
      identity: new IdentityMap({
        users: new ZohoUserDirectory({ api: users, clock }),
        profiles: slack,
        clock,
      }),
      catalog: { get: async () => ORG },
      zoho: { getUserTerritories: async () => [] },
      store,
      clock,
    });
    approvals = new ApprovalService({
      store,
      notifier,
      clock,
      policy,
      directory: { members: async () => [] },
      starter: { start: async (id) => void started.push(id) },
      access,
    });
  });
  afterEach(async () => {
    await store.close();
  });

  async function pending(touched: string[], needsApproval = true): Promise<string> {
    const id = `req-${touched.join('-')}-${needsApproval}`;
    const access: RequestAccess = {
      mode: 'zoho',
      needsApproval,
      reasons: needsApproval
        ? [{ kind: 'territory_outside', text: 'Germany is outside your territories' }]
        : [],
      requesterZohoUserId: U.repWest,
      touchedTerritoryIds: touched,
      mention: needsApproval ? ['UGER'] : [],
      adminsDecide: false,
    };
    await store.createRequest(
      {
        id,
        kind: 'assign',
        state: 'draft',
        requesterId: 'UREP',
        originChannelId: null,
        reason: null,
        itemCount: 1,
        summary: { [REQUEST_ACCESS_KEY]: access },
        createdAt: clock.now(),
        expiresAt: null,
      },
      [
        {
          seq: 0,
          lineNo: null,
          module: 'Leads',
          recordId: '3652397000001000001',
          action: 'assign',
          territoryIds: touched,
          removeTerritoryIds: [],
          before: [],
        },
      ],
    );
    const submitted = await approvals.submit(id, 'UREP');
    expect(submitted.ok).toBe(true);
    return id;
  }

  it('one record that needs approval waits for a decision, below the threshold', async () => {
    const id = await pending([T.germany]);
    expect((await store.getRequest(id))?.state).toBe('pending_approval');
    const audit = await store.listAudit({ requestId: id, action: 'request.submitted' });
    expect(JSON.stringify(audit[0]?.data)).toContain('Germany is outside your territories');
  });

  it('the manager of the territory decides (rule territory_manager); the audit says so', async () => {
    const id = await pending([T.germany]);
    const r = await approvals.decide(id, 'UGER', 'approve');
    expect(r.ok).toBe(true);
    const [approved] = await store.listAudit({ requestId: id, action: 'request.approved' });
    expect(approved?.data).toMatchObject({ rule: 'territory_manager', territoryIds: [T.germany] });
    expect(started).toContain(id);
  });

  it('a manager of EMEA cannot decide a move into APAC; an admin can (rule admin)', async () => {
    const id = await pending([T.japan]);
    expect(await approvals.decide(id, 'UEMEA', 'approve')).toMatchObject({
      ok: false,
      reason: 'not_approver',
    });
    expect(await approvals.decide(id, 'UREP', 'approve')).toMatchObject({ ok: false, reason: 'own_request' });
    expect(await approvals.decide(id, 'UADMIN', 'reject', 'no')).toMatchObject({ ok: true });
    const [rejected] = await store.listAudit({ requestId: id, action: 'request.rejected' });
    expect(rejected?.data).toMatchObject({ rule: 'admin' });
  });

  it('a stored direct decision is approved at once, whatever its size', async () => {
    const id = await pending([T.usWest], false);
    expect((await store.getRequest(id))?.state).toBe('approved');
  });
});
