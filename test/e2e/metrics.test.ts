/**
 * GET /metrics end to end: a bulk runs through the real Bolt HTTP receiver, the Slack emulator
 * and the Zoho simulator, then /metrics (beside /slack/events) is scraped: the bulk's assign
 * calls by operation and status, its items by outcome, requests by state, job confirmation lag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigSeed } from '../../src/sandbox/zoho/index.js';
import {
  approvalCard,
  csvOf,
  decide,
  finalReply,
  openReview,
  parentMessage,
  previewList,
  submitPreview,
} from './bulk-flow.js';
import { DEMO_IDS, type Stack, startStack } from './harness.js';

/** Sample lines of one metric: `{labels}` -> value. */
function series(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (m) out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

describe('GET /metrics after a bulk (HTTP receiver)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      zoho: { seed: bigSeed({ territories: 12, records: 200 }) },
      config: (c) => ({
        ...c,
        roles: { ...c.roles, approverUserIds: [DEMO_IDS.manager], approverUsergroup: null },
      }),
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('shows the assign calls by operation and status and the items by outcome', async () => {
    const territory = stack.zoho.territories().at(-1)!.id;
    const ids = stack.zoho
      .records('Leads')
      .slice(0, 150)
      .map((r) => r.id);
    const { requestId } = await previewList(stack, {
      csv: csvOf(
        ids.map((id) => `Leads/${id}`),
        'record',
      ),
      defaultTerritoryId: territory,
    });
    await submitPreview(stack);
    const card = await approvalCard(stack, requestId);
    const parent = await parentMessage(stack, requestId);
    await openReview(stack, DEMO_IDS.manager, card);
    await decide(stack, DEMO_IDS.manager, 'approve');
    const reply = await finalReply(stack, parent);
    expect(reply.text).toMatch(/150 done/);

    const res = await fetch(`http://127.0.0.1:${stack.bot.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();

    // 150 records of one module: two assign calls (100 + 50), each answered by Zoho.
    const calls = series(text, 'territory_bot_zoho_calls_total');
    const assigns = [...calls].filter(([labels]) => labels.includes('operation="assign_territories"'));
    expect(assigns.length).toBeGreaterThan(0);
    for (const [labels] of assigns) expect(labels).toMatch(/status="2\d\d"/);
    expect(assigns.reduce((n, [, v]) => n + v, 0)).toBe(2);
    expect([...calls.keys()].some((l) => l.includes('operation="get_records"'))).toBe(true);
    const latency = series(text, 'territory_bot_zoho_call_duration_seconds_count');
    expect(
      [...latency].filter(([l]) => l.includes('assign_territories')).reduce((n, [, v]) => n + v, 0),
    ).toBe(2);
    expect(
      series(text, 'territory_bot_zoho_token_refreshes_total').get('{outcome="ok"}'),
    ).toBeGreaterThanOrEqual(1);

    expect(series(text, 'territory_bot_items_finished_total').get('{outcome="done"}')).toBe(150);
    expect(series(text, 'territory_bot_requests_finished_total').get('')).toBe(1);
    expect(series(text, 'territory_bot_requests').get('{state="done"}')).toBe(1);
    // Every job confirmed, each with its lag observed.
    const lag = series(text, 'territory_bot_job_confirmation_lag_seconds_count');
    expect(lag.get('{outcome="done"}')).toBeGreaterThanOrEqual(1);
    expect(series(text, 'territory_bot_alerts_firing').get('')).toBe(0);
    expect(series(text, 'territory_bot_outbox_backlog').get('')).toBe(0);
    expect(text).toContain('territory_bot_process_resident_memory_bytes');
  });
});
