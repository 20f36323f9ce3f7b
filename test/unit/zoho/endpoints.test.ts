import { afterEach, describe, expect, it } from 'vitest';
import { ZohoApiError, type ZohoModule } from '../../../src/core/zoho/index.js';
import { type FakeZohoWire, fakeZohoWire, info, type SeenRequest, territoryWire } from './fake-zoho-wire.js';

const id = (n: number) => `5550000000${String(n).padStart(8, '0')}`;

const userWire = (n: number) => ({
  id: id(n),
  first_name: 'User',
  last_name: String(n),
  full_name: `User ${n}`,
  email: `user${n}@example.com`,
  status: 'active',
  zuid: String(70000 + n),
  role: { name: 'Sales', id: id(900) },
  profile: { name: 'Standard', id: id(901) },
  confirm: true,
});

function pageOf<T>(all: T[], req: SeenRequest, perPage: number): { items: T[]; more: boolean; page: number } {
  const page = Number(req.query.get('page') ?? '1');
  const items = all.slice((page - 1) * perPage, page * perPage);
  return { items, more: page * perPage < all.length, page };
}

describe('ZohoClient endpoints', () => {
  let fake: FakeZohoWire;
  afterEach(async () => {
    await fake.agent.close();
  });

  it('listTerritories: GET /crm/v8/settings/territories?page=N&per_page=2000 following info.more_records', async () => {
    fake = fakeZohoWire();
    const all = [
      territoryWire(id(1), null),
      ...Array.from({ length: 4500 }, (_, i) => territoryWire(id(i + 2), id(1))),
    ];
    fake.serve((req) => {
      const p = pageOf(all, req, 2000);
      return {
        status: 200,
        body: { territories: p.items, info: info(p.page, 2000, p.items.length, p.more) },
      };
    });
    const list = await fake.client().listTerritories();
    expect(list).toHaveLength(4501);
    expect(fake.calls.map((c) => [c.method, c.path, c.rawQuery])).toEqual([
      ['GET', '/crm/v8/settings/territories', 'per_page=2000&page=1'],
      ['GET', '/crm/v8/settings/territories', 'per_page=2000&page=2'],
      ['GET', '/crm/v8/settings/territories', 'per_page=2000&page=3'],
    ]);
    expect(list[0]).toEqual({
      id: id(1),
      name: `Territory ${id(1)}`,
      apiName: `Territory_${id(1)}`,
      description: null,
      parentId: null,
      managerId: null,
      managerName: null,
      permissionType: 'read_write_delete',
    });
    expect(list[1]?.parentId).toBe(id(1));
  });

  it('parses OAS-shaped territories too (objects instead of nulls, manager set, read_only)', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 200,
      body: {
        territories: [
          territoryWire(id(2), id(1), {
            manager: { name: 'Jane Smith', id: id(50) },
            permission_type: 'read_only',
            description: 'West coast',
            account_rule_criteria: {
              comparator: 'equal',
              field: { api_name: 'Billing_State', id: id(7) },
              value: 'CA',
            },
            deal_rule_criteria: { group_operator: 'and', group: [] },
          }),
        ],
        info: info(1, 2000, 1, false),
      },
    }));
    const [t] = await fake.client().listTerritories();
    expect(t).toMatchObject({
      managerId: id(50),
      managerName: 'Jane Smith',
      permissionType: 'read_only',
      description: 'West coast',
    });
  });

  it('getTerritory: GET /settings/territories/{id}; 204 => INVALID_DATA', async () => {
    fake = fakeZohoWire();
    fake.serve((req) =>
      req.path.endsWith(id(3))
        ? { status: 200, body: { territories: [territoryWire(id(3), id(1))] } }
        : { status: 204 },
    );
    const client = fake.client();
    expect((await client.getTerritory(id(3))).id).toBe(id(3));
    expect(fake.calls[0]).toMatchObject({
      method: 'GET',
      path: `/crm/v8/settings/territories/${id(3)}`,
      rawQuery: '',
    });
    const err = (await client.getTerritory(id(4)).catch((e: unknown) => e)) as ZohoApiError;
    expect(err).toBeInstanceOf(ZohoApiError);
    expect(err.code).toBe('INVALID_DATA');
  });

  it('getChildTerritories: __child_territories with per_page=200 over all pages', async () => {
    fake = fakeZohoWire();
    const kids = Array.from({ length: 250 }, (_, i) => territoryWire(id(i + 10), id(1)));
    fake.serve((req) => {
      const p = pageOf(kids, req, 200);
      return { status: 200, body: { territories: p.items, info: info(p.page, 200, p.items.length, p.more) } };
    });
    const list = await fake.client().getChildTerritories(id(1));
    expect(list).toHaveLength(250);
    expect(fake.calls.map((c) => `${c.path}?${c.rawQuery}`)).toEqual([
      `/crm/v8/settings/territories/${id(1)}/__child_territories?per_page=200&page=1`,
      `/crm/v8/settings/territories/${id(1)}/__child_territories?per_page=200&page=2`,
    ]);
  });

  it('getTerritoryUsers: /settings/territories/{id}/users, no paging params unless Zoho says more', async () => {
    fake = fakeZohoWire();
    const users = Array.from({ length: 230 }, (_, i) => userWire(i + 1));
    fake.serve((req) => {
      const p = pageOf(users, req, 200);
      return { status: 200, body: { users: p.items, info: info(p.page, 200, p.items.length, p.more) } };
    });
    const list = await fake.client().getTerritoryUsers(id(1));
    expect(list).toHaveLength(230);
    expect(fake.calls.map((c) => `${c.path}?${c.rawQuery}`)).toEqual([
      `/crm/v8/settings/territories/${id(1)}/users?`,
      `/crm/v8/settings/territories/${id(1)}/users?page=2`,
    ]);
    expect(list[0]).toEqual({
      id: id(1),
      fullName: 'User 1',
      email: 'user1@example.com',
      status: 'active',
      zuid: '70001',
      roleName: 'Sales',
      profileName: 'Standard',
    });
  });

  it('getCurrentUser: GET /users?type=CurrentUser', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({ status: 200, body: { users: [userWire(7)], info: info(1, 200, 1, false) } }));
    const me = await fake.client().getCurrentUser();
    expect(me.id).toBe(id(7));
    expect(fake.calls[0]).toMatchObject({
      method: 'GET',
      path: '/crm/v8/users',
      rawQuery: 'type=CurrentUser',
    });
  });

  it('getUserTerritories: capitalised keys (Name, Reporting_To, Manager), null Reporting_To, all pages', async () => {
    fake = fakeZohoWire();
    const rows = [
      { id: id(1), Name: 'Org', Reporting_To: null, Manager: null },
      {
        id: id(2),
        Name: 'Texas',
        Reporting_To: { id: id(1), Name: 'Org' },
        Manager: { name: 'Jane', id: id(50) },
      },
      ...Array.from({ length: 199 }, (_, i) => ({
        id: id(i + 100),
        Name: `T${i}`,
        Reporting_To: { id: id(2), Name: 'Texas' },
        Manager: { Name: null, id: null },
      })),
    ];
    fake.serve((req) => {
      const p = pageOf(rows, req, 200);
      return { status: 200, body: { territories: p.items, info: info(p.page, 200, p.items.length, p.more) } };
    });
    const list = await fake.client().getUserTerritories(id(9));
    expect(list).toHaveLength(201);
    expect(list.slice(0, 3)).toEqual([
      { id: id(1), name: 'Org', parentId: null, managerId: null },
      { id: id(2), name: 'Texas', parentId: id(1), managerId: id(50) },
      { id: id(100), name: 'T0', parentId: id(2), managerId: null },
    ]);
    expect(fake.calls[0]?.path).toBe(`/crm/v8/users/${id(9)}/territories`);
    expect(fake.calls[1]?.rawQuery).toBe('page=2');
  });

  it.each([
    ['Leads', 'Territories,Full_Name,Owner'],
    ['Accounts', 'Territories,Account_Name,Owner'],
    ['Contacts', 'Territories,Full_Name,Owner'],
    ['Deals', 'Territories,Territory,Deal_Name,Owner'],
  ] as Array<[ZohoModule, string]>)('getRecords(%s): fields=%s', async (module, fields) => {
    fake = fakeZohoWire();
    fake.serve(() => ({ status: 204 }));
    await fake.client().getRecords(module, [id(1)]);
    expect(fake.calls[0]).toMatchObject({ method: 'GET', path: `/crm/v8/${module}` });
    expect(fake.calls[0]?.query.get('fields')).toBe(fields);
    expect(fake.calls[0]?.query.get('ids')).toBe(id(1));
  });

  it('getRecords: parses Owner {name, id, email}; a record without one has none', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 200,
      body: {
        data: [
          { id: id(1), Full_Name: 'A', Owner: { name: 'Rita Rep', id: id(70), email: 'rita@x.com' } },
          { id: id(2), Full_Name: 'B' },
        ],
        info: { per_page: 200, count: 2, page: 1, more_records: false },
      },
    }));
    const records = await fake.client().getRecords('Leads', [id(1), id(2)]);
    expect(records[0]?.owner).toEqual({ id: id(70), name: 'Rita Rep', email: 'rita@x.com' });
    expect(records[1]?.owner).toBeUndefined();
  });

  it('getRecords: chunks by 100, parses Territories/Territory and $assigned', async () => {
    fake = fakeZohoWire();
    const ids = Array.from({ length: 250 }, (_, i) => id(i + 1));
    fake.serve((req) => {
      const asked = (req.query.get('ids') ?? '').split(',');
      return {
        status: 200,
        body: {
          data: asked
            .filter((x) => x !== id(5)) // record 5 does not exist
            .map((x, i) =>
              i % 2 === 0
                ? {
                    id: x,
                    Deal_Name: `Deal ${x}`,
                    Territories: [
                      {
                        id: id(900),
                        Name: 'West',
                        $assigned: 'manually',
                        $assigned_by: { id: id(1), name: 'A' },
                      },
                      { id: id(901), Name: 'Rule', $assigned: 'automatically', $assigned_by: null },
                    ],
                  }
                : { id: x, Deal_Name: null, Territory: { id: id(902), name: 'East' } },
            ),
          info: info(1, 200, asked.length, false),
        },
      };
    });
    const recs = await fake.client().getRecords('Deals', [...ids, id(1)]);
    expect(fake.calls.map((c) => (c.query.get('ids') ?? '').split(',').length)).toEqual([100, 100, 50]);
    expect(recs).toHaveLength(249);
    expect(recs.find((r) => r.id === id(5))).toBeUndefined();
    expect(recs[0]).toEqual({
      module: 'Deals',
      id: id(1),
      name: `Deal ${id(1)}`,
      territories: [
        { id: id(900), name: 'West', assigned: 'manually' },
        { id: id(901), name: 'Rule', assigned: 'automatically' },
      ],
    });
    expect(recs[1]).toEqual({
      module: 'Deals',
      id: id(2),
      name: null,
      territories: [{ id: id(902), name: 'East', assigned: 'unknown' }],
    });
  });

  it('getRecords: records with Territories null have no territories', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 200,
      body: { data: [{ id: id(1), Account_Name: 'Acme', Territories: null }], info: info(1, 200, 1, false) },
    }));
    expect(await fake.client().getRecords('Accounts', [id(1)])).toEqual([
      { module: 'Accounts', id: id(1), name: 'Acme', territories: [] },
    ]);
    expect(await fake.client().getRecords('Accounts', [])).toEqual([]);
  });

  it('assignTerritories: POST /{Module}/actions/assign_territories with {data:[{id,Territories:[{id}]}]}; 202 SCHEDULED', async () => {
    fake = fakeZohoWire();
    fake.serve((req) => {
      const data = (req.json as { data: Array<{ id: string }> }).data;
      return {
        status: 202,
        body: {
          data: data.map((d, i) => ({
            code: 'SCHEDULED',
            details: { id: d.id, job_id: `job-${i}` },
            message: 'Territory assignment process scheduled successfully',
            status: 'success',
          })),
        },
      };
    });
    const out = await fake.client().assignTerritories('Accounts', [
      { recordId: id(1), territoryIds: [id(900), id(901)] },
      { recordId: id(2), territoryIds: [id(900)] },
    ]);
    expect(fake.calls[0]).toMatchObject({
      method: 'POST',
      path: '/crm/v8/Accounts/actions/assign_territories',
    });
    expect(fake.calls[0]?.headers['content-type']).toBe('application/json');
    expect(fake.calls[0]?.json).toEqual({
      data: [
        { id: id(1), Territories: [{ id: id(900) }, { id: id(901) }] },
        { id: id(2), Territories: [{ id: id(900) }] },
      ],
    });
    expect(out).toEqual([
      {
        recordId: id(1),
        status: 'scheduled',
        code: 'SCHEDULED',
        message: 'Territory assignment process scheduled successfully',
        jobId: 'job-0',
        details: { id: id(1), job_id: 'job-0' },
      },
      {
        recordId: id(2),
        status: 'scheduled',
        code: 'SCHEDULED',
        message: 'Territory assignment process scheduled successfully',
        jobId: 'job-1',
        details: { id: id(2), job_id: 'job-1' },
      },
    ]);
  });

  it('removeTerritories: same shape at remove_territories', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 202,
      body: {
        data: [
          {
            code: 'SCHEDULED',
            details: { id: id(1), job_id: 'j1' },
            message: 'Territory removal process scheduled successfully',
            status: 'success',
          },
        ],
      },
    }));
    const out = await fake
      .client()
      .removeTerritories('Deals', [{ recordId: id(1), territoryIds: [id(900)] }]);
    expect(fake.calls[0]?.path).toBe('/crm/v8/Deals/actions/remove_territories');
    expect(fake.calls[0]?.json).toEqual({ data: [{ id: id(1), Territories: [{ id: id(900) }] }] });
    expect(out[0]).toMatchObject({ status: 'scheduled', jobId: 'j1' });
  });

  it.each([202, 207, 400])(
    'mixed batch answered with HTTP %i: one outcome per input, in order',
    async (status) => {
      fake = fakeZohoWire();
      fake.serve(() => ({
        status,
        body: {
          // Zoho returns items out of input order here on purpose; details.id / json_path pair them.
          data: [
            {
              code: 'INVALID_DATA',
              details: { api_name: 'id', json_path: '$.data[2].Territories[0].id' },
              message: 'the id given seems to be invalid',
              status: 'error',
            },
            {
              code: 'SCHEDULED',
              details: { id: id(1), job_id: 'j1' },
              message: 'Territory assignment process scheduled successfully',
              status: 'success',
            },
            {
              code: 'DUPLICATE_DATA',
              details: { id: id(2) },
              message: 'Given territory already exists for that record',
              status: 'error',
            },
            {
              code: 'LIMIT_EXCEEDED',
              details: { limit: 1 },
              message: 'Maximum limit of territories for that record exceeds',
              status: 'error',
            },
          ],
        },
      }));
      const out = await fake.client().assignTerritories('Deals', [
        { recordId: id(1), territoryIds: [id(900)] },
        { recordId: id(2), territoryIds: [id(900)] },
        { recordId: id(3), territoryIds: [id(999)] },
        { recordId: id(4), territoryIds: [id(900)] },
      ]);
      expect(out.map((o) => [o.recordId, o.status, o.code, o.jobId])).toEqual([
        [id(1), 'scheduled', 'SCHEDULED', 'j1'],
        [id(2), 'error', 'DUPLICATE_DATA', null],
        [id(3), 'error', 'INVALID_DATA', null],
        [id(4), 'error', 'LIMIT_EXCEEDED', null],
      ]);
      expect(out[2]?.message).toBe('the id given seems to be invalid');
    },
  );

  it('a numeric record id in a write result is rejected, not rounded', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 202,
      body: '{"data":[{"code":"SCHEDULED","details":{"id":555000000000000001,"job_id":"j"},"message":"s","status":"success"}]}',
    }));
    await expect(
      fake.client().assignTerritories('Contacts', [{ recordId: id(1), territoryIds: [id(900)] }]),
    ).rejects.toMatchObject({ name: 'ZohoResponseError', status: 202 });
  });

  it('a record Zoho gives no item for gets a NO_RESULT error outcome', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 202,
      body: {
        data: [{ code: 'SCHEDULED', details: { id: id(2), job_id: 'j2' }, message: 'ok', status: 'success' }],
      },
    }));
    const out = await fake.client().assignTerritories('Contacts', [
      { recordId: id(1), territoryIds: [id(900)] },
      { recordId: id(2), territoryIds: [id(900)] },
    ]);
    expect(out.map((o) => [o.recordId, o.code])).toEqual([
      [id(1), 'NO_RESULT'],
      [id(2), 'SCHEDULED'],
    ]);
  });

  it('250 records go out as 3 calls of at most 100, outcomes in input order', async () => {
    fake = fakeZohoWire();
    fake.serve((req) => {
      const data = (req.json as { data: Array<{ id: string }> }).data;
      return {
        status: 202,
        body: {
          data: data.map((d) => ({
            code: 'SCHEDULED',
            details: { id: d.id, job_id: `job-${d.id}` },
            message: 'scheduled',
            status: 'success',
          })),
        },
      };
    });
    const changes = Array.from({ length: 250 }, (_, i) => ({ recordId: id(i + 1), territoryIds: [id(900)] }));
    const out = await fake.client().assignTerritories('Leads', changes);
    expect(fake.calls.map((c) => (c.json as { data: unknown[] }).data.length).sort()).toEqual([100, 100, 50]);
    expect(out.map((o) => o.recordId)).toEqual(changes.map((c) => c.recordId));
    expect(out.every((o) => o.jobId === `job-${o.recordId}`)).toBe(true);
  });

  it('a request-level error (no data[]) is thrown as ZohoApiError', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 403,
      body: {
        code: 'TERRITORY_NOT_ENABLED',
        details: {},
        message: 'the territory feature is not enabled for Leads Module',
        status: 'error',
      },
    }));
    await expect(
      fake.client().assignTerritories('Leads', [{ recordId: id(1), territoryIds: [id(900)] }]),
    ).rejects.toMatchObject({ name: 'ZohoApiError', code: 'TERRITORY_NOT_ENABLED', status: 403 });
  });

  it('a chunk whose answer is lost while others were scheduled: its records become outcome-unknown errors, sent once', async () => {
    fake = fakeZohoWire();
    fake.serve((req) => {
      const data = (req.json as { data: Array<{ id: string }> }).data;
      if (data[0]?.id === id(101)) {
        return {
          status: 500,
          body: { code: 'INTERNAL_ERROR', details: {}, message: 'boom', status: 'error' },
        };
      }
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
    });
    const changes = Array.from({ length: 150 }, (_, i) => ({ recordId: id(i + 1), territoryIds: [id(900)] }));
    const out = await fake
      .client({ retry: { attempts: 2, sleep: async () => {} } })
      .assignTerritories('Accounts', changes);
    expect(out).toHaveLength(150);
    expect(out.slice(0, 100).every((o) => o.status === 'scheduled')).toBe(true);
    // A write's 5xx may come after Zoho made the change: never re-sent, reported as unknown.
    expect(out.slice(100).every((o) => o.status === 'error' && o.code === 'OUTCOME_UNKNOWN')).toBe(true);
    expect(out[100]?.details).toEqual({ requestLevel: true });
    expect(fake.calls).toHaveLength(2);
  });

  it('getPendingJobs: GET get_feature_specific_info?features=territory_scheduled_jobs&ids=..., chunked by 100', async () => {
    fake = fakeZohoWire();
    fake.serve((req) => {
      const asked = (req.query.get('ids') ?? '').split(',');
      const pending = asked.filter((x) => Number(x.slice(-3)) % 50 === 0);
      if (pending.length === 0) return { status: 204 };
      return {
        status: 200,
        body: {
          data: pending.map((x) => ({
            id: x,
            territory_scheduled_jobs: [{ job_id: `job-${x}`, source: 'manual_territory_assignment' }],
          })),
        },
      };
    });
    const ids = Array.from({ length: 230 }, (_, i) => id(i + 1));
    const jobs = await fake.client().getPendingJobs('Contacts', ids);
    expect(fake.calls).toHaveLength(3);
    expect(fake.calls[0]).toMatchObject({
      method: 'GET',
      path: '/crm/v8/Contacts/actions/get_feature_specific_info',
    });
    expect(fake.calls[0]?.query.get('features')).toBe('territory_scheduled_jobs');
    expect(fake.calls.map((c) => (c.query.get('ids') ?? '').split(',').length)).toEqual([100, 100, 30]);
    expect(jobs).toEqual(
      [50, 100, 150, 200].map((n) => ({
        recordId: id(n),
        jobId: `job-${id(n)}`,
        source: 'manual_territory_assignment',
      })),
    );
  });

  it('getPendingJobs: accepts variant shapes (flat items, single object, top-level key) and ignores unasked ids', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 200,
      body: {
        data: [
          { id: id(1), job_id: 'flat', source: 'update' },
          { id: id(2), territory_scheduled_jobs: { job_id: 'single' } },
          { id: id(3), territory_scheduled_jobs: [] },
          { id: id(99), territory_scheduled_jobs: [{ job_id: 'not-asked' }] },
        ],
        territory_scheduled_jobs: [{ record_id: id(4), job_id: 'top', source: 'creation' }],
      },
    }));
    const jobs = await fake.client().getPendingJobs('Accounts', [id(1), id(2), id(3), id(4)]);
    expect(jobs).toEqual([
      { recordId: id(1), jobId: 'flat', source: 'update' },
      { recordId: id(2), jobId: 'single', source: null },
      { recordId: id(4), jobId: 'top', source: 'creation' },
    ]);
  });

  it('getPendingJobs: 204 means nothing is pending', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({ status: 204 }));
    expect(await fake.client().getPendingJobs('Deals', [id(1)])).toEqual([]);
  });
});
