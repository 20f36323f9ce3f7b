/**
 * The monitor against the Zoho simulator through the real ZohoClient: each breakage of the org
 * produces exactly one alert, and repairing it resolves that alert.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { loadRoutingConfig } from '../../../src/core/monitor/routing.js';
import { MonitorRunner } from '../../../src/core/monitor/runner.js';
import { openStore } from '../../../src/core/store/index.js';
import type { Store } from '../../../src/core/store/types.js';
import { ZohoClient } from '../../../src/core/zoho/index.js';
import {
  bigSeed,
  type SimSeed,
  startZohoSimulator,
  type ZohoSimulator,
} from '../../../src/sandbox/zoho/index.js';
import { RecordingNotifier } from '../../unit/monitor/recording-notifier.js';

const ROUTING = [
  'territories:',
  '  - name: US West',
  '    modules: [Leads, Deals]',
  '  - name: California',
  '  - name: Japan',
  '    modules: [Accounts]',
  '  - name: Texas',
];

interface Env {
  sim: ZohoSimulator;
  api: ZohoClient;
  store: Store;
  notifier: RecordingNotifier;
  clock: ManualClock;
  monitor: MonitorRunner;
  routingPath: string;
  id: (name: string) => string;
  /** One run; returns the alert messages it sent ("firing fp", ...). */
  run: () => Promise<string[]>;
}

const envs: Env[] = [];

async function setup(options: { routing?: string[] | null; seed?: SimSeed } = {}): Promise<Env> {
  const sim = await startZohoSimulator({
    refreshThrottle: false,
    ...(options.seed ? { seed: options.seed } : {}),
  });
  const api = new ZohoClient({
    accountsUrl: sim.accountsUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    refreshToken: sim.credentials.refreshToken,
    retry: { attempts: 2, sleep: async () => {} },
  });
  const store = await openStore('sqlite::memory:');
  const notifier = new RecordingNotifier();
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
  const dir = await mkdtemp(join(tmpdir(), 'monitor-sim-'));
  const routingPath = join(dir, 'routing.yaml');
  const lines = options.routing === undefined ? ROUTING : options.routing;
  if (lines) await writeFile(routingPath, `${lines.join('\n')}\n`);
  const monitor = new MonitorRunner({
    api,
    store,
    notifier,
    clock,
    cron: '*/15 * * * *',
    timezone: 'UTC',
    alertRepeatHours: 24,
    routing: lines ? await loadRoutingConfig(routingPath) : null,
    routingPath: lines ? routingPath : null,
    holderId: 'itest',
  });
  const env: Env = {
    sim,
    api,
    store,
    notifier,
    clock,
    monitor,
    routingPath,
    id: (name) => sim.territoryByName(name)!.id,
    run: async () => {
      clock.advance(60_000);
      const r = await monitor.runNow();
      expect(r.ok, r.outcome).toBe(true);
      return notifier.take();
    },
  };
  envs.push(env);
  return env;
}

afterEach(async () => {
  for (const e of envs.splice(0)) {
    await e.monitor.stop();
    await e.api.close();
    await e.store.close();
    await e.sim.close();
  }
});

describe('monitor × Zoho simulator', () => {
  it('a healthy org: no alert, and the routing territories are usable', async () => {
    const env = await setup();
    expect(await env.run()).toEqual([]);
    const r = await env.monitor.runNow();
    expect(r.check?.watched.map((w) => [w.name, w.usable])).toEqual([
      ['US West', true],
      ['California', true],
      ['Japan', true],
      ['Texas', true],
    ]);
    expect(r.check?.apiUser?.email).toBe('territorybot@tbsim.com');
  });

  it('territory deleted → one alert; routing file updated → resolved', async () => {
    const env = await setup();
    await env.run();
    env.sim.deleteTerritory(env.id('Texas'));
    // By name: the entry no longer matches; the last run knew its id, so the alert says "deleted".
    const fired = await env.run();
    expect(fired).toEqual(['firing routing_entry_unmatched:texas']);
    expect(await env.run()).toEqual([]);
    const alert = (await env.store.listAlerts({ states: ['firing'] }))[0]!;
    expect(alert.details.cause).toContain('was deleted');

    await writeFile(env.routingPath, `${ROUTING.slice(0, -1).join('\n')}\n`);
    expect(await env.run()).toEqual(['resolved routing_entry_unmatched:texas']);
  });

  it('territory watched by id deleted → territory_deleted; entry replaced → resolved', async () => {
    const base = await setup({ routing: null });
    const dach = base.id('DACH');
    const uk = base.id('UK & Ireland');
    await base.monitor.stop();
    const env = await setup({ routing: ['territories:', `  - id: "${dach}"`] });
    expect(await env.run()).toEqual([]);
    env.sim.deleteTerritory(dach);
    expect(await env.run()).toEqual([`firing territory_deleted:${dach}`]);
    await writeFile(env.routingPath, `territories:\n  - id: "${uk}"\n`);
    expect(await env.run()).toEqual([`resolved territory_deleted:${dach}`]);
  });

  it('territory renamed → one alert; renamed back → resolved', async () => {
    const env = await setup();
    await env.run();
    env.sim.renameTerritory(env.id('Japan'), 'Japan & Korea');
    expect(await env.run()).toEqual(['firing routing_entry_unmatched:japan']);
    const alert = (await env.store.listAlerts({ states: ['firing'] }))[0]!;
    expect(alert.details.cause).toContain('renamed to "Japan & Korea"');
    env.sim.renameTerritory(env.id('Japan & Korea'), 'Japan');
    expect(await env.run()).toEqual(['resolved routing_entry_unmatched:japan']);
  });

  it('API user removed from a parent territory → one alert for the subtree; added back → resolved', async () => {
    const env = await setup({
      routing: ['territories:', '  - name: US West', '  - name: California', '  - name: Japan'],
    });
    expect(await env.run()).toEqual([]);
    const americas = env.id('Americas');
    const usWest = env.id('US West');
    env.sim.removeUserFromTerritory(env.sim.apiUserId, americas);
    expect(await env.run()).toEqual([`firing api_user_not_member:${usWest}`]);
    const alert = (await env.store.getAlert(`api_user_not_member:${usWest}`))!;
    expect((alert.details.affected as Array<{ name: string }>).map((a) => a.name)).toEqual([
      'US West',
      'California',
    ]);
    expect((alert.details.fix as string[])[0]).toBe(
      'In Zoho CRM: Setup > Users and Control > Territory Management > "US West" > Users: add territorybot@tbsim.com',
    );
    env.sim.addUserToTerritory(env.sim.apiUserId, americas);
    expect(await env.run()).toEqual([`resolved api_user_not_member:${usWest}`]);
  });

  it('API user removed from every territory → one API-user-wide alert holding back the rest', async () => {
    const env = await setup();
    expect(await env.run()).toEqual([]);
    const memberships = env.sim.userTerritoryIds(env.sim.apiUserId);
    for (const t of memberships) env.sim.removeUserFromTerritory(env.sim.apiUserId, t);
    expect(await env.run()).toEqual(['firing api_user_outside_hierarchy']);
    const source = (await env.store.getAlert('api_user_outside_hierarchy'))!;
    expect((source.details.heldBack as unknown[]).length).toBeGreaterThan(0);
    for (const t of memberships) env.sim.addUserToTerritory(env.sim.apiUserId, t);
    expect(await env.run()).toEqual(['resolved api_user_outside_hierarchy']);
  });

  it('read-only path → one alert; permission restored → resolved', async () => {
    const env = await setup({ routing: ['territories:', '  - name: US West', '  - name: California'] });
    expect(await env.run()).toEqual([]);
    const americas = env.id('Americas');
    env.sim.setPermissionType(americas, 'read_only');
    const usWest = env.id('US West');
    expect(await env.run()).toEqual([`firing api_user_read_only:${usWest}`]);
    const alert = (await env.store.getAlert(`api_user_read_only:${usWest}`))!;
    expect((alert.details.affected as Array<{ name: string }>).map((a) => a.name)).toEqual([
      'US West',
      'California',
    ]);
    expect((alert.details.fix as string[])[0]).toContain(
      '"Americas" > Edit: set Permission to Read/Write/Delete',
    );
    env.sim.setPermissionType(americas, 'read_write_delete');
    expect(await env.run()).toEqual([`resolved api_user_read_only:${usWest}`]);
  });

  it('territory management off → one org-wide alert; on again → resolved', async () => {
    const env = await setup();
    await env.run();
    env.sim.setTerritoryManagement(false);
    expect(await env.run()).toEqual(['firing territory_management_off']);
    expect(await env.run()).toEqual([]);
    env.sim.setTerritoryManagement(true);
    expect(await env.run()).toEqual(['resolved territory_management_off']);
  });

  it('revoked refresh token → one OAuth alert; restored → resolved', async () => {
    const env = await setup();
    await env.run();
    env.sim.faults.revokeRefreshToken();
    // Zoho also drops the access tokens made from a revoked refresh token (Kaizen #43).
    env.sim.faults.expireAccessTokens();
    expect(await env.run()).toEqual(['firing oauth_revoked']);
    env.sim.faults.restoreRefreshToken();
    expect(await env.run()).toEqual(['resolved oauth_revoked']);
  });

  it('missing scope → one OAuth alert; new token with the scopes → resolved', async () => {
    const env = await setup();
    await env.run();
    env.sim.faults.setTokenScopes(['ZohoCRM.modules.ALL', 'ZohoCRM.users.READ']);
    env.sim.faults.expireAccessTokens();
    expect(await env.run()).toEqual(['firing oauth_scope_missing']);
    env.sim.faults.setTokenScopes(null);
    env.sim.faults.expireAccessTokens();
    expect(await env.run()).toEqual(['resolved oauth_scope_missing']);
  });

  it('Zoho calls of one run over a 1,000-territory org', async () => {
    const env = await setup({ routing: null, seed: bigSeed({ territories: 1000, records: 0 }) });
    await env.run(); // first run also fetches the access token
    env.sim.resetCalls();
    const r = await env.monitor.runNow();
    expect(r.check?.territoryCount).toBe(1000);
    expect(r.check?.watched).toHaveLength(1000);
    expect(r.firing).toEqual([]);
    const calls = env.sim.calls();
    console.log(`zoho calls per monitor run, 1,000 territories: ${JSON.stringify(calls)}`);
    const total = calls.reduce((n, c) => n + c.count, 0);
    expect(total).toBe(3);
    expect(env.sim.callCount('token')).toBe(0);
  });
});
