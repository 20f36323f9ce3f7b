import { afterEach, describe, expect, it } from 'vitest';
import { accessToken, client, startTestSim, type TestSim } from './helpers.js';

describe('Zoho simulator record reads', () => {
  let t: TestSim;
  afterEach(async () => {
    await t.sim.close();
  });

  it('returns asked fields and Territories for ids (<=100), in the order asked, found ones only', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const withTerritory = t.sim.records('Contacts').find((r) => r.territories.length > 0)!;
    const other = t.sim.records('Contacts').find((r) => r.id !== withTerritory.id)!;
    const { status, body } = await api.get(
      `/Contacts?ids=${other.id},5725767000000599999,${withTerritory.id}&fields=Full_Name,Territories`,
    );
    expect(status).toBe(200);
    expect(body.data.map((r: { id: string }) => r.id)).toEqual([other.id, withTerritory.id]);
    expect(body.info).toMatchObject({ count: 2, page: 1, more_records: false });
    const rec = body.data[1];
    expect(Object.keys(rec).sort()).toEqual(['Full_Name', 'Territories', 'id']);
    expect(rec.Full_Name).toBe(withTerritory.fields.Full_Name);
    const first = withTerritory.territories[0]!;
    expect(rec.Territories[0]).toEqual({
      Name: t.sim.territory(first.territoryId)!.name,
      id: first.territoryId,
      $assigned_by:
        first.assigned === 'manually' ? { name: expect.any(String), id: first.assignedById } : null,
      $assigned_time: first.assignedTime,
      $assigned: first.assigned,
    });
    expect(
      t.sim.records('Accounts').some((r) => r.territories.some((x) => x.assigned === 'automatically')),
    ).toBe(true);
  });

  it('serves the Deals key Territory only when fields asks for it', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const deal = t.sim.records('Deals').find((r) => r.territories.length === 1)!;
    const plain = await api.get(`/Deals?ids=${deal.id}&fields=Deal_Name,Territories`);
    expect(plain.body.data[0].Territory).toBeUndefined();
    expect(plain.body.data[0].Territories).toHaveLength(1);
    const both = await api.get(`/Deals?ids=${deal.id}&fields=Deal_Name,Territory`);
    expect(both.body.data[0].Territory).toEqual(plain.body.data[0].Territories);
    const account = t.sim.records('Accounts')[0]!;
    expect((await api.get(`/Accounts?ids=${account.id}&fields=Territory`)).body.data[0]).toEqual({
      id: account.id,
    });
  });

  it('answers 204 when no record is found, 400 without fields or with more than 100 ids', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const none = await api.get('/Leads?ids=5725767000000399999&fields=Full_Name');
    expect(none).toEqual({ status: 204, body: null });
    expect((await api.get(`/Leads?ids=${t.sim.records('Leads')[0]!.id}`)).body).toMatchObject({
      code: 'REQUIRED_PARAM_MISSING',
      details: { param_name: 'fields' },
    });
    // The demo org has exactly 100 accounts: the 101st id is one that does not exist.
    const ids = [...t.sim.records('Accounts').map((r) => r.id), '5725767000000499999'];
    expect(ids).toHaveLength(101);
    expect((await api.get(`/Accounts?ids=${ids.join(',')}&fields=Account_Name`)).body).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { limit: 100 },
    });
    expect(
      (await api.get(`/Accounts?ids=${ids.slice(0, 100).join(',')}&fields=Account_Name`)).body.data,
    ).toHaveLength(100);
    expect((await api.get('/Widgets?ids=1&fields=Name')).body).toMatchObject({ code: 'INVALID_MODULE' });
  });

  it('pages a module and filters by territory_id (with include_child)', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const page = await api.get('/Accounts?fields=Account_Name&per_page=30&page=4');
    expect(page.body.info).toMatchObject({ per_page: 30, count: 10, page: 4, more_records: false });
    const usWest = t.sim.territoryByName('US West')!;
    const inTree = await api.get(
      `/Accounts?fields=Account_Name,Territories&territory_id=${usWest.id}&include_child=true`,
    );
    const children = new Set(
      t.sim
        .territories()
        .filter((x) => x.parentId === usWest.id)
        .map((x) => x.id),
    );
    expect(inTree.status).toBe(200);
    for (const r of inTree.body.data) {
      expect(r.Territories.some((x: { id: string }) => children.has(x.id) || x.id === usWest.id)).toBe(true);
    }
    expect((await api.get(`/Accounts?fields=Account_Name&territory_id=${usWest.id}`)).status).toBe(204);
  });

  it('gets one record with all its fields, 204 for an unknown id', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const lead = t.sim.records('Leads')[0]!;
    const { status, body } = await api.get(`/Leads/${lead.id}`);
    expect(status).toBe(200);
    expect(body.data[0]).toMatchObject({
      id: lead.id,
      Full_Name: lead.fields.Full_Name,
      Owner: { id: lead.ownerId },
      Locked__s: false,
      Territories: expect.any(Array),
    });
    expect((await api.get('/Leads/5725767000000399999')).status).toBe(204);
    t.sim.setLeadsTerritories(false);
    expect((await api.get(`/Leads/${lead.id}`)).body.data[0].Territories).toBeUndefined();
  });
});
