/**
 * Records of the four territory modules (zoho-api.md §6-§9): reads, assign/remove
 * territories with Zoho's per-record rules (scheduled as background jobs, 202 SCHEDULED),
 * and the feature-specific-info endpoint listing pending territory jobs.
 */
import { TERRITORY_MODULES, type ZohoModule } from '../../core/zoho/types.js';
import type { SimOrg } from './org.js';
import {
  fail,
  INVALID_ID_MESSAGE,
  idList,
  invalidParam,
  invalidPathId,
  isReply,
  noContent,
  parsePaging,
  type Reply,
  type Route,
  type RouteContext,
} from './route-kit.js';
import type { SeedRecord } from './types.js';
import { recordJson } from './wire.js';

/** Modules that exist in Zoho but have no territories: actions answer NOT_SUPPORTED. */
const OTHER_MODULES = new Set([
  'Tasks',
  'Events',
  'Calls',
  'Products',
  'Quotes',
  'Sales_Orders',
  'Purchase_Orders',
  'Invoices',
  'Campaigns',
  'Vendors',
  'Price_Books',
  'Cases',
  'Solutions',
  'Notes',
  'Attachments',
]); // prettier-ignore

const MODULE_KEYS = new Set<string>(TERRITORY_MODULES);

function moduleOf(name: string): ZohoModule | Reply {
  if (MODULE_KEYS.has(name)) return name as ZohoModule;
  if (OTHER_MODULES.has(name))
    return fail(400, 'NOT_SUPPORTED', 'Territory is not supported for the given module');
  return fail(400, 'INVALID_MODULE', 'The module name given seems to be invalid', { resource_path_index: 0 });
}

const readScopes = (params: string[]) => {
  const m = (params[0] ?? '').toLowerCase();
  return [
    'ZohoCRM.modules.ALL',
    'ZohoCRM.modules.READ',
    `ZohoCRM.modules.${m}.ALL`,
    `ZohoCRM.modules.${m}.READ`,
  ];
};
const updateScopes = (params: string[]) => {
  const m = (params[0] ?? '').toLowerCase();
  return ['ZohoCRM.modules.ALL', `ZohoCRM.modules.${m}.ALL`, `ZohoCRM.modules.${m}.UPDATE`];
};

function tooManyIds(limit: number): Reply {
  return fail(400, 'LIMIT_EXCEEDED', 'Record count exceeded', { param_name: 'ids', limit });
}

function parseFields(ctx: RouteContext): string[] | null {
  const raw = ctx.query.get('fields');
  if (raw === null) return null;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function territoriesEnabledFor(org: SimOrg, module: ZohoModule): Reply | null {
  if (!org.territoryManagement) return territoryOff();
  if (module === 'Leads' && !org.leadsTerritories) {
    return fail(403, 'TERRITORY_NOT_ENABLED', 'the territory feature is not enabled', { module: 'Leads' });
  }
  return null;
}

export function territoryOff(code = 'TERRITORY_NOT_ENABLED'): Reply {
  return fail(403, code, 'the territory feature is not enabled');
}

function getRecords(ctx: RouteContext): Reply {
  const module = moduleOf(ctx.params[0]!);
  if (isReply(module))
    return module.body && (module.body as { code: string }).code === 'NOT_SUPPORTED' ? noContent : module;
  // v8 Get Records requires `fields` (Deluge v8 docs: "only the field key ... is mandatory").
  const fields = parseFields(ctx);
  if (fields === null || fields.length === 0) {
    return fail(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
      param_name: 'fields',
    });
  }
  const ids = idList(ctx.query);
  let records: SeedRecord[];
  const paging = parsePaging(ctx.query, 200, 200);
  if (isReply(paging)) return paging;
  if (ids) {
    if (ids.length > 100) return tooManyIds(100);
    records = [...new Set(ids)].flatMap((id) => {
      const r = ctx.org.record(module, id);
      return r ? [r] : [];
    });
  } else {
    records = ctx.org.records(module);
    const territoryId = ctx.query.get('territory_id');
    if (territoryId !== null) {
      const off = territoriesEnabledFor(ctx.org, module);
      if (off) return off;
      if (!ctx.org.liveTerritory(territoryId)) return invalidParam('territory_id');
      const within = new Set([territoryId]);
      if (ctx.query.get('include_child') === 'true') {
        for (const t of ctx.org.liveTerritories()) {
          if (ctx.org.selfAndAncestors(t.id).some((a) => a.id === territoryId)) within.add(t.id);
        }
      }
      records = records.filter((r) => r.territories.some((x) => within.has(x.territoryId)));
    }
  }
  const start = ids ? 0 : (paging.page - 1) * paging.perPage;
  const slice = ids ? records : records.slice(start, start + paging.perPage);
  if (slice.length === 0) return noContent;
  return {
    status: 200,
    body: {
      data: slice.map((r) => recordJson(ctx.org, r, fields)),
      info: {
        per_page: ids ? Math.max(slice.length, 1) : paging.perPage,
        count: slice.length,
        page: ids ? 1 : paging.page,
        more_records: ids ? false : records.length > start + slice.length,
        sort_by: 'id',
        sort_order: 'desc',
      },
    },
  };
}

function getRecord(ctx: RouteContext): Reply {
  const module = moduleOf(ctx.params[0]!);
  if (isReply(module)) return module;
  const r = ctx.org.record(module, ctx.params[1]!);
  if (!r) return noContent;
  return { status: 200, body: { data: [recordJson(ctx.org, r, parseFields(ctx))] } };
}

// --- assign / remove --------------------------------------------------------------------------

type Kind = 'assign' | 'remove';

interface ItemResult {
  httpStatus: number;
  body: Record<string, unknown>;
}

function itemError(
  code: string,
  message: string,
  details: Record<string, unknown>,
  httpStatus = 400,
): ItemResult {
  return { httpStatus, body: { code, details, message, status: 'error' } };
}

const SUCCESS_MESSAGE: Record<Kind, string> = {
  assign: 'Territory assignment process scheduled successfully',
  remove: 'Territory removal process scheduled successfully',
};

/** A Deal holds one territory; Leads, Contacts and Accounts at most 10 (zoho-api.md §7.1). */
function territoryLimit(module: ZohoModule): number {
  return module === 'Deals' ? 1 : 10;
}

function writeItem(
  ctx: RouteContext,
  module: ZohoModule,
  kind: Kind,
  raw: unknown,
  i: number,
  urlId: string | null,
): ItemResult {
  const at = `$.data[${i}]`;
  const item =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const id = urlId ?? item.id;
  if (typeof id !== 'string' || id.length === 0) {
    return itemError('MANDATORY_NOT_FOUND', 'One of the expected parameter is missing', {
      api_name: 'id',
      json_path: `${at}.id`,
    });
  }
  const record = ctx.org.record(module, id);
  if (!record)
    return itemError('INVALID_DATA', INVALID_ID_MESSAGE, { api_name: 'id', json_path: `${at}.id` });
  // Deals' field is also documented as `Territory` (COQL doc): accept either key for Deals.
  const key =
    module === 'Deals' && item.Territories === undefined && item.Territory !== undefined
      ? 'Territory'
      : 'Territories';
  const list = item[key];
  if (!Array.isArray(list) || list.length === 0) {
    return itemError('MANDATORY_NOT_FOUND', 'required field not found', {
      api_name: key,
      json_path: `${at}.${key}`,
    });
  }
  const territoryIds: string[] = [];
  for (let j = 0; j < list.length; j += 1) {
    const entry = list[j] as Record<string, unknown> | null;
    const tid = typeof entry === 'object' && entry !== null ? entry.id : undefined;
    const path = `${at}.${key}[${j}].id`;
    if (typeof tid !== 'string' || tid.length === 0) {
      return itemError('MANDATORY_NOT_FOUND', 'required field not found', {
        api_name: 'id',
        json_path: path,
      });
    }
    const first = territoryIds.indexOf(tid);
    if (first >= 0) {
      return itemError('ALREADY_USED', 'duplicate territory id found', {
        api_name: 'id',
        json_path: path,
        exists_in: { json_path: `${at}.${key}[${first}].id` },
      });
    }
    if (!ctx.org.liveTerritory(tid))
      return itemError('INVALID_DATA', INVALID_ID_MESSAGE, { api_name: 'id', json_path: path });
    territoryIds.push(tid);
  }
  if (record.locked) {
    return itemError('RECORD_LOCKED', 'Sorry, you cannot perform this operation as the record is locked.', {
      id: record.id,
      action: 'record_locking',
    });
  }
  const pending = ctx.org.pendingJob(module, record.id);
  if (pending) {
    return itemError('ALREADY_SCHEDULED', 'A territory job is already scheduled for this record', {
      id: record.id,
      job_id: pending.jobId,
    });
  }
  for (let j = 0; j < territoryIds.length; j += 1) {
    const tid = territoryIds[j]!;
    const path = `${at}.${key}[${j}].id`;
    if (ctx.enforcePermissions && !ctx.org.canWrite(ctx.org.apiUserId, tid)) {
      return itemError(
        'NO_PERMISSION',
        'User has no permission to assign this territory',
        { api_name: 'id', json_path: path },
        403,
      );
    }
    const onRecord = record.territories.find((x) => x.territoryId === tid);
    if (kind === 'assign' && onRecord) {
      return itemError('DUPLICATE_DATA', 'Given Territory id already exists for that record', {
        api_name: 'id',
        json_path: path,
      });
    }
    if (kind === 'remove' && !onRecord) {
      return itemError('INVALID_DATA', INVALID_ID_MESSAGE, { api_name: 'id', json_path: path });
    }
    if (kind === 'remove' && onRecord?.assigned === 'automatically') {
      return itemError(
        'NOT_ALLOWED',
        'Territory id which you are trying to remove was system assigned',
        { api_name: 'id', json_path: path },
        403,
      );
    }
  }
  const limit = territoryLimit(module);
  if (kind === 'assign' && record.territories.length + territoryIds.length > limit) {
    return itemError('LIMIT_EXCEEDED', 'Maximum limit of territories for that record exceeds', {
      api_name: key,
      json_path: `${at}.${key}`,
      limit,
    });
  }
  const job = ctx.scheduleJob({
    module,
    recordId: record.id,
    source: kind === 'assign' ? 'manual_territory_assignment' : 'manual_territory_removal',
    territoryIds,
  });
  return {
    httpStatus: 202,
    body: {
      code: 'SCHEDULED',
      details: { id: record.id, job_id: job.jobId },
      message: SUCCESS_MESSAGE[kind],
      status: 'success',
    },
  };
}

function writeTerritories(ctx: RouteContext, kind: Kind, single: boolean): Reply {
  const module = moduleOf(ctx.params[0]!);
  if (isReply(module)) return module;
  const off = territoriesEnabledFor(ctx.org, module);
  if (off) return off;
  let urlId: string | null = null;
  if (single) {
    urlId = ctx.params[1]!;
    if (!ctx.org.record(module, urlId)) return invalidPathId(1);
  }
  if (ctx.bodyInvalid) return fail(400, 'INVALID_DATA', 'invalid data', { api_name: 'data' });
  const data = (ctx.body as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data) || data.length === 0) {
    return fail(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data' });
  }
  // 100 records per call (Zoho's OAS caps `data` at 100 items; zoho-api.md §7.1).
  if (data.length > 100)
    return fail(400, 'LIMIT_EXCEEDED', 'Record count exceeded', { api_name: 'data', limit: 100 });
  const results = data.map((item, i) => writeItem(ctx, module, kind, item, i, urlId));
  const ok = results.filter((r) => r.httpStatus === 202).length;
  let status: number;
  if (ok === results.length) status = 202;
  else if (ok > 0) status = 207;
  else {
    const statuses = new Set(results.map((r) => r.httpStatus));
    status = statuses.size === 1 ? results[0]!.httpStatus : 400;
  }
  return { status, body: { data: results.map((r) => r.body) } };
}

// --- feature-specific info ---------------------------------------------------------------------

function featureInfo(ctx: RouteContext, single: boolean): Reply {
  const module = moduleOf(ctx.params[0]!);
  if (isReply(module)) return module;
  const features = ctx.query.get('features');
  if (features === null || features === '') {
    return fail(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
      param_name: 'features',
    });
  }
  if (!features.split(',').includes('territory_scheduled_jobs')) return invalidParam('features');
  let ids: string[];
  if (single) {
    if (!ctx.org.record(module, ctx.params[1]!)) return invalidPathId(1);
    ids = [ctx.params[1]!];
  } else {
    const list = idList(ctx.query);
    if (list === null || list.length === 0) {
      return fail(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
        param_name: 'ids',
      });
    }
    if (list.length > 100) return tooManyIds(100);
    ids = [...new Set(list)];
  }
  // Wire shape agreed in TEAM.md (Zoho leaves the wrapper undocumented): only records with a pending job.
  const data = ids.flatMap((id) => {
    const job = ctx.org.pendingJob(module, id);
    return job ? [{ id, territory_scheduled_jobs: [{ job_id: job.jobId, source: job.source }] }] : [];
  });
  if (data.length === 0) return noContent;
  return { status: 200, body: { data } };
}

// `settings` and `users` are not modules: their unknown sub-paths fall through to INVALID_URL_PATTERN.
const MODULE = '((?!settings\\b|users\\b)[A-Za-z][A-Za-z0-9_]*)';

export const recordRoutes: Route[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/${MODULE}/actions/assign_territories$`),
    operation: 'assignTerritories',
    scopes: updateScopes,
    needsTerritories: true,
    mutates: true,
    handle: (ctx) => writeTerritories(ctx, 'assign', false),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/${MODULE}/([^/]+)/actions/assign_territories$`),
    operation: 'assignTerritories',
    scopes: updateScopes,
    needsTerritories: true,
    mutates: true,
    handle: (ctx) => writeTerritories(ctx, 'assign', true),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/${MODULE}/actions/remove_territories$`),
    operation: 'removeTerritories',
    scopes: updateScopes,
    needsTerritories: true,
    mutates: true,
    handle: (ctx) => writeTerritories(ctx, 'remove', false),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/${MODULE}/([^/]+)/actions/remove_territories$`),
    operation: 'removeTerritories',
    scopes: updateScopes,
    needsTerritories: true,
    mutates: true,
    handle: (ctx) => writeTerritories(ctx, 'remove', true),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/${MODULE}/actions/get_feature_specific_info$`),
    operation: 'getFeatureSpecificInfo',
    scopes: readScopes,
    needsTerritories: true,
    handle: (ctx) => featureInfo(ctx, false),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/${MODULE}/([^/]+)/actions/get_feature_specific_info$`),
    operation: 'getFeatureSpecificInfo',
    scopes: readScopes,
    needsTerritories: true,
    handle: (ctx) => featureInfo(ctx, true),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/${MODULE}$`),
    operation: 'getRecords',
    scopes: readScopes,
    needsTerritories: false,
    handle: getRecords,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/${MODULE}/([^/]+)$`),
    operation: 'getRecord',
    scopes: readScopes,
    needsTerritories: false,
    handle: getRecord,
  },
];
