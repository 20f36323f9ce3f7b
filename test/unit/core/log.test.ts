import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../../src/bolt-logger.js';
import { createLogger, scrubSecrets } from '../../../src/core/log.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

describe('logging', () => {
  it('redacts secret fields we log ourselves', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.info(
      { refresh_token: '1000.abc.def', nested: { clientSecret: 's3cr3t' }, headers: { authorization: 'x' } },
      'hi',
    );
    const out = lines.join('');
    expect(out).not.toContain('1000.abc.def');
    expect(out).not.toContain('s3cr3t');
    expect(out).toContain('[Redacted]');
  });

  it('scrubs tokens inside pre-formatted strings (what Bolt logs)', () => {
    const { lines, stream } = capture();
    const bolt = boltLogger(createLogger('debug', stream));
    bolt.setLevel('debug' as never);
    bolt.error('call failed with xoxb-123-456-abcdef and Zoho-oauthtoken 1000.aa.bb', new Error('boom'));
    const out = lines.join('');
    expect(out).not.toContain('xoxb-123');
    expect(out).not.toContain('1000.aa.bb');
    expect(out).toContain('boom');
  });

  it('formats nothing Bolt logs below its level', () => {
    const { lines, stream } = capture();
    const bolt = boltLogger(createLogger('debug', stream));
    bolt.setLevel('info' as never);
    let formatted = 0;
    const costly = {
      toJSON() {
        formatted += 1;
        return 'x';
      },
    };
    bolt.debug('ack() call begins', costly);
    expect(formatted).toBe(0);
    expect(lines).toEqual([]);
    bolt.info('ready', costly);
    expect(formatted).toBe(1);
    expect(lines.join('')).toContain('ready');
  });

  it('scrubSecrets keeps the shape readable', () => {
    expect(scrubSecrets('refresh_token=1000.x.y&client_secret=abc&grant_type=refresh_token')).toBe(
      'refresh_token=[Redacted]&client_secret=[Redacted]&grant_type=refresh_token',
    );
  });
});

describe('log scrubbing reaches secrets inside errors and nested fields', () => {
  const zohoAccess = `1000.${'a1b2c3d4'.repeat(4)}.${'e5f6a7b8'.repeat(4)}`;
  const zohoRefresh = `1000.${'0f1e2d3c'.repeat(4)}.${'4b5a6978'.repeat(4)}`;
  const bot = 'xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx';
  const app = 'xapp-1-A0123456789-1234567890123-abcdef0123456789';
  const user = 'xoxp-3333333333-4444444444-5555555555-0123456789abcdef';
  const clientSecret = 'c0ffee00deadbeef0123456789abcdef01234567ab';
  const secrets = [zohoAccess, zohoRefresh, bot, app, user, clientSecret, 'hunter2'];

  function logged(write: (log: ReturnType<typeof createLogger>) => void): string {
    const { lines, stream } = capture();
    write(createLogger('debug', stream));
    const out = lines.join('');
    for (const line of lines) JSON.parse(line); // still one valid JSON object per line
    return out;
  }

  const shapes: Array<[string, (log: ReturnType<typeof createLogger>) => void]> = [
    ['error message and stack', (log) => log.error({ err: new Error(`auth failed for ${bot}`) }, 'boom')],
    [
      'Slack web-api error: data and config.headers.Authorization',
      (log) => {
        const err = Object.assign(new Error('An API error occurred: invalid_auth'), {
          data: {
            ok: false,
            error: 'invalid_auth',
            response_metadata: { messages: [`token ${user} revoked`] },
          },
          config: { headers: { Authorization: `Bearer ${bot}`, 'Content-Type': 'application/json' } },
        });
        log.warn({ err }, 'slack call failed');
      },
    ],
    [
      'axios-style config: form body and Zoho header',
      (log) => {
        const err = Object.assign(new Error('Request failed with status code 400'), {
          config: {
            data: `grant_type=refresh_token&client_id=1000.X&client_secret=${clientSecret}&refresh_token=${zohoRefresh}`,
            headers: { Authorization: `Zoho-oauthtoken ${zohoAccess}` },
          },
        });
        log.error({ err }, 'zoho call failed');
      },
    ],
    [
      'cause chain',
      (log) => {
        const cause = new Error(`token endpoint said no to ${zohoRefresh}`);
        log.error({ err: new Error('refresh failed', { cause }) }, 'refresh failed');
      },
    ],
    [
      'nested fields below the redact paths',
      (log) =>
        log.info(
          {
            request: { body: { refresh_token: zohoRefresh, client_secret: clientSecret } },
            zoho: { oauth: { creds: { clientSecret, accessToken: zohoAccess } } },
            socket: { appToken: app },
          },
          'nested',
        ),
    ],
    [
      'JSON inside a string (a raw response body)',
      (log) =>
        log.warn(
          {
            body: JSON.stringify({
              access_token: zohoAccess,
              refresh_token: zohoRefresh,
              client_secret: clientSecret,
            }),
          },
          'raw body',
        ),
    ],
    [
      'an error under another key and a database URL',
      (log) =>
        log.error(
          {
            failure: { error: new Error(`db postgres://bot:hunter2@db.internal/x and ${app}`) },
            detail: `${user}`,
          },
          'store failed',
        ),
    ],
    [
      'pre-formatted message with every shape',
      (log) => log.error(`${bot} ${app} ${user} Zoho-oauthtoken ${zohoAccess}`),
    ],
  ];

  for (const [name, write] of shapes) {
    it(name, () => {
      const out = logged(write);
      for (const s of secrets) expect(out).not.toContain(s);
    });
  }

  it('keeps what helps debugging', () => {
    const out = logged((log) => log.error({ err: new Error(`auth failed for ${bot}`), status: 401 }, 'boom'));
    expect(out).toContain('auth failed for [Redacted]');
    expect(out).toContain('"status":401');
  });
});
