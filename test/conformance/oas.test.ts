/**
 * Conformance with Zoho's OpenAPI files, in one suite: the simulator's answers, and the
 * requests our ZohoClient sends (read back from the simulator's request log), must validate
 * against ../shared/reference/zoho-oas — with the documented deviations listed in
 * oas-validator.ts. `/org`, `/settings/modules` and `/settings/fields` have no file in that set:
 * their answers are held to the shapes of Zoho's docs written below. Without the OAS files
 * (../shared absent) the suite says SKIPPED on the console and validates nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { ZohoApi, ZohoModule, ZohoUsersApi } from '../../src/core/zoho/types.js';
import {
  bigSeed,
  type LoggedCall,
  startZohoSimulator,
  type ZohoSimulator,
} from '../../src/sandbox/zoho/index.js';
import { OasValidator, oasAvailable, oasDir, repoRoot } from './oas-validator.js';
import { FEATURE_INFO_SHAPE, METADATA_SHAPES } from './wire-shapes.js';

const available = oasAvailable();
if (!available) {
  console.warn(
    `[conformance] SKIPPED: Zoho's OAS files were not found at ${oasDir} ` +
      '(they live outside the repo, in ../shared/reference/zoho-oas). Nothing was validated.',
  );
}

const inertTimers = { setTimeout: () => 0, clearTimeout: () => {} };

interface Exchange {
  token: string | null;
  method: string;
  path: string;
  body?: unknown;
}

async function send(sim: ZohoSimulator, x: Exchange): Promise<void> {
  const headers: Record<string, string> = {};
  if (x.token) headers.authorization = `Zoho-oauthtoken ${x.token}`;
  if (x.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.apiDomain}/crm/v8${x.path}`, {
    method: x.method,
    headers,
    ...(x.body !== undefined ? { body: JSON.stringify(x.body) } : {}),
  });
  await res.arrayBuffer();
}

async function token(sim: ZohoSimulator): Promise<string> {
  const res = await fetch(`${sim.accountsUrl}/oauth/v2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
      refresh_token: sim.credentials.refreshToken,
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

function apiCalls(sim: ZohoSimulator): LoggedCall[] {
  return sim.requestLog().filter((c) => c.path.startsWith('/crm/v8/'));
}

describe.skipIf(!available)('Zoho OAS conformance (../shared/reference/zoho-oas)', () => {
  let validator: OasValidator;
  let sim: ZohoSimulator;
  let clock: ManualClock;

  beforeAll(() => {
    validator = new OasValidator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('rejects answers that break the OAS (the validator is not a no-op)', () => {
    const bad = validator.validateResponse('GET', '/crm/v8/settings/territories', 200, {
      territories: [{ id: 1, name: 'X' }],
      info: { per_page: 2000, count: 1, page: 1, more_records: false },
    });
    expect(bad.kind).toBe('invalid');
    const badUserTerritory = validator.validateResponse('GET', '/crm/v8/users/1/territories', 200, {
      territories: [{ id: '1', name: 'lower-case keys' }],
      info: { per_page: 200, count: 1, page: 1, more_records: false },
    });
    expect(badUserTerritory.kind).toBe('invalid');
    expect(validator.validateRequest('GET', '/crm/v8/settings/territories', { page: 'one' }, null).kind).toBe(
      'invalid',
    );
  });

  it("validates the simulator's answers across endpoints, successes and errors", async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    sim = await startZohoSimulator({ clock, timers: inertTimers, jobDelayMs: 1000 });
    const tok = await token(sim);
    const t = (name: string) => sim.territoryByName(name)!.id;
    const bare = (module: ZohoModule, n = 0) =>
      sim.records(module).filter((r) => r.territories.length === 0 && !r.locked)[n]!.id;
    const ruled = sim
      .records('Accounts')
      .find((r) => !r.locked && r.territories.some((x) => x.assigned === 'automatically'))!;
    const withTerritories = sim.records('Contacts').find((r) => r.territories.length > 0)!.id;
    const deal = sim.records('Deals').find((r) => r.territories.length > 0)!.id;
    const locked = sim.records('Leads').find((r) => r.locked)!.id;
    const get = (p: string): Exchange => ({ token: tok, method: 'GET', path: p });
    const post = (p: string, body: unknown): Exchange => ({ token: tok, method: 'POST', path: p, body });
    const script: Exchange[] = [
      get('/settings/territories'),
      get('/settings/territories?page=2&per_page=10'),
      get(
        `/settings/territories?ids=${t('Texas')},${t('Japan')}&include_inner_details=manager.zuid,manager.status`,
      ),
      get(`/settings/territories/${t('Global')}`),
      get(`/settings/territories/${t('California')}`),
      get('/settings/territories/5725767000000199999'),
      get(`/settings/territories/${t('US West')}/__child_territories`),
      get(`/settings/territories/${t('Texas')}/__child_territories`),
      get('/settings/territories/5725767000000199999/__child_territories'),
      get(`/settings/territories/${t('Americas')}/users`),
      get('/users?type=CurrentUser'),
      get('/users?type=AllUsers&per_page=5'),
      get(`/users/${sim.apiUserId}`),
      get(`/users/${sim.apiUserId}/territories`),
      get('/users/5725767000000299999/territories'),
      get(`/Contacts?ids=${withTerritories},${bare('Contacts')}&fields=Full_Name,Territories`),
      get(`/Deals?ids=${deal}&fields=Deal_Name,Territories,Territory`),
      get('/Leads?ids=5725767000000399999&fields=Full_Name'),
      get(`/Accounts/${ruled.id}`),
      post('/Accounts/actions/assign_territories', {
        data: [{ id: bare('Accounts'), Territories: [{ id: t('Texas') }] }],
      }),
      post('/Accounts/actions/assign_territories', {
        data: [
          { id: bare('Accounts', 1), Territories: [{ id: t('Ontario') }] },
          { id: '5725767000000499999', Territories: [{ id: t('Ontario') }] },
          { id: bare('Accounts', 2), Territories: [{ id: t('Ontario') }, { id: t('Ontario') }] },
          { id: bare('Accounts', 3), Territories: [{ id: t('Key Accounts West') }] },
          { id: bare('Accounts', 4) },
        ],
      }),
      post('/Leads/actions/assign_territories', {
        data: [{ id: locked, Territories: [{ id: t('Texas') }] }],
      }),
      post('/Accounts/actions/assign_territories', {
        data: [{ id: bare('Accounts'), Territories: [{ id: t('Mexico') }] }],
      }),
      post(`/Deals/${bare('Deals')}/actions/assign_territories`, {
        data: [{ Territories: [{ id: t('DACH') }, { id: t('Nordics') }] }],
      }),
      post('/Accounts/actions/remove_territories', {
        data: [
          {
            id: ruled.id,
            Territories: [{ id: ruled.territories.find((x) => x.assigned === 'automatically')!.territoryId }],
          },
        ],
      }),
      post('/Accounts/actions/assign_territories', { data: [] }),
      post('/Widgets/actions/assign_territories', { data: [{ id: '1', Territories: [{ id: '2' }] }] }),
      get(
        `/Accounts/actions/get_feature_specific_info?features=territory_scheduled_jobs&ids=${bare('Accounts')}`,
      ),
      get('/org'),
      get('/settings/modules'),
      ...['Leads', 'Accounts', 'Contacts', 'Deals'].map((m) => get(`/settings/fields?module=${m}`)),
      get('/settings/fields'),
      { token: null, method: 'GET', path: '/settings/territories' },
      { token: tok, method: 'GET', path: '/no/such/path/here' },
    ];
    for (const x of script) await send(sim, x);
    clock.advance(1000);
    await send(sim, get(`/Accounts?ids=${bare('Accounts', 5)}&fields=Account_Name,Territories`));
    sim.faults.failNext({ count: 1, status: 429 });
    await send(sim, get('/settings/territories'));
    sim.faults.failNext({ count: 1, status: 500 });
    await send(sim, get('/users?type=CurrentUser'));
    sim.setTerritoryManagement(false);
    await send(sim, get('/settings/territories'));
    await send(
      sim,
      post('/Contacts/actions/assign_territories', {
        data: [{ id: bare('Contacts'), Territories: [{ id: t('Texas') }] }],
      }),
    );
    sim.setTerritoryManagement(true);
    sim.setLeadsTerritories(false);
    await send(
      sim,
      post('/Leads/actions/assign_territories', {
        data: [{ id: bare('Leads'), Territories: [{ id: t('Texas') }] }],
      }),
    );

    const invalid: unknown[] = [];
    const skipped = new Set<string>();
    const statuses = new Set<number>();
    let valid = 0;
    for (const c of apiCalls(sim)) {
      statuses.add(c.status);
      const verdict = validator.validateResponse(c.method, c.path, c.status, c.responseBody);
      if (verdict.kind === 'invalid')
        invalid.push({ call: `${c.method} ${c.path} -> ${c.status}`, ...verdict });
      else if (verdict.kind === 'skipped') skipped.add(verdict.reason);
      else valid += 1;
      // record.json defines `Territory` but `Record` does not link it: check the items directly.
      const data = (c.responseBody as { data?: Record<string, unknown>[] } | null)?.data;
      if (c.operation.startsWith('getRecord') && Array.isArray(data)) {
        for (const record of data) {
          for (const key of ['Territories', 'Territory']) {
            for (const item of (record[key] as unknown[] | undefined) ?? []) {
              const v = validator.validateComponent('record.json', 'Territory', item);
              if (v.kind === 'invalid') invalid.push({ call: `${c.path} ${key}`, ...v });
              else valid += 1;
            }
          }
        }
      }
    }
    // The feature-info endpoint is in no OAS file: its answers are held to TEAM.md's wire shape.
    const featureInfo = apiCalls(sim).filter(
      (c) => c.operation === 'getFeatureSpecificInfo' && c.status === 200,
    );
    expect(featureInfo.length).toBeGreaterThan(0);
    const checkFeatureInfo = new Ajv({ strict: false, allErrors: true }).compile(FEATURE_INFO_SHAPE);
    for (const c of featureInfo) {
      if (!checkFeatureInfo(c.responseBody)) invalid.push({ call: c.path, errors: checkFeatureInfo.errors });
    }
    // Org and metadata reads: not in this OAS set, held to the shapes of Zoho's docs.
    const ajv = new Ajv({ strict: false, allErrors: true });
    const metadata = apiCalls(sim).filter((c) => c.operation in METADATA_SHAPES && c.status === 200);
    expect(new Set(metadata.map((c) => c.operation))).toEqual(new Set(Object.keys(METADATA_SHAPES)));
    for (const c of metadata) {
      const check = ajv.compile(METADATA_SHAPES[c.operation]!);
      if (!check(c.responseBody))
        invalid.push({ call: `${c.path}?${new URLSearchParams(c.query)}`, errors: check.errors });
      else valid += 1;
    }
    const badModule = apiCalls(sim).find((c) => c.operation === 'getFields' && c.status === 400);
    const apiException = validator.validateComponent('common.json', 'API_Exception', badModule?.responseBody);
    if (apiException.kind === 'invalid') invalid.push({ call: 'getFields 400', ...apiException });
    expect(invalid).toEqual([]);
    expect(valid).toBeGreaterThanOrEqual(41);
    expect([...statuses].sort()).toEqual([200, 202, 204, 207, 400, 401, 403, 404, 429, 500]);
    // Absent from this OAS set: the feature-info endpoint (zoho-api.md §9.1) and the org/metadata
    // reads checked above.
    const expectedAbsent =
      /get_feature_specific_info|\/no\/such\/path|\/crm\/v8\/(org|settings\/(modules|fields)) /;
    expect([...skipped].filter((r) => !expectedAbsent.test(r))).toEqual([]);
  });

  const clientModule = path.resolve(repoRoot, 'src/core/zoho/index.ts');
  it.skipIf(!existsSync(clientModule))('validates the requests our ZohoClient sends', async () => {
    const zoho = (await import('../../src/core/zoho/index.js')) as unknown as {
      ZohoClient: new (
        o: Record<string, unknown>,
      ) => ZohoApi & ZohoUsersApi & { close?: () => Promise<void> };
    };
    await sim?.close();
    clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    sim = await startZohoSimulator({ clock, timers: inertTimers, jobDelayMs: 1000 });
    const client = new zoho.ZohoClient({
      accountsUrl: sim.accountsUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      refreshToken: sim.credentials.refreshToken,
      clock,
    });
    try {
      const t = (name: string) => sim.territoryByName(name)!.id;
      const accounts = sim.records('Accounts').filter((r) => r.territories.length === 0 && !r.locked);
      const deals = sim.records('Deals').filter((r) => r.territories.length === 0 && !r.locked);
      const attempts: [string, () => Promise<unknown>][] = [
        ['checkAuth', () => client.checkAuth()],
        ['listTerritories', () => client.listTerritories()],
        ['getTerritory', () => client.getTerritory(t('Texas'))],
        ['getChildTerritories', () => client.getChildTerritories(t('US West'))],
        ['getTerritoryUsers', () => client.getTerritoryUsers(t('Americas'))],
        ['getCurrentUser', () => client.getCurrentUser()],
        ['listActiveUsers', () => client.listActiveUsers()],
        ['getUserTerritories', () => client.getUserTerritories(sim.apiUserId)],
        [
          'getRecords',
          () =>
            client.getRecords(
              'Accounts',
              accounts.slice(0, 3).map((r) => r.id),
            ),
        ],
        [
          'getRecords Deals',
          () =>
            client.getRecords(
              'Deals',
              deals.slice(0, 2).map((r) => r.id),
            ),
        ],
        [
          'assignTerritories',
          () =>
            client.assignTerritories('Accounts', [{ recordId: accounts[0]!.id, territoryIds: [t('Texas')] }]),
        ],
        [
          'assignTerritories Deals',
          () => client.assignTerritories('Deals', [{ recordId: deals[0]!.id, territoryIds: [t('DACH')] }]),
        ],
        ['getPendingJobs', () => client.getPendingJobs('Accounts', [accounts[0]!.id])],
        [
          'removeTerritories',
          () => {
            sim.completeJobsNow();
            return client.removeTerritories('Accounts', [
              { recordId: accounts[0]!.id, territoryIds: [t('Texas')] },
            ]);
          },
        ],
      ];
      // Leads and Contacts too: the client's calls for every module the product writes.
      for (const module of ['Leads', 'Contacts'] as const) {
        const free = sim.records(module).filter((r) => r.territories.length === 0 && !r.locked);
        const change = [{ recordId: free[0]!.id, territoryIds: [t('Texas')] }];
        attempts.push(
          [
            `getRecords ${module}`,
            () =>
              client.getRecords(
                module,
                free.slice(0, 2).map((r) => r.id),
              ),
          ],
          [`assignTerritories ${module}`, () => client.assignTerritories(module, change)],
          [`getPendingJobs ${module}`, () => client.getPendingJobs(module, [free[0]!.id])],
          [
            `removeTerritories ${module}`,
            () => {
              sim.completeJobsNow();
              return client.removeTerritories(module, change);
            },
          ],
        );
      }
      const failures: string[] = [];
      for (const [name, run] of attempts) {
        try {
          await run();
        } catch (err) {
          failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const invalid: unknown[] = [];
      const undeclared: string[] = [];
      const seen = new Set<string>();
      const calls = apiCalls(sim);
      for (const c of calls) {
        seen.add(c.operation);
        const verdict = validator.validateRequest(c.method, c.path, c.query, c.requestBody);
        if (verdict.kind === 'invalid')
          invalid.push({ call: `${c.method} ${c.path}?${new URLSearchParams(c.query)}`, ...verdict });
        if (verdict.kind === 'skipped') undeclared.push(c.path);
      }
      expect(failures).toEqual([]);
      expect(invalid).toEqual([]);
      // Declared paths and methods only; feature-specific info is in no OAS file (zoho-api.md §9.1).
      expect(undeclared.length).toBeGreaterThan(0);
      expect(undeclared.filter((p) => !p.endsWith('/actions/get_feature_specific_info'))).toEqual([]);

      // First pages of endpoints whose OAS declares no paging send no query at all (zoho-api.md §5.1).
      const undocumentedPaging = calls.filter((c) =>
        /\/users\/[^/]+\/territories$|\/territories\/[^/]+\/users$/.test(c.path),
      );
      expect(undocumentedPaging.length).toBeGreaterThanOrEqual(2);
      for (const c of undocumentedPaging.filter((x) => x.query.page === undefined))
        expect(c.query).toEqual({});

      // Documented maxima: per_page ≤ 2000 (territories) / 200 (children, users), ≤ 100 ids and records per call.
      for (const c of calls) {
        if (c.query.per_page)
          expect(Number(c.query.per_page)).toBeLessThanOrEqual(
            c.path.endsWith('__child_territories') || c.path.endsWith('/users') ? 200 : 2000,
          );
        if (c.query.ids) expect(c.query.ids.split(',').length).toBeLessThanOrEqual(100);
      }

      // Write bodies follow Body_Wrapper: {data:[{id:string, Territories:[{id:string}]}]} and nothing else.
      const writes = calls.filter((c) => c.method === 'POST');
      expect(writes.length).toBe(7); // assigns in the four modules, removes in three
      for (const w of writes) {
        const body = w.requestBody as { data: Array<Record<string, unknown>> };
        expect(Object.keys(body)).toEqual(['data']);
        expect(body.data.length).toBeLessThanOrEqual(100);
        for (const item of body.data) {
          expect(Object.keys(item).sort()).toEqual(['Territories', 'id']);
          expect(typeof item.id).toBe('string');
          for (const x of item.Territories as Array<Record<string, unknown>>) {
            expect(Object.keys(x)).toEqual(['id']);
            expect(typeof x.id).toBe('string');
          }
        }
      }
      for (const op of [
        'getTerritories',
        'getRecords',
        'assignTerritories',
        'removeTerritories',
        'getUsers',
      ]) {
        expect(seen).toContain(op);
      }
    } finally {
      await client.close?.();
    }
  });

  it('follows further pages of undocumented-paging endpoints with `page` only (a documented deviation)', async () => {
    const zoho = (await import('../../src/core/zoho/index.js')) as unknown as {
      ZohoClient: new (
        o: Record<string, unknown>,
      ) => ZohoApi & ZohoUsersApi & { close?: () => Promise<void> };
    };
    const paged = await startZohoSimulator({
      seed: bigSeed({ territories: 230, records: 0 }),
      timers: inertTimers,
    });
    // More territories than one page (200) for the API user: the client must ask for page 2.
    for (const t of paged.territories().slice(1, 221)) paged.addUserToTerritory(paged.apiUserId, t.id);
    const client = new zoho.ZohoClient({
      accountsUrl: paged.accountsUrl,
      clientId: paged.credentials.clientId,
      clientSecret: paged.credentials.clientSecret,
      refreshToken: paged.credentials.refreshToken,
    });
    try {
      const mine = await (
        client as unknown as { getUserTerritories(id: string): Promise<unknown[]> }
      ).getUserTerritories(paged.apiUserId);
      expect(mine.length).toBeGreaterThan(200);
      const calls = apiCalls(paged).filter(
        (c) => c.path.endsWith('/territories') && c.path.includes('/users/'),
      );
      expect(calls.map((c) => c.query)).toEqual([{}, { page: '2' }]);
      // The OAS declares no paging here although Zoho answers `info.more_records` (zoho-api.md §5.1):
      // `page` on a follow-up is the one undeclared parameter the client may send.
      const verdicts = calls.map((c) => validator.validateRequest(c.method, c.path, c.query, c.requestBody));
      expect(verdicts[0]!.kind).toBe('valid');
      expect(verdicts[1]).toMatchObject({
        kind: 'invalid',
        errors: [expect.stringContaining('"page" is not declared')],
      });
    } finally {
      await client.close?.();
      await paged.close();
    }
  });
});
