import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { writeHealth } from '../../src/app.js';
import { createLogger } from '../../src/core/log.js';

describe('/healthz when a check throws', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
  });

  it('answers 503 with a fixed message and logs the error instead of echoing it', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    const raw = 'connect ECONNREFUSED 10.1.2.3:5432 (postgres://bot:hunter2@db.internal/territory)';
    server = createServer((_req, res) => {
      void writeHealth(
        res,
        async () => {
          throw new Error(raw);
        },
        logger,
      );
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(JSON.parse(text)).toEqual({ ok: false, error: 'health check failed; see the app log' });
    for (const leak of ['ECONNREFUSED', '10.1.2.3', 'hunter2', 'db.internal'])
      expect(text).not.toContain(leak);
    const logged = lines.join('');
    expect(logged).toContain('health check failed');
    expect(logged).toContain('ECONNREFUSED');
  });
});
