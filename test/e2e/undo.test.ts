/**
 * `/territory undo` end to end (real Bolt HTTP receiver, Slack emulator, Zoho simulator): a bulk
 * runs, one of its records is changed by someone else afterwards, and the undo puts the others
 * back (one write per record), leaves the changed one alone with the reason, and threads its
 * messages under the original request. A Deal's move is undone as a move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoModule } from '../../src/core/zoho/types.js';
import { content, finalReply, parentMessage, previewList, submitPreview } from './bulk-flow.js';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

describe('/territory undo', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Lists of up to 10 run without approval here: the test is about undo, not approval.
    stack = await startStack({
      config: (c) => ({ ...c, policy: { ...c.policy, approvalThreshold: 10 } }),
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const territoriesOf = (module: ZohoModule, id: string) =>
    stack.zoho
      .record(module, id)!
      .territories.map((t) => t.territoryId)
      .sort();

  /** Records each write call (assign/remove) named since `fromSeq`, by record id. */
  function writesPerRecord(fromSeq: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const call of stack.zoho.requestLog()) {
      if (call.seq <= fromSeq) continue;
      if (call.operation !== 'assignTerritories' && call.operation !== 'removeTerritories') continue;
      const data = (call.requestBody as { data?: Array<{ id: string }> } | null)?.data ?? [];
      for (const d of data) out.set(d.id, (out.get(d.id) ?? 0) + 1);
    }
    return out;
  }
  const lastSeq = () => stack.zoho.requestLog().at(-1)?.seq ?? 0;

  it('puts a bulk back, one write per record, skipping the record changed since with its reason', async () => {
    const leads = stack.zoho
      .records('Leads')
      .filter((r) => r.territories.length === 0 && !r.locked)
      .slice(0, 3);
    expect(leads).toHaveLength(3);
    const nordics = stack.zoho.territoryByName('Nordics')!;
    const dach = stack.zoho.territoryByName('DACH')!;
    const { requestId } = await previewList(stack, {
      paste: leads.map((l) => `Leads/${l.id}, Nordics`).join('\n'),
    });
    await submitPreview(stack);
    const parent = await parentMessage(stack, requestId);
    await finalReply(stack, parent);
    for (const l of leads) expect(territoriesOf('Leads', l.id)).toEqual([nordics.id]);

    // Someone else gives the third lead DACH afterwards (another integration, same API).
    const changed = leads[2]!;
    await stack.bot.services.zoho.assignTerritories('Leads', [
      { recordId: changed.id, territoryIds: [dach.id] },
    ]);
    await eventually(() => territoriesOf('Leads', changed.id).includes(dach.id), 10_000, 'DACH on the lead');

    // Only the requester or an admin may undo.
    await stack.driver.command({ user: DEMO_IDS.rep2, channel: DEMO_IDS.sales, text: `undo ${requestId}` });
    await eventually(
      () => stack.slack.responses().find((r) => JSON.stringify(r.body).includes('Only the person who asked')),
      10_000,
      'refusal for someone else',
    );

    const since = lastSeq();
    await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: `undo ${requestId}` });
    const answer = await eventually(
      () => stack.slack.responses().find((r) => JSON.stringify(r.body).includes('Undo request')),
      15_000,
      'undo answer',
    );
    const body = JSON.stringify(answer.body);
    expect(body).toContain('2 records go back');
    expect(body).toContain(changed.id);
    expect(body).toContain('Changed since the request');

    // The undo's parent message and its result are in the original's thread.
    const undoId = /Undo request `([^`]+)`/.exec(body.replace(/\\/g, ''))?.[1];
    expect(undoId).toBeDefined();
    const undoParent = await eventually(
      () => stack.slack.thread(DEMO_IDS.sales, parent.ts).find((m) => content(m).includes(undoId!)),
      15_000,
      'undo parent in the original thread',
    );
    expect(undoParent).toBeDefined();
    await eventually(
      () =>
        territoriesOf('Leads', leads[0]!.id).length === 0 &&
        territoriesOf('Leads', leads[1]!.id).length === 0,
      20_000,
      'leads restored',
    );
    await eventually(
      () =>
        stack.slack
          .thread(DEMO_IDS.sales, parent.ts)
          .filter((m) => /Bulk request (finished|done)/.test(m.text ?? '')).length >= 2,
      20_000,
      'the undo final reply in the same thread',
    );
    expect(territoriesOf('Leads', changed.id)).toEqual([nordics.id, dach.id].sort());
    const writes = writesPerRecord(since);
    expect(writes.get(leads[0]!.id)).toBe(1);
    expect(writes.get(leads[1]!.id)).toBe(1);
    expect(writes.has(changed.id)).toBe(false);
  });

  it("undoes a Deal's move as a move: back to its old territory", async () => {
    const deal = stack.zoho
      .records('Deals')
      .find((r) => r.territories.length === 1 && r.territories[0]!.assigned === 'manually' && !r.locked)!;
    const old = deal.territories[0]!.territoryId;
    const target = stack.zoho.territories().find((t) => t.name === 'Quebec' && t.id !== old)!;
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `move Deals/${deal.id} ${target.name}`,
    });
    await eventually(() => territoriesOf('Deals', deal.id).join() === target.id, 15_000, 'deal moved');
    const single = await eventually(
      async () =>
        (await stack.bot.services.store.latestItemForRecord('Deals', deal.id))?.item.state === 'done'
          ? (await stack.bot.services.store.latestItemForRecord('Deals', deal.id))!.request
          : null,
      15_000,
      'move done',
    );
    await eventually(
      async () => (await stack.bot.services.store.getRequest(single.id))?.state === 'done',
      10_000,
      'final',
    );
    await stack.driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: `undo ${single.id}` });
    await eventually(
      () => territoriesOf('Deals', deal.id).join() === old,
      20_000,
      'deal back in its old territory',
    );
    const undo = await stack.bot.services.store.latestItemForRecord('Deals', deal.id);
    expect(undo?.item.action).toBe('move');
    expect(undo?.request.summary.undoOf).toBe(single.id);
  });
});
