import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import type { ZohoModule } from '../../../src/core/zoho/types.js';
import { type SimTimers, startZohoSimulator } from '../../../src/sandbox/zoho/index.js';
import { accessToken, call, client, startTestSim, type TestSim, territoryId } from './helpers.js';

type Api = ReturnType<typeof client>;

describe('Zoho simulator assign/remove territories', () => {
  let t: TestSim;
  let api: Api;
  afterEach(async () => {
    await t.sim.close();
  });

  const setup = async (options = {}) => {
    t = await startTestSim(options);
    api = client(t.sim, await accessToken(t.sim));
  };
  /** A record of the module with no territories and not locked. */
  const bare = (module: ZohoModule, skip = 0) =>
    t.sim.records(module).filter((r) => r.territories.length === 0 && !r.locked)[skip]!;
  const territoriesOf = (module: ZohoModule, id: string) =>
    t.sim.record(module, id)!.territories.map((x) => x.territoryId);

  it('schedules the assignment (202 SCHEDULED) and applies it only when the job finishes after the delay', async () => {
    await setup();
    const account = bare('Accounts');
    const california = territoryId(t.sim, 'California');
    const res = await api.assign('Accounts', [{ id: account.id, Territories: [{ id: california }] }]);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      data: [
        {
          code: 'SCHEDULED',
          details: { id: account.id, job_id: expect.stringMatching(/^\d{19}$/) },
          message: 'Territory assignment process scheduled successfully',
          status: 'success',
        },
      ],
    });
    const jobId = res.body.data[0].details.job_id;
    const info = `/Accounts/actions/get_feature_specific_info?features=territory_scheduled_jobs&ids=${account.id},${bare('Accounts', 1).id}`;
    expect(await api.get(info)).toEqual({
      status: 200,
      body: {
        data: [
          {
            id: account.id,
            territory_scheduled_jobs: [{ job_id: jobId, source: 'manual_territory_assignment' }],
          },
        ],
      },
    });
    const read = () => api.get(`/Accounts?ids=${account.id}&fields=Territories`);
    expect((await read()).body.data[0].Territories).toEqual([]);
    t.clock.advance(4999);
    expect((await api.get(info)).status).toBe(200);
    t.clock.advance(1);
    expect(await api.get(info)).toEqual({ status: 204, body: null });
    const after = (await read()).body.data[0].Territories;
    expect(after).toEqual([
      {
        Name: 'California',
        id: california,
        $assigned_by: { name: 'Territory Bot', id: t.sim.apiUserId },
        $assigned_time: expect.any(String),
        $assigned: 'manually',
      },
    ]);
    // Single-record feature info form.
    expect(
      (
        await api.get(
          `/Accounts/${account.id}/actions/get_feature_specific_info?features=territory_scheduled_jobs`,
        )
      ).status,
    ).toBe(204);
  });

  it('finishes jobs in due order when the job delay is shortened meanwhile', async () => {
    await setup();
    const california = territoryId(t.sim, 'California');
    const first = bare('Accounts');
    const second = bare('Accounts', 1);
    await api.assign('Accounts', [{ id: first.id, Territories: [{ id: california }] }]);
    t.sim.faults.setJobDelay(1000);
    await api.assign('Accounts', [{ id: second.id, Territories: [{ id: california }] }]);
    t.clock.advance(1000);
    // Any call settles what is due: the later job with the shorter delay, not the first one.
    await api.get('/users?type=CurrentUser');
    expect(territoriesOf('Accounts', second.id)).toEqual([california]);
    expect(territoriesOf('Accounts', first.id)).toEqual([]);
    t.clock.advance(4000);
    await api.get('/users?type=CurrentUser');
    expect(territoriesOf('Accounts', first.id)).toEqual([california]);
  });

  it('completeJobsNow finishes jobs at once; removal schedules and applies likewise', async () => {
    await setup();
    const contact = bare('Contacts');
    const texas = territoryId(t.sim, 'Texas');
    expect((await api.assign('Contacts', [{ id: contact.id, Territories: [{ id: texas }] }])).status).toBe(
      202,
    );
    expect(t.sim.pendingJobs()).toHaveLength(1);
    expect(t.sim.completeJobsNow()).toBe(1);
    expect(territoriesOf('Contacts', contact.id)).toEqual([texas]);
    const removal = await api.remove('Contacts', [{ id: contact.id, Territories: [{ id: texas }] }]);
    expect(removal.status).toBe(202);
    expect(removal.body.data[0]).toMatchObject({
      code: 'SCHEDULED',
      message: 'Territory removal process scheduled successfully',
    });
    const pending = await api.get(
      `/Contacts/actions/get_feature_specific_info?features=territory_scheduled_jobs&ids=${contact.id}`,
    );
    expect(pending.body.data[0].territory_scheduled_jobs[0].source).toBe('manual_territory_removal');
    t.sim.completeJobsNow();
    expect(territoriesOf('Contacts', contact.id)).toEqual([]);
  });

  it('accepts the single-record URL form', async () => {
    await setup();
    const deal = bare('Deals');
    const dach = territoryId(t.sim, 'DACH');
    const res = await call(t.sim, await accessToken(t.sim), `/Deals/${deal.id}/actions/assign_territories`, {
      body: { data: [{ Territories: [{ id: dach }] }] },
    });
    expect(res.status).toBe(202);
    expect(res.body.data[0].details.id).toBe(deal.id);
    t.sim.completeJobsNow();
    expect(territoriesOf('Deals', deal.id)).toEqual([dach]);
    const unknown = await api.post(`/Deals/5725767000000699999/actions/remove_territories`, {
      data: [{ Territories: [{ id: dach }] }],
    });
    expect(unknown.body).toMatchObject({ code: 'INVALID_DATA', details: { resource_path_index: 1 } });
  });

  it('rejects more than 100 records per call (top-level LIMIT_EXCEEDED) and an empty body', async () => {
    await setup();
    const mexico = territoryId(t.sim, 'Mexico');
    const data = [...t.sim.records('Accounts').map((r) => r.id), '5725767000000499999'].map((id) => ({
      id,
      Territories: [{ id: mexico }],
    }));
    expect(data).toHaveLength(101);
    const res = await api.assign('Accounts', data);
    expect(res).toEqual({
      status: 400,
      body: {
        code: 'LIMIT_EXCEEDED',
        details: { api_name: 'data', limit: 100 },
        message: 'Record count exceeded',
        status: 'error',
      },
    });
    expect(t.sim.pendingJobs()).toEqual([]);
    expect((await api.assign('Accounts', [])).body).toMatchObject({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'data' },
    });
    expect((await api.post('/Accounts/actions/assign_territories', '{not json')).body.code).toBe(
      'INVALID_DATA',
    );
  });

  it('enforces 1 territory per Deal and 10 per other record (LIMIT_EXCEEDED per item)', async () => {
    await setup();
    const deal = bare('Deals');
    const [a, b] = [territoryId(t.sim, 'Ontario'), territoryId(t.sim, 'Quebec')];
    const two = await api.assign('Deals', [{ id: deal.id, Territories: [{ id: a }, { id: b }] }]);
    expect(two).toEqual({
      status: 400,
      body: {
        data: [
          {
            code: 'LIMIT_EXCEEDED',
            details: { api_name: 'Territories', json_path: '$.data[0].Territories', limit: 1 },
            message: 'Maximum limit of territories for that record exceeds',
            status: 'error',
          },
        ],
      },
    });
    await api.assign('Deals', [{ id: deal.id, Territories: [{ id: a }] }]);
    t.sim.completeJobsNow();
    expect(
      (await api.assign('Deals', [{ id: deal.id, Territories: [{ id: b }] }])).body.data[0].details.limit,
    ).toBe(1);

    const account = bare('Accounts');
    const leaves = [
      'California',
      'Pacific Northwest',
      'Mountain',
      'New York Metro',
      'New England',
      'Southeast',
      'Texas',
      'Midwest',
      'Ontario',
      'Quebec',
      'Western Canada',
    ].map((n) => ({ id: territoryId(t.sim, n) }));
    expect(
      (await api.assign('Accounts', [{ id: account.id, Territories: leaves }])).body.data[0],
    ).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { limit: 10 },
    });
    expect(
      (await api.assign('Accounts', [{ id: account.id, Territories: leaves.slice(0, 10) }])).status,
    ).toBe(202);
  });

  it('answers DUPLICATE_DATA, ALREADY_USED, INVALID_DATA and MANDATORY_NOT_FOUND per item', async () => {
    await setup();
    const withOne = t.sim.records('Accounts').find((r) => !r.locked && r.territories.length === 1)!;
    const existing = withOne.territories[0]!.territoryId;
    const brazil = territoryId(t.sim, 'Brazil');
    const target = bare('Accounts');
    const res = await api.assign('Accounts', [
      { id: withOne.id, Territories: [{ id: existing }] },
      { id: target.id, Territories: [{ id: brazil }, { id: brazil }] },
      { id: '5725767000000499999', Territories: [{ id: brazil }] },
      { id: target.id, Territories: [{ id: '5725767000000199999' }] },
      { Territories: [{ id: brazil }] },
      { id: target.id },
      { id: target.id, Territories: [{ name: 'Brazil' }] },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.data).toEqual([
      {
        code: 'DUPLICATE_DATA',
        details: { api_name: 'id', json_path: '$.data[0].Territories[0].id' },
        message: 'Given Territory id already exists for that record',
        status: 'error',
      },
      {
        code: 'ALREADY_USED',
        details: {
          api_name: 'id',
          json_path: '$.data[1].Territories[1].id',
          exists_in: { json_path: '$.data[1].Territories[0].id' },
        },
        message: 'duplicate territory id found',
        status: 'error',
      },
      {
        code: 'INVALID_DATA',
        details: { api_name: 'id', json_path: '$.data[2].id' },
        message: 'the id given seems to be invalid',
        status: 'error',
      },
      {
        code: 'INVALID_DATA',
        details: { api_name: 'id', json_path: '$.data[3].Territories[0].id' },
        message: 'the id given seems to be invalid',
        status: 'error',
      },
      {
        code: 'MANDATORY_NOT_FOUND',
        details: { api_name: 'id', json_path: '$.data[4].id' },
        message: 'One of the expected parameter is missing',
        status: 'error',
      },
      {
        code: 'MANDATORY_NOT_FOUND',
        details: { api_name: 'Territories', json_path: '$.data[5].Territories' },
        message: 'required field not found',
        status: 'error',
      },
      {
        code: 'MANDATORY_NOT_FOUND',
        details: { api_name: 'id', json_path: '$.data[6].Territories[0].id' },
        message: 'required field not found',
        status: 'error',
      },
    ]);
    expect(t.sim.pendingJobs()).toEqual([]);
  });

  it('answers 207 for a mixed batch, ALREADY_SCHEDULED while a job is pending, RECORD_LOCKED for locked records', async () => {
    await setup();
    const [one, two] = [bare('Leads'), bare('Leads', 1)];
    const locked = t.sim.records('Leads').find((r) => r.locked)!;
    const india = territoryId(t.sim, 'India');
    const first = await api.assign('Leads', [
      { id: one.id, Territories: [{ id: india }] },
      { id: locked.id, Territories: [{ id: india }] },
    ]);
    expect(first.status).toBe(207);
    expect(first.body.data[0].code).toBe('SCHEDULED');
    expect(first.body.data[1]).toEqual({
      code: 'RECORD_LOCKED',
      details: { id: locked.id, action: 'record_locking' },
      message: 'Sorry, you cannot perform this operation as the record is locked.',
      status: 'error',
    });
    const again = await api.assign('Leads', [
      { id: one.id, Territories: [{ id: territoryId(t.sim, 'ANZ') }] },
      { id: two.id, Territories: [{ id: india }] },
      { id: two.id, Territories: [{ id: territoryId(t.sim, 'ANZ') }] },
    ]);
    expect(again.status).toBe(207);
    expect(again.body.data.map((d: { code: string }) => d.code)).toEqual([
      'ALREADY_SCHEDULED',
      'SCHEDULED',
      'ALREADY_SCHEDULED',
    ]);
    expect(again.body.data[0].details).toEqual({ id: one.id, job_id: first.body.data[0].details.job_id });
    t.sim.setRecordLocked('Leads', locked.id, false);
    expect((await api.assign('Leads', [{ id: locked.id, Territories: [{ id: india }] }])).status).toBe(202);
    // A territory-rule job (Zoho runs them after record edits) blocks manual changes too.
    const ruled = bare('Leads', 2);
    const job = t.sim.scheduleRuleJob('Leads', ruled.id, 'update');
    const blocked = await api.assign('Leads', [{ id: ruled.id, Territories: [{ id: india }] }]);
    expect(blocked.body.data[0]).toMatchObject({ code: 'ALREADY_SCHEDULED', details: { job_id: job.jobId } });
    const info = await api.get(
      `/Leads/actions/get_feature_specific_info?features=territory_scheduled_jobs&ids=${ruled.id}`,
    );
    expect(info.body.data[0].territory_scheduled_jobs).toEqual([{ job_id: job.jobId, source: 'update' }]);
  });

  it('answers NO_PERMISSION (403) unless the API user writes the territory through a read_write_delete membership', async () => {
    await setup();
    const account = bare('Accounts');
    const keyWest = territoryId(t.sim, 'Key Accounts West');
    const california = territoryId(t.sim, 'California');
    const denied = await api.assign('Accounts', [{ id: account.id, Territories: [{ id: keyWest }] }]);
    expect(denied).toEqual({
      status: 403,
      body: {
        data: [
          {
            code: 'NO_PERMISSION',
            details: { api_name: 'id', json_path: '$.data[0].Territories[0].id' },
            message: 'User has no permission to assign this territory',
            status: 'error',
          },
        ],
      },
    });
    // Japan is read_only itself, but the API user writes it through APAC (read_write_delete).
    expect(
      (await api.assign('Accounts', [{ id: account.id, Territories: [{ id: territoryId(t.sim, 'Japan') }] }]))
        .status,
    ).toBe(202);
    t.sim.completeJobsNow();
    t.sim.setPermissionType(territoryId(t.sim, 'Strategic Accounts'), 'read_write_delete');
    expect((await api.assign('Accounts', [{ id: account.id, Territories: [{ id: keyWest }] }])).status).toBe(
      202,
    );
    t.sim.completeJobsNow();
    t.sim.removeUserFromTerritory(t.sim.apiUserId, territoryId(t.sim, 'Americas'));
    const other = bare('Accounts', 1);
    expect(
      (await api.assign('Accounts', [{ id: other.id, Territories: [{ id: california }] }])).body.data[0].code,
    ).toBe('NO_PERMISSION');
    t.sim.setEnforceTerritoryPermissions(false);
    expect((await api.assign('Accounts', [{ id: other.id, Territories: [{ id: california }] }])).status).toBe(
      202,
    );
  });

  it('lets an Administrator API user assign anywhere', async () => {
    t = await startTestSim();
    const seed = t.sim.snapshot();
    await t.sim.close();
    const apiUser = seed.users.find((u) => u.id === seed.apiUserId)!;
    apiUser.profile = { id: '5725767000000800011', name: 'Administrator' };
    seed.memberships = seed.memberships.filter((m) => m.userId !== seed.apiUserId);
    await setup({ seed });
    const keyWest = territoryId(t.sim, 'Key Accounts West');
    expect(
      (await api.assign('Accounts', [{ id: bare('Accounts').id, Territories: [{ id: keyWest }] }])).status,
    ).toBe(202);
  });

  it('refuses to remove rule-assigned territories (NOT_ALLOWED) and ones not on the record (INVALID_DATA)', async () => {
    await setup();
    const ruled = t.sim
      .records('Accounts')
      .find((r) => !r.locked && r.territories.some((x) => x.assigned === 'automatically'))!;
    const auto = ruled.territories.find((x) => x.assigned === 'automatically')!.territoryId;
    const res = await api.remove('Accounts', [
      { id: ruled.id, Territories: [{ id: auto }] },
      { id: bare('Accounts').id, Territories: [{ id: territoryId(t.sim, 'Nordics') }] },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.data).toEqual([
      {
        code: 'NOT_ALLOWED',
        details: { api_name: 'id', json_path: '$.data[0].Territories[0].id' },
        message: 'Territory id which you are trying to remove was system assigned',
        status: 'error',
      },
      {
        code: 'INVALID_DATA',
        details: { api_name: 'id', json_path: '$.data[1].Territories[0].id' },
        message: 'the id given seems to be invalid',
        status: 'error',
      },
    ]);
  });

  it('answers 403 TERRITORY_NOT_ENABLED for Leads when Leads territories are off, and for all modules when management is off', async () => {
    await setup();
    const ontario = territoryId(t.sim, 'Ontario');
    t.sim.setLeadsTerritories(false);
    expect(await api.assign('Leads', [{ id: bare('Leads').id, Territories: [{ id: ontario }] }])).toEqual({
      status: 403,
      body: {
        code: 'TERRITORY_NOT_ENABLED',
        details: { module: 'Leads' },
        message: 'the territory feature is not enabled',
        status: 'error',
      },
    });
    expect(
      (await api.assign('Contacts', [{ id: bare('Contacts').id, Territories: [{ id: ontario }] }])).status,
    ).toBe(202);
    t.sim.setTerritoryManagement(false);
    const off = await api.remove('Contacts', [{ id: bare('Contacts').id, Territories: [{ id: ontario }] }]);
    expect(off).toEqual({
      status: 403,
      body: {
        code: 'TERRITORY_NOT_ENABLED',
        details: {},
        message: 'the territory feature is not enabled',
        status: 'error',
      },
    });
    expect((await api.assign('Tasks', [{ id: '1', Territories: [{ id: ontario }] }])).status).toBe(403);
    t.sim.setTerritoryManagement(true);
    expect((await api.assign('Tasks', [{ id: '1', Territories: [{ id: ontario }] }])).body.code).toBe(
      'NOT_SUPPORTED',
    );
  });

  it('finishes failing jobs without applying them; a territory deleted meanwhile is skipped', async () => {
    await setup();
    const account = bare('Accounts');
    const [nordics, dach] = [territoryId(t.sim, 'Nordics'), territoryId(t.sim, 'DACH')];
    t.sim.faults.setJobsFail(true);
    await api.assign('Accounts', [{ id: account.id, Territories: [{ id: nordics }] }]);
    t.clock.advance(5000);
    const info = `/Accounts/actions/get_feature_specific_info?features=territory_scheduled_jobs&ids=${account.id}`;
    expect((await api.get(info)).status).toBe(204);
    expect(territoriesOf('Accounts', account.id)).toEqual([]);
    t.sim.faults.setJobsFail(false);
    t.sim.faults.setJobDelay(60_000);
    await api.assign('Accounts', [{ id: account.id, Territories: [{ id: nordics }, { id: dach }] }]);
    t.clock.advance(59_999);
    expect((await api.get(info)).status).toBe(200);
    t.sim.deleteTerritory(nordics);
    t.clock.advance(1);
    expect((await api.get(info)).status).toBe(204);
    expect(territoriesOf('Accounts', account.id)).toEqual([dach]);
  });

  it('finishes jobs from one timer that re-arms until the clock reaches the next job', async () => {
    const armed: { fn: () => void; ms: number }[] = [];
    const timers: SimTimers = { setTimeout: (fn, ms) => armed.push({ fn, ms }), clearTimeout: () => {} };
    await setup({ timers });
    const [a, b] = [bare('Accounts'), bare('Accounts', 1)];
    await api.assign('Accounts', [{ id: a.id, Territories: [{ id: territoryId(t.sim, 'Quebec') }] }]);
    t.clock.advance(1000);
    await api.assign('Accounts', [{ id: b.id, Territories: [{ id: territoryId(t.sim, 'Quebec') }] }]);
    expect(armed.map((x) => x.ms)).toEqual([5000]);
    // Fired before the injected clock moved: nothing is due, so it re-arms for the first job.
    armed.shift()!.fn();
    expect(t.sim.pendingJobs()).toHaveLength(2);
    expect(armed.map((x) => x.ms)).toEqual([4000]);
    t.clock.advance(4000);
    armed.shift()!.fn();
    expect(t.sim.pendingJobs().map((j) => j.recordId)).toEqual([b.id]);
    expect(territoriesOf('Accounts', a.id)).toEqual([territoryId(t.sim, 'Quebec')]);
    expect(armed.map((x) => x.ms)).toEqual([1000]);
    t.clock.advance(1000);
    armed.shift()!.fn();
    expect(t.sim.pendingJobs()).toEqual([]);
    expect(armed).toEqual([]);
  });

  it('finishes jobs on real timers and the system clock', async () => {
    // The ManualClock here is unused: the simulator runs on the system clock.
    t = { sim: await startZohoSimulator({ jobDelayMs: 20 }), clock: new ManualClock() };
    api = client(t.sim, await accessToken(t.sim));
    const account = bare('Accounts');
    await api.assign('Accounts', [{ id: account.id, Territories: [{ id: territoryId(t.sim, 'Quebec') }] }]);
    await vi.waitFor(
      () => expect(territoriesOf('Accounts', account.id)).toEqual([territoryId(t.sim, 'Quebec')]),
      {
        timeout: 5000,
      },
    );
  });

  it('validates feature-info parameters', async () => {
    await setup();
    const base = '/Accounts/actions/get_feature_specific_info';
    expect((await api.get(`${base}?ids=1`)).body).toMatchObject({
      code: 'REQUIRED_PARAM_MISSING',
      details: { param_name: 'features' },
    });
    expect((await api.get(`${base}?features=territory_scheduled_jobs`)).body).toMatchObject({
      code: 'REQUIRED_PARAM_MISSING',
      details: { param_name: 'ids' },
    });
    const ids = Array.from({ length: 101 }, (_, i) => `5725767000000${400001 + i}`);
    expect(
      (await api.get(`${base}?features=territory_scheduled_jobs&ids=${ids.join(',')}`)).body,
    ).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { limit: 100 },
    });
    expect(
      (await api.get(`${base}?features=territory_scheduled_jobs&ids=${ids.slice(0, 100).join(',')}`)).status,
    ).toBe(204);
  });
});
