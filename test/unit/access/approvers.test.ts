import { describe, expect, it } from 'vitest';
import {
  canDecideAccess,
  coveringManagers,
  type DecideQuestion,
  routeApproval,
} from '../../../src/core/access/approvers.js';
import { TerritoryIndex } from '../../../src/core/territories/hierarchy.js';
import { ORG, T, U } from './org.js';

describe('coveringManagers: who manages every touched territory (or one above it)', () => {
  it.each([
    {
      name: 'one territory: its manager, then the managers above, nearest first',
      touched: [T.germany],
      expected: [
        { zohoUserId: U.germanyMgr, territoryIds: [T.germany], distance: 0 },
        { zohoUserId: U.emeaMgr, territoryIds: [T.emea], distance: 1 },
        { zohoUserId: U.ceo, territoryIds: [T.global], distance: 2 },
      ],
    },
    {
      name: 'two siblings: the manager of both (EMEA, who also manages France), not Germany’s',
      touched: [T.germany, T.france],
      expected: [
        { zohoUserId: U.emeaMgr, territoryIds: [T.france, T.emea], distance: 1 },
        { zohoUserId: U.ceo, territoryIds: [T.global], distance: 2 },
      ],
    },
    {
      name: 'EMEA and APAC: only a manager above both',
      touched: [T.germany, T.japan],
      expected: [{ zohoUserId: U.ceo, territoryIds: [T.global], distance: 2 }],
    },
    {
      name: 'a territory without a manager: the managers above it',
      touched: [T.usEast],
      expected: [
        { zohoUserId: U.americasMgr, territoryIds: [T.americas], distance: 1 },
        { zohoUserId: U.ceo, territoryIds: [T.global], distance: 2 },
      ],
    },
    { name: 'nothing touched: nobody (admins decide)', touched: [], expected: [] },
    {
      name: 'a territory no longer in the hierarchy: nobody (admins decide)',
      touched: [T.germany, '8000000000000000999'],
      expected: [],
    },
  ])('$name', ({ touched, expected }) => {
    expect(coveringManagers(ORG, touched)).toEqual(expected);
  });

  it('leaves the requester out', () => {
    expect(coveringManagers(ORG, [T.germany], U.germanyMgr).map((m) => m.zohoUserId)).toEqual([
      U.emeaMgr,
      U.ceo,
    ]);
  });

  it('someone who manages EMEA and APAC separately covers a move between them', () => {
    const twoHats = new TerritoryIndex(
      ORG.list.map((t) => (t.id === T.apac ? { ...t, managerId: U.emeaMgr } : t)),
    );
    expect(coveringManagers(twoHats, [T.germany, T.japan])).toEqual([
      { zohoUserId: U.emeaMgr, territoryIds: [T.emea, T.apac], distance: 1 },
      { zohoUserId: U.ceo, territoryIds: [T.global], distance: 2 },
    ]);
  });
});

describe('routeApproval: whom the card mentions', () => {
  const slack = new Map<string, string>([
    [U.germanyMgr, 'UGERMANY'],
    [U.emeaMgr, 'UEMEA'],
    [U.ceo, 'UCEO'],
    [U.repWest, 'UREPWEST'],
  ]);
  const route = (touched: string[], extra: Partial<Parameters<typeof routeApproval>[0]> = {}) =>
    routeApproval({
      mode: 'zoho',
      territories: ORG,
      touchedTerritoryIds: touched,
      requesterSlackUserId: 'UREPWEST',
      requesterZohoUserId: U.repWest,
      slackByZohoUser: slack,
      ...extra,
    });

  it.each([
    { name: 'the nearest manager who maps to Slack', touched: [T.germany], mention: ['UGERMANY'] },
    {
      name: 'a move between siblings: the manager of both',
      touched: [T.germany, T.france],
      mention: ['UEMEA'],
    },
    { name: 'EMEA and APAC: the manager above both', touched: [T.germany, T.japan], mention: ['UCEO'] },
    {
      name: 'the nearest manager is not in Slack: the next one up',
      touched: [T.japan],
      mention: ['UCEO'],
    },
  ])('$name', ({ touched, mention }) => {
    const r = route(touched);
    expect(r.mention).toEqual(mention);
    expect(r.adminsDecide).toBe(false);
  });

  it('the requester is never mentioned as their own approver (by Zoho user or Slack user)', () => {
    expect(
      route([T.germany], { requesterSlackUserId: 'UX', requesterZohoUserId: U.germanyMgr }).mention,
    ).toEqual(['UEMEA']);
    expect(
      route([T.germany], { requesterSlackUserId: 'UGERMANY', requesterZohoUserId: null }).mention,
    ).toEqual(['UEMEA']);
  });

  it('no manager maps to Slack: the admins decide', () => {
    const r = route([T.usEast], { slackByZohoUser: new Map() });
    expect(r).toEqual({ mention: [], mentioned: [], adminsDecide: true });
  });

  it('ACCESS_MODE=open: the admins decide', () => {
    expect(route([T.germany], { mode: 'open' }).adminsDecide).toBe(true);
  });
});

describe('canDecideAccess: checked on every click, from the clicking user', () => {
  const base: DecideQuestion = {
    mode: 'zoho',
    clickerSlackUserId: 'UCLICK',
    clickerZohoUserId: null,
    clickerIsAdmin: false,
    requesterSlackUserId: 'UREQ',
    requesterZohoUserId: U.repWest,
    territories: ORG,
    touchedTerritoryIds: [T.germany],
  };

  it.each([
    {
      name: 'the requester, even an admin',
      q: { clickerSlackUserId: 'UREQ', clickerIsAdmin: true },
      ok: false,
      reason: 'own_request',
    },
    {
      name: 'the requester under another Slack account (same Zoho user)',
      q: { clickerZohoUserId: U.repWest, clickerIsAdmin: true },
      ok: false,
      reason: 'own_request',
    },
    { name: 'an admin', q: { clickerIsAdmin: true }, ok: true },
    { name: 'an admin in open mode', q: { clickerIsAdmin: true, mode: 'open' as const }, ok: true },
    { name: "Germany's manager on Germany", q: { clickerZohoUserId: U.germanyMgr }, ok: true },
    { name: "EMEA's manager on Germany (subtree)", q: { clickerZohoUserId: U.emeaMgr }, ok: true },
    {
      name: 'the root manager on anything',
      q: { clickerZohoUserId: U.ceo, touchedTerritoryIds: [T.germany, T.japan] },
      ok: true,
    },
    {
      name: "EMEA's manager on a move into APAC",
      q: { clickerZohoUserId: U.emeaMgr, touchedTerritoryIds: [T.germany, T.japan] },
      ok: false,
      reason: 'not_approver',
      says: 'Only someone who manages Germany and Japan in Zoho (or a territory above), or an approver',
    },
    {
      name: "Germany's manager on a move to France",
      q: { clickerZohoUserId: U.germanyMgr, touchedTerritoryIds: [T.germany, T.france] },
      ok: false,
      reason: 'not_approver',
    },
    {
      name: 'a rep who is a member, not a manager',
      q: { clickerZohoUserId: U.repGermany },
      ok: false,
      reason: 'not_approver',
    },
    { name: 'someone with no Zoho user', q: {}, ok: false, reason: 'not_approver' },
    {
      name: 'a manager in open mode',
      q: { clickerZohoUserId: U.germanyMgr, mode: 'open' as const },
      ok: false,
      reason: 'not_approver',
      says: 'Only approvers',
    },
    {
      name: 'a manager when a touched territory was deleted',
      q: { clickerZohoUserId: U.ceo, touchedTerritoryIds: ['8000000000000000999'] },
      ok: false,
      reason: 'not_approver',
    },
  ])('$name → $ok', ({ q, ok, reason, says }) => {
    const d = canDecideAccess({ ...base, ...q });
    expect(d.ok).toBe(ok);
    if (!d.ok) {
      expect(d.reason).toBe(reason);
      if (says) expect(d.message).toContain(says);
    }
  });
});
