import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ZohoAuthError, ZohoResponseError } from '../../../src/core/zoho/index.js';
import { API, type FakeZohoWire, fakeZohoWire, tokenBody } from './fake-zoho-wire.js';

const MIN = 60_000;

function withUser(fake: FakeZohoWire) {
  fake.serve(() => ({
    status: 200,
    body: { users: [{ id: '111111000000000042', full_name: 'Api User', status: 'active' }], info: null },
  }));
}

describe('TokenManager (refresh-token flow)', () => {
  let fake: FakeZohoWire;
  afterEach(async () => {
    await fake.agent.close();
  });

  it('POSTs a form body with grant_type, client id/secret and refresh token to {accounts}/oauth/v2/token', async () => {
    fake = fakeZohoWire();
    withUser(fake);
    const info = await fake.client().checkAuth();
    expect(fake.tokenCalls).toHaveLength(1);
    const call = fake.tokenCalls[0]!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/oauth/v2/token');
    expect(call.rawQuery).toBe(''); // secrets in the body, not the URL
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = Object.fromEntries(new URLSearchParams(call.body ?? ''));
    expect(form).toEqual({
      grant_type: 'refresh_token',
      client_id: 'cid',
      client_secret: 'csecret',
      refresh_token: 'rtoken',
    });
    expect(info.apiDomain).toBe(API);
    expect(info.scopes).toEqual([
      'ZohoCRM.settings.territories.READ',
      'ZohoCRM.users.READ',
      'ZohoCRM.modules.ALL',
    ]);
    expect(info.expiresAt).toBe(fake.clock.now() + 3600_000);
  });

  it('uses the api_domain from the token response, or the configured override', async () => {
    fake = fakeZohoWire();
    withUser(fake);
    fake.tokenReply((n) => ({ status: 200, body: tokenBody(n, { api_domain: 'https://elsewhere.test' }) }));
    expect((await fake.client().checkAuth()).apiDomain).toBe('https://elsewhere.test');
    const overridden = fake.client({ apiDomain: API });
    expect((await overridden.checkAuth()).apiDomain).toBe(API);
    const user = await overridden.getCurrentUser();
    expect(user.id).toBe('111111000000000042');
  });

  it('reads expires_in as seconds when expires_in_sec is absent', async () => {
    fake = fakeZohoWire();
    fake.tokenReply((n) => ({ status: 200, body: tokenBody(n, { expires_in: 1800 }) }));
    expect((await fake.client().checkAuth()).expiresAt).toBe(fake.clock.now() + 1800_000);
  });

  it('reads expires_in as milliseconds when expires_in_sec is present (older Accounts answers)', async () => {
    fake = fakeZohoWire();
    fake.tokenReply((n) => ({
      status: 200,
      body: tokenBody(n, { expires_in: 3600000, expires_in_sec: 3600 }),
    }));
    expect((await fake.client().checkAuth()).expiresAt).toBe(fake.clock.now() + 3600_000);
  });

  it('keeps scopes null when Zoho sends none', async () => {
    fake = fakeZohoWire();
    fake.tokenReply((n) => {
      const b = tokenBody(n);
      delete b.scope;
      return { status: 200, body: b };
    });
    expect((await fake.client().checkAuth()).scopes).toBeNull();
  });

  it('single-flight: 100 concurrent calls on an expired token cause exactly one refresh', async () => {
    fake = fakeZohoWire();
    withUser(fake);
    const client = fake.client({ maxConcurrency: 5 });
    await client.checkAuth();
    fake.clock.advance(61 * MIN); // expired
    const users = await Promise.all(Array.from({ length: 100 }, () => client.getCurrentUser()));
    expect(users).toHaveLength(100);
    expect(fake.tokenCalls).toHaveLength(2);
    // every call after the expiry used the second token
    for (const c of fake.calls) expect(c.headers.authorization).toBe(`Zoho-oauthtoken ${fake.tokenN(2)}`);
  });

  it('refreshes ahead of expiry (5 minutes before) and not earlier', async () => {
    fake = fakeZohoWire();
    withUser(fake);
    const client = fake.client();
    await client.getCurrentUser();
    fake.clock.advance(54 * MIN); // 6 minutes left: reuse
    await client.getCurrentUser();
    expect(fake.tokenCalls).toHaveLength(1);
    fake.clock.advance(2 * MIN); // 4 minutes left: refresh ahead
    await client.getCurrentUser();
    expect(fake.tokenCalls).toHaveLength(2);
    expect(fake.calls.at(-1)?.headers.authorization).toBe(`Zoho-oauthtoken ${fake.tokenN(2)}`);
  });

  it('short-lived tokens are refreshed at half their lifetime, not on every call', async () => {
    fake = fakeZohoWire();
    withUser(fake);
    fake.tokenReply((n) => ({ status: 200, body: tokenBody(n, { expires_in: 120 }) }));
    const client = fake.client();
    await client.getCurrentUser();
    fake.clock.advance(59_000);
    await client.getCurrentUser();
    expect(fake.tokenCalls).toHaveLength(1);
    fake.clock.advance(2_000);
    await client.getCurrentUser();
    expect(fake.tokenCalls).toHaveLength(2);
  });

  it('keeps using a still-valid token when a refresh-ahead fails', async () => {
    fake = fakeZohoWire();
    withUser(fake);
    const client = fake.client();
    await client.getCurrentUser();
    fake.tokenReply(() => ({ status: 200, body: { error: 'Access Denied', status: 'failure' } }));
    fake.clock.advance(57 * MIN);
    await client.getCurrentUser();
    expect(fake.calls.at(-1)?.headers.authorization).toBe(`Zoho-oauthtoken ${fake.tokenN(1)}`);
    fake.clock.advance(4 * MIN); // now really expired: the failure surfaces
    await expect(client.getCurrentUser()).rejects.toMatchObject({
      name: 'ZohoAuthError',
      reason: 'throttled',
    });
  });

  it('maps HTTP 200 "Access Denied" to ZohoAuthError throttled with a wait-and-limit message', async () => {
    fake = fakeZohoWire();
    fake.tokenReply(() => ({
      status: 200,
      body: {
        error_description: 'You have made too many requests continuously. Please try again after some time.',
        error: 'Access Denied',
        status: 'failure',
      },
    }));
    const err = await fake
      .client()
      .checkAuth()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoAuthError);
    expect((err as ZohoAuthError).reason).toBe('throttled');
    expect((err as Error).message).toMatch(/wait a few minutes/);
    expect((err as Error).message).toMatch(/10 refreshes per 10 minutes/);
  });

  it('maps invalid_code to revoked, telling the person to make a new refresh token', async () => {
    fake = fakeZohoWire();
    fake.tokenReply(() => ({ status: 200, body: { error: 'invalid_code' } }));
    const err = (await fake
      .client()
      .checkAuth()
      .catch((e: unknown) => e)) as ZohoAuthError;
    expect(err.reason).toBe('revoked');
    expect(err.message).toMatch(/Zoho API console/);
    expect(err.message).toMatch(/ZOHO_REFRESH_TOKEN/);
  });

  it('maps invalid_client to invalid_client, pointing at the client credentials and data centre', async () => {
    fake = fakeZohoWire();
    fake.tokenReply(() => ({ status: 200, body: { error: 'invalid_client' } }));
    const err = (await fake
      .client()
      .checkAuth()
      .catch((e: unknown) => e)) as ZohoAuthError;
    expect(err.reason).toBe('invalid_client');
    expect(err.message).toMatch(/ZOHO_DC/);
    expect(err.message).toMatch(/ZOHO_ACCOUNTS_URL/);
  });

  it('reports an unrecognised token error as unknown and a non-JSON answer as ZohoResponseError', async () => {
    fake = fakeZohoWire();
    fake.tokenReply(() => ({ status: 200, body: { error: 'something_new' } }));
    const client = fake.client();
    await expect(client.checkAuth()).rejects.toMatchObject({ reason: 'unknown' });
    fake.tokenReply(() => ({ status: 502, body: '<html>bad gateway</html>' }));
    await expect(client.checkAuth()).rejects.toBeInstanceOf(ZohoResponseError);
  });

  it('never sends more than 10 refreshes in any 10-minute window; refuses the 11th locally', async () => {
    fake = fakeZohoWire();
    withUser(fake);
    // Tokens that are already inside the refresh-ahead margin force a refresh on every call.
    fake.tokenReply((n) => ({ status: 200, body: tokenBody(n, { expires_in: 60 }) }));
    const client = fake.client();
    for (let i = 0; i < 10; i += 1) {
      await client.checkAuth();
      fake.clock.advance(2 * MIN); // the previous token (1 min) has expired
    }
    // t = 20 min; refreshes at 0,2,...,18: the window (10..20] holds 5 — allowed again.
    expect(fake.tokenCalls).toHaveLength(10);

    // Now burst: 10 in one window, then the 11th is refused without calling Zoho.
    const burst = fakeZohoWire();
    burst.tokenReply((n) => ({ status: 200, body: tokenBody(n, { expires_in: 30 }) }));
    const c2 = burst.client();
    for (let i = 0; i < 10; i += 1) {
      await c2.checkAuth();
      burst.clock.advance(31_000); // refreshes at 0, 31 s, ..., 279 s; now 310 s
    }
    expect(burst.tokenCalls).toHaveLength(10);
    const err = (await c2.checkAuth().catch((e: unknown) => e)) as ZohoAuthError;
    expect(err).toBeInstanceOf(ZohoAuthError);
    expect(err.reason).toBe('throttled');
    expect(err.message).toMatch(/Refused locally/);
    expect(burst.tokenCalls).toHaveLength(10);
    // Once the first refresh leaves the 10-minute window, one more is allowed.
    burst.clock.set(Date.UTC(2026, 0, 1) + 10 * MIN + 1);
    await c2.checkAuth();
    expect(burst.tokenCalls).toHaveLength(11);
    await burst.agent.close();
  });

  it('counts refreshes Zoho refused (throttled answers) against the local budget too', async () => {
    fake = fakeZohoWire();
    fake.tokenReply(() => ({ status: 200, body: { error: 'Access Denied', status: 'failure' } }));
    const client = fake.client();
    for (let i = 0; i < 10; i += 1) await expect(client.checkAuth()).rejects.toBeInstanceOf(ZohoAuthError);
    await expect(client.checkAuth()).rejects.toThrow(/Refused locally/);
    expect(fake.tokenCalls).toHaveLength(10);
    expect(client.tokens.refreshesInWindow).toBe(10);
  });

  it('never logs the access token, refresh token or client secret', async () => {
    fake = fakeZohoWire();
    withUser(fake);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const client = fake.client({ logger: pino({ level: 'trace' }, sink) });
    await client.getCurrentUser();
    const all = lines.join('\n');
    expect(all).toContain('zoho access token refreshed');
    expect(all).toContain('zoho call');
    expect(all).not.toContain(fake.tokenN(1));
    expect(all).not.toContain('csecret');
    expect(all).not.toContain('rtoken');
  });
});
