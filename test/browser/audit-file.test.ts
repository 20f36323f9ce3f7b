/**
 * `/territory audit` in the sandbox page: the CSV arrives in the person's DM with the bot as a
 * file in the message, with a working download link (the emulator's external upload).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/sandbox/slack/index.js';
import {
  type BrowserSandbox,
  chromiumAvailable,
  openBrowserSandbox,
  openPage,
  typeInComposer,
} from './harness.js';

const run = chromiumAvailable();

describe.skipIf(!run)('sandbox page: the audit file', () => {
  let b: BrowserSandbox;
  beforeAll(async () => {
    b = await openBrowserSandbox('audit');
    await openPage(b, DEMO_IDS.rep, DEMO_IDS.sales);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await b?.shot('failure');
  });
  afterAll(async () => {
    await b?.close();
  });

  it("shows the CSV in the DM with a download link holding the rep's change", async () => {
    const { page } = b;
    const lead = b.sandbox.zoho.records('Leads').find((r) => r.territories.length === 0 && !r.locked)!;
    await typeInComposer(page, `/territory assign Leads/${lead.id} US West`);
    const parent = page
      .locator('main .message[data-where="channel"]', { hasText: lead.id })
      .filter({ hasNot: page.locator('.ephemeral-tag') });
    await parent.first().locator('.replies').waitFor({ timeout: 15_000 });

    await typeInComposer(page, '/territory audit');
    await page
      .locator('main .message.ephemeral', { hasText: 'audit trail' })
      .first()
      .waitFor({ timeout: 15_000 });
    await b.shot('audit-answer');

    const dm = b.sandbox.slack.dmChannel(DEMO_IDS.rep);
    await page.click(`.sidebar [data-channel="${dm}"]`);
    const card = page.locator('main .message .file-card').first();
    await card.waitFor({ timeout: 10_000 });
    await b.shot('audit-file-in-dm');
    await expect(card.locator('.file-name').textContent()).resolves.toMatch(/Territory audit/);
    await expect(card.locator('.file-size').textContent()).resolves.toMatch(/territory-audit-.*\.csv · \d/);
    const href = await card.locator('a.file-download').getAttribute('href');
    expect(href).toMatch(/^\/api\/files\/F/);
    const res = await page.request.get(`${b.sandbox.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toMatch(/attachment; filename="territory-audit-/);
    const csv = await res.text();
    expect(csv.split('\n')[0]).toMatch(/^when,requested_at,request_id/);
    expect(csv).toContain(`Leads/${lead.id}`);
    expect(csv).toContain(DEMO_IDS.rep);
  });
});
