import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/core/monitor/checks.js';
import { parseRoutingConfig } from '../../../src/core/monitor/routing.js';
import { ZohoApiError, ZohoAuthError, ZohoNetworkError } from '../../../src/core/zoho/errors.js';
import { FakeZoho, ID } from '../helpers/fake-zoho.js';

const routing = (...lines: string[]) =>
  parseRoutingConfig(['territories:', ...lines].join('\n'), 'routing.yaml');
const fps = (r: { conditions: Array<{ fingerprint: string }> }) =>
  r.conditions.map((c) => c.fingerprint).sort();

describe('runChecks', () => {
  it('a healthy org: no conditions, four calls, every kind judged', async () => {
    const zoho = new FakeZoho();
    const r = await runChecks({ api: zoho, routing: null, previousNames: {} });
    expect(r.status).toBe('ok');
    expect(r.conditions).toEqual([]);
    expect(r.calls).toEqual({ checkAuth: 1, listTerritories: 1, getCurrentUser: 1, getUserTerritories: 1 });
    expect(zoho.counts).toEqual(r.calls);
    expect(r.watched).toHaveLength(8);
    expect(r.watched.every((w) => w.usable && w.viaId === ID.root && w.viaName === 'Zylker')).toBe(true);
    expect(r.evaluatedKinds).toContain('api_user_not_member');
    expect(r.names?.[ID.usWest]).toBe('US West');
    expect(r.apiUser).toMatchObject({ email: 'territory-bot@zylker.com', status: 'active' });
  });

  it('a watched id deleted in Zoho: confirmed with one read, one critical alert', async () => {
    const zoho = new FakeZoho();
    zoho.deleteTerritory(ID.oregon);
    const r = await runChecks({
      api: zoho,
      routing: routing(`  - id: "${ID.oregon}"`, '    modules: [Leads]', `  - id: "${ID.germany}"`),
      previousNames: { [ID.oregon]: 'Oregon', [ID.germany]: 'Germany' },
    });
    expect(fps(r)).toEqual([`territory_deleted:${ID.oregon}`]);
    const c = r.conditions[0]!;
    expect(c.title).toBe('Territory "Oregon" was deleted');
    expect(c.cause).toContain('INVALID_DATA');
    expect(c.affected).toEqual([{ id: ID.oregon, name: 'Oregon', modules: ['Leads'] }]);
    expect(c.fix.join('\n')).toContain('routing.yaml (line 2)');
    expect(zoho.counts.getTerritory).toBe(1);
    expect(r.watched.find((w) => w.id === ID.oregon)).toMatchObject({ usable: false, code: 'deleted' });
  });

  it('every territory watched: a territory gone since the last run is reported as deleted', async () => {
    const zoho = new FakeZoho();
    const before = await runChecks({ api: zoho, routing: null, previousNames: {} });
    zoho.deleteTerritory(ID.germany);
    const r = await runChecks({ api: zoho, routing: null, previousNames: before.names! });
    expect(fps(r)).toEqual([`territory_deleted:${ID.germany}`]);
    expect(r.names?.[ID.germany]).toBeUndefined();
    // Next run: it left the watch list, nothing more to say.
    const after = await runChecks({ api: zoho, routing: null, previousNames: r.names! });
    expect(after.conditions).toEqual([]);
  });

  it('a territory that cannot be read (403) is unreadable, not deleted', async () => {
    const zoho = new FakeZoho();
    zoho.unreadable.add(ID.germany);
    const r = await runChecks({ api: zoho, routing: routing(`  - id: "${ID.germany}"`), previousNames: {} });
    expect(fps(r)).toEqual([`territory_unreadable:${ID.germany}`]);
    expect(r.conditions[0]!.cause).toContain('NO_PERMISSION');
  });

  it('renamed: same id, another name (against the routing file, or the last run)', async () => {
    const zoho = new FakeZoho();
    zoho.rename(ID.usWest, 'Pacific');
    const byFile = await runChecks({
      api: zoho,
      routing: routing(`  - id: "${ID.usWest}"`, '    name: US West'),
      previousNames: {},
    });
    expect(fps(byFile)).toEqual([`territory_renamed:${ID.usWest}`]);
    const c = byFile.conditions[0]!;
    expect(c.severity).toBe('warning');
    expect(c.title).toBe('Territory "US West" was renamed to "Pacific"');
    expect(c.facts).toMatchObject({ oldName: 'US West', newName: 'Pacific' });

    const byBaseline = await runChecks({
      api: zoho,
      routing: null,
      previousNames: { [ID.usWest]: 'US West' },
    });
    expect(fps(byBaseline)).toEqual([`territory_renamed:${ID.usWest}`]);

    // A by-name entry stops matching and says what happened to it.
    const byName = await runChecks({
      api: zoho,
      routing: routing('  - name: US West'),
      previousNames: { [ID.usWest]: 'US West' },
    });
    expect(fps(byName)).toEqual(['routing_entry_unmatched:us west']);
    expect(byName.conditions[0]!.cause).toContain('renamed to "Pacific"');
    expect(byName.names?.[ID.usWest]).toBe('US West');
  });

  it('a routing name shared by two territories is ambiguous', async () => {
    const zoho = new FakeZoho();
    zoho.rename(ID.oregon, 'California');
    const r = await runChecks({ api: zoho, routing: routing('  - name: California'), previousNames: {} });
    expect(fps(r)).toEqual(['routing_entry_ambiguous:california']);
    expect(r.conditions[0]!.fix[0]).toContain('replace name: "California" with the quoted id');
  });

  it('territory management off: one org-wide condition, nothing per territory judged', async () => {
    const zoho = new FakeZoho();
    zoho.territoryManagementOff = true;
    const r = await runChecks({ api: zoho, routing: null, previousNames: {} });
    expect(fps(r)).toEqual(['territory_management_off']);
    expect(r.conditions[0]!.cause).toContain('TERRITORY_NOT_ENABLED');
    expect(r.evaluatedKinds).toContain('territory_management_off');
    expect(r.evaluatedKinds).not.toContain('territory_deleted');
    expect(r.names).toBeNull();
  });

  it('API user removed from a parent territory: one alert on the top watched territory, children listed', async () => {
    const zoho = new FakeZoho();
    zoho.memberships = new Set([ID.us, ID.emea]);
    const cfg = routing(
      '  - name: US West',
      '    modules: [Leads, Deals]',
      `  - id: "${ID.california}"`,
      `  - id: "${ID.germany}"`,
    );
    expect((await runChecks({ api: zoho, routing: cfg, previousNames: {} })).conditions).toEqual([]);
    zoho.memberships.delete(ID.us);
    const r = await runChecks({ api: zoho, routing: cfg, previousNames: {} });
    expect(fps(r)).toEqual([`api_user_not_member:${ID.usWest}`]);
    const c = r.conditions[0]!;
    expect(c.affected.map((a) => a.name)).toEqual(['US West', 'California']);
    expect(c.fix[0]).toBe(
      'In Zoho CRM: Setup > Users and Control > Territory Management > "US West" > Users: add territory-bot@zylker.com',
    );
    expect(c.fix[1]).toContain('"US"');
  });

  it('read-only path: the API user only reads', async () => {
    const zoho = new FakeZoho();
    zoho.memberships = new Set([ID.us]);
    zoho.setPermission(ID.us, 'read_only');
    const r = await runChecks({
      api: zoho,
      routing: routing('  - name: US West', '  - name: Oregon'),
      previousNames: {},
    });
    expect(fps(r)).toEqual([`api_user_read_only:${ID.usWest}`]);
    expect(r.conditions[0]!.fix[0]).toContain(
      'Territory Management > "US" > Edit: set Permission to Read/Write/Delete',
    );
    expect(r.conditions[0]!.fix[1]).toBe(
      'Or add territory-bot@zylker.com to "US West" itself, with its permission set to Read/Write/Delete',
    );
    expect(r.conditions[0]!.affected.map((a) => a.name)).toEqual(['US West', 'Oregon']);
  });

  it('API user with no territory at all: the API-user-wide condition (per-territory ones come with it)', async () => {
    const zoho = new FakeZoho();
    zoho.memberships.clear();
    const r = await runChecks({
      api: zoho,
      routing: routing('  - name: US West', '  - name: Germany'),
      previousNames: {},
    });
    expect(fps(r)).toEqual([
      `api_user_not_member:${ID.usWest}`,
      `api_user_not_member:${ID.germany}`,
      'api_user_outside_hierarchy',
    ]);
    expect(r.conditions.find((c) => c.kind === 'api_user_outside_hierarchy')!.fix[0]).toContain('"Zylker"');
  });

  it('inactive API user', async () => {
    const zoho = new FakeZoho();
    zoho.user.status = 'disabled';
    const r = await runChecks({ api: zoho, routing: null, previousNames: {} });
    expect(fps(r)).toEqual(['api_user_inactive']);
  });

  it('revoked refresh token: one OAuth alert and no other call', async () => {
    const zoho = new FakeZoho();
    zoho.authError = new ZohoAuthError('revoked', 'invalid_code');
    const r = await runChecks({ api: zoho, routing: null, previousNames: {} });
    expect(fps(r)).toEqual(['oauth_revoked']);
    expect(r.conditions[0]!.fix.join(' ')).toContain('ZOHO_REFRESH_TOKEN');
    expect(zoho.counts).toEqual({ checkAuth: 1 });
    expect(r.evaluatedKinds).toEqual(['oauth_revoked', 'oauth_scope_missing', 'oauth_invalid_client']);
  });

  it('a scope error on a later call is the OAuth scope alert', async () => {
    const zoho = new FakeZoho();
    zoho.failures.getUserTerritories = new ZohoAuthError('scope', 'OAUTH_SCOPE_MISMATCH');
    const r = await runChecks({ api: zoho, routing: null, previousNames: {} });
    expect(fps(r)).toEqual(['oauth_scope_missing']);
  });

  it('throttled refresh or a network failure: inconclusive, unjudged kinds left alone', async () => {
    const zoho = new FakeZoho();
    zoho.authError = new ZohoAuthError('throttled', 'Access Denied');
    const t = await runChecks({ api: zoho, routing: null, previousNames: {} });
    expect(t.status).toBe('inconclusive');
    expect(t.inconclusiveReason).toContain('throttled');
    expect(t.evaluatedKinds).toEqual([]);
    expect(t.conditions).toEqual([]);

    const z2 = new FakeZoho();
    z2.failures.getUserTerritories = new ZohoNetworkError('connect ECONNREFUSED');
    const n = await runChecks({ api: z2, routing: null, previousNames: {} });
    expect(n.status).toBe('inconclusive');
    expect(n.inconclusiveReason).toContain('ECONNREFUSED');
    expect(n.evaluatedKinds).toContain('api_user_inactive');
    expect(n.evaluatedKinds).not.toContain('api_user_outside_hierarchy');
    expect(n.evaluatedKinds).not.toContain('territory_deleted');

    const z3 = new FakeZoho();
    z3.failures.listTerritories = new ZohoApiError('INTERNAL_ERROR', 'boom', 500);
    expect((await runChecks({ api: z3, routing: null, previousNames: {} })).status).toBe('inconclusive');
  });

  it('no permission to list territories: API user may not read territories', async () => {
    const zoho = new FakeZoho();
    zoho.failures.listTerritories = new ZohoApiError('NO_PERMISSION', 'permission denied', 403);
    const r = await runChecks({ api: zoho, routing: null, previousNames: {} });
    expect(fps(r)).toEqual(['territory_settings_forbidden']);
  });
});
