/**
 * Journey (a): a rep assigns a record from the message box and watches the parent message and
 * the threaded "done" result; then the same through the assign modal with territory type-ahead.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/sandbox/slack/index.js';
import { ASSIGN_BLOCK } from '../../src/views/ids.js';
import {
  type BrowserSandbox,
  chromiumAvailable,
  openBrowserSandbox,
  openPage,
  typeInComposer,
} from './harness.js';

const run = chromiumAvailable();

describe.skipIf(!run)('sandbox page: assign one record', () => {
  let b: BrowserSandbox;
  beforeAll(async () => {
    b = await openBrowserSandbox('assign');
    await openPage(b, DEMO_IDS.rep, DEMO_IDS.sales);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await b?.shot('failure');
  });
  afterAll(async () => {
    await b?.close();
  });

  const used = new Set<string>();
  const freeLead = () => {
    const lead = b.sandbox.zoho
      .records('Leads')
      .find((r) => r.territories.length === 0 && !r.locked && !used.has(r.id));
    if (!lead) throw new Error('demo org has no free lead left');
    used.add(lead.id);
    return lead;
  };

  it('runs /territory assign from the message box: parent message, then "done" in its thread', async () => {
    const { page } = b;
    const lead = freeLead();
    await b.shot('workspace');
    await typeInComposer(page, `/territory assign Leads/${lead.id} US West`);

    const parent = page.locator('main .message[data-where="channel"]', { hasText: lead.id }).filter({
      hasNot: page.locator('.ephemeral-tag'),
    });
    await parent.first().waitFor();
    await b.shot('parent-posted');
    // The parent is updated in place when the job is confirmed, and the result goes to its thread.
    const replies = parent.first().locator('.replies');
    await replies.waitFor({ timeout: 15_000 });
    await expect(replies.textContent()).resolves.toBe('1 reply');
    await expect(parent.first().locator('.m-edited').count()).resolves.toBe(1);
    await replies.click();

    const reply = page.locator('#thread .message[data-where="thread"]');
    await reply.first().waitFor();
    const text = ((await reply.first().textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('Done');
    expect(text).toContain('US West');
    expect(text).toContain('@Rita Rep');
    await b.shot('thread-done');

    // The Zoho panel shows the record with its new territory.
    await page.fill('#record-lookup', lead.id);
    await page.press('#record-lookup', 'Enter');
    await page.locator('#z-record', { hasText: 'US West' }).waitFor();
    const usWest = b.sandbox.zoho.territoryByName('US West')!;
    expect(b.sandbox.zoho.record('Leads', lead.id)!.territories.map((t) => t.territoryId)).toContain(
      usWest.id,
    );
    await b.shot('zoho-record');
  }, 60_000);

  it('runs the assign modal: inline error, territory type-ahead, submit, threaded result', async () => {
    const { page } = b;
    const lead = freeLead();
    await page.click('#thread button[aria-label="Close thread"]');
    await typeInComposer(page, '/territory assign');
    const modal = page.locator('.modal[role="dialog"]');
    await modal.waitFor();
    await b.shot('modal-open');

    // Submitting with the required fields empty: Slack's client refuses before asking the app.
    await page.click('#modal-submit');
    await modal.locator('.b-error').first().waitFor();
    expect(await modal.locator('.b-error').count()).toBeGreaterThan(0);
    await b.shot('modal-required');

    await modal.locator(`input[name="${ASSIGN_BLOCK.record}"]`).fill(`Leads/${lead.id}`);
    const search = modal.locator(`.typeahead input[name="${ASSIGN_BLOCK.territories}"]`);
    await search.first().pressSequentially('dach', { delay: 20 });
    const option = modal.locator('.suggestion', { hasText: 'DACH' });
    await option.first().waitFor();
    await b.shot('modal-typeahead');
    await option.first().dispatchEvent('mousedown');
    await modal.locator('.chip', { hasText: 'DACH' }).waitFor();
    await page.click('#modal-submit');
    await modal.waitFor({ state: 'detached', timeout: 15_000 });

    const parent = page.locator('main .message[data-where="channel"]', { hasText: lead.id }).filter({
      hasNot: page.locator('.ephemeral-tag'),
    });
    await parent.first().locator('.replies').waitFor({ timeout: 15_000 });
    await parent.first().locator('.replies').click();
    await page.locator('#thread .message[data-where="thread"]', { hasText: 'DACH' }).waitFor();
    await b.shot('modal-thread-done');
    const dach = b.sandbox.zoho.territoryByName('DACH')!;
    expect(b.sandbox.zoho.record('Leads', lead.id)!.territories.map((t) => t.territoryId)).toContain(dach.id);
  }, 60_000);
});
