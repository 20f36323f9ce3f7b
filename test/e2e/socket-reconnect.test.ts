/**
 * Socket Mode reconnects in the middle of a bulk: Slack's `disconnect` (refresh_requested) and
 * the socket server going away. The bulk finishes once, with one final reply and no Zoho call
 * repeated; what people do while the socket is down is delivered and acked after the reconnect;
 * /healthz says `reconnecting` meanwhile and `connected` after.
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
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

describe('Socket Mode reconnects during a bulk', () => {
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
  const health = async () =>
    (await (await fetch(`http://127.0.0.1:${stack.bot.port}/healthz`)).json()) as { socket?: string };

  beforeAll(async () => {
    stack = await startStack({
      transport: 'socket',
      monitorSchedule: false,
      // Jobs take long enough for the socket to drop while the bulk is under way.
      zoho: { seed: bigSeed({ territories: 40, records: 900 }), jobDelayMs: 1_500 },
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

  /** Submits and approves a bulk of `n` leads; resolves once its first assign call reached Zoho. */
  async function approvedBulk(n: number) {
    const ids = leads(n);
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
    const assignsBefore = stack.zoho.callCount('assignTerritories');
    expect((await decide(stack, DEMO_IDS.manager, 'approve')).outcome?.action).toBe('update');
    await eventually(
      () => stack.zoho.callCount('assignTerritories') > assignsBefore,
      10_000,
      'first assign call',
    );
    return { ids, parent, assignsBefore };
  }

  async function expectFinishedOnce(bulk: Awaited<ReturnType<typeof approvedBulk>>, n: number) {
    const reply = await finalReply(stack, bulk.parent);
    expect(reply.text).toMatch(new RegExp(`${n} done`));
    // One call per 100 records: nothing was sent twice.
    expect(stack.zoho.callCount('assignTerritories') - bulk.assignsBefore).toBe(Math.ceil(n / 100));
    for (const id of bulk.ids) {
      expect(stack.zoho.record('Leads', id)!.territories.map((t) => t.territoryId)).toContain(territory);
    }
    // Give a duplicate a chance to show, then count the final replies.
    await new Promise((r) => setTimeout(r, 300));
    const finals = stack.slack
      .thread(DEMO_IDS.sales, bulk.parent.ts)
      .filter((m) => /Bulk request (finished|done)/.test(m.text ?? ''));
    expect(finals).toHaveLength(1);
  }

  it('disconnect (refresh_requested) mid-bulk: reconnects, a command sent meanwhile is acked, bulk finishes once', async () => {
    expect((await health()).socket).toBe('connected');
    const opened = stack.slack.socketMode.connectionCount();
    const bulk = await approvedBulk(250);

    const asked = performance.now();
    stack.slack.socketMode.requestRefresh('refresh_requested');
    await eventually(async () => (await health()).socket === 'reconnecting', 5_000, 'healthz reconnecting');
    // Typed while the app has no socket: Slack holds it until the app is back, then it is acked.
    const help = await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'help' });
    expect(help.status).toBe(200);
    expect(stack.slack.socketMode.connectionCount()).toBe(opened + 1);
    // Reported, not asserted (no timing assertions in npm test): refresh to acked command.
    console.log(
      `socket refresh -> command acked on the new socket: ${Math.round(performance.now() - asked)} ms`,
    );
    await eventually(async () => (await health()).socket === 'connected', 10_000, 'healthz connected');

    await expectFinishedOnce(bulk, 250);
  });

  it('the socket server goes away mid-bulk: the app reconnects and the bulk finishes once', async () => {
    const opened = stack.slack.socketMode.connectionCount();
    const bulk = await approvedBulk(150);

    stack.slack.socketMode.dropConnections();
    await eventually(() => stack.slack.socketMode.connectionCount() > opened, 15_000, 'reconnect');
    await eventually(async () => (await health()).socket === 'connected', 10_000, 'healthz connected');

    await expectFinishedOnce(bulk, 150);
    // And the new socket carries interactivity: a command round trip.
    const res = await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'help' });
    expect(res.status).toBe(200);
  });
});
