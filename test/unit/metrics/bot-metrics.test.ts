import { afterEach, describe, expect, it } from 'vitest';
import { zohoOperation } from '../../../src/core/zoho/observer.js';
import { BotMetrics } from '../../../src/metrics/bot-metrics.js';
import { type FakeZohoWire, fakeZohoWire, territoryWire } from '../zoho/fake-zoho-wire.js';

const ROOT = '111111000000000100';

/** The sample lines of one metric family, e.g. `name{labels} value`. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('zohoOperation', () => {
  it.each([
    ['POST', '/crm/v8/Leads/actions/assign_territories', 'assign_territories'],
    ['POST', '/crm/v8/Deals/actions/remove_territories', 'remove_territories'],
    ['GET', '/crm/v8/Contacts/actions/get_feature_specific_info', 'get_pending_jobs'],
    ['GET', '/crm/v8/Leads', 'get_records'],
    ['GET', '/crm/v8/settings/territories', 'list_territories'],
    ['GET', '/crm/v8/settings/territories/123', 'get_territory'],
    ['GET', '/crm/v8/settings/territories/123/__child_territories', 'get_child_territories'],
    ['GET', '/crm/v8/settings/territories/123/users', 'get_territory_users'],
    ['GET', '/crm/v8/users', 'get_users'],
    ['GET', '/crm/v8/users/42/territories', 'get_user_territories'],
  ])('%s %s is %s (never an id in a label)', (method, path, op) => {
    expect(zohoOperation(method, path)).toBe(op);
  });
});

describe('BotMetrics', () => {
  let fake: FakeZohoWire | null = null;
  afterEach(async () => {
    await fake?.agent.close();
    fake = null;
  });

  it('counts each Zoho attempt by operation and status with its latency, and token refreshes', async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    fake = fakeZohoWire();
    let n = 0;
    fake.serve(() => {
      n += 1;
      return n === 1
        ? { status: 500, body: { code: 'INTERNAL_SERVER_ERROR', details: {}, message: 'x', status: 'error' } }
        : { status: 200, body: { territories: [territoryWire(ROOT, null)] } };
    });
    const client = fake.client({ observer: metrics, retry: { sleep: async () => {}, random: () => 0 } });
    await client.getTerritory(ROOT);
    const { body, contentType } = await metrics.render();
    expect(contentType).toContain('text/plain');
    expect(samples(body, 'territory_bot_zoho_calls_total').sort()).toEqual([
      'territory_bot_zoho_calls_total{operation="get_territory",status="200"} 1',
      'territory_bot_zoho_calls_total{operation="get_territory",status="500"} 1',
    ]);
    expect(body).toContain(
      'territory_bot_zoho_call_duration_seconds_count{operation="get_territory",status="200"} 1',
    );
    expect(body).toContain(
      'territory_bot_zoho_call_duration_seconds_bucket{le="0.025",operation="get_territory"',
    );
    expect(samples(body, 'territory_bot_zoho_token_refreshes_total')).toEqual([
      'territory_bot_zoho_token_refreshes_total{outcome="ok"} 1',
    ]);
  });

  it('reads stored state at scrape time and counts finished items and job lag', async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    let pending = 3;
    metrics.setSnapshotSource(async () => ({
      requestsByState: { pending_approval: pending, done: 2 },
      alertsFiring: 1,
      monitorLastSuccessAt: 1_767_000_000_000,
      outboxBacklog: 4,
    }));
    metrics.requestFinished({ done: 7, failed: 2, unconfirmed: 0, skipped: 1 });
    metrics.jobSettled('done', 2_500);
    let body = (await metrics.render()).body;
    expect(samples(body, 'territory_bot_requests').sort()).toEqual([
      'territory_bot_requests{state="done"} 2',
      'territory_bot_requests{state="pending_approval"} 3',
    ]);
    expect(samples(body, 'territory_bot_items_finished_total').sort()).toEqual([
      'territory_bot_items_finished_total{outcome="done"} 7',
      'territory_bot_items_finished_total{outcome="failed"} 2',
      'territory_bot_items_finished_total{outcome="skipped"} 1',
    ]);
    expect(body).toContain('territory_bot_job_confirmation_lag_seconds_bucket{le="5",outcome="done"} 1');
    expect(body).toContain('territory_bot_job_confirmation_lag_seconds_bucket{le="2",outcome="done"} 0');
    expect(samples(body, 'territory_bot_alerts_firing')).toEqual(['territory_bot_alerts_firing 1']);
    expect(samples(body, 'territory_bot_monitor_last_success_timestamp_seconds')).toEqual([
      'territory_bot_monitor_last_success_timestamp_seconds 1767000000',
    ]);
    expect(samples(body, 'territory_bot_outbox_backlog')).toEqual(['territory_bot_outbox_backlog 4']);
    pending = 0;
    body = (await metrics.render()).body;
    expect(body).toContain('territory_bot_requests{state="pending_approval"} 0');
  });

  it('keeps serving counters when the store cannot be read, and counts the failure', async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    metrics.setSnapshotSource(async () => {
      throw new Error('database is locked');
    });
    metrics.requestFinished({ done: 1, failed: 0, unconfirmed: 0, skipped: 0 });
    const { body } = await metrics.render();
    expect(body).toContain('territory_bot_items_finished_total{outcome="done"} 1');
    expect(samples(body, 'territory_bot_metrics_scrape_errors_total')).toEqual([
      'territory_bot_metrics_scrape_errors_total 1',
    ]);
  });

  it('keeps one registry per app: two instances never mix their figures', async () => {
    const a = new BotMetrics({ processMetrics: false });
    const b = new BotMetrics({ processMetrics: false });
    a.zohoCall({ operation: 'get_records', status: '200', seconds: 0.01 });
    expect((await a.render()).body).toContain(
      'territory_bot_zoho_calls_total{operation="get_records",status="200"} 1',
    );
    expect(samples((await b.render()).body, 'territory_bot_zoho_calls_total')).toEqual([]);
  });
});
