import { afterEach, describe, expect, it } from 'vitest';
import { accessToken, client, startTestSim, type TestSim } from './helpers.js';

describe('Zoho simulator: token endpoint bodies, org and metadata reads', () => {
  let t: TestSim;
  afterEach(async () => {
    await t.sim.close();
  });

  it('takes the token grant as multipart/form-data, as Zoho SDKs send it', async () => {
    t = await startTestSim();
    const form = new FormData();
    form.set('grant_type', 'refresh_token');
    form.set('client_id', t.sim.credentials.clientId);
    form.set('client_secret', t.sim.credentials.clientSecret);
    form.set('refresh_token', t.sim.credentials.refreshToken);
    const res = await fetch(`${t.sim.accountsUrl}/oauth/v2/token`, { method: 'POST', body: form });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(body.access_token).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
    expect(body.token_type).toBe('Bearer');

    const bad = new FormData();
    bad.set('grant_type', 'refresh_token');
    bad.set('client_id', 'someone-else');
    bad.set('client_secret', t.sim.credentials.clientSecret);
    bad.set('refresh_token', t.sim.credentials.refreshToken);
    const refused = await fetch(`${t.sim.accountsUrl}/oauth/v2/token`, { method: 'POST', body: bad });
    expect(await refused.json()).toEqual({ error: 'invalid_client' });
  });

  it('answers GET /org with the org, its zgid and its primary user', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const { status, body } = await api.get('/org');
    expect(status).toBe(200);
    expect(body.org).toHaveLength(1);
    expect(body.org[0]).toMatchObject({
      company_name: 'Acme Demo Org',
      zgid: '60012345678',
      iso_code: 'USD',
    });
    expect(typeof body.org[0].id).toBe('string');
  });

  it('lists the four territory modules in GET /settings/modules, API-supported', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const { status, body } = await api.get('/settings/modules');
    expect(status).toBe(200);
    expect(body.modules.map((m: { api_name: string }) => m.api_name)).toEqual([
      'Leads',
      'Accounts',
      'Contacts',
      'Deals',
    ]);
    const deals = body.modules.find((m: { api_name: string }) => m.api_name === 'Deals');
    expect(deals).toMatchObject({
      module_name: 'Potentials',
      api_supported: true,
      generated_type: 'default',
    });
  });

  it("describes each module's fields, Owner and Territories included", async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    for (const module of ['Leads', 'Accounts', 'Contacts', 'Deals']) {
      const { status, body } = await api.get(`/settings/fields?module=${module}`);
      expect(status).toBe(200);
      const byName = new Map(body.fields.map((f: { api_name: string }) => [f.api_name, f]));
      expect(byName.get('Owner')).toMatchObject({ data_type: 'ownerlookup', json_type: 'jsonobject' });
      expect(byName.get('Territories')).toMatchObject({ custom_field: false, json_type: 'jsonarray' });
      const ids = body.fields.map((f: { id: string }) => f.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const deals = await api.get('/settings/fields?module=deals');
    const stage = deals.body.fields.find((f: { api_name: string }) => f.api_name === 'Stage');
    expect(stage.pick_list_values.map((v: { actual_value: string }) => v.actual_value)).toContain(
      'Closed Won',
    );
  });

  it('refuses a missing or unknown module, and drops Territories when territory management is off', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    expect((await api.get('/settings/fields')).body).toMatchObject({
      code: 'INVALID_DATA',
      details: { param_name: 'module' },
    });
    expect((await api.get('/settings/fields?module=Potatoes')).status).toBe(400);
    t.sim.setTerritoryManagement(false);
    const { body } = await api.get('/settings/fields?module=Accounts');
    expect(body.fields.map((f: { api_name: string }) => f.api_name)).not.toContain('Territories');
  });
});
