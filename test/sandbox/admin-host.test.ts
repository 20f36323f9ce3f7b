/**
 * DNS rebinding: the simulator's /__sim/ and the emulator's /_emulator/ answer only when the
 * Host header names loopback, like the sandbox page (src/sandbox/web/server.ts).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../../src/sandbox/slack/index.js';
import { startZohoSimulator, type ZohoSimulator } from '../../src/sandbox/zoho/index.js';

/** A GET with an explicit Host header (fetch would always send the URL's host). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('admin endpoints check the Host header', () => {
  let zoho: ZohoSimulator;
  let slack: SlackEmulator;
  beforeAll(async () => {
    zoho = await startZohoSimulator();
    slack = await startSlackEmulator();
  });
  afterAll(async () => {
    await zoho.close();
    await slack.close();
  });

  it('the Zoho simulator refuses /__sim/ for a foreign name and serves it on loopback names', async () => {
    const port = new URL(zoho.url).port;
    const foreign = await getWithHost(`${zoho.url}/__sim/state`, `rebind.example:${port}`);
    expect(foreign.status).toBe(421);
    expect(foreign.body).toContain('127.0.0.1 or localhost');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await getWithHost(`${zoho.url}/__sim/state`, host)).status).toBe(200);
    }
    // The CRM API itself is not an admin endpoint (a real client may use any name).
    expect((await getWithHost(`${zoho.url}/crm/v8/org`, `crm.example:${port}`)).status).toBe(401);
  });

  it('the Slack emulator refuses /_emulator/ for a foreign name and serves it on loopback names', async () => {
    const port = new URL(slack.url).port;
    const foreign = await getWithHost(`${slack.url}/_emulator/snapshot`, `rebind.example:${port}`);
    expect(foreign.status).toBe(421);
    const local = await getWithHost(`${slack.url}/_emulator/snapshot`, `localhost:${port}`);
    expect(local.status).toBe(200);
    expect(JSON.parse(local.body)).toHaveProperty('channels');
  });
});
