/**
 * Territory reads (zoho-api.md §4, §5.1): `GET /settings/territories` (per_page default and
 * max 2000, `ids`, `filters`, `include`, `include_inner_details`), `/{id}`,
 * `/{id}/__child_territories` (max 200 per page) and `/{id}/users`.
 */
import type { SimOrg } from './org.js';
import {
  fail,
  idList,
  invalidParam,
  invalidPathId,
  isReply,
  pageOf,
  parsePaging,
  type Reply,
  type Route,
  type RouteContext,
} from './route-kit.js';
import type { SimTerritoryView } from './types.js';
import { pageInfo, territoryJson, userJson } from './wire.js';

const TERRITORY_READ = [
  'ZohoCRM.settings.territories.READ',
  'ZohoCRM.settings.territories.ALL',
  'ZohoCRM.settings.ALL',
];
const USERS_READ = ['ZohoCRM.users.READ', 'ZohoCRM.users.ALL'];

const INCLUDE_VALUES = new Set(['lead_rule_criteria', 'account_rule_criteria', 'deal_rule_criteria']);
const INNER_DETAILS = new Set(['manager.zuid', 'manager.status']);

/** Filterable keys and their comparators (v7 territories doc, zoho-api.md §4.2). */
const FILTER_FIELDS: Record<string, { comparators: string[]; get: (t: SimTerritoryView) => string | null }> =
  {
    id: { comparators: ['equal', 'not_equal'], get: (t) => t.id },
    'reporting_to.id': { comparators: ['equal', 'not_equal'], get: (t) => t.parentId },
    'manager.id': { comparators: ['equal', 'not_equal'], get: (t) => t.managerId },
    permission_type: { comparators: ['equal', 'not_equal'], get: (t) => t.permissionType },
    name: {
      comparators: ['equal', 'not_equal', 'starts_with', 'ends_with', 'contains', 'not_contains'],
      get: (t) => t.name,
    },
  };

type Predicate = (t: SimTerritoryView) => boolean;

function compile(criteria: unknown): Predicate | Reply {
  if (typeof criteria !== 'object' || criteria === null) return invalidParam('filters');
  const c = criteria as Record<string, unknown>;
  if (Array.isArray(c.group)) {
    const op = String(c.group_operator ?? '').toLowerCase();
    if (op !== 'and' && op !== 'or') return invalidParam('filters');
    const parts: Predicate[] = [];
    for (const g of c.group) {
      const p = compile(g);
      if (isReply(p)) return p;
      parts.push(p);
    }
    return op === 'and' ? (t) => parts.every((p) => p(t)) : (t) => parts.some((p) => p(t));
  }
  const apiName = (c.field as { api_name?: unknown } | undefined)?.api_name;
  if (typeof apiName !== 'string') return invalidParam('filters');
  const field = FILTER_FIELDS[apiName];
  if (!field) return invalidParam('filters', `The given api_name(${apiName}) is not supported`);
  const comparator = String(c.comparator ?? '');
  if (!field.comparators.includes(comparator)) return invalidParam('filters');
  const value = c.value === null || c.value === undefined ? null : String(c.value);
  const lower = (s: string | null) => (s ?? '').toLowerCase();
  switch (comparator) {
    case 'equal':
      return (t) => field.get(t) === value;
    case 'not_equal':
      return (t) => field.get(t) !== value;
    case 'starts_with':
      return (t) => lower(field.get(t)).startsWith(lower(value));
    case 'ends_with':
      return (t) => lower(field.get(t)).endsWith(lower(value));
    case 'contains':
      return (t) => lower(field.get(t)).includes(lower(value));
    default:
      return (t) => !lower(field.get(t)).includes(lower(value));
  }
}

function parseFilters(ctx: RouteContext): Predicate | Reply {
  const raw = ctx.query.get('filters');
  if (raw === null) return () => true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return invalidParam('filters');
  }
  return compile(parsed);
}

function parseInnerDetails(ctx: RouteContext): Set<string> | Reply {
  const raw = ctx.query.get('include_inner_details');
  const set = new Set((raw ?? '').split(',').filter((s) => s.length > 0));
  for (const v of set) if (!INNER_DETAILS.has(v)) return invalidParam('include_inner_details');
  const include = ctx.query.get('include');
  if (include !== null && !include.split(',').every((v) => INCLUDE_VALUES.has(v)))
    return invalidParam('include');
  return set;
}

function listTerritories(
  ctx: RouteContext,
  candidates: SimTerritoryView[],
  defaultPer: number,
  maxPer: number,
): Reply {
  const paging = parsePaging(ctx.query, defaultPer, maxPer);
  if (isReply(paging)) return paging;
  const filter = parseFilters(ctx);
  if (isReply(filter)) return filter;
  const inner = parseInnerDetails(ctx);
  if (isReply(inner)) return inner;
  const ids = idList(ctx.query);
  const wanted = ids ? new Set(ids) : null;
  const items = candidates.filter((t) => (wanted ? wanted.has(t.id) : true) && filter(t));
  return pageOf('territories', items, paging, (t) => territoryJson(ctx.org, t, { innerDetails: inner }));
}

function territoryOr400(org: SimOrg, id: string): SimTerritoryView | Reply {
  // A deleted territory answers like an unknown one: "the id given seems to be invalid".
  const t = org.liveTerritory(id);
  if (!t) return invalidPathId(2);
  // Fault: the API user lost the right to read this territory (v7 doc: 403 NO_PERMISSION).
  if (org.unreadable.has(id)) return fail(403, 'NO_PERMISSION', 'permission denied');
  return t;
}

/** Territories the API user can read (unreadable ones are left out of lists). */
function readable(org: SimOrg, list: SimTerritoryView[]): SimTerritoryView[] {
  return org.unreadable.size === 0 ? list : list.filter((t) => !org.unreadable.has(t.id));
}

export const territoryRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/settings\/territories$/,
    operation: 'getTerritories',
    scopes: () => TERRITORY_READ,
    needsTerritories: true,
    // v7 doc: per_page "default and maximum is 2000" for this endpoint.
    handle: (ctx) => listTerritories(ctx, readable(ctx.org, ctx.org.liveTerritories()), 2000, 2000),
  },
  {
    method: 'GET',
    pattern: /^\/settings\/territories\/([^/]+)$/,
    operation: 'getTerritory',
    scopes: () => TERRITORY_READ,
    needsTerritories: true,
    handle: (ctx) => {
      const t = territoryOr400(ctx.org, ctx.params[0]!);
      if (isReply(t)) return t;
      const inner = parseInnerDetails(ctx);
      if (isReply(inner)) return inner;
      return {
        status: 200,
        body: {
          territories: [territoryJson(ctx.org, t, { innerDetails: inner })],
          info: pageInfo(2000, 1, 1, false),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/settings\/territories\/([^/]+)\/__child_territories$/,
    operation: 'getChildTerritories',
    scopes: () => TERRITORY_READ,
    needsTerritories: true,
    handle: (ctx) => {
      const t = territoryOr400(ctx.org, ctx.params[0]!);
      if (isReply(t)) return t;
      return listTerritories(ctx, readable(ctx.org, ctx.org.children(t.id)), 200, 200);
    },
  },
  {
    method: 'GET',
    pattern: /^\/settings\/territories\/([^/]+)\/users$/,
    operation: 'getTerritoryUsers',
    scopes: () => USERS_READ,
    needsTerritories: true,
    handle: (ctx) => {
      const t = territoryOr400(ctx.org, ctx.params[0]!);
      if (isReply(t)) return t;
      // Paging is undocumented here but `info` is returned (zoho-api.md §5.1): honour page/per_page.
      const paging = parsePaging(ctx.query, 200, 200);
      if (isReply(paging)) return paging;
      const users = ctx.org.membersOf(t.id).filter((u) => u.status !== 'deleted');
      return pageOf('users', users, paging, (u) => userJson(ctx.org, u));
    },
  },
  {
    method: 'GET',
    pattern: /^\/settings\/territories\/([^/]+)\/users\/([^/]+)$/,
    operation: 'getTerritoryUser',
    scopes: () => USERS_READ,
    needsTerritories: true,
    handle: (ctx) => {
      const t = territoryOr400(ctx.org, ctx.params[0]!);
      if (isReply(t)) return t;
      const user = ctx.org.membersOf(t.id).find((u) => u.id === ctx.params[1]);
      if (!user) return invalidPathId(4);
      return { status: 200, body: { users: [userJson(ctx.org, user)], info: pageInfo(200, 1, 1, false) } };
    },
  },
];
