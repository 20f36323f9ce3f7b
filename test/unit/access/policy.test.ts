import { describe, expect, it } from 'vitest';
import {
  type AccessChange,
  type AccessQuestion,
  accessChangeOf,
  belongsTo,
  decideAccess,
  touchedTerritories,
} from '../../../src/core/access/policy.js';
import type { ZohoModule } from '../../../src/core/zoho/types.js';
import { MEMBER_OF, ORG, T, U } from './org.js';

const rid = (n: number) => `36523970000012${String(n).padStart(5, '0')}`;

function change(
  n: number,
  record: { module?: ZohoModule; owner: string | null; in?: string[]; name?: string },
  add: string[],
  remove: string[] = [],
): AccessChange {
  return {
    record: {
      module: record.module ?? 'Deals',
      id: rid(n),
      name: record.name ?? null,
      ownerId: record.owner,
      territoryIds: record.in ?? [],
    },
    addIds: add,
    removeIds: remove,
  };
}

function ask(requester: string | null, changes: AccessChange[], extra: Partial<AccessQuestion> = {}) {
  return decideAccess({
    mode: 'zoho',
    requester: requester === null ? null : { zohoUserId: requester, memberOf: MEMBER_OF[requester] ?? [] },
    changes,
    territories: ORG,
    directChangesLastHour: 0,
    maxDirectChangesPerHour: 200,
    approvalThreshold: 1,
    ...extra,
  });
}

interface Row {
  name: string;
  requester: string | null;
  changes: AccessChange[];
  extra?: Partial<AccessQuestion>;
  kind: 'direct' | 'needs_approval' | 'refused';
  reasons?: string[];
  texts?: string[];
}

const rows: Row[] = [
  // --- the record is theirs, or sits in a territory they belong to ----------------------
  {
    name: "a rep's own Lead into their territory",
    requester: U.repWest,
    changes: [change(1, { module: 'Leads', owner: U.repWest }, [T.usWest])],
    kind: 'direct',
  },
  {
    name: "a colleague's Deal already in the rep's territory",
    requester: U.repWest,
    changes: [change(1, { owner: U.repAmericas, in: [T.usWest] }, [T.usWest])],
    kind: 'direct',
  },
  {
    name: "a colleague's Account in one of its territories that is the rep's",
    requester: U.repWest,
    changes: [change(1, { module: 'Accounts', owner: U.repGermany, in: [T.germany, T.usWest] }, [T.usWest])],
    kind: 'direct',
  },
  {
    name: 'membership of an ancestor covers the territories below it (record and target)',
    requester: U.repAmericas,
    changes: [change(1, { owner: U.repWest, in: [T.usEast] }, [T.usWest], [T.usEast])],
    kind: 'direct',
  },
  {
    name: "a colleague's Deal in a sibling territory",
    requester: U.repWest,
    changes: [change(1, { owner: U.repAmericas, in: [T.usEast], name: 'Acme renewal' }, [T.usWest])],
    kind: 'needs_approval',
    reasons: ['record_not_theirs'],
    texts: [`Deals/${rid(1)} (Acme renewal) is owned by someone else and is in none of your territories`],
  },
  {
    name: "a colleague's Deal in no territory at all",
    requester: U.repWest,
    changes: [change(1, { owner: U.repGermany }, [T.usWest])],
    kind: 'needs_approval',
    reasons: ['record_not_theirs'],
  },
  {
    name: 'a record whose owner Zoho did not say is nobody’s',
    requester: U.repWest,
    changes: [change(1, { owner: null }, [T.usWest])],
    kind: 'needs_approval',
    reasons: ['record_not_theirs'],
  },
  // --- every territory added or removed must be theirs ----------------------------------
  {
    name: 'their own record into a territory outside theirs',
    requester: U.repWest,
    changes: [change(1, { owner: U.repWest }, [T.emea])],
    kind: 'needs_approval',
    reasons: ['territory_outside'],
    texts: ['EMEA is outside your territories'],
  },
  {
    name: 'removing a territory that is not theirs',
    requester: U.repWest,
    changes: [
      change(1, { module: 'Accounts', owner: U.repWest, in: [T.usWest, T.germany] }, [], [T.germany]),
    ],
    kind: 'needs_approval',
    reasons: ['territory_outside'],
    texts: ['Germany is outside your territories'],
  },
  {
    name: "moving a colleague's Deal out of Germany into the rep's territory",
    requester: U.repWest,
    changes: [change(1, { owner: U.repGermany, in: [T.germany] }, [T.usWest], [T.germany])],
    kind: 'needs_approval',
    reasons: ['record_not_theirs', 'territory_outside'],
    texts: ['is owned by someone else', 'Germany is outside your territories'],
  },
  {
    name: 'a territory id the hierarchy does not know',
    requester: U.repWest,
    changes: [change(1, { owner: U.repWest }, ['8000000000000000999'])],
    kind: 'needs_approval',
    reasons: ['territory_outside'],
    texts: ['territory 8000000000000000999 is outside your territories'],
  },
  {
    name: 'a rep with no territories acting on their own record',
    requester: U.repNowhere,
    changes: [change(1, { owner: U.repNowhere }, [T.usWest])],
    kind: 'needs_approval',
    reasons: ['territory_outside'],
  },
  // --- a territory's manager acts freely in its subtree ---------------------------------
  {
    name: "EMEA's manager moves a colleague's Deal from Germany to France",
    requester: U.emeaMgr,
    changes: [change(1, { owner: U.repGermany, in: [T.germany] }, [T.france], [T.germany])],
    kind: 'direct',
  },
  {
    name: "EMEA's manager moves a Deal from Germany into APAC",
    requester: U.emeaMgr,
    changes: [change(1, { owner: U.repGermany, in: [T.germany] }, [T.apac], [T.germany])],
    kind: 'needs_approval',
    reasons: ['territory_outside'],
    texts: ['APAC is outside your territories'],
  },
  {
    name: "Germany's manager acting on a record in France",
    requester: U.germanyMgr,
    changes: [change(1, { owner: U.repGermany, in: [T.france] }, [T.france])],
    kind: 'needs_approval',
    reasons: ['record_not_theirs', 'territory_outside'],
  },
  {
    name: "the CEO's territory is the root: anything goes",
    requester: U.ceo,
    changes: [change(1, { owner: U.repGermany, in: [T.germany] }, [T.japan], [T.germany])],
    kind: 'direct',
  },
  {
    name: 'a manager of a territory with no members still acts below it (US East under Americas)',
    requester: U.americasMgr,
    changes: [change(1, { owner: U.repWest, in: [T.usEast] }, [T.usWest], [T.usEast])],
    kind: 'direct',
  },
  {
    name: 'even the root manager needs approval for a colleague’s record in no territory (it is in none of theirs)',
    requester: U.ceo,
    changes: [change(1, { owner: U.repWest }, [T.usWest])],
    kind: 'needs_approval',
    reasons: ['record_not_theirs'],
  },
  // --- threshold and hourly limit -------------------------------------------------------
  {
    name: 'a list over the approval threshold, every record theirs',
    requester: U.repWest,
    changes: [change(1, { owner: U.repWest }, [T.usWest]), change(2, { owner: U.repWest }, [T.usWest])],
    kind: 'needs_approval',
    reasons: ['over_threshold'],
    texts: ['the list of 2 records is over the approval threshold (1)'],
  },
  {
    name: 'a list under a higher threshold',
    requester: U.repWest,
    changes: [change(1, { owner: U.repWest }, [T.usWest]), change(2, { owner: U.repWest }, [T.usWest])],
    extra: { approvalThreshold: 5 },
    kind: 'direct',
  },
  {
    name: 'the last change within the hourly limit',
    requester: U.repWest,
    changes: [change(1, { owner: U.repWest }, [T.usWest])],
    extra: { directChangesLastHour: 199 },
    kind: 'direct',
  },
  {
    name: 'one change past the hourly limit',
    requester: U.repWest,
    changes: [change(1, { owner: U.repWest }, [T.usWest])],
    extra: { directChangesLastHour: 200 },
    kind: 'needs_approval',
    reasons: ['hourly_limit'],
    texts: [
      'over the hourly limit: you changed 200 records without approval in the last hour (at most 200 per hour)',
    ],
  },
  {
    name: 'a list that would cross the hourly limit',
    requester: U.repWest,
    changes: [change(1, { owner: U.repWest }, [T.usWest]), change(2, { owner: U.repWest }, [T.usWest])],
    extra: { directChangesLastHour: 199, approvalThreshold: 10 },
    kind: 'needs_approval',
    reasons: ['hourly_limit'],
  },
  {
    name: 'MAX_DIRECT_CHANGES_PER_HOUR=0: every change needs approval',
    requester: U.ceo,
    changes: [change(1, { owner: U.ceo }, [T.usWest])],
    extra: { maxDirectChangesPerHour: 0 },
    kind: 'needs_approval',
    reasons: ['hourly_limit'],
    texts: ['you changed 0 records'],
  },
  {
    name: 'every reason at once, in a fixed order',
    requester: U.repWest,
    changes: [
      change(1, { owner: U.repGermany, in: [T.germany] }, [T.japan]),
      change(2, { owner: U.repWest }, [T.usWest]),
    ],
    extra: { directChangesLastHour: 500 },
    kind: 'needs_approval',
    reasons: ['record_not_theirs', 'territory_outside', 'over_threshold', 'hourly_limit'],
  },
  // --- identity -------------------------------------------------------------------------
  {
    name: 'zoho mode, requester without a Zoho user',
    requester: null,
    changes: [change(1, { owner: null }, [T.usWest])],
    kind: 'refused',
    reasons: ['not_mapped'],
    texts: ['you are not mapped to a Zoho CRM user'],
  },
  // --- ACCESS_MODE=open -----------------------------------------------------------------
  {
    name: "open mode: anyone, a colleague's record, any territory",
    requester: U.repNowhere,
    changes: [change(1, { owner: U.repGermany, in: [T.germany] }, [T.japan], [T.germany])],
    extra: { mode: 'open', directChangesLastHour: 10_000 },
    kind: 'direct',
  },
  {
    name: 'open mode: even without a Zoho user',
    requester: null,
    changes: [change(1, { owner: U.repGermany }, [T.japan])],
    extra: { mode: 'open' },
    kind: 'direct',
  },
  {
    name: 'open mode: a list over the threshold needs approval, for that reason only',
    requester: null,
    changes: [change(1, { owner: U.repGermany }, [T.japan]), change(2, { owner: U.repGermany }, [T.japan])],
    extra: { mode: 'open', directChangesLastHour: 10_000 },
    kind: 'needs_approval',
    reasons: ['over_threshold'],
  },
];

describe('decideAccess (DESIGN.md §4)', () => {
  it.each(rows)('$name → $kind', ({ requester, changes, extra, kind, reasons = [], texts = [] }) => {
    const d = ask(requester, changes, extra);
    expect(d.kind).toBe(kind);
    const got = d.kind === 'direct' ? [] : d.reasons;
    expect(got.map((r) => r.kind)).toEqual(reasons);
    const all = got.map((r) => r.text).join(' | ');
    for (const t of texts) expect(all).toContain(t);
  });

  it('names three records and counts the rest', () => {
    const changes = [1, 2, 3, 4, 5].map((n) => change(n, { owner: U.repGermany }, [T.usWest]));
    const d = ask(U.repWest, changes, { approvalThreshold: 10 });
    expect(d.kind).toBe('needs_approval');
    if (d.kind === 'direct') return;
    const r = d.reasons[0]!;
    expect(r.kind === 'record_not_theirs' && r.records).toHaveLength(5);
    expect(r.text).toBe(
      `Deals/${rid(1)}, Deals/${rid(2)}, Deals/${rid(3)} and 2 more are owned by someone else and are in none of your territories`,
    );
  });

  it('one reason for the territories outside, even when many records touch them', () => {
    const changes = [1, 2, 3].map((n) => change(n, { owner: U.repWest }, [T.emea], [T.usWest]));
    const d = ask(U.repWest, changes, { approvalThreshold: 10 });
    expect(d.kind !== 'direct' && d.reasons.map((r) => r.text)).toEqual(['EMEA is outside your territories']);
  });

  it.each([
    { add: [T.emea, T.apac], text: 'EMEA and APAC are outside your territories' },
    { add: [T.emea, T.apac, T.japan], text: 'EMEA, APAC and Japan are outside your territories' },
    {
      add: [T.emea, T.apac, T.japan, T.germany, T.france],
      text: 'EMEA, APAC, Japan and 2 more are outside your territories',
    },
  ])('names up to three territories outside: $text', ({ add, text }) => {
    const d = ask(U.repWest, [change(1, { owner: U.repWest }, add)]);
    expect(d.kind !== 'direct' && d.reasons).toEqual([
      { kind: 'territory_outside', territoryIds: add, text },
    ]);
  });

  it('reports the touched territories (added and removed), each once, in the order first seen', () => {
    const changes = [
      change(1, { owner: U.repWest, in: [T.usWest] }, [T.germany], [T.usWest]),
      change(2, { owner: U.repWest, in: [T.usWest] }, [T.usWest, T.france]),
    ];
    expect(touchedTerritories(changes)).toEqual([T.germany, T.usWest, T.france]);
    expect(ask(U.ceo, changes, { approvalThreshold: 10 })).toEqual({
      kind: 'direct',
      touchedTerritoryIds: [T.germany, T.usWest, T.france],
    });
  });
});

describe('accessChangeOf', () => {
  it("turns a planned move into the policy's change: before, added, removed, owner", () => {
    const plan = {
      module: 'Deals' as const,
      recordId: rid(1),
      assignIds: [T.usWest],
      removeIds: [T.germany],
      before: [T.germany],
    };
    expect(accessChangeOf(plan, { ownerId: U.repGermany, name: 'Acme' })).toEqual({
      record: { module: 'Deals', id: rid(1), name: 'Acme', ownerId: U.repGermany, territoryIds: [T.germany] },
      addIds: [T.usWest],
      removeIds: [T.germany],
    });
  });

  it('a plan that names no record is no change', () => {
    const plan = { module: null, recordId: null, assignIds: [], removeIds: [], before: [] };
    expect(accessChangeOf(plan, { ownerId: null })).toBeNull();
  });
});

describe('belongsTo', () => {
  it.each([
    { who: 'repWest', user: U.repWest, yes: ['usWest'], no: ['americas', 'usEast', 'global', 'emea'] },
    {
      who: 'repAmericas',
      user: U.repAmericas,
      yes: ['americas', 'usWest', 'usEast'],
      no: ['global', 'emea'],
    },
    { who: 'emeaMgr', user: U.emeaMgr, yes: ['emea', 'germany', 'france'], no: ['apac', 'global'] },
    { who: 'ceo', user: U.ceo, yes: Object.keys(T), no: [] },
    { who: 'repNowhere', user: U.repNowhere, yes: [], no: Object.keys(T) },
  ])('$who', ({ user, yes, no }) => {
    const mine = belongsTo(ORG, user, MEMBER_OF[user] ?? []);
    for (const k of yes) expect(mine(T[k as keyof typeof T]), k).toBe(true);
    for (const k of no) expect(mine(T[k as keyof typeof T]), k).toBe(false);
  });
});
