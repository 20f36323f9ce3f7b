/**
 * Every request the client sends must be one Zoho's OpenAPI files describe: a declared path
 * and method, only declared query parameters (with valid enum/integer values), and a body of
 * the declared shape. The OAS files are Zoho's own, in ../shared/reference/zoho-oas beside the repo.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeZohoWire, fakeZohoWire, info, type SeenRequest, territoryWire } from './fake-zoho-wire.js';

// Zoho's OAS files live outside the repo (never copied in); point ZOHO_OAS_DIR elsewhere if they move.
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const OAS_DIR = process.env.ZOHO_OAS_DIR ?? path.resolve(REPO, '../shared/reference/zoho-oas');
const HAVE_OAS = existsSync(`${OAS_DIR}/record.json`);
if (!HAVE_OAS) {
  console.warn(
    `SKIPPED client-request conformance: Zoho's OAS files are not at ${OAS_DIR} (../shared missing)`,
  );
}
const FILES = [
  'territories.json',
  'users.json',
  'users_territories.json',
  'territory_users.json',
  'record.json',
];

interface Param {
  name: string;
  in: string;
  schema?: { type?: string; enum?: string[] };
}
interface Operation {
  parameters?: Array<Param | { $ref: string }>;
  requestBody?: unknown;
}
interface Oas {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters?: Record<string, Param>; schemas: Record<string, unknown> };
}

interface Template {
  file: string;
  template: string;
  re: RegExp;
  literal: number;
  methods: Record<string, Param[]>;
}

function loadTemplates(): Template[] {
  const out: Template[] = [];
  for (const file of FILES) {
    const oas = JSON.parse(readFileSync(`${OAS_DIR}/${file}`, 'utf8')) as Oas;
    for (const [template, ops] of Object.entries(oas.paths)) {
      const methods: Record<string, Param[]> = {};
      for (const [method, op] of Object.entries(ops)) {
        if (method === 'parameters') continue;
        methods[method.toUpperCase()] = (op.parameters ?? []).map((p) => {
          if ('$ref' in p) {
            const name = p.$ref.split('/').at(-1)!;
            const resolved = oas.components.parameters?.[name];
            if (!resolved) throw new Error(`${file}: unresolved ${p.$ref}`);
            return resolved;
          }
          return p;
        });
      }
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      out.push({ file, template, re, literal: template.replace(/\{[^}]+\}/g, '').length, methods });
    }
  }
  return out;
}

function operationFor(templates: Template[], req: SeenRequest) {
  const matches = templates
    .filter((t) => t.re.test(req.path) && t.methods[req.method])
    .sort((a, b) => b.literal - a.literal);
  const t = matches[0];
  return t ? { template: t, params: t.methods[req.method]! } : null;
}

const ID = (n: number) => `5550000000${String(n).padStart(8, '0')}`;

describe.skipIf(!HAVE_OAS)("requests conform to Zoho's OAS", () => {
  let fake: FakeZohoWire;
  const templates = HAVE_OAS ? loadTemplates() : [];
  let seen: SeenRequest[] = [];

  beforeAll(async () => {
    fake = fakeZohoWire();
    fake.serve((req) => {
      if (req.path.endsWith('/users') && req.query.get('type') === 'CurrentUser') {
        return { status: 200, body: { users: [{ id: ID(1), full_name: 'Me', status: 'active' }] } };
      }
      if (req.path.includes('/users')) {
        // two pages so the client's page follow-up is exercised too
        const page = Number(req.query.get('page') ?? '1');
        const key = req.path.startsWith('/crm/v8/users/') ? 'territories' : 'users';
        const row = key === 'users' ? { id: ID(page), full_name: 'U' } : { id: ID(page), Name: 'T' };
        return { status: 200, body: { [key]: [row], info: info(page, 1, 1, page < 2) } };
      }
      if (req.path.includes('/settings/territories')) {
        return {
          status: 200,
          body: { territories: [territoryWire(ID(1), null)], info: info(1, 200, 1, false) },
        };
      }
      if (req.method === 'POST') {
        const data = (req.json as { data: Array<{ id: string }> }).data;
        return {
          status: 202,
          body: {
            data: data.map((d) => ({
              code: 'SCHEDULED',
              details: { id: d.id, job_id: 'j' },
              message: 's',
              status: 'success',
            })),
          },
        };
      }
      return { status: 204 };
    });
    const c = fake.client();
    await c.listTerritories();
    await c.getTerritory(ID(1));
    await c.getChildTerritories(ID(1));
    await c.getTerritoryUsers(ID(1));
    await c.getCurrentUser();
    await c.getUserTerritories(ID(1));
    for (const m of ['Leads', 'Accounts', 'Contacts', 'Deals'] as const) {
      await c.getRecords(m, [ID(1), ID(2)]);
      await c.assignTerritories(m, [{ recordId: ID(1), territoryIds: [ID(9)] }]);
      await c.removeTerritories(m, [{ recordId: ID(1), territoryIds: [ID(9)] }]);
      await c.getPendingJobs(m, [ID(1)]);
    }
    seen = fake.calls;
  });
  afterAll(async () => {
    await fake.agent.close();
  });

  it('uses only declared paths and methods (feature-specific info aside: not in Zoho OAS, see TEAM.md)', () => {
    const undocumented = seen.filter((r) => !operationFor(templates, r));
    expect(undocumented.map((r) => r.path)).toEqual(
      ['Leads', 'Accounts', 'Contacts', 'Deals'].map((m) => `/crm/v8/${m}/actions/get_feature_specific_info`),
    );
    expect(seen.length).toBeGreaterThan(20);
  });

  it('sends only declared query parameters, with valid values', () => {
    for (const req of seen) {
      const op = operationFor(templates, req);
      if (!op) continue;
      const declared = new Map(op.params.filter((p) => p.in === 'query').map((p) => [p.name, p]));
      for (const [name, value] of req.query) {
        // Follow-up pages of /users/{id}/territories and /settings/territories/{id}/users: the OAS
        // declares no paging params although Zoho answers with `info.more_records` (zoho-api.md §5.1).
        const pagingFollowUp = name === 'page' && Number(value) > 1;
        if (!pagingFollowUp) expect(declared.has(name), `${req.method} ${req.path} ?${name}`).toBe(true);
        const p = declared.get(name);
        if (p?.schema?.enum) expect(p.schema.enum).toContain(value);
        if (p?.schema?.type === 'integer') expect(value).toMatch(/^\d+$/);
      }
    }
  });

  it('first pages of undocumented-paging endpoints send no paging parameters at all', () => {
    const first = seen.filter(
      (r) => /\/users\/[^/]+\/territories$|\/territories\/[^/]+\/users$/.test(r.path) && !r.query.has('page'),
    );
    expect(first).toHaveLength(2);
    for (const r of first) expect(r.rawQuery).toBe('');
  });

  it('respects documented maxima: per_page ≤ 2000 (territories) / 200 (children), ≤ 100 ids and records per call', () => {
    for (const req of seen) {
      const perPage = req.query.get('per_page');
      if (perPage) {
        expect(Number(perPage)).toBeLessThanOrEqual(req.path.endsWith('__child_territories') ? 200 : 2000);
      }
      const ids = req.query.get('ids');
      if (ids) expect(ids.split(',').length).toBeLessThanOrEqual(100);
      const data = (req.json as { data?: unknown[] } | null)?.data;
      if (data) expect(data.length).toBeLessThanOrEqual(100);
    }
  });

  it('write bodies follow Body_Wrapper: {data:[{id:string, Territories:[{id:string}]}]} and nothing else', () => {
    const writes = seen.filter((r) => r.method === 'POST');
    expect(writes).toHaveLength(8);
    for (const w of writes) {
      expect(w.headers['content-type']).toBe('application/json');
      const body = w.json as { data: Array<Record<string, unknown>> };
      expect(Object.keys(body)).toEqual(['data']);
      for (const item of body.data) {
        expect(Object.keys(item).sort()).toEqual(['Territories', 'id']);
        expect(typeof item.id).toBe('string');
        for (const t of item.Territories as Array<Record<string, unknown>>) {
          expect(Object.keys(t)).toEqual(['id']);
          expect(typeof t.id).toBe('string');
        }
      }
    }
  });
});
