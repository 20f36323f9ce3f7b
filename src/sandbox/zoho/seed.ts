/**
 * Deterministic orgs for the simulator: `demoSeed()` (the sandbox's demo org) and
 * `bigSeed()` (thousands of territories / records for paging tests and benchmarks).
 * Same input, same org: a seeded PRNG, fixed timestamps, 19-digit string ids.
 */
import type { ZohoModule } from '../../core/zoho/types.js';
import type {
  PermissionType,
  SeedMembership,
  SeedRecord,
  SeedRecordTerritory,
  SeedTerritory,
  SeedUser,
  SimCriteria,
  SimSeed,
} from './types.js';

/** mulberry32: small, fast, good enough for fixtures. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Zoho ids: an org-specific prefix, `00000`, then a sequence — 19 digits like Zoho's samples
 * (`3652397000000715341`). Ranges keep kinds apart: 1xxxxx territories, 2xxxxx users,
 * 3xxxxx-6xxxxx records, 8xxxxx roles/profiles/fields.
 */
const ID_PREFIX = '5725767000000';
export function zohoId(kind: number, seq: number): string {
  return ID_PREFIX + String(kind * 100000 + seq).padStart(6, '0');
}

const MODULE_KIND: Record<ZohoModule, number> = { Leads: 3, Accounts: 4, Contacts: 5, Deals: 6 };

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
/** Zoho's timestamp shape: ISO-8601 seconds with an offset (`2024-07-09T20:50:29+05:30`). */
export function zohoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const ROLES = {
  ceo: { id: zohoId(8, 1), name: 'CEO' },
  manager: { id: zohoId(8, 2), name: 'Sales Manager' },
  rep: { id: zohoId(8, 3), name: 'Sales Representative' },
  ops: { id: zohoId(8, 4), name: 'Sales Operations' },
};
const PROFILES = {
  admin: { id: zohoId(8, 11), name: 'Administrator' },
  standard: { id: zohoId(8, 12), name: 'Standard' },
};

const FIELD_IDS = {
  Billing_Country: zohoId(8, 21),
  Billing_State: zohoId(8, 22),
  Country: zohoId(8, 23),
};

/**
 * The OAS pattern for `email` is `[a-z0-9]{9}[@][a-z0-9]{5}[.]com`; local parts of 9+
 * letters/digits and a 5-letter domain keep the demo org valid against it.
 */
const EMAIL_DOMAIN = 'tbsim.com';
export function email(first: string, last: string): string {
  let local = (first + last).toLowerCase().replace(/[^a-z0-9]/g, '');
  while (local.length < 9) local += '0';
  return `${local}@${EMAIL_DOMAIN}`;
}

function slug(name: string): string {
  return name
    .replace(/&/g, 'and')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

interface TreeNode {
  name: string;
  permission?: PermissionType;
  rule?: { field: keyof typeof FIELD_IDS; value: string };
  children?: TreeNode[];
}

const DEMO_TREE: TreeNode = {
  name: 'Global',
  children: [
    {
      name: 'Americas',
      children: [
        {
          name: 'North America',
          children: [
            {
              name: 'US West',
              children: [
                { name: 'California', rule: { field: 'Billing_State', value: 'California' } },
                { name: 'Pacific Northwest' },
                { name: 'Mountain' },
              ],
            },
            {
              name: 'US East',
              children: [
                { name: 'New York Metro', rule: { field: 'Billing_State', value: 'New York' } },
                { name: 'New England' },
                { name: 'Southeast' },
              ],
            },
            {
              name: 'US Central',
              children: [
                { name: 'Texas', rule: { field: 'Billing_State', value: 'Texas' } },
                { name: 'Midwest' },
              ],
            },
            {
              name: 'Canada',
              children: [{ name: 'Ontario' }, { name: 'Quebec' }, { name: 'Western Canada' }],
            },
          ],
        },
        {
          name: 'Latin America',
          children: [
            { name: 'Brazil', rule: { field: 'Billing_Country', value: 'Brazil' } },
            { name: 'Mexico' },
            { name: 'Southern Cone' },
          ],
        },
      ],
    },
    {
      name: 'EMEA',
      children: [
        { name: 'UK & Ireland', rule: { field: 'Billing_Country', value: 'United Kingdom' } },
        { name: 'DACH', rule: { field: 'Billing_Country', value: 'Germany' } },
        { name: 'France & Benelux' },
        { name: 'Nordics' },
        { name: 'Middle East & Africa' },
      ],
    },
    {
      name: 'APAC',
      children: [
        { name: 'ANZ' },
        { name: 'Japan', permission: 'read_only' },
        { name: 'India', rule: { field: 'Billing_Country', value: 'India' } },
        { name: 'Southeast Asia' },
        { name: 'Greater China' },
      ],
    },
    {
      // The API user is a member here, but read-only: a demo of the "read-only path".
      name: 'Strategic Accounts',
      permission: 'read_only',
      children: [{ name: 'Key Accounts West' }, { name: 'Key Accounts East' }],
    },
  ],
};

const FIRST = [
  'Avery',
  'Jordan',
  'Priya',
  'Mateo',
  'Hannah',
  'Kenji',
  'Olivia',
  'Lucas',
  'Amara',
  'Noah',
  'Sofia',
  'Ethan',
  'Leila',
  'Marcus',
  'Ingrid',
  'Diego',
  'Chloe',
  'Rahul',
  'Yuki',
  'Fatima',
  'Oscar',
  'Grace',
  'Tomas',
  'Nadia',
  'Samuel',
  'Elena',
  'Victor',
  'Maya',
  'Henrik',
  'Zara',
]; // prettier-ignore
const LAST = [
  'Anderson',
  'Bennett',
  'Chowdhury',
  'Delgado',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ito',
  'Johansson',
  'Kowalski',
  'Laurent',
  'Mendes',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Schneider',
  'Tanaka',
  'Underwood',
  'Valdez',
  'Whitaker',
  'Xu',
  'Yilmaz',
  'Zimmerman',
]; // prettier-ignore
const COMPANY_A = [
  'Blue',
  'Summit',
  'Northwind',
  'Granite',
  'Silver',
  'Harbor',
  'Apex',
  'Cedar',
  'Lumen',
  'Vertex',
  'Pioneer',
  'Redwood',
  'Quantum',
  'Atlas',
  'Coastal',
  'Evergreen',
  'Falcon',
  'Orbit',
  'Prairie',
  'Zenith',
]; // prettier-ignore
const COMPANY_B = [
  'Logistics',
  'Analytics',
  'Foods',
  'Robotics',
  'Health',
  'Energy',
  'Systems',
  'Labs',
  'Retail',
  'Capital',
  'Motors',
  'Media',
  'Pharma',
  'Textiles',
  'Networks',
  'Foundry',
]; // prettier-ignore
const SUFFIX = ['Inc', 'Ltd', 'GmbH', 'LLC', 'Pty Ltd', 'SA', 'KK', 'Group'];
const STAGES = [
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Proposal/Price Quote',
  'Negotiation/Review',
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function criteria(rule: TreeNode['rule']): SimCriteria | null {
  if (!rule) return null;
  return {
    group_operator: 'and',
    group: [
      { comparator: 'equal', field: { api_name: rule.field, id: FIELD_IDS[rule.field] }, value: rule.value },
    ],
  };
}

function makeUser(
  seq: number,
  first: string,
  last: string,
  role: SeedUser['role'],
  reportingToId: string | null,
): SeedUser {
  return {
    id: zohoId(2, seq),
    firstName: first,
    lastName: last,
    email: email(first, last),
    zuid: String(70000000 + seq),
    status: 'active',
    confirm: true,
    role,
    profile: PROFILES.standard,
    reportingToId,
    createdTime: zohoTime(T0 - 86_400_000 * 30),
  };
}

/** Builds territories from a tree, depth-first; returns them in creation order. */
function buildTerritories(tree: TreeNode, orgName: string): SeedTerritory[] {
  const out: SeedTerritory[] = [];
  let seq = 1;
  const visit = (node: TreeNode, parentId: string | null) => {
    const id = zohoId(1, seq);
    const time = zohoTime(T0 + seq * 60_000);
    seq += 1;
    const rule = criteria(node.rule);
    out.push({
      id,
      name: node.name,
      apiName: slug(node.name),
      description:
        parentId === null ? 'Organization Parent Territory' : `${node.name} sales territory (${orgName})`,
      parentId,
      managerId: null,
      permissionType: node.permission ?? 'read_write_delete',
      accountRule: rule,
      dealRule: null,
      leadRule: null,
      createdTime: time,
      modifiedTime: time,
    });
    for (const child of node.children ?? []) visit(child, id);
  };
  visit(tree, null);
  return out;
}

function recordName(module: ZohoModule, rand: () => number, accounts: SeedRecord[]): Record<string, unknown> {
  const company = `${pick(rand, COMPANY_A)} ${pick(rand, COMPANY_B)} ${pick(rand, SUFFIX)}`;
  const first = pick(rand, FIRST);
  const last = pick(rand, LAST);
  switch (module) {
    case 'Accounts':
      return { Account_Name: company };
    case 'Leads':
      return { First_Name: first, Last_Name: last, Full_Name: `${first} ${last}`, Company: company };
    case 'Contacts': {
      const account = accounts.length > 0 ? pick(rand, accounts) : undefined;
      return {
        First_Name: first,
        Last_Name: last,
        Full_Name: `${first} ${last}`,
        Email: `${first}.${last}@example.com`.toLowerCase(),
        Account_Name: account ? { name: account.fields.Account_Name, id: account.id } : null,
      };
    }
    case 'Deals': {
      const account = accounts.length > 0 ? pick(rand, accounts) : undefined;
      const accountName = account ? String(account.fields.Account_Name) : company;
      return {
        Deal_Name: `${accountName} — ${pick(rand, ['Renewal', 'Expansion', 'New Business', 'Pilot'])}`,
        Stage: pick(rand, STAGES),
        Amount: Math.round(rand() * 200) * 500 + 5000,
        Account_Name: account ? { name: accountName, id: account.id } : null,
      };
    }
  }
}

interface RecordPlan {
  counts: Record<ZohoModule, number>;
  /** Territories records may be assigned to (usually leaves). */
  targets: SeedTerritory[];
  /** Who made the manual assignments already in the org. */
  assignedById: string;
  ownerIds: string[];
  /** Share of records carrying territories at all. */
  assignedShare: number;
  /** Share of assignments made by rule (`automatically`). */
  ruleShare: number;
  lockedPerModule: number;
}

function buildRecords(plan: RecordPlan, rand: () => number): SeedRecord[] {
  const out: SeedRecord[] = [];
  const accounts: SeedRecord[] = [];
  for (const module of ['Accounts', 'Contacts', 'Leads', 'Deals'] as const) {
    for (let i = 1; i <= plan.counts[module]; i += 1) {
      const created = T0 + 86_400_000 + i * 3_600_000;
      const territories: SeedRecordTerritory[] = [];
      if (plan.targets.length > 0 && rand() < plan.assignedShare) {
        const n = module === 'Deals' ? 1 : 1 + Math.floor(rand() * 2);
        for (let k = 0; k < n; k += 1) {
          const t = pick(rand, plan.targets);
          if (territories.some((x) => x.territoryId === t.id)) continue;
          const auto = rand() < plan.ruleShare;
          territories.push({
            territoryId: t.id,
            assigned: auto ? 'automatically' : 'manually',
            assignedById: auto ? null : plan.assignedById,
            assignedTime: zohoTime(created + 60_000),
          });
        }
      }
      const record: SeedRecord = {
        module,
        id: zohoId(MODULE_KIND[module], i),
        fields: recordName(module, rand, accounts),
        ownerId: pick(rand, plan.ownerIds),
        territories,
        locked: i <= plan.lockedPerModule,
        createdTime: zohoTime(created),
        modifiedTime: zohoTime(created + 60_000),
      };
      if (module === 'Accounts') accounts.push(record);
      out.push(record);
    }
  }
  return out;
}

/**
 * The demo org: a 35-territory tree (Global > Americas/EMEA/APAC/Strategic Accounts), an
 * API user ("Territory Bot", Standard profile) who is a read_write_delete member of
 * Americas, EMEA and APAC and a member of the read_only Strategic Accounts, managers and
 * reps, and 360 records. Two records per module are locked; some assignments are by rule.
 */
export function demoSeed(): SimSeed {
  const rand = seededRandom(20260101);
  const orgName = 'Acme Demo Org';
  const territories = buildTerritories(DEMO_TREE, orgName);
  const byName = new Map(territories.map((t) => [t.name, t]));
  const t = (name: string) => byName.get(name)!;

  const users: SeedUser[] = [];
  const ceo = makeUser(1, 'Morgan', 'Blackwell', ROLES.ceo, null);
  ceo.profile = PROFILES.admin;
  users.push(ceo);
  const apiUser = makeUser(2, 'Territory', 'Bot', ROLES.ops, ceo.id);
  users.push(apiUser);
  const memberships: SeedMembership[] = [];
  const member = (userId: string, territoryName: string) =>
    memberships.push({ userId, territoryId: t(territoryName).id });
  for (const name of ['Americas', 'EMEA', 'APAC', 'Strategic Accounts']) member(apiUser.id, name);
  t('Global').managerId = ceo.id;

  // One manager per region and per sub-region; a rep or two per leaf.
  let seq = 3;
  const managed = [
    'Americas',
    'North America',
    'US West',
    'US East',
    'US Central',
    'Canada',
    'Latin America',
    'EMEA',
    'APAC',
    'Strategic Accounts',
  ];
  for (const name of managed) {
    const first = FIRST[seq % FIRST.length]!;
    const last = LAST[(seq * 7) % LAST.length]!;
    const parent = t(name).parentId;
    const parentManager = territories.find((x) => x.id === parent)?.managerId ?? ceo.id;
    const u = makeUser(seq, first, last, ROLES.manager, parentManager);
    seq += 1;
    users.push(u);
    t(name).managerId = u.id;
    member(u.id, name);
  }
  const parentIds = new Set(territories.map((x) => x.parentId));
  const leaves = territories.filter((x) => !parentIds.has(x.id));
  for (const leaf of leaves) {
    const reps = leaf.name === 'California' || leaf.name === 'DACH' ? 2 : 1;
    const parentManager = territories.find((x) => x.id === leaf.parentId)?.managerId ?? ceo.id;
    for (let r = 0; r < reps; r += 1) {
      const u = makeUser(
        seq,
        FIRST[(seq * 3) % FIRST.length]!,
        LAST[(seq * 5) % LAST.length]!,
        ROLES.rep,
        parentManager,
      );
      seq += 1;
      users.push(u);
      member(u.id, leaf.name);
      if (r === 0) leaf.managerId = parentManager;
    }
  }
  // The Slack demo workspace's people (src/sandbox/slack/demo.ts) by name and email, so the
  // sandbox shows every access case: Rita (California rep) changes her own Leads directly,
  // asks for Raj's (Texas rep) Deals, and Mona (manager of Americas) approves.
  const persona = (u: SeedUser | undefined, first: string, last: string) => {
    if (!u) return;
    u.firstName = first;
    u.lastName = last;
    u.email = email(first, last);
  };
  const firstRepOf = (name: string) =>
    users.find(
      (u) =>
        u.role.id === ROLES.rep.id &&
        memberships.some((m) => m.userId === u.id && m.territoryId === t(name).id),
    );
  persona(firstRepOf('California'), 'Rita', 'Rep');
  persona(firstRepOf('Texas'), 'Raj', 'Rep');
  persona(
    users.find((u) => u.id === t('Americas').managerId),
    'Mona',
    'Manager',
  );

  // A deactivated rep still listed in a territory, as real orgs have.
  const gone = makeUser(seq, 'Casey', 'Former', ROLES.rep, ceo.id);
  gone.status = 'disabled';
  users.push(gone);
  member(gone.id, 'Mountain');

  const records = buildRecords(
    {
      counts: { Accounts: 100, Contacts: 100, Leads: 80, Deals: 80 },
      targets: leaves,
      assignedById: ceo.id,
      ownerIds: users.filter((u) => u.role.id === ROLES.rep.id && u.status === 'active').map((u) => u.id),
      assignedShare: 0.5,
      ruleShare: 0.25,
      lockedPerModule: 0,
    },
    rand,
  );
  // Two locked records per module, away from the first ids tests like to use.
  for (const module of ['Leads', 'Accounts', 'Contacts', 'Deals'] as const) {
    const ofModule = records.filter((r) => r.module === module);
    ofModule[ofModule.length - 1]!.locked = true;
    ofModule[ofModule.length - 2]!.locked = true;
  }

  return {
    orgName,
    orgId: '60012345678',
    apiUserId: apiUser.id,
    territoryManagement: true,
    leadsTerritories: true,
    territories,
    users,
    memberships,
    records,
  };
}

export interface BigSeedOptions {
  /** Territories in the tree (default 5000). */
  territories?: number;
  /** Records per module (default 1000). */
  records?: number;
  /** Children per territory (default 8). */
  fanout?: number;
  seed?: number;
}

/**
 * A large org for paging tests and benchmarks: a balanced tree of `territories`, the API
 * user a read_write_delete member of the root (so every assignment is allowed), one rep
 * per 50 territories, `records` records per module without territories.
 */
export function bigSeed(options: BigSeedOptions = {}): SimSeed {
  const count = Math.max(1, options.territories ?? 5000);
  const perModule = Math.max(0, options.records ?? 1000);
  const fanout = Math.max(2, options.fanout ?? 8);
  const rand = seededRandom(options.seed ?? 424242);
  const territories: SeedTerritory[] = [];
  for (let i = 1; i <= count; i += 1) {
    const parentSeq = i === 1 ? null : Math.floor((i - 2) / fanout) + 1;
    const name = i === 1 ? 'Global' : `Territory ${String(i).padStart(5, '0')}`;
    const time = zohoTime(T0 + i * 1000);
    territories.push({
      id: zohoId(1, i),
      name,
      apiName: slug(name),
      description: i === 1 ? 'Organization Parent Territory' : null,
      parentId: parentSeq === null ? null : zohoId(1, parentSeq),
      managerId: null,
      permissionType: 'read_write_delete',
      accountRule: null,
      dealRule: null,
      leadRule: null,
      createdTime: time,
      modifiedTime: time,
    });
  }
  const ceo = makeUser(1, 'Morgan', 'Blackwell', ROLES.ceo, null);
  ceo.profile = PROFILES.admin;
  const apiUser = makeUser(2, 'Territory', 'Bot', ROLES.ops, ceo.id);
  const users = [ceo, apiUser];
  const memberships: SeedMembership[] = [{ userId: apiUser.id, territoryId: territories[0]!.id }];
  for (let i = 0; i < count; i += 50) {
    const u = makeUser(3 + i / 50, pick(rand, FIRST), pick(rand, LAST), ROLES.rep, ceo.id);
    users.push(u);
    memberships.push({ userId: u.id, territoryId: territories[i]!.id });
    territories[i]!.managerId = u.id;
  }
  // The Slack demo workspace's rep and manager (src/sandbox/slack/demo.ts) by email, so a
  // benchmark runs the default ACCESS_MODE=zoho: Rita manages the root (her lists still need
  // approval above the threshold), Mona a territory below it.
  const rename = (u: SeedUser | undefined, first: string, last: string) => {
    if (!u) return;
    u.firstName = first;
    u.lastName = last;
    u.email = email(first, last);
  };
  rename(users[2], 'Rita', 'Rep');
  rename(users[3], 'Mona', 'Manager');
  const records = buildRecords(
    {
      counts: { Accounts: perModule, Contacts: perModule, Leads: perModule, Deals: perModule },
      targets: [],
      assignedById: ceo.id,
      ownerIds: users.map((u) => u.id),
      assignedShare: 0,
      ruleShare: 0,
      lockedPerModule: 0,
    },
    rand,
  );
  return {
    orgName: 'Big Org',
    orgId: '60099999999',
    apiUserId: apiUser.id,
    territoryManagement: true,
    leadsTerritories: true,
    territories,
    users,
    memberships,
    records,
  };
}
