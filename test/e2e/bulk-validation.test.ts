/**
 * The bulk modal's checks through the real HTTP path: bad lines answered inline with their line
 * numbers (good lines kept in the modal), the size limit, the preview's per-record warnings and
 * blocked rows (never sent), Run now under the approval threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  content,
  finalReply,
  parentMessage,
  previewList,
  submitList,
  submitPreview,
  topView,
} from './bulk-flow.js';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

describe('bulk list validation and preview (demo org)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      config: (c) => ({ ...c, policy: { ...c.policy, maxRecordsPerRequest: 50, approvalThreshold: 3 } }),
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const freeLeads = (n: number, skip = 0) =>
    stack.zoho
      .records('Leads')
      .filter((r) => r.territories.length === 0 && !r.locked)
      .slice(skip, skip + n);

  it('reports every bad line with its number and reason inline; nothing is stored', async () => {
    const [a, b] = freeLeads(2);
    const paste = [
      'record,territory',
      `Leads/${a!.id}, US West`,
      'not a record at all',
      `Leads/${b!.id}, Nordcs`,
      '# a comment',
      'Widgets/123',
    ].join('\n');
    const before = await stack.bot.services.store.listRequestsByRequester(DEMO_IDS.rep, 50);
    const res = await submitList(stack, { paste });
    expect(res.outcome?.action).toBe('errors');
    const errors = stack.slack.view(res.viewId)?.errors ?? {};
    expect(errors.bulk_paste).toMatch(/Line 3: /);
    expect(errors.bulk_paste).toMatch(/Line 4: .*Nordcs/);
    expect(errors.bulk_paste).toMatch(/Line 6: /);
    expect(errors.bulk_paste).not.toMatch(/Line 2:/);
    // The modal stays open with what was typed (Slack keeps the state on errors).
    expect(topView(stack, DEMO_IDS.rep)?.callback_id).toBe('bulk_modal');
    expect(JSON.stringify(topView(stack, DEMO_IDS.rep)?.state.values)).toContain(a!.id);
    expect(await stack.bot.services.store.listRequestsByRequester(DEMO_IDS.rep, 50)).toHaveLength(
      before.length,
    );
  });

  it('when Slack is slow to hand over the CSV, problems come back in the form with the inputs kept', async () => {
    const [a] = freeLeads(1, 10);
    stack.slack.faults.setLatency(2_500, 'files.info');
    try {
      const res = await submitList(stack, {
        csv: `record,territory\nLeads/${a!.id},US West\nLeads/123,US West\n`,
        reason: 'slow file',
      });
      // Past the inline-error window the modal turns into "checking…", then back into the form.
      expect(res.outcome?.action).toBe('update');
      const form = await eventually(
        () => {
          const v = topView(stack, DEMO_IDS.rep);
          return v?.callback_id === 'bulk_modal' && content(v).includes('Line 3') ? v : undefined;
        },
        10_000,
        'form with problems',
      );
      expect(content(form)).toContain('slow file');
    } finally {
      stack.slack.faults.setLatency(0, 'files.info');
    }
  });

  it('refuses a list over MAX_RECORDS_PER_REQUEST with a clear message', async () => {
    const leads = stack.zoho.records('Leads').slice(0, 51);
    const res = await submitList(stack, {
      paste: leads.map((l) => l.id).join('\n'),
      module: 'Leads',
      defaultTerritoryId: stack.zoho.territoryByName('US West')!.id,
    });
    expect(res.outcome?.action).toBe('errors');
    expect(stack.slack.view(res.viewId)?.errors?.bulk_paste).toMatch(/51 records.*at most 50/);
  });

  it('asks for a default territory when lines name none', async () => {
    const [a] = freeLeads(1);
    const res = await submitList(stack, { paste: `Leads/${a!.id}` });
    expect(res.outcome?.action).toBe('errors');
    expect(stack.slack.view(res.viewId)?.errors?.bulk_paste).toMatch(/Line 1: .*default territory/);
  });

  it('previews before → after with warnings, merges duplicates, and never sends blocked rows (Run now)', async () => {
    const [a] = freeLeads(1, 5);
    const deal = stack.zoho.records('Deals').find((r) => r.territories.length === 1 && !r.locked)!;
    const usWest = stack.zoho.territoryByName('US West')!;
    const paste = [`Leads/${a!.id}, US West`, `Deals/${deal.id}, Canada`, `Leads/${a!.id}`].join('\n');
    const { requestId, view } = await previewList(stack, { paste, defaultTerritoryId: usWest.id });
    const text = content(view);
    expect(text).toContain('Line 1');
    expect(text).toMatch(/Deal holds one territory/);
    // Grouped on the summary, per record on the rows.
    expect(text).toMatch(/Deal already has a territory: 1 record/);
    expect(view.submit?.text).toBe('Run now');
    const items = await stack.bot.services.store.listItems(requestId);
    expect(items).toHaveLength(2);
    expect(items.find((i) => i.module === 'Deals')?.state).toBe('failed');

    const assigns = stack.zoho.callCount('assignTerritories');
    await submitPreview(stack);
    const parent = await parentMessage(stack, requestId);
    const reply = await finalReply(stack, parent, 20_000);
    expect(content(reply)).toContain(`<@${DEMO_IDS.rep}>`);
    expect(content(reply)).toContain(deal.id);
    // Failed records are named as Zoho names them (kept from the preview's read).
    expect(content(reply)).toContain(String(deal.fields.Deal_Name));
    expect(content(reply)).toMatch(/Deal holds one territory/);
    expect(stack.zoho.callCount('assignTerritories')).toBe(assigns + 1);
    expect(stack.zoho.record('Leads', a!.id)!.territories.map((t) => t.territoryId)).toContain(usWest.id);
    expect(stack.zoho.record('Deals', deal.id)!.territories).toHaveLength(1);
    const audit = await stack.bot.services.store.listAudit({ requestId });
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'request.created',
        'item.preview_outcome',
        'request.submitted',
        'request.auto_approved',
        'request.done',
      ]),
    );
    await eventually(
      () => topView(stack, DEMO_IDS.rep)?.callback_id === 'loading_modal',
      5_000,
      'confirmation',
    );
  });
});
