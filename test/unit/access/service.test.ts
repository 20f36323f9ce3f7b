import { describe, expect, it } from 'vitest';
import { IdentityMap } from '../../../src/core/access/identity.js';
import type { AccessChange } from '../../../src/core/access/policy.js';
import { AccessService } from '../../../src/core/access/service.js';
import type { AccessSettings } from '../../../src/core/access/settings.js';
import { ZohoUserDirectory } from '../../../src/core/access/zoho-users.js';
import { ManualClock } from '../../../src/core/clock.js';
import type { RequestState } from '../../../src/core/store/types.js';
import type { UserTerritory } from '../../../src/core/zoho/types.js';
import { FakeSlack, FakeUsersApi, zohoUser } from './fakes.js';
import { MEMBER_OF, ORG, T, U } from './org.js';

const SLACK: Record<string, { zoho: string; email: string | null }> = {
  UREPWEST: { zoho: U.repWest, email: 'west@acme.test' },
  UREPGER: { zoho: U.repGermany, email: 'ger@acme.test' },
  UGERMGR: { zoho: U.germanyMgr, email: 'germgr@acme.test' },
  UEMEAMGR: { zoho: U.emeaMgr, email: 'emeamgr@acme.test' },
  UCEO: { zoho: U.ceo, email: 'ceo@acme.test' },
};

function setup(settings: Partial<AccessSettings> = {}, directCount = 0) {
  const clock = new ManualClock();
  const users = new FakeUsersApi(
    Object.values(SLACK).map((p, i) => zohoUser(i + 1, p.email, { id: p.zoho })),
  );
  const slack = new FakeSlack({
    ...Object.fromEntries(Object.entries(SLACK).map(([s, p]) => [s, p.email])),
    UNOBODY: 'nobody@elsewhere.test',
  });
  const identity = new IdentityMap({
    users: new ZohoUserDirectory({ api: users, clock }),
    profiles: slack,
    directory: slack,
    clock,
  });
  const membershipCalls: string[] = [];
  const countCalls: Array<[string, number, readonly RequestState[]]> = [];
  const service = new AccessService({
    settings: { mode: 'zoho', maxDirectChangesPerHour: 200, approvalThreshold: 1, ...settings },
    identity,
    catalog: { get: async () => ORG },
    zoho: {
      async getUserTerritories(id: string): Promise<UserTerritory[]> {
        membershipCalls.push(id);
        return (MEMBER_OF[id] ?? []).map((tid) => ({
          id: tid,
          name: ORG.byId(tid)!.name,
          parentId: null,
          managerId: null,
        }));
      },
    },
    store: {
      async countDirectItemsSince(requesterId, since, states) {
        countCalls.push([requesterId, since, states]);
        return directCount;
      },
    },
    clock,
  });
  return { service, clock, slack, users, membershipCalls, countCalls };
}

const germanDeal = (add: string[], remove: string[] = []): AccessChange => ({
  record: { module: 'Deals', id: '3652397000001200001', ownerId: U.repGermany, territoryIds: [T.germany] },
  addIds: add,
  removeIds: remove,
});

describe('AccessService.check', () => {
  it("a rep asking for a colleague's Deal needs approval; its territories' managers are named", async () => {
    const { service, countCalls, clock } = setup();
    const r = await service.check('UREPWEST', [germanDeal([T.usWest], [T.germany])]);
    expect(r.requester).toEqual({ zohoUserId: U.repWest, memberOf: [T.usWest] });
    expect(r.unmapped).toBeNull();
    expect(r.decision.kind).toBe('needs_approval');
    expect(r.decision.kind !== 'direct' && r.decision.reasons.map((x) => x.text)).toEqual([
      'Deals/3652397000001200001 is owned by someone else and is in none of your territories',
      'Germany is outside your territories',
    ]);
    expect(r.decision.touchedTerritoryIds).toEqual([T.usWest, T.germany]);
    expect(countCalls).toEqual([['UREPWEST', clock.now() - 3_600_000, expect.arrayContaining(['done'])]]);
  });

  it('the owner acts directly within their territory', async () => {
    const { service } = setup();
    const r = await service.check('UREPGER', [germanDeal([T.germany])]);
    expect(r.decision).toEqual({ kind: 'direct', touchedTerritoryIds: [T.germany] });
  });

  it('applies the hourly limit from the store count', async () => {
    const { service } = setup({}, 200);
    const r = await service.check('UREPGER', [germanDeal([T.germany])]);
    expect(r.decision.kind !== 'direct' && r.decision.reasons.map((x) => x.kind)).toEqual(['hourly_limit']);
  });

  it('an unmapped person is refused with the words that say why and who can fix it, and no count is read', async () => {
    const { service, countCalls, membershipCalls } = setup();
    const r = await service.check('UNOBODY', [germanDeal([T.germany])]);
    expect(r.decision.kind).toBe('refused');
    expect(r.unmapped?.reason).toBe('no_zoho_user');
    expect(r.unmapped?.message).toContain('IDENTITY_OVERRIDES');
    expect(countCalls).toEqual([]);
    expect(membershipCalls).toEqual([]);
  });

  it('open mode looks nobody up and lets anyone act on one record', async () => {
    const { service, slack, users } = setup({ mode: 'open' }, 10_000);
    const r = await service.check('UNOBODY', [germanDeal([T.japan], [T.germany])]);
    expect(r).toEqual({
      decision: { kind: 'direct', touchedTerritoryIds: [T.japan, T.germany] },
      requester: null,
      unmapped: null,
    });
    expect(slack.profileCalls).toEqual([]);
    expect(users.calls).toBe(0);
  });

  it("caches a person's Zoho territories for ten minutes", async () => {
    const { service, clock, membershipCalls } = setup();
    await service.check('UREPWEST', [germanDeal([T.usWest])]);
    await service.check('UREPWEST', [germanDeal([T.usWest])]);
    expect(membershipCalls).toEqual([U.repWest]);
    clock.advance(10 * 60_000);
    await service.check('UREPWEST', [germanDeal([T.usWest])]);
    expect(membershipCalls).toEqual([U.repWest, U.repWest]);
  });
});

describe('AccessService.route and canDecide', () => {
  const request = {
    requesterSlackUserId: 'UREPWEST',
    requesterZohoUserId: U.repWest,
    touchedTerritoryIds: [T.germany],
  };

  it("mentions Germany's manager, found in Slack by email", async () => {
    const { service, slack } = setup();
    const route = await service.route(request);
    expect(route.mention).toEqual(['UGERMGR']);
    expect(route.adminsDecide).toBe(false);
    expect(slack.lookupCalls).toContain('germgr@acme.test');
  });

  it('a move into APAC from Germany goes to the manager above both', async () => {
    const { service } = setup();
    const route = await service.route({ ...request, touchedTerritoryIds: [T.germany, T.japan] });
    expect(route.mention).toEqual(['UCEO']);
  });

  it('no covering manager in Slack: the admins decide', async () => {
    const { service, slack } = setup();
    slack.emails = { UREPWEST: 'west@acme.test' };
    const route = await service.route(request);
    expect(route).toEqual({ mention: [], mentioned: [], adminsDecide: true });
  });

  it.each([
    { who: 'UGERMGR', admin: false, ok: true },
    { who: 'UEMEAMGR', admin: false, ok: true },
    { who: 'UREPGER', admin: false, ok: false },
    { who: 'UNOBODY', admin: false, ok: false },
    { who: 'UNOBODY', admin: true, ok: true },
    { who: 'UREPWEST', admin: true, ok: false },
  ])('$who (admin: $admin) may decide: $ok', async ({ who, admin, ok }) => {
    const { service } = setup();
    const d = await service.canDecide({ ...request, clickerSlackUserId: who, clickerIsAdmin: admin });
    expect(d.ok).toBe(ok);
  });

  it("EMEA's manager cannot decide a move into APAC; the CEO can", async () => {
    const { service } = setup();
    const q = { ...request, touchedTerritoryIds: [T.germany, T.japan], clickerIsAdmin: false };
    expect((await service.canDecide({ ...q, clickerSlackUserId: 'UEMEAMGR' })).ok).toBe(false);
    expect((await service.canDecide({ ...q, clickerSlackUserId: 'UCEO' })).ok).toBe(true);
  });

  it('open mode: only admins decide', async () => {
    const { service } = setup({ mode: 'open' });
    expect(
      (await service.canDecide({ ...request, clickerSlackUserId: 'UGERMGR', clickerIsAdmin: false })).ok,
    ).toBe(false);
    expect((await service.route(request)).adminsDecide).toBe(true);
  });
});
