/**
 * The sandbox launcher and the page's server without a browser: routing file, the JSON API the
 * page uses, the change stream, and what survives a restart (or not, with reset).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config/index.js';
import { createLogger } from '../../src/core/log.js';
import { parseRoutingConfig } from '../../src/core/monitor/index.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { DEMO_IDS } from '../../src/sandbox/slack/index.js';

const base = loadConfig({ LOG_LEVEL: 'silent' }, { sandbox: true });
if (!base.ok) throw new Error(base.problems.join('\n'));

function start(dataDir: string, reset = false): Promise<RunningSandbox> {
  return startSandbox({
    config: base.ok ? base.config : (undefined as never),
    logger: createLogger('silent'),
    dataDir,
    reset,
    webPort: 0,
    announce: false,
    zoho: { jobDelayMs: 50 },
  });
}

async function post(s: RunningSandbox, route: string, body: unknown) {
  const res = await fetch(`${s.url}/api/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('sandbox launcher and page server', () => {
  let dataDir: string;
  let s: RunningSandbox;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'territory-sandbox-'));
    s = await start(dataDir);
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the demo routing file and points the app at it', () => {
    const file = path.join(dataDir, 'routing.yml');
    expect(s.bot.services.config.monitor.routingConfigPath).toBe(file);
    const routing = parseRoutingConfig(readFileSync(file, 'utf8'), file);
    const names = routing.entries.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['US West', 'DACH', 'UK & Ireland']));
    // Every routed territory exists in the demo org, so a fresh sandbox starts without alerts.
    for (const name of names) expect(s.zoho.territoryByName(name!), name!).toBeDefined();
  });

  it('serves the page and only its own static files', async () => {
    const page = await fetch(s.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
    const js = await fetch(`${s.url}/blocks.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    await js.arrayBuffer();
    for (const p of ['/..%2Fserver.ts', '/server.ts', '/%2e%2e/index.ts']) {
      const res = await fetch(`${s.url}${p}`);
      expect(res.status, p).toBe(404);
      await res.arrayBuffer();
    }
  });

  it('gives the page the workspace with the sandbox channel names and the demo roles', async () => {
    const snap = (await (await fetch(`${s.url}/api/snapshot`)).json()) as {
      channels: Array<{ id: string; name: string }>;
      demo: { roles: Array<{ role: string; user: string }> };
    };
    const names = Object.fromEntries(snap.channels.map((c) => [c.id, c.name]));
    expect(names[DEMO_IDS.sales]).toBe('sales');
    expect(names[DEMO_IDS.approvals]).toBe('approvals');
    expect(names[DEMO_IDS.opsAlerts]).toBe('territory-ops');
    expect(snap.demo.roles.map((r) => r.role)).toEqual(['rep', 'manager', 'ops']);
  });

  it('runs a slash command through the driver and streams the result as a change event', async () => {
    const controller = new AbortController();
    const events = await fetch(`${s.url}/api/events`, { signal: controller.signal });
    const reader = events.body!.getReader();
    const r = await post(s, 'command', { user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'help' });
    expect(r).toEqual({ status: 200, body: { status: 200, ackProblems: [] } });
    expect(s.slack.ephemerals(DEMO_IDS.rep, DEMO_IDS.sales).at(-1)?.text).toMatch(/territory/i);
    let seen = '';
    while (!seen.includes('ephemeral_posted')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(seen).toContain('event: change');
    expect(seen).toContain(DEMO_IDS.rep);
  });

  it('refuses bad requests with a reason instead of failing', async () => {
    expect(await post(s, 'command', { channel: DEMO_IDS.sales })).toEqual({
      status: 400,
      body: { error: 'user is required' },
    });
    const unknownChannel = await post(s, 'command', { user: DEMO_IDS.rep, channel: 'C0NOPE', text: 'help' });
    expect(unknownChannel.status).toBe(400);
    const noButton = await post(s, 'click', {
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      actionId: 'nope',
    });
    expect(noButton.status).toBe(400);
    expect((await post(s, 'zoho/action', { action: 'explode' })).status).toBe(400);
    // What another web page could send to loopback: a form post, or a rebound host name.
    const form = await fetch(`${s.url}/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'help' }),
    });
    expect(form.status).toBe(415);
    await form.arrayBuffer();
    const rebound = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${s.url}/api/snapshot`);
      http
        .get(
          { host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'evil.example' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on('error', reject);
    });
    expect(rebound).toBe(421);
    expect((await post(s, 'zoho/action', { action: 'delete-territory', territoryId: '1' })).body.error).toBe(
      'no territory 1',
    );
  });

  it('breaks and repairs the org through the panel actions', async () => {
    const emea = s.zoho.territoryByName('EMEA')!;
    const dach = s.zoho.territoryByName('DACH')!;
    const off = await post(s, 'zoho/action', { action: 'remove-api-user', territoryId: emea.id });
    expect(off.status).toBe(200);
    const terr = (off.body.territories as Array<{ id: string; apiUserCanWrite: boolean }>).find(
      (t) => t.id === dach.id,
    );
    expect(terr?.apiUserCanWrite).toBe(false);
    const on = await post(s, 'zoho/action', { action: 'add-api-user', territoryId: emea.id });
    const back = (on.body.territories as Array<{ id: string; apiUserCanWrite: boolean }>).find(
      (t) => t.id === dach.id,
    );
    expect(back?.apiUserCanWrite).toBe(true);
    const run = await post(s, 'monitor/run', {});
    expect(run.status).toBe(200);
    expect(typeof run.body.outcome).toBe('string');
  });

  it('keeps the org and the workspace across a restart; reset starts over', async () => {
    await post(s, 'zoho/action', { action: 'territory-management', enabled: false });
    s.slack.addChannel({ id: 'C0KEEPME01', name: 'keep-me', members: [DEMO_IDS.rep], botMember: true });
    const said = await post(s, 'post', { user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'still here?' });
    await s.stop();
    expect(existsSync(path.join(dataDir, 'slack-workspace.json'))).toBe(true);

    s = await start(dataDir);
    expect(s.zoho.snapshot().territoryManagement).toBe(false);
    expect(s.slack.channel('C0KEEPME01')?.name).toBe('keep-me');
    expect(s.slack.channel(DEMO_IDS.opsAlerts)?.name).toBe('territory-ops');
    // Messages keep their ts, so the app's stored parent messages can still be updated.
    expect(s.slack.message(DEMO_IDS.sales, String(said.body.ts))?.text).toBe('still here?');
    await s.stop();

    s = await start(dataDir, true);
    expect(s.zoho.snapshot().territoryManagement).toBe(true);
    expect(s.slack.channel('C0KEEPME01')).toBeUndefined();
    expect(s.slack.messages(DEMO_IDS.sales)).toEqual([]);
  });

  it('refuses a second sandbox on the same data directory, and does not wipe it with reset', async () => {
    await expect(start(dataDir)).rejects.toThrow(/another sandbox \(pid \d+\) is using/);
    await expect(start(dataDir, true)).rejects.toThrow(/another sandbox/);
    expect(existsSync(path.join(dataDir, 'zoho-org.json'))).toBe(true);
    expect(s.slack.channel(DEMO_IDS.sales)?.name).toBe('sales');
  });

  it('moves an unreadable saved workspace aside and starts fresh', async () => {
    await s.stop();
    writeFileSync(path.join(dataDir, 'slack-workspace.json'), '{"version": 99}');
    s = await start(dataDir);
    expect(s.slack.channel(DEMO_IDS.sales)?.name).toBe('sales');
    expect(readdirSync(dataDir).some((f) => f.startsWith('slack-workspace.json.unreadable-'))).toBe(true);
  });
});
