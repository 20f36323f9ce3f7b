/**
 * Users (zoho-api.md §5.2, §5.3): `GET /users?type=...` (per_page max 200, ids max 100),
 * `GET /users/{id}`, `GET /users/{id}/territories` (capitalised keys).
 */
import {
  fail,
  idList,
  invalidParam,
  invalidPathId,
  isReply,
  pageOf,
  parsePaging,
  type Route,
} from './route-kit.js';
import type { SeedUser } from './types.js';
import { pageInfo, userJson, userTerritoryJson } from './wire.js';

const USERS_READ = ['ZohoCRM.users.READ', 'ZohoCRM.users.ALL'];
const USER_TERRITORIES_READ = [
  ...USERS_READ,
  'ZohoCRM.settings.territories.READ',
  'ZohoCRM.settings.territories.ALL',
  'ZohoCRM.settings.ALL',
];

const isActive = (u: SeedUser) => u.status === 'active';
const isAdmin = (u: SeedUser) => u.profile.name === 'Administrator';
const notDeleted = (u: SeedUser) => u.status !== 'deleted';

/** `type` values of the v7 doc and v8 OAS (zoho-api.md §5.3). */
const USER_TYPES: Record<string, (u: SeedUser, apiUserId: string) => boolean> = {
  AllUsers: notDeleted,
  ActiveUsers: isActive,
  AllActiveUsers: isActive,
  DeactiveUsers: (u) => !isActive(u) && notDeleted(u),
  ConfirmedUsers: (u) => u.confirm && notDeleted(u),
  NotConfirmedUsers: (u) => !u.confirm && notDeleted(u),
  DeletedUsers: (u) => u.status === 'deleted',
  ActiveConfirmedUsers: (u) => isActive(u) && u.confirm,
  AdminUsers: (u) => isAdmin(u) && notDeleted(u),
  ActiveConfirmedAdmins: (u) => isAdmin(u) && isActive(u) && u.confirm,
  CurrentUser: (u, apiUserId) => u.id === apiUserId,
  DeveloperUsers: () => false,
  ActiveLiteUser: () => false,
};

export const userRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/users$/,
    operation: 'getUsers',
    scopes: () => USERS_READ,
    needsTerritories: false,
    handle: (ctx) => {
      const type = ctx.query.get('type') ?? 'AllUsers';
      const test = USER_TYPES[type];
      if (!test) return invalidParam('type');
      const paging = parsePaging(ctx.query, 200, 200);
      if (isReply(paging)) return paging;
      const ids = idList(ctx.query);
      if (ids && ids.length > 100)
        return fail(400, 'LIMIT_EXCEEDED', 'Record count exceeded', { param_name: 'ids', limit: 100 });
      const wanted = ids ? new Set(ids) : null;
      const users = ctx.org
        .users()
        .filter((u) => test(u, ctx.org.apiUserId) && (wanted ? wanted.has(u.id) : true));
      return pageOf('users', users, paging, (u) => userJson(ctx.org, u));
    },
  },
  {
    method: 'GET',
    pattern: /^\/users\/([^/]+)$/,
    operation: 'getUser',
    scopes: () => USERS_READ,
    needsTerritories: false,
    handle: (ctx) => {
      const user = ctx.org.user(ctx.params[0]!);
      if (!user) return invalidPathId(1);
      return { status: 200, body: { users: [userJson(ctx.org, user)], info: pageInfo(200, 1, 1, false) } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/users\/([^/]+)\/territories$/,
    operation: 'getUserTerritories',
    scopes: () => USER_TERRITORIES_READ,
    needsTerritories: true,
    handle: (ctx) => {
      const user = ctx.org.user(ctx.params[0]!);
      if (!user) return invalidPathId(1);
      const paging = parsePaging(ctx.query, 200, 200);
      if (isReply(paging)) return paging;
      return pageOf('territories', ctx.org.territoriesOf(user.id), paging, (t) =>
        userTerritoryJson(ctx.org, t),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^\/users\/([^/]+)\/territories\/([^/]+)$/,
    operation: 'getUserTerritory',
    scopes: () => USER_TERRITORIES_READ,
    needsTerritories: true,
    handle: (ctx) => {
      const user = ctx.org.user(ctx.params[0]!);
      if (!user) return invalidPathId(1);
      const t = ctx.org.territoriesOf(user.id).find((x) => x.id === ctx.params[1]);
      if (!t) return invalidPathId(3);
      return {
        status: 200,
        body: { territories: [userTerritoryJson(ctx.org, t)], info: pageInfo(200, 1, 1, false) },
      };
    },
  },
];
