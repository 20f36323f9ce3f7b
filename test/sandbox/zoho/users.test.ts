import { afterEach, describe, expect, it } from 'vitest';
import { accessToken, client, startTestSim, type TestSim, territoryId } from './helpers.js';

describe('Zoho simulator users', () => {
  let t: TestSim;
  afterEach(async () => {
    await t.sim.close();
  });

  it('answers type=CurrentUser with the API user (Standard profile, not Administrator)', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const { status, body } = await api.get('/users?type=CurrentUser');
    expect(status).toBe(200);
    expect(body.users).toHaveLength(1);
    expect(body.users[0]).toMatchObject({
      id: t.sim.apiUserId,
      full_name: 'Territory Bot',
      status: 'active',
      profile: { name: 'Standard', id: expect.any(String) },
      role: { name: 'Sales Operations', id: expect.any(String) },
    });
    expect(body.info).toEqual({ per_page: 200, count: 1, page: 1, more_records: false });
  });

  it('filters other user types and rejects unknown ones', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const all = (await api.get('/users?type=AllUsers')).body.users;
    const active = (await api.get('/users?type=ActiveUsers')).body.users;
    const deactive = (await api.get('/users?type=DeactiveUsers')).body.users;
    const admins = (await api.get('/users?type=AdminUsers')).body.users;
    expect(all.length).toBe(active.length + deactive.length);
    expect(deactive.map((u: { status: string }) => u.status)).toEqual(['disabled']);
    expect(admins.map((u: { profile: { name: string } }) => u.profile.name)).toEqual(['Administrator']);
    const paged = await api.get('/users?type=AllUsers&per_page=5&page=2');
    expect(paged.body.info).toEqual({ per_page: 5, count: 5, page: 2, more_records: true });
    const some = await api.get(`/users?ids=${all[0].id},${all[1].id}`);
    expect(some.body.users.map((u: { id: string }) => u.id)).toEqual([all[0].id, all[1].id]);
    expect((await api.get('/users?type=Robots')).body).toMatchObject({
      code: 'INVALID_DATA',
      details: { param_name: 'type' },
    });
    const one = await api.get(`/users/${all[2].id}`);
    expect(one.body.users[0].id).toBe(all[2].id);
    expect((await api.get('/users/123')).body).toMatchObject({
      code: 'INVALID_DATA',
      details: { resource_path_index: 1 },
    });
  });

  it("lists a user's territories with Zoho's capitalised keys", async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const { status, body } = await api.get(`/users/${t.sim.apiUserId}/territories`);
    expect(status).toBe(200);
    expect(body.territories.map((x: { Name: string }) => x.Name)).toEqual([
      'Americas',
      'EMEA',
      'APAC',
      'Strategic Accounts',
    ]);
    const americas = body.territories[0];
    expect(americas).toEqual({
      id: territoryId(t.sim, 'Americas'),
      Name: 'Americas',
      Reporting_To: { id: territoryId(t.sim, 'Global'), Name: 'Global' },
      Manager: { Name: expect.any(String), name: expect.any(String), id: expect.any(String) },
    });
    t.sim.removeUserFromTerritory(t.sim.apiUserId, territoryId(t.sim, 'Americas'));
    const after = await api.get(`/users/${t.sim.apiUserId}/territories`);
    expect(after.body.territories.map((x: { Name: string }) => x.Name)).not.toContain('Americas');
    const outsider = (await api.get('/users?type=AdminUsers')).body.users[0].id;
    t.sim.removeUserFromTerritory(outsider, territoryId(t.sim, 'Global'));
    expect((await api.get(`/users/${outsider}/territories`)).status).toBe(204);
    expect((await api.get('/users/42/territories')).body).toMatchObject({
      code: 'INVALID_DATA',
      details: { resource_path_index: 1 },
    });
  });
});
