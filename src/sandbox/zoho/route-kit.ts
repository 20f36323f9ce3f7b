/** What every route handler gets and returns, plus paging and shared error answers. */
import type { SimOrg } from './org.js';
import type { SimJob } from './types.js';
import { errorBody, pageInfo } from './wire.js';

export interface Reply {
  status: number;
  /** Omitted for 204. */
  body?: unknown;
}

export interface RouteContext {
  org: SimOrg;
  now: number;
  /** Regex groups of the matched path (after /crm/v8). */
  params: string[];
  query: URLSearchParams;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  /** True when a body was sent but was not JSON. */
  bodyInvalid: boolean;
  enforcePermissions: boolean;
  /** Schedules a territory job (the server arms its timer and persists the state). */
  scheduleJob(job: Omit<SimJob, 'jobId' | 'dueAt'>): SimJob;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Matched against the path after `/crm/v8`. */
  pattern: RegExp;
  operation: string;
  /** Any one of these scopes grants the call (zoho-api.md §2.5). */
  scopes(params: string[]): string[];
  /** 403 TERRITORY_NOT_ENABLED while territory management is off. */
  needsTerritories: boolean;
  /** Changes state (the server saves the state file afterwards). */
  mutates?: boolean;
  handle(ctx: RouteContext): Reply;
}

export const noContent: Reply = { status: 204 };

export function fail(
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): Reply {
  return { status, body: errorBody(code, message, details) };
}

export const INVALID_ID_MESSAGE = 'the id given seems to be invalid';

/** Unknown id in the URL: Zoho points at the path segment (`details.resource_path_index`). */
export function invalidPathId(index: number): Reply {
  return fail(400, 'INVALID_DATA', INVALID_ID_MESSAGE, { resource_path_index: index });
}

export function invalidParam(name: string, message = 'invalid data'): Reply {
  return fail(400, 'INVALID_DATA', message, { param_name: name });
}

export interface Paging {
  page: number;
  perPage: number;
}

/** page/per_page with Zoho's defaults and caps; per_page above the maximum is capped. */
export function parsePaging(
  query: URLSearchParams,
  defaultPerPage: number,
  maxPerPage: number,
): Paging | Reply {
  const page = parsePositive(query.get('page'), 1);
  if (page === null) return invalidParam('page');
  const perPage = parsePositive(query.get('per_page'), defaultPerPage);
  if (perPage === null) return invalidParam('per_page');
  return { page, perPage: Math.min(perPage, maxPerPage) };
}

function parsePositive(raw: string | null, fallback: number): number | null {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 ? n : null;
}

export function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && 'status' in x;
}

/** One page of `items` under `key` with Zoho's `info`; 204 when the page is empty. */
export function pageOf<T>(key: string, items: T[], paging: Paging, map: (item: T) => unknown): Reply {
  const start = (paging.page - 1) * paging.perPage;
  const slice = items.slice(start, start + paging.perPage);
  if (slice.length === 0) return noContent;
  return {
    status: 200,
    body: {
      [key]: slice.map(map),
      info: pageInfo(paging.perPage, slice.length, paging.page, items.length > start + slice.length),
    },
  };
}

/** `ids=a,b,c` as a list (empty entries dropped); null when the parameter is absent. */
export function idList(query: URLSearchParams, name = 'ids'): string[] | null {
  const raw = query.get(name);
  if (raw === null) return null;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
