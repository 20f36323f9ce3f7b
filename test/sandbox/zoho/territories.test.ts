import { afterEach, describe, expect, it } from 'vitest';
import { bigSeed } from '../../../src/sandbox/zoho/index.js';
import { accessToken, call, client, startTestSim, type TestSim, territoryId } from './helpers.js';

const TERRITORY_KEYS = [
  'account_rule_criteria',
  'api_name',
  'created_by',
  'created_time',
  'deal_rule_criteria',
  'description',
  'id',
  'lead_rule_criteria',
  'manager',
  'modified_by',
  'modified_time',
  'name',
  'permission_type',
  'reporting_to',
];

describe('Zoho simulator territories', () => {
  let t: TestSim;
  afterEach(async () => {
    await t.sim.close();
  });

  it('lists the demo tree on one page (per_page default and max 2000) with every OAS key', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const { status, body } = await api.get('/settings/territories');
    expect(status).toBe(200);
    expect(body.info).toEqual({
      per_page: 2000,
      count: body.territories.length,
      page: 1,
      more_records: false,
    });
    expect(body.territories.length).toBeGreaterThanOrEqual(30);
    for (const territory of body.territories) expect(Object.keys(territory).sort()).toEqual(TERRITORY_KEYS);
    const root = body.territories.filter((x: { reporting_to: unknown }) => x.reporting_to === null);
    expect(root).toHaveLength(1);
    expect(root[0]).toMatchObject({ name: 'Global', description: 'Organization Parent Territory' });
    const california = body.territories.find((x: { name: string }) => x.name === 'California');
    expect(california.reporting_to).toEqual({ name: 'US West', id: territoryId(t.sim, 'US West') });
    expect(california.account_rule_criteria).toEqual({
      group_operator: 'and',
      group: [
        {
          comparator: 'equal',
          field: { api_name: 'Billing_State', id: expect.any(String) },
          value: 'California',
        },
      ],
    });
    expect(body.territories.map((x: { permission_type: string }) => x.permission_type)).toContain(
      'read_only',
    );
    for (const x of body.territories) expect(x.id).toMatch(/^\d{19}$/);
  });

  it('pages big orgs with per_page capped at 2000 and info.more_records', async () => {
    t = await startTestSim({ seed: bigSeed({ territories: 5000, records: 10 }) });
    const api = client(t.sim, await accessToken(t.sim));
    const seen = new Set<string>();
    const infos = [];
    for (let page = 1; ; page += 1) {
      const { status, body } = await api.get(`/settings/territories?page=${page}&per_page=5000`);
      expect(status).toBe(200);
      infos.push(body.info);
      for (const x of body.territories) seen.add(x.id);
      if (!body.info.more_records) break;
    }
    expect(infos).toEqual([
      { per_page: 2000, count: 2000, page: 1, more_records: true },
      { per_page: 2000, count: 2000, page: 2, more_records: true },
      { per_page: 2000, count: 1000, page: 3, more_records: false },
    ]);
    expect(seen.size).toBe(5000);
    expect((await api.get('/settings/territories?page=4')).status).toBe(204);
    expect((await api.get('/settings/territories?page=0')).body).toMatchObject({
      code: 'INVALID_DATA',
      details: { param_name: 'page' },
    });
  });

  it('filters by ids, name and reporting_to.id; rejects unsupported filter keys', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const ids = [territoryId(t.sim, 'Texas'), territoryId(t.sim, 'Japan')];
    const byIds = await api.get(`/settings/territories?ids=${ids.join(',')}`);
    expect(byIds.body.territories.map((x: { name: string }) => x.name).sort()).toEqual(['Japan', 'Texas']);
    const byName = await api.get(
      `/settings/territories?filters=${encodeURIComponent(JSON.stringify({ field: { api_name: 'name' }, comparator: 'equal', value: 'DACH' }))}`,
    );
    expect(byName.body.territories.map((x: { name: string }) => x.name)).toEqual(['DACH']);
    const children = await api.get(
      `/settings/territories?filters=${encodeURIComponent(
        JSON.stringify({
          field: { api_name: 'reporting_to.id' },
          comparator: 'equal',
          value: territoryId(t.sim, 'US West'),
        }),
      )}`,
    );
    expect(children.body.territories.map((x: { name: string }) => x.name)).toEqual([
      'California',
      'Pacific Northwest',
      'Mountain',
    ]);
    const none = await api.get(
      `/settings/territories?filters=${encodeURIComponent(JSON.stringify({ field: { api_name: 'name' }, comparator: 'equal', value: 'Atlantis' }))}`,
    );
    expect(none.status).toBe(204);
    expect(none.body).toBeNull();
    const unsupported = await api.get(
      `/settings/territories?filters=${encodeURIComponent(JSON.stringify({ field: { api_name: 'description' }, comparator: 'equal', value: 'x' }))}`,
    );
    expect(unsupported).toEqual({
      status: 400,
      body: {
        code: 'INVALID_DATA',
        details: { param_name: 'filters' },
        message: 'The given api_name(description) is not supported',
        status: 'error',
      },
    });
  });

  it('gets one territory; unknown and deleted ids answer 400 INVALID_DATA with resource_path_index', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const texas = territoryId(t.sim, 'Texas');
    const one = await api.get(
      `/settings/territories/${texas}?include_inner_details=manager.zuid,manager.status`,
    );
    expect(one.status).toBe(200);
    expect(one.body.territories).toHaveLength(1);
    expect(one.body.territories[0]).toMatchObject({
      id: texas,
      name: 'Texas',
      permission_type: 'read_write_delete',
    });
    expect(one.body.territories[0].manager).toEqual({
      name: expect.any(String),
      id: expect.any(String),
      zuid: expect.any(String),
      status: 'active',
    });
    const invalid = {
      status: 400,
      body: {
        code: 'INVALID_DATA',
        details: { resource_path_index: 2 },
        message: 'the id given seems to be invalid',
        status: 'error',
      },
    };
    expect(await api.get('/settings/territories/5725767000000199999')).toEqual(invalid);
    t.sim.deleteTerritory(texas);
    expect(await api.get(`/settings/territories/${texas}`)).toEqual(invalid);
    const list = await api.get('/settings/territories');
    expect(list.body.territories.map((x: { id: string }) => x.id)).not.toContain(texas);
  });

  it('lists direct children (max 200 per page) and 204 for a leaf', async () => {
    t = await startTestSim({ seed: bigSeed({ territories: 400, records: 0, fanout: 300 }) });
    const api = client(t.sim, await accessToken(t.sim));
    const root = t.sim.territories().find((x) => x.parentId === null)!;
    const first = await api.get(`/settings/territories/${root.id}/__child_territories?per_page=500`);
    expect(first.body.info).toEqual({ per_page: 200, count: 200, page: 1, more_records: true });
    const second = await api.get(`/settings/territories/${root.id}/__child_territories?page=2`);
    expect(second.body.info).toEqual({ per_page: 200, count: 100, page: 2, more_records: false });
    for (const x of [...first.body.territories, ...second.body.territories])
      expect(x.reporting_to.id).toBe(root.id);
    const leaf = t.sim.territories().at(-1)!;
    expect((await api.get(`/settings/territories/${leaf.id}/__child_territories`)).status).toBe(204);
    expect((await api.get('/settings/territories/1/__child_territories')).body.code).toBe('INVALID_DATA');
  });

  it('lists the users of a territory', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const americas = territoryId(t.sim, 'Americas');
    const { status, body } = await api.get(`/settings/territories/${americas}/users`);
    expect(status).toBe(200);
    expect(body.users.map((u: { id: string }) => u.id)).toContain(t.sim.apiUserId);
    expect(body.info).toMatchObject({ page: 1, more_records: false, count: body.users.length });
    t.sim.removeUserFromTerritory(t.sim.apiUserId, americas);
    const after = await api.get(`/settings/territories/${americas}/users`);
    expect(after.body.users.map((u: { id: string }) => u.id)).not.toContain(t.sim.apiUserId);
    expect((await api.get(`/settings/territories/${territoryId(t.sim, 'North America')}/users`)).status).toBe(
      200,
    );
  });

  it('answers 403 TERRITORY_NOT_ENABLED on territory endpoints while territory management is off', async () => {
    t = await startTestSim();
    const token = await accessToken(t.sim);
    t.sim.setTerritoryManagement(false);
    const off = {
      status: 403,
      body: {
        code: 'TERRITORY_NOT_ENABLED',
        details: {},
        message: 'the territory feature is not enabled',
        status: 'error',
      },
    };
    expect(await call(t.sim, token, '/settings/territories')).toEqual(off);
    expect(await call(t.sim, token, `/settings/territories/${territoryId(t.sim, 'Texas')}`)).toEqual(off);
    expect(await call(t.sim, token, `/users/${t.sim.apiUserId}/territories`)).toEqual(off);
    // Users still work; records lose their Territories key.
    expect((await call(t.sim, token, '/users?type=CurrentUser')).status).toBe(200);
    const account = t.sim.records('Accounts')[0]!;
    const rec = await call(t.sim, token, `/Accounts?ids=${account.id}&fields=Account_Name,Territories`);
    expect(rec.body.data[0].Territories).toBeUndefined();
    t.sim.setTerritoryManagement(true);
    expect((await call(t.sim, token, '/settings/territories')).status).toBe(200);
  });
});
