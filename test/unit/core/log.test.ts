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

  it('scrubSecrets keeps the shape readable', () => {
    expect(scrubSecrets('refresh_token=1000.x.y&client_secret=abc&grant_type=refresh_token')).toBe(
      'refresh_token=[Redacted]&client_secret=[Redacted]&grant_type=refresh_token',
    );
  });
});
