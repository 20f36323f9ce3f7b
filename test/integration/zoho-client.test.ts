/**
 * ZohoClient against the Zoho simulator (src/sandbox/zoho) over real loopback HTTP.
 * Backoff sleeps are real but tiny (baseDelayMs 1) so retries stay quick and deterministic in outcome.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ZohoApiError,
  ZohoAuthError,
  ZohoClient,
  type ZohoClientOptions,
} from '../../src/core/zoho/index.js';
import { bigSeed, startZohoSimulator, type ZohoSimulator } from '../../src/sandbox/zoho/index.js';

function clientFor(sim: ZohoSimulator, extra: Partial<ZohoClientOptions> = {}): ZohoClient {
  return new ZohoClient({
    accountsUrl: sim.accountsUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    refreshToken: sim.credentials.refreshToken,
    maxConcurrency: 5,
    retry: { attempts: 8, baseDelayMs: 1, maxDelayMs: 5 },
    requestTimeoutMs: 10_000,
    ...extra,
  });
}

describe('ZohoClient against the Zoho simulator (big org: 5,000 territories)', () => {
  let sim: ZohoSimulator;
  let client: ZohoClient;

  beforeAll(async () => {
    // Each test makes its own client (one refresh each): Zoho's 10-per-10-minutes refresh
    // throttle is exercised in the auth block below, not here.
    sim = await startZohoSimulator({
      seed: bigSeed({ territories: 5000, records: 300 }),
      refreshThrottle: false,
    });
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(async () => {
    sim.faults.clear();
    sim.completeJobsNow();
    await client?.close();
  });

  it('pages through 5,000 territories (per_page 2000: 3 calls) and keeps the hierarchy', async () => {
    client = clientFor(sim);
    sim.resetCalls();
    const list = await client.listTerritories();
    expect(list).toHaveLength(5000);
    expect(new Set(list.map((t) => t.id)).size).toBe(5000);
    expect(sim.callCount('getTerritories', 'GET')).toBe(3);
    const roots = list.filter((t) => t.parentId === null);
    expect(roots.map((t) => t.name)).toEqual(['Global']);
    const byId = new Map(list.map((t) => [t.id, t]));
    for (const t of list) if (t.parentId) expect(byId.has(t.parentId)).toBe(true);
    const kids = await client.getChildTerritories(roots[0]!.id);
    expect(kids.map((k) => k.parentId)).toEqual(kids.map(() => roots[0]!.id));
    expect(kids.length).toBe(8);
  });

  it('current user and their territories', async () => {
    client = clientFor(sim);
    const me = await client.getCurrentUser();
    expect(me.id).toBe(sim.apiUserId);
    const mine = await client.getUserTerritories(me.id);
    expect(mine.map((t) => t.id)).toEqual(sim.userTerritoryIds(me.id));
    const members = await client.getTerritoryUsers(mine[0]!.id);
    expect(members.map((u) => u.id)).toContain(me.id);
    const auth = await client.checkAuth();
    expect(auth.apiDomain).toBe(sim.apiDomain);
    expect(auth.scopes?.length).toBeGreaterThan(0);
  });

  it('assigns 250 records in 3 calls of ≤100, at most 5 in flight; the jobs complete and reading the records confirms', async () => {
    client = clientFor(sim);
    const target = sim.territories().find((t) => t.name === 'Territory 00042')!;
    const records = sim.records('Accounts').slice(0, 250);
    sim.resetCalls();
    const out = await client.assignTerritories(
      'Accounts',
      records.map((r) => ({ recordId: r.id, territoryIds: [target.id] })),
    );
    expect(sim.callCount('assignTerritories', 'POST')).toBe(3);
    expect(sim.maxConcurrency()).toBeLessThanOrEqual(5);
    const bodies = sim
      .requestLog()
      .filter((c) => c.operation === 'assignTerritories')
      .map((c) => (c.requestBody as { data: unknown[] }).data.length)
      .sort((a, b) => a - b);
    expect(bodies).toEqual([50, 100, 100]);
    expect(out.map((o) => o.recordId)).toEqual(records.map((r) => r.id));
    expect(out.every((o) => o.status === 'scheduled' && o.code === 'SCHEDULED' && o.jobId)).toBe(true);

    const ids = records.map((r) => r.id);
    const pending = await client.getPendingJobs('Accounts', ids);
    expect(pending).toHaveLength(250);
    expect(new Map(pending.map((p) => [p.recordId, p.jobId]))).toEqual(
      new Map(out.map((o) => [o.recordId, o.jobId])),
    );
    expect(pending[0]?.source).toBe('manual_territory_assignment');
    // Not applied yet: the records do not show the territory.
    const before = await client.getRecords('Accounts', ids.slice(0, 5));
    expect(before.every((r) => !r.territories.some((t) => t.id === target.id))).toBe(true);

    sim.completeJobsNow();
    expect(await client.getPendingJobs('Accounts', ids)).toEqual([]);
    const after = await client.getRecords('Accounts', ids);
    expect(after).toHaveLength(250);
    for (const r of after) {
      expect(r.territories).toContainEqual({ id: target.id, name: target.name, assigned: 'manually' });
    }
  });

  it('mixed per-record outcomes map to the right inputs', async () => {
    client = clientFor(sim);
    const t1 = sim.territories()[10]!;
    const t2 = sim.territories()[11]!;
    const deals = sim.records('Deals');
    const [fresh, locked, twoForDeal, already, unknownTerr] = deals.slice(0, 5);
    sim.setRecordLocked('Deals', locked!.id, true);
    await client.assignTerritories('Deals', [{ recordId: already!.id, territoryIds: [t1.id] }]);
    sim.completeJobsNow();

    const out = await client.assignTerritories('Deals', [
      { recordId: fresh!.id, territoryIds: [t1.id] },
      { recordId: locked!.id, territoryIds: [t1.id] },
      { recordId: twoForDeal!.id, territoryIds: [t1.id, t2.id] },
      { recordId: '999999000000000001', territoryIds: [t1.id] },
      { recordId: already!.id, territoryIds: [t2.id] },
      { recordId: unknownTerr!.id, territoryIds: ['999999000000000002'] },
    ]);
    expect(out.map((o) => [o.recordId, o.status, o.code])).toEqual([
      [fresh!.id, 'scheduled', 'SCHEDULED'],
      [locked!.id, 'error', 'RECORD_LOCKED'],
      [twoForDeal!.id, 'error', 'LIMIT_EXCEEDED'],
      ['999999000000000001', 'error', 'INVALID_DATA'],
      [already!.id, 'error', 'LIMIT_EXCEEDED'],
      [unknownTerr!.id, 'error', 'INVALID_DATA'],
    ]);
    expect(out[0]?.jobId).toBeTruthy();
    sim.setRecordLocked('Deals', locked!.id, false);

    // Removing: the Deal now holds t1; the other one never had t2.
    sim.completeJobsNow();
    const removed = await client.removeTerritories('Deals', [
      { recordId: already!.id, territoryIds: [t1.id] },
      { recordId: fresh!.id, territoryIds: [t2.id] },
    ]);
    expect(removed.map((o) => [o.status, o.code])).toEqual([
      ['scheduled', 'SCHEDULED'],
      ['error', 'INVALID_DATA'],
    ]);
    sim.completeJobsNow();
    const [rec] = await client.getRecords('Deals', [already!.id]);
    expect(rec?.territories).toEqual([]);
  });

  it('an all-failed batch (HTTP 400 with data[]) still returns outcomes; ALREADY_SCHEDULED while a job is pending', async () => {
    client = clientFor(sim);
    const t = sim.territories()[20]!;
    const [a] = sim.records('Contacts');
    const first = await client.assignTerritories('Contacts', [{ recordId: a!.id, territoryIds: [t.id] }]);
    expect(first[0]?.status).toBe('scheduled');
    const again = await client.assignTerritories('Contacts', [{ recordId: a!.id, territoryIds: [t.id] }]);
    expect(again[0]).toMatchObject({ status: 'error', code: 'ALREADY_SCHEDULED', jobId: first[0]?.jobId });
  });

  it('a request-level error is thrown: territory management off => 403 ZohoApiError', async () => {
    client = clientFor(sim);
    sim.setTerritoryManagement(false);
    try {
      const err = await client
        .assignTerritories('Accounts', [{ recordId: sim.records('Accounts')[0]!.id, territoryIds: ['1'] }])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZohoApiError);
      expect((err as ZohoApiError).status).toBe(403);
      expect((err as ZohoApiError).code).toMatch(/TERRITORY|FEATURE/);
    } finally {
      sim.setTerritoryManagement(true);
    }
  });

  it('access tokens expiring in the middle of a run: one refresh, every call succeeds', async () => {
    client = clientFor(sim);
    await client.checkAuth();
    const issued = sim.tokensIssued();
    const ids = sim.records('Leads').map((r) => r.id);
    const firstHalf = await client.getRecords('Leads', ids.slice(0, 150));
    sim.faults.expireAccessTokens();
    const rest = await Promise.all([
      client.getRecords('Leads', ids.slice(150)),
      client.listTerritories(),
      client.getCurrentUser(),
    ]);
    expect(firstHalf).toHaveLength(150);
    expect(rest[0]).toHaveLength(ids.length - 150);
    expect(rest[1]).toHaveLength(5000);
    expect(sim.tokensIssued()).toBe(issued + 1);
  });

  it("access tokens expired on Zoho's side under a 250-record batch: the three 401s refresh once and retry", async () => {
    client = clientFor(sim);
    await client.checkAuth();
    const issued = sim.tokensIssued();
    const t = sim.territories()[40]!;
    const records = sim.records('Contacts').slice(10, 260);
    sim.resetCalls();
    // The client still holds the token Zoho no longer takes; the three calls overlap.
    sim.faults.setLatency(40);
    sim.faults.expireAccessTokens();
    const out = await client.assignTerritories(
      'Contacts',
      records.map((r) => ({ recordId: r.id, territoryIds: [t.id] })),
    );
    expect(out.every((o) => o.status === 'scheduled')).toBe(true);
    expect(sim.tokensIssued()).toBe(issued + 1);
    const statuses = sim
      .requestLog()
      .filter((c) => c.operation === 'assignTerritories')
      .map((c) => c.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 202)).toHaveLength(3);
  });

  it('429 storms: injected TOO_MANY_REQUESTS and a tight concurrency limit are ridden out with backoff', async () => {
    client = clientFor(sim, { retry: { attempts: 12, baseDelayMs: 1, maxDelayMs: 5 } });
    const t = sim.territories()[30]!;
    const records = sim.records('Leads').slice(0, 250);
    sim.resetCalls();
    sim.faults.failNext({ count: 7, status: 429, pathPrefix: '/Leads/actions/assign_territories' });
    const out = await client.assignTerritories(
      'Leads',
      records.map((r) => ({ recordId: r.id, territoryIds: [t.id] })),
    );
    expect(out.every((o) => o.status === 'scheduled')).toBe(true);
    expect(sim.callCount('assignTerritories', 'POST')).toBe(3 + 7);

    sim.faults.clear();
    sim.faults.setConcurrencyLimit(1);
    sim.faults.setLatency(5);
    const got = await Promise.all(
      [0, 100, 200].map((i) =>
        client.getRecords(
          'Leads',
          records.slice(i, i + 100).map((r) => r.id),
        ),
      ),
    );
    expect(got.flat()).toHaveLength(250);
    const statuses = sim
      .requestLog()
      .filter((c) => c.operation === 'getRecords')
      .map((c) => c.status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
  });

  it('5xx exhaustion surfaces the ZohoApiError after the configured attempts', async () => {
    client = clientFor(sim, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    sim.resetCalls();
    sim.faults.failNext({ count: 10, status: 500, pathPrefix: '/users' });
    const err = (await client.getCurrentUser().catch((e: unknown) => e)) as ZohoApiError;
    expect(err).toBeInstanceOf(ZohoApiError);
    expect(err.status).toBe(500);
    expect(sim.callCount('getUsers', 'GET')).toBe(3);
  });
});

describe('ZohoClient against the simulator: auth failures', () => {
  let sim: ZohoSimulator;
  beforeAll(async () => {
    sim = await startZohoSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('scope mismatch => ZohoAuthError scope', async () => {
    const client = clientFor(sim);
    sim.faults.setTokenScopes(['ZohoCRM.users.READ']);
    try {
      expect((await client.checkAuth()).scopes).toEqual(['ZohoCRM.users.READ']);
      await expect(client.listTerritories()).rejects.toMatchObject({
        name: 'ZohoAuthError',
        reason: 'scope',
      });
    } finally {
      sim.faults.clear();
      await client.close();
    }
  });

  it('revoked refresh token => ZohoAuthError revoked after the access token dies', async () => {
    const client = clientFor(sim);
    await client.getCurrentUser();
    sim.faults.revokeRefreshToken();
    sim.faults.expireAccessTokens();
    try {
      const err = await client.getCurrentUser().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZohoAuthError);
      expect((err as ZohoAuthError).reason).toBe('revoked');
    } finally {
      sim.faults.restoreRefreshToken();
      await client.close();
    }
  });

  it("the local refresh cap stops at 10 per 10 minutes before Zoho's own throttle answers", async () => {
    // Its own simulator: Zoho counts refreshes per refresh token, whichever client made them.
    const own = await startZohoSimulator();
    const client = clientFor(own);
    for (let i = 0; i < 10; i += 1) {
      await client.getCurrentUser();
      own.faults.expireAccessTokens();
    }
    const err = await client.getCurrentUser().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoAuthError);
    expect((err as ZohoAuthError).reason).toBe('throttled');
    expect((err as Error).message).toMatch(/Refused locally/);
    expect(own.callCount('token')).toBe(10);
    const denied = own
      .requestLog()
      .filter(
        (c) => c.operation === 'token' && (c.responseBody as { error?: string }).error === 'Access Denied',
      );
    expect(denied).toEqual([]);
    await client.close();
    await own.close();
  });

  it('wrong client secret => ZohoAuthError invalid_client', async () => {
    const client = clientFor(sim, { clientSecret: 'wrong' });
    await expect(client.checkAuth()).rejects.toMatchObject({ reason: 'invalid_client' });
    await client.close();
  });
});
