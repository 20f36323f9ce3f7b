import { afterEach, describe, expect, it } from 'vitest';
import {
  ZohoApiError,
  ZohoAuthError,
  ZohoNetworkError,
  ZohoOutcomeUnknownError,
  ZohoResponseError,
} from '../../../src/core/zoho/index.js';
import { type FakeZohoWire, fakeZohoWire, territoryWire } from './fake-zoho-wire.js';

const ROOT = '111111000000000100';

const ok = () => ({ status: 200, body: { territories: [territoryWire(ROOT, null)] } });
const tooMany = () => ({
  status: 429,
  body: { code: 'TOO_MANY_REQUESTS', details: {}, message: 'too many requests', status: 'error' },
});
const internal = () => ({
  status: 500,
  body: { code: 'INTERNAL_SERVER_ERROR', details: {}, message: 'Internal Server Error', status: 'error' },
});
const invalidToken = () => ({
  status: 401,
  body: { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' },
});

/** Answers from a script, one per call; the last one repeats. */
function script(...replies: Array<() => { status: number; body?: unknown }>) {
  let i = 0;
  return () => {
    const r = replies[Math.min(i, replies.length - 1)]!;
    i += 1;
    return r();
  };
}

describe('ZohoHttp (through ZohoClient)', () => {
  let fake: FakeZohoWire;
  afterEach(async () => {
    await fake.agent.close();
  });

  it('sends Authorization: Zoho-oauthtoken <token> and accept json', async () => {
    fake = fakeZohoWire();
    fake.serve(ok);
    await fake.client().getTerritory(ROOT);
    expect(fake.calls[0]?.headers.authorization).toBe(`Zoho-oauthtoken ${fake.tokenN(1)}`);
    expect(fake.calls[0]?.headers.accept).toBe('application/json');
  });

  it('401 INVALID_TOKEN: refreshes once and retries once', async () => {
    fake = fakeZohoWire();
    fake.serve(script(invalidToken, ok));
    const t = await fake.client().getTerritory(ROOT);
    expect(t.id).toBe(ROOT);
    expect(fake.tokenCalls).toHaveLength(2);
    expect(fake.calls.map((c) => c.headers.authorization)).toEqual([
      `Zoho-oauthtoken ${fake.tokenN(1)}`,
      `Zoho-oauthtoken ${fake.tokenN(2)}`,
    ]);
  });

  it('401 AUTHENTICATION_FAILURE is treated like INVALID_TOKEN', async () => {
    fake = fakeZohoWire();
    fake.serve(
      script(
        () => ({
          status: 401,
          body: {
            code: 'AUTHENTICATION_FAILURE',
            details: {},
            message: 'Authentication failed',
            status: 'error',
          },
        }),
        ok,
      ),
    );
    await fake.client().getTerritory(ROOT);
    expect(fake.tokenCalls).toHaveLength(2);
    expect(fake.calls).toHaveLength(2);
  });

  it('401 twice: gives up with ZohoAuthError after one refresh', async () => {
    fake = fakeZohoWire();
    fake.serve(invalidToken);
    const err = await fake
      .client()
      .getTerritory(ROOT)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoAuthError);
    expect((err as Error).message).toMatch(/INVALID_TOKEN/);
    expect(fake.tokenCalls).toHaveLength(2);
    expect(fake.calls).toHaveLength(2);
  });

  it('concurrent 401s on the same token trigger a single refresh', async () => {
    fake = fakeZohoWire();
    const client = fake.client();
    await client.checkAuth();
    fake.serve((req) =>
      req.headers.authorization === `Zoho-oauthtoken ${fake.tokenN(1)}` ? invalidToken() : ok(),
    );
    await Promise.all(Array.from({ length: 20 }, () => client.getTerritory(ROOT)));
    expect(fake.tokenCalls).toHaveLength(2);
  });

  it('401 OAUTH_SCOPE_MISMATCH => ZohoAuthError scope, no refresh', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 401,
      body: { code: 'OAUTH_SCOPE_MISMATCH', details: {}, message: 'invalid oauth scope', status: 'error' },
    }));
    const err = (await fake
      .client()
      .getTerritory(ROOT)
      .catch((e: unknown) => e)) as ZohoAuthError;
    expect(err).toBeInstanceOf(ZohoAuthError);
    expect(err.reason).toBe('scope');
    expect(fake.tokenCalls).toHaveLength(1);
  });

  it('429 then success: retries after a jittered backoff', async () => {
    fake = fakeZohoWire();
    fake.serve(script(tooMany, tooMany, ok));
    const sleeps: number[] = [];
    const client = fake.client({
      retry: {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 1000,
        random: () => 0.5,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    });
    await client.getTerritory(ROOT);
    expect(fake.calls).toHaveLength(3);
    // full jitter: random * min(max, base * 2^(attempt-1))
    expect(sleeps).toEqual([50, 100]);
  });

  it('caps the backoff at maxDelayMs', async () => {
    fake = fakeZohoWire();
    fake.serve(script(tooMany, tooMany, tooMany, tooMany, tooMany, ok));
    const sleeps: number[] = [];
    const client = fake.client({
      retry: {
        attempts: 6,
        baseDelayMs: 100,
        maxDelayMs: 300,
        random: () => 0.999,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    });
    await client.getTerritory(ROOT);
    expect(sleeps).toEqual([99, 199, 299, 299, 299]);
  });

  it('5xx exhausted: throws the last ZohoApiError after the configured attempts', async () => {
    fake = fakeZohoWire();
    fake.serve(internal);
    const err = (await fake
      .client({ retry: { attempts: 3, sleep: async () => {} } })
      .getTerritory(ROOT)
      .catch((e: unknown) => e)) as ZohoApiError;
    expect(err).toBeInstanceOf(ZohoApiError);
    expect(err.code).toBe('INTERNAL_SERVER_ERROR');
    expect(err.status).toBe(500);
    expect(fake.calls).toHaveLength(3);
  });

  describe('writes (assign/remove) are never re-sent once Zoho may have acted on them', () => {
    const change = [{ recordId: '3652397000000000001', territoryIds: [ROOT] }];
    const scheduled = () => ({
      status: 202,
      body: {
        data: [
          {
            code: 'SCHEDULED',
            details: { id: change[0]!.recordId, job_id: 'j1' },
            message: 's',
            status: 'success',
          },
        ],
      },
    });

    it('a 5xx answer: one call, then ZohoOutcomeUnknownError (a read would have been retried)', async () => {
      fake = fakeZohoWire();
      fake.serve(script(internal, scheduled));
      const client = fake.client({ retry: { attempts: 3, sleep: async () => {} } });
      const err = await client.assignTerritories('Accounts', change).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZohoOutcomeUnknownError);
      expect((err as Error).message).toMatch(/answer was lost/);
      expect(fake.calls).toHaveLength(1);
    });

    it('a timeout: one call, then ZohoOutcomeUnknownError', async () => {
      fake = fakeZohoWire();
      fake.api
        .intercept({ path: () => true, method: 'POST' })
        .reply(202, JSON.stringify(scheduled().body))
        .delay(2_000)
        .persist();
      const err = await fake
        .client({ requestTimeoutMs: 100, retry: { attempts: 3, sleep: async () => {} } })
        .removeTerritories('Accounts', change)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZohoOutcomeUnknownError);
      expect(((err as Error).cause as Error).message).toMatch(/timed out after 100 ms/);
    });

    it('a 429 is turned away before Zoho acts: the write is retried', async () => {
      fake = fakeZohoWire();
      fake.serve(script(tooMany, scheduled));
      const out = await fake
        .client({ retry: { attempts: 3, sleep: async () => {} } })
        .assignTerritories('Accounts', change);
      expect(out[0]).toMatchObject({ status: 'scheduled', jobId: 'j1' });
      expect(fake.calls).toHaveLength(2);
    });
  });

  it('5xx with an HTML body is retried, then reported', async () => {
    fake = fakeZohoWire();
    fake.serve(script(() => ({ status: 503, body: '<html>busy</html>' }), ok));
    const t = await fake.client().getTerritory(ROOT);
    expect(t.id).toBe(ROOT);
    expect(fake.calls).toHaveLength(2);
  });

  it('network error: retried, and ZohoNetworkError once attempts run out', async () => {
    fake = fakeZohoWire();
    fake.api
      .intercept({ path: (p) => p.startsWith('/crm/v8/settings/territories/') })
      .replyWithError(new Error('ECONNRESET'))
      .times(2);
    fake.serve(ok);
    const t = await fake.client().getTerritory(ROOT);
    expect(t.id).toBe(ROOT);
    expect(fake.calls).toHaveLength(1); // the two failures never reached the handler

    const f2 = fakeZohoWire();
    f2.api
      .intercept({ path: () => true })
      .replyWithError(new Error('ECONNREFUSED'))
      .persist();
    const err = await f2
      .client({ retry: { attempts: 2, sleep: async () => {} } })
      .getTerritory(ROOT)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoNetworkError);
    expect((err as Error).message).toMatch(/network error/);
    await f2.agent.close();
  });

  it('a network error on the token endpoint is retried like an API network error', async () => {
    fake = fakeZohoWire();
    fake.accounts
      .intercept({ path: '/oauth/v2/token', method: 'POST' })
      .replyWithError(new Error('ECONNRESET'));
    fake.serve(ok);
    const client = fake.client();
    const t = await client.getTerritory(ROOT);
    expect(t.id).toBe(ROOT);
    expect(fake.agent.pendingInterceptors()).toEqual([]); // the one-off failure was used
    expect(fake.tokenCalls).toHaveLength(1); // and the retry reached the scripted endpoint
    expect(client.tokens.refreshesInWindow).toBe(2); // both tries count against Zoho's budget
  });

  it('timeout: an answer slower than requestTimeoutMs counts as a network failure and is retried', async () => {
    fake = fakeZohoWire();
    fake.api
      .intercept({ path: (p) => p.startsWith('/crm/v8/settings/territories/') })
      .reply(200, JSON.stringify(ok().body))
      .delay(2_000);
    fake.serve(ok);
    const client = fake.client({ requestTimeoutMs: 250 });
    const t = await client.getTerritory(ROOT);
    expect(t.id).toBe(ROOT);
    expect(fake.calls).toHaveLength(1);

    const f2 = fakeZohoWire();
    f2.api
      .intercept({ path: () => true })
      .reply(200, '{}')
      .delay(2_000)
      .persist();
    const err = await f2
      .client({ requestTimeoutMs: 100, retry: { attempts: 2, sleep: async () => {} } })
      .getTerritory(ROOT)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoNetworkError);
    expect((err as Error).message).toMatch(/timed out after 100 ms/);
    await f2.agent.close();
  });

  it('non-JSON 200 answer => ZohoResponseError (not retried)', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({ status: 200, body: 'not json' }));
    const err = await fake
      .client()
      .getTerritory(ROOT)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoResponseError);
    expect(fake.calls).toHaveLength(1);
  });

  it('a JSON answer our schema rejects => ZohoResponseError naming the path', async () => {
    fake = fakeZohoWire();
    // A numeric id would already have lost precision: reject it.
    fake.serve(() => ({ status: 200, body: { territories: [{ ...territoryWire(ROOT, null), id: 12345 }] } }));
    const err = await fake
      .client()
      .getTerritory(ROOT)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoResponseError);
    expect((err as Error).message).toMatch(/territories\.0\.id/);
  });

  it('Zoho error envelope => ZohoApiError(code, message, status, details), not retried', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 400,
      body: {
        code: 'INVALID_DATA',
        details: { resource_path_index: 0 },
        message: 'the id given seems to be invalid',
        status: 'error',
      },
    }));
    const err = (await fake
      .client()
      .getTerritory('999')
      .catch((e: unknown) => e)) as ZohoApiError;
    expect(err).toBeInstanceOf(ZohoApiError);
    expect(err).toMatchObject({
      code: 'INVALID_DATA',
      status: 400,
      message: 'the id given seems to be invalid',
      details: { resource_path_index: 0 },
    });
    expect(fake.calls).toHaveLength(1);
  });

  it('403 TERRITORY_NOT_ENABLED surfaces as ZohoApiError', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({
      status: 403,
      body: { code: 'TERRITORY_NOT_ENABLED', details: {}, message: 'territory not enabled', status: 'error' },
    }));
    await expect(fake.client().listTerritories()).rejects.toMatchObject({
      code: 'TERRITORY_NOT_ENABLED',
      status: 403,
    });
  });

  it('204 and 304 are empty answers, never JSON-parsed', async () => {
    fake = fakeZohoWire();
    fake.serve(
      script(
        () => ({ status: 204 }),
        () => ({ status: 304 }),
      ),
    );
    const client = fake.client();
    expect(await client.listTerritories()).toEqual([]);
    expect(await client.getChildTerritories(ROOT)).toEqual([]);
  });

  it('keeps commas literal in ids/fields query values', async () => {
    fake = fakeZohoWire();
    fake.serve(() => ({ status: 204 }));
    await fake.client().getRecords('Accounts', ['1', '2']);
    expect(fake.calls[0]?.rawQuery).toBe('ids=1,2&fields=Territories,Account_Name,Owner');
  });
});
