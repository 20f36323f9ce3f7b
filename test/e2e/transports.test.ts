/**
 * The main journeys over both ways Slack reaches the app: signed HTTP requests to /slack/events,
 * and Socket Mode (Bolt's own Socket Mode client connected to the emulator's WebSocket, acks
 * read from the socket). Same driver calls, same expectations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigSeed } from '../../src/sandbox/zoho/index.js';
import { ACTION } from '../../src/views/ids.js';
import {
  approvalCard,
  closeViews,
  content,
  csvOf,
  decide,
  finalReply,
  openReview,
  parentMessage,
  previewList,
  submitPreview,
  waitForView,
} from './bulk-flow.js';
import { DEMO_IDS, eventually, type Stack, startStack, type Transport } from './harness.js';

describe.each<Transport>(['http', 'socket'])('main journeys over %s', (transport) => {
  let stack: Stack;
  let territory: string;
  let next = 0;
  const leads = (n: number) => {
    const free = stack.zoho.records('Leads').filter((r) => r.territories.length === 0 && !r.locked);
    const out = free.slice(next, next + n).map((r) => r.id);
    next += n;
    if (out.length < n) throw new Error('seed has too few free leads');
    return out;
  };

  beforeAll(async () => {
    stack = await startStack({
      transport,
      monitorSchedule: false,
      zoho: { seed: bigSeed({ territories: 40, records: 400 }) },
      config: (c) => ({
        ...c,
        roles: { ...c.roles, approverUserIds: [DEMO_IDS.manager], approverUsergroup: null },
      }),
    });
    territory = stack.zoho.territories().at(-1)!.id;
  }, 30_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('starts in the mode asked for', async () => {
    expect(stack.config.mode).toBe(transport);
    const health = await fetch(`http://127.0.0.1:${stack.bot.port}/healthz`);
    const body = (await health.json()) as { socket?: string };
    expect(body.socket).toBe(transport === 'socket' ? 'connected' : undefined);
    expect(stack.slack.socketMode.connections()).toBe(transport === 'socket' ? 1 : 0);
  });

  it('serves Prometheus metrics at /metrics beside /healthz', async () => {
    const res = await fetch(`http://127.0.0.1:${stack.bot.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE territory_bot_zoho_calls_total counter');
    expect(text).toMatch(/^territory_bot_alerts_firing \d+$/m);
  });

  it('single assign: the command is acked, then the parent message and its threaded done reply', async () => {
    const [lead] = leads(1);
    const name = stack.zoho.territory(territory)!.name;
    const res = await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead} ${territory}`,
    });
    expect(res.status).toBe(200);
    const parent = await eventually(
      () => stack.slack.messages(DEMO_IDS.sales).find((m) => content(m).includes(lead!)),
      10_000,
      'parent message',
    );
    const reply = await eventually(
      () =>
        stack.slack.thread(DEMO_IDS.sales, parent.ts).find((m) => content(m).includes(`<@${DEMO_IDS.rep}>`)),
      15_000,
      'thread reply',
    );
    expect(content(reply)).toContain('Done');
    expect(content(reply)).toContain(name);
    expect(stack.zoho.record('Leads', lead!)!.territories.map((t) => t.territoryId)).toContain(territory);
  });

  it('bulk with approval: modal, preview, card, review, approve, final reply', async () => {
    const ids = leads(30);
    const { requestId, view } = await previewList(stack, {
      csv: csvOf(
        ids.map((id) => `Leads/${id}`),
        'record',
      ),
      defaultTerritoryId: territory,
      reason: `bulk over ${transport}`,
    });
    expect(view.submit?.text).toBe('Submit for approval');
    await submitPreview(stack);
    const card = await approvalCard(stack, requestId);
    const parent = await parentMessage(stack, requestId);
    await openReview(stack, DEMO_IDS.manager, card);
    const res = await decide(stack, DEMO_IDS.manager, 'approve');
    expect(res.outcome?.action).toBe('update');
    const reply = await finalReply(stack, parent);
    expect(reply.text).toMatch(/30 done/);
    for (const id of ids) {
      expect(stack.zoho.record('Leads', id)!.territories.map((t) => t.territoryId)).toContain(territory);
    }
  });

  it('type-ahead options (block_suggestion) come back in the ack; an event is acked', async () => {
    closeViews(stack, DEMO_IDS.rep);
    await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'bulk' });
    await waitForView(stack, DEMO_IDS.rep, 'bulk_modal', 5_000);
    const name = stack.zoho.territory(territory)!.name;
    const suggested = await stack.driver.suggest({
      user: DEMO_IDS.rep,
      actionId: ACTION.territorySearch,
      value: name.slice(0, 4),
    });
    expect(suggested.status).toBe(200);
    expect(suggested.problems).toEqual([]);
    expect(suggested.options.length + (suggested.option_groups?.length ?? 0)).toBeGreaterThan(0);
    closeViews(stack, DEMO_IDS.rep);

    const event = await stack.driver.event({
      type: 'app_home_opened',
      user: DEMO_IDS.rep,
      channel: 'D0HOME',
      tab: 'home',
    });
    expect(event.status).toBe(200);
  });

  it('an alert: a broken territory posts one alert; /territory health answers the person who asked', async () => {
    // The demo routing file watches demo-org names; this org's routing is checked by the same run.
    const before = stack.slack.messages(DEMO_IDS.opsAlerts).length;
    stack.zoho.setTerritoryManagement(false);
    try {
      const run = await stack.bot.services.monitor.runNow();
      expect(run.alertsUpdated).toBe(true);
      const posted = stack.slack.messages(DEMO_IDS.opsAlerts).slice(before);
      expect(posted).toHaveLength(1);
      expect(content(posted[0]!)).toContain('How to fix it:');

      const res = await stack.driver.command({ user: DEMO_IDS.ops, channel: DEMO_IDS.sales, text: 'health' });
      expect(res.status).toBe(200);
      const answer = await eventually(
        () => stack.slack.responses().find((x) => JSON.stringify(x.body).includes('Territory health:')),
        10_000,
        'health answer',
      );
      expect(answer.body.response_type).toBe('ephemeral');
    } finally {
      stack.zoho.setTerritoryManagement(true);
      await stack.bot.services.monitor.runNow();
    }
  });
});
