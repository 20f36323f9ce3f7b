import dc from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bigSeed, demoSeed, type SimTimers } from '../../../src/sandbox/zoho/index.js';
import { accessToken, call, client, startTestSim, type TestSim, territoryId } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
async function admin(url: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

/** Timers that fire at once and record each delay asked for. */
function recordingTimers(): { delays: number[]; timers: SimTimers } {
  const delays: number[] = [];
  const timers: SimTimers = {
    setTimeout: (fn, ms) => {
      delays.push(ms);
      return setTimeout(fn, 0);
    },
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  };
  return { delays, timers };
}

describe('Zoho simulator faults, routing and observation', () => {
  let t: TestSim;
  afterEach(async () => {
    await t.sim.close();
  });

  it('fails the next N calls with 429 TOO_MANY_REQUESTS or 500 INTERNAL_ERROR, optionally per path', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    t.sim.faults.failNext({ count: 2, status: 429 });
    expect(await api.get('/users?type=CurrentUser')).toEqual({
      status: 429,
      body: {
        code: 'TOO_MANY_REQUESTS',
        details: {},
        message: 'The number of API requests or concurrent calls exceeded the limit',
        status: 'error',
      },
    });
    expect((await api.get('/settings/territories')).status).toBe(429);
    expect((await api.get('/settings/territories')).status).toBe(200);
    t.sim.faults.failNext({ count: 1, status: 500, pathPrefix: '/Deals' });
    expect((await api.get('/settings/territories')).status).toBe(200);
    const deal = t.sim.records('Deals')[0]!;
    expect((await api.get(`/Deals?ids=${deal.id}&fields=Deal_Name`)).body).toMatchObject({
      code: 'INTERNAL_ERROR',
      status: 'error',
    });
    expect((await api.get(`/Deals?ids=${deal.id}&fields=Deal_Name`)).status).toBe(200);
  });

  it('can lose the answer of a call that took effect (afterApplying), so a retry meets ALREADY_SCHEDULED', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const account = t.sim.records('Accounts').find((r) => r.territories.length === 0 && !r.locked)!;
    const body = [{ id: account.id, Territories: [{ id: territoryId(t.sim, 'Brazil') }] }];
    t.sim.faults.failNext({ count: 1, status: 500, pathPrefix: '/Accounts/actions', afterApplying: true });
    expect((await api.assign('Accounts', body)).status).toBe(500);
    expect(t.sim.pendingJobs().map((j) => j.recordId)).toEqual([account.id]);
    expect((await api.assign('Accounts', body)).body.data[0].code).toBe('ALREADY_SCHEDULED');
  });

  it('can hold the answer of a call that took effect (afterApplying + delayMs): the change is made before the answer', async () => {
    // The hold runs on the simulator's timers: this test fires it by hand.
    const held: Array<() => void> = [];
    const timers: SimTimers = {
      setTimeout: (fn, ms) => {
        if (ms === 200) held.push(fn);
        return held.length;
      },
      clearTimeout: () => {},
    };
    t = await startTestSim({ timers });
    const api = client(t.sim, await accessToken(t.sim));
    const account = t.sim.records('Accounts').find((r) => r.territories.length === 0 && !r.locked)!;
    const body = [{ id: account.id, Territories: [{ id: territoryId(t.sim, 'Brazil') }] }];
    t.sim.faults.failNext({
      count: 1,
      status: 500,
      pathPrefix: '/Accounts/actions',
      afterApplying: true,
      delayMs: 200,
    });
    const answer = api.assign('Accounts', body);
    await vi.waitFor(() => expect(held).toHaveLength(1));
    // Applied while the answer is still held back.
    expect(t.sim.pendingJobs().map((j) => j.recordId)).toEqual([account.id]);
    held[0]!();
    expect((await answer).status).toBe(500);
  });

  it('answers 404 INVALID_URL_PATTERN for unknown paths and 400 INVALID_REQUEST_METHOD for wrong methods', async () => {
    t = await startTestSim();
    const token = await accessToken(t.sim);
    expect(await call(t.sim, token, '/settings/nothing/here/at/all')).toEqual({
      status: 404,
      body: {
        code: 'INVALID_URL_PATTERN',
        details: {},
        message: 'Please check if the URL trying to access is a correct one',
        status: 'error',
      },
    });
    const res = await fetch(`${t.sim.url}/crm/v2/settings/territories`, {
      headers: { authorization: `Zoho-oauthtoken ${token}` },
    });
    expect(res.status).toBe(404);
    const wrong = await call(t.sim, token, '/Accounts/actions/assign_territories');
    expect(wrong).toEqual({
      status: 400,
      body: {
        code: 'INVALID_REQUEST_METHOD',
        details: {},
        message: 'The http request method type is not a valid one',
        status: 'error',
      },
    });
    expect((await call(t.sim, token, '/settings/territories', { method: 'PATCH' })).body.code).toBe(
      'INVALID_REQUEST_METHOD',
    );
  });

  it('adds latency through the injected timers', async () => {
    const { delays, timers } = recordingTimers();
    // A clock that stands still: the simulator's own work takes no time, the whole latency is waited.
    t = await startTestSim({ timers, latencyMs: 250, clock: { now: () => 1_000 } });
    const token = await accessToken(t.sim);
    expect((await call(t.sim, token, '/users?type=CurrentUser')).status).toBe(200);
    expect(delays.filter((d) => d === 250)).toHaveLength(2);
    t.sim.faults.setLatency(0);
    await call(t.sim, token, '/users?type=CurrentUser');
    expect(delays.filter((d) => d === 250)).toHaveLength(2);
  });

  it('counts its own work inside the latency: a call is answered latency after it arrived', async () => {
    const { delays, timers } = recordingTimers();
    // Every reading of the clock is 30 ms later: the work between arrival and answer took time.
    let now = 1_000;
    t = await startTestSim({ timers, latencyMs: 250, clock: { now: () => (now += 30) } });
    const token = await accessToken(t.sim);
    delays.length = 0;
    expect((await call(t.sim, token, '/users?type=CurrentUser')).status).toBe(200);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(0);
    expect(delays[0]).toBeLessThan(250);
    // The call's time is when it was answered (what the benchmarks time), not when it arrived.
    const handledAt = t.sim.requestLog().at(-1)!.time;
    const [users] = t.sim.calls().filter((c) => c.operation === 'getUsers');
    expect(users?.lastAt).toBeGreaterThan(handledAt);
    // Work past the latency is answered at once, never waited on top.
    t.sim.faults.setLatency(20);
    delays.length = 0;
    expect((await call(t.sim, token, '/users?type=CurrentUser')).status).toBe(200);
    expect(delays).toEqual([]);
  });

  it('answers 429 above a concurrency limit and reports the highest concurrency seen', async () => {
    const held: (() => void)[] = [];
    const timers: SimTimers = {
      setTimeout: (fn) => held.push(fn),
      clearTimeout: () => {},
    };
    t = await startTestSim({ timers });
    const token = await accessToken(t.sim);
    t.sim.faults.setLatency(10);
    t.sim.faults.setConcurrencyLimit(2);
    const calls = Array.from({ length: 6 }, () => call(t.sim, token, '/users?type=CurrentUser'));
    const early: number[] = [];
    for (const c of calls) c.then((r) => early.push(r.status));
    // Two calls hold the two slots (their latency timers are held); the other four are turned away.
    await vi.waitFor(() => expect(early).toEqual([429, 429, 429, 429]));
    while (held.length > 0) held.shift()!();
    const statuses = (await Promise.all(calls)).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429]);
    expect(t.sim.maxConcurrency()).toBe(2);
  });

  it('counts calls by operation and method, logs requests and responses, and resets', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    await api.get('/settings/territories');
    await api.get('/settings/territories?page=2');
    const account = t.sim.records('Accounts').find((r) => r.territories.length === 0 && !r.locked)!;
    const body = { data: [{ id: account.id, Territories: [{ id: territoryId(t.sim, 'Mexico') }] }] };
    await api.post('/Accounts/actions/assign_territories', body);
    expect(t.sim.callCount('getTerritories')).toBe(2);
    expect(t.sim.callCount('getTerritories', 'GET')).toBe(2);
    expect(t.sim.callCount('assignTerritories', 'POST')).toBe(1);
    expect(t.sim.calls()).toContainEqual({
      operation: 'token',
      method: 'POST',
      count: 1,
      firstAt: expect.any(Number),
      lastAt: expect.any(Number),
    });
    const gets = t.sim.calls().find((c) => c.operation === 'getTerritories')!;
    expect(gets.lastAt).toBeGreaterThanOrEqual(gets.firstAt);
    // Jobs finished are counted with the time Zoho finished them (their due time), for the bench.
    const pending = t.sim.pendingJobs();
    expect(pending.length).toBeGreaterThan(0);
    t.sim.completeJobsNow();
    expect(t.sim.jobsFinished()).toEqual({
      count: pending.length,
      lastFinishedAt: Math.max(...pending.map((j) => j.dueAt)),
    });
    const last = t.sim.requestLog().at(-1)!;
    expect(last).toMatchObject({
      method: 'POST',
      path: '/crm/v8/Accounts/actions/assign_territories',
      operation: 'assignTerritories',
      requestBody: body,
      status: 202,
      responseBody: { data: [{ code: 'SCHEDULED' }] },
    });
    expect(t.sim.requestLog().at(-2)).toMatchObject({
      query: { page: '2' },
      status: 204,
      responseBody: null,
    });
    t.sim.resetCalls();
    expect(t.sim.calls()).toEqual([]);
    expect(t.sim.requestLog()).toEqual([]);
    expect(t.sim.jobsFinished()).toEqual({ count: 0, lastFinishedAt: null });
  });

  it('exposes the control surface over HTTP under /__sim/', async () => {
    t = await startTestSim();
    const token = await accessToken(t.sim);
    const help = await admin(t.sim.url, '/__sim');
    expect(Object.keys(help.body.endpoints)).toContain('POST /__sim/faults/fail-next');
    // The sandbox page on another port calls these from the browser: CORS preflight passes.
    const preflight = await fetch(`${t.sim.url}/__sim/faults/latency`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const state = await admin(t.sim.url, '/__sim/state');
    expect(state.body).toMatchObject({ ok: true, territory_management: true, api_user_id: t.sim.apiUserId });
    const texas = territoryId(t.sim, 'Texas');
    expect(
      (await admin(t.sim.url, `/__sim/territories/${texas}/rename`, { name: 'Lone Star' })).body,
    ).toEqual({ ok: true });
    expect((await call(t.sim, token, `/settings/territories/${texas}`)).body.territories[0].name).toBe(
      'Lone Star',
    );
    await admin(t.sim.url, `/__sim/territories/${texas}/permission`, { permission_type: 'read_only' });
    expect(t.sim.territory(texas)!.permissionType).toBe('read_only');
    await admin(t.sim.url, `/__sim/territories/${texas}/delete`, {});
    expect((await call(t.sim, token, `/settings/territories/${texas}`)).body.code).toBe('INVALID_DATA');
    await admin(t.sim.url, '/__sim/territory-management', { enabled: false });
    expect((await call(t.sim, token, '/settings/territories')).status).toBe(403);
    await admin(t.sim.url, '/__sim/territory-management', { enabled: true });
    await admin(t.sim.url, '/__sim/faults/fail-next', { count: 1, status: 500 });
    expect((await call(t.sim, token, '/settings/territories')).status).toBe(500);
    await admin(t.sim.url, '/__sim/faults/expire-tokens', {});
    expect((await call(t.sim, token, '/settings/territories')).status).toBe(401);
    await admin(t.sim.url, '/__sim/memberships/remove', {
      user_id: t.sim.apiUserId,
      territory_id: territoryId(t.sim, 'EMEA'),
    });
    expect(t.sim.userTerritoryIds(t.sim.apiUserId)).not.toContain(territoryId(t.sim, 'EMEA'));
    const locked = t.sim.records('Deals')[0]!;
    await admin(t.sim.url, `/__sim/records/Deals/${locked.id}/lock`, { locked: true });
    expect(t.sim.record('Deals', locked.id)!.locked).toBe(true);
    expect((await admin(t.sim.url, '/__sim/territories/1/rename', { name: 'x' })).status).toBe(400);
    expect((await admin(t.sim.url, '/__sim/nope', {})).status).toBe(404);
    // Admin calls are not Zoho calls: neither counted nor logged.
    expect(t.sim.calls().some((c) => c.operation.startsWith('admin'))).toBe(false);
  });

  it("changes a user's status (the API user's token keeps working)", async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    t.sim.setUserStatus(t.sim.apiUserId, 'disabled');
    const me = await api.get('/users?type=CurrentUser');
    expect(me.status).toBe(200);
    expect(me.body.users[0].status).toBe('disabled');
    expect(
      (await api.get('/users?type=ActiveUsers')).body.users.map((u: { id: string }) => u.id),
    ).not.toContain(t.sim.apiUserId);
    expect(
      (await admin(t.sim.url, `/__sim/users/${t.sim.apiUserId}/status`, { status: 'active' })).body,
    ).toEqual({ ok: true });
    expect((await api.get('/users?type=CurrentUser')).body.users[0].status).toBe('active');
  });

  it('makes a territory unreadable for the API user: 403 NO_PERMISSION, left out of lists, not assignable', async () => {
    t = await startTestSim();
    const api = client(t.sim, await accessToken(t.sim));
    const [texas, usCentral] = [territoryId(t.sim, 'Texas'), territoryId(t.sim, 'US Central')];
    t.sim.setTerritoryReadable(texas, false);
    expect(await api.get(`/settings/territories/${texas}`)).toEqual({
      status: 403,
      body: { code: 'NO_PERMISSION', details: {}, message: 'permission denied', status: 'error' },
    });
    expect((await api.get(`/settings/territories/${texas}/users`)).status).toBe(403);
    const all = (await api.get('/settings/territories')).body.territories.map((x: { id: string }) => x.id);
    expect(all).not.toContain(texas);
    expect(all).toContain(usCentral);
    const children = (await api.get(`/settings/territories/${usCentral}/__child_territories`)).body
      .territories;
    expect(children.map((x: { name: string }) => x.name)).toEqual(['Midwest']);
    const account = t.sim.records('Accounts').find((r) => r.territories.length === 0 && !r.locked)!;
    expect(
      (await api.assign('Accounts', [{ id: account.id, Territories: [{ id: texas }] }])).body.data[0].code,
    ).toBe('NO_PERMISSION');
    await admin(t.sim.url, `/__sim/territories/${texas}/readable`, { readable: true });
    expect((await api.get(`/settings/territories/${texas}`)).status).toBe(200);
  });

  it('saves state to a file and serves it again after a restart, pending jobs included', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zoho-sim-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      t = await startTestSim({ stateFile });
      const api = client(t.sim, await accessToken(t.sim));
      const account = t.sim.records('Accounts').find((r) => r.territories.length === 0 && !r.locked)!;
      const nordics = territoryId(t.sim, 'Nordics');
      t.sim.renameTerritory(territoryId(t.sim, 'DACH'), 'Central Europe');
      await api.assign('Accounts', [{ id: account.id, Territories: [{ id: nordics }] }]);
      await t.sim.close();
      t = await startTestSim({ stateFile, seed: bigSeed({ territories: 3, records: 0 }) });
      expect(t.sim.territoryByName('Central Europe')).toBeDefined();
      expect(t.sim.pendingJobs()).toHaveLength(1);
      t.sim.completeJobsNow();
      expect(t.sim.record('Accounts', account.id)!.territories.map((x) => x.territoryId)).toEqual([nordics]);
      await t.sim.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds deterministic seeds with 19-digit string ids', () => {
    expect(demoSeed()).toEqual(demoSeed());
    expect(bigSeed({ territories: 50, records: 5 })).toEqual(bigSeed({ territories: 50, records: 5 }));
    const seed = demoSeed();
    expect(seed.territories.length).toBeGreaterThanOrEqual(30);
    expect(seed.records.length).toBeGreaterThanOrEqual(300);
    const ids = [...seed.territories, ...seed.users, ...seed.records].map((x) => x.id);
    for (const id of ids) expect(id).toMatch(/^\d{19}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(seed.records.filter((r) => r.locked).length).toBe(8);
    expect(seed.users.find((u) => u.id === seed.apiUserId)!.profile.name).not.toBe('Administrator');
    const big = bigSeed({ territories: 5000, records: 100 });
    expect(big.territories).toHaveLength(5000);
    expect(big.records).toHaveLength(400);
  });

  it('keeps connections open between calls, as a real API does (a closed socket per call skews every figure)', async () => {
    t = await startTestSim();
    const token = await accessToken(t.sim);
    let connects = 0;
    const onConnect = () => {
      connects += 1;
    };
    // fetch's undici reports each new socket here.
    dc.subscribe('undici:client:connected', onConnect);
    try {
      for (let i = 0; i < 5; i += 1) {
        const res = await fetch(`${t.sim.apiDomain}/crm/v8/users?type=CurrentUser`, {
          headers: { authorization: `Zoho-oauthtoken ${token}` },
        });
        expect(res.status).toBe(200);
        await res.text();
      }
    } finally {
      dc.unsubscribe('undici:client:connected', onConnect);
    }
    expect(connects).toBe(1);
  });
});
