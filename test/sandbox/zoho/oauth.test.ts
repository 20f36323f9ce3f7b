import { afterEach, describe, expect, it } from 'vitest';
import { accessToken, call, startTestSim, type TestSim, tokenCall } from './helpers.js';

const INVALID_TOKEN = { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' };

describe('Zoho simulator OAuth', () => {
  let t: TestSim;
  afterEach(async () => {
    await t.sim.close();
  });

  const grant = (t: TestSim, overrides: Record<string, string> = {}) => ({
    grant_type: 'refresh_token',
    client_id: t.sim.credentials.clientId,
    client_secret: t.sim.credentials.clientSecret,
    refresh_token: t.sim.credentials.refreshToken,
    ...overrides,
  });

  it('issues Zoho-shaped access tokens from a form body or the query string', async () => {
    t = await startTestSim();
    expect(t.sim.credentials).toEqual({
      clientId: 'sim-client-id',
      clientSecret: 'sim-client-secret',
      refreshToken: 'sim-refresh-token',
    });
    for (const asForm of [true, false]) {
      const { status, body } = await tokenCall(t.sim, grant(t), asForm);
      expect(status).toBe(200);
      expect(body.access_token).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
      expect(body).toMatchObject({ api_domain: t.sim.url, token_type: 'Bearer', expires_in: 3600 });
      expect(body.scope.split(' ')).toContain('ZohoCRM.settings.territories.ALL');
      expect(body.refresh_token).toBeUndefined();
    }
    expect(t.sim.apiDomain).toBe(t.sim.url);
    expect(t.sim.accountsUrl).toBe(t.sim.url);
    expect(t.sim.tokensIssued()).toBe(2);
    expect(t.sim.callCount('token', 'POST')).toBe(2);
  });

  it('answers invalid_client for a wrong client and invalid_code for a revoked refresh token', async () => {
    t = await startTestSim();
    expect(await tokenCall(t.sim, grant(t, { client_secret: 'nope' }))).toEqual({
      status: 200,
      body: { error: 'invalid_client' },
    });
    expect((await tokenCall(t.sim, grant(t, { refresh_token: '1000.abc.def' }))).body).toEqual({
      error: 'invalid_code',
    });
    const token = await accessToken(t.sim);
    t.sim.faults.revokeRefreshToken();
    expect((await tokenCall(t.sim, grant(t))).body).toEqual({ error: 'invalid_code' });
    // Revoking the refresh token kills the access tokens made from it.
    expect(await call(t.sim, token, '/users?type=CurrentUser')).toEqual({ status: 401, body: INVALID_TOKEN });
    t.sim.faults.restoreRefreshToken();
    expect((await tokenCall(t.sim, grant(t))).body.access_token).toBeTypeOf('string');
    // Zoho's revocation endpoint does the same.
    const revoke = await fetch(
      `${t.sim.accountsUrl}/oauth/v2/token/revoke?token=${t.sim.credentials.refreshToken}`,
      {
        method: 'POST',
      },
    );
    expect(revoke.status).toBe(200);
    expect((await tokenCall(t.sim, grant(t))).body).toEqual({ error: 'invalid_code' });
  });

  it('throttles the 11th refresh within 10 minutes with HTTP 200 Access Denied, and recovers', async () => {
    t = await startTestSim();
    for (let i = 0; i < 10; i += 1) {
      expect((await tokenCall(t.sim, grant(t))).body.access_token).toBeTypeOf('string');
      t.clock.advance(1000);
    }
    const throttled = await tokenCall(t.sim, grant(t));
    expect(throttled).toEqual({
      status: 200,
      body: {
        error_description: 'You have made too many requests continuously. Please try again after some time.',
        error: 'Access Denied',
        status: 'failure',
      },
    });
    t.clock.advance(10 * 60 * 1000);
    expect((await tokenCall(t.sim, grant(t))).body.access_token).toBeTypeOf('string');
    expect(t.sim.tokensIssued()).toBe(11);
  });

  it('rejects missing, unknown, expired and force-expired tokens with 401 INVALID_TOKEN', async () => {
    t = await startTestSim({ tokenTtlSeconds: 60 });
    expect(await call(t.sim, null, '/users?type=CurrentUser')).toEqual({ status: 401, body: INVALID_TOKEN });
    expect(await call(t.sim, '1000.aaaa.bbbb', '/users?type=CurrentUser')).toEqual({
      status: 401,
      body: INVALID_TOKEN,
    });
    const token = await accessToken(t.sim);
    expect((await call(t.sim, token, '/users?type=CurrentUser')).status).toBe(200);
    t.clock.advance(60_000);
    expect(await call(t.sim, token, '/users?type=CurrentUser')).toEqual({ status: 401, body: INVALID_TOKEN });
    const fresh = await accessToken(t.sim);
    t.sim.faults.expireAccessTokens();
    expect((await call(t.sim, fresh, '/users?type=CurrentUser')).status).toBe(401);
    expect((await call(t.sim, await accessToken(t.sim), '/users?type=CurrentUser')).status).toBe(200);
  });

  it('keeps at most 15 live access tokens per refresh token (the 16th invalidates the oldest)', async () => {
    t = await startTestSim({ refreshThrottle: false });
    const first = await accessToken(t.sim);
    const second = await accessToken(t.sim);
    for (let i = 0; i < 14; i += 1) await accessToken(t.sim);
    expect((await call(t.sim, first, '/users?type=CurrentUser')).status).toBe(401);
    expect((await call(t.sim, second, '/users?type=CurrentUser')).status).toBe(200);
  });

  it('checks scopes per endpoint: OAUTH_SCOPE_MISMATCH when the token lacks one', async () => {
    t = await startTestSim();
    t.sim.faults.setTokenScopes(['ZohoCRM.users.READ', 'ZohoCRM.modules.accounts.READ']);
    const { body } = await tokenCall(t.sim, grant(t));
    expect(body.scope).toBe('ZohoCRM.users.READ ZohoCRM.modules.accounts.READ');
    const token = body.access_token as string;
    expect((await call(t.sim, token, '/users?type=CurrentUser')).status).toBe(200);
    const accountId = t.sim.records('Accounts')[0]!.id;
    expect((await call(t.sim, token, `/Accounts?ids=${accountId}&fields=Account_Name`)).status).toBe(200);
    const mismatch = await call(t.sim, token, '/settings/territories');
    expect(mismatch.status).toBe(401);
    expect(mismatch.body.code).toBe('OAUTH_SCOPE_MISMATCH');
    expect((await call(t.sim, token, `/Deals?ids=1&fields=Deal_Name`)).body.code).toBe(
      'OAUTH_SCOPE_MISMATCH',
    );
    const write = await call(t.sim, token, '/Accounts/actions/assign_territories', { body: { data: [] } });
    expect(write.body.code).toBe('OAUTH_SCOPE_MISMATCH');
    t.sim.faults.setTokenScopes(null);
    expect((await call(t.sim, await accessToken(t.sim), '/settings/territories')).status).toBe(200);
  });

  it('never puts secrets or tokens in the request log', async () => {
    t = await startTestSim();
    const token = await accessToken(t.sim);
    const text = JSON.stringify(t.sim.requestLog());
    expect(text).not.toContain(token);
    expect(text).not.toContain('sim-client-secret');
    expect(text).not.toContain('sim-refresh-token');
    expect(t.sim.requestLog()[0]).toMatchObject({ operation: 'token', method: 'POST', status: 200 });
  });
});
