/**
 * The sandbox page's Home tab: opening it sends app_home_opened, the app's published Home is
 * shown for the selected user, it follows the app's republishes, and its buttons work (Assign
 * opens the assign modal; an approver's Review opens the review modal).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/sandbox/slack/index.js';
import { CALLBACK } from '../../src/views/ids.js';
import { previewList, submitPreview } from '../e2e/bulk-flow.js';
import {
  actAs,
  type BrowserSandbox,
  chromiumAvailable,
  openBrowserSandbox,
  openPage,
  typeInComposer,
} from './harness.js';

const run = chromiumAvailable();

describe.skipIf(!run)('sandbox page: the Home tab', () => {
  let b: BrowserSandbox;
  beforeAll(async () => {
    b = await openBrowserSandbox('app-home');
    await openPage(b, DEMO_IDS.rep, DEMO_IDS.sales);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await b?.shot('failure');
  });
  afterAll(async () => {
    await b?.close();
  });

  it("shows the rep's Home with their request, follows changes, and Assign opens the modal", async () => {
    const { page } = b;
    const lead = b.sandbox.zoho.records('Leads').find((r) => r.territories.length === 0 && !r.locked)!;
    await typeInComposer(page, `/territory assign Leads/${lead.id} US West`);
    await page.locator('main .message', { hasText: lead.id }).first().waitFor();

    await page.click('#home-link');
    const home = page.locator('#home-tab');
    await home.locator('button[data-action-id="home_open_assign"]').waitFor();
    await expect(home.textContent()).resolves.toContain('Your recent requests');
    // The request reaches "Done" on Home as the job is confirmed (republished, no reopen).
    await home.locator('text=Done').first().waitFor({ timeout: 20_000 });
    await b.shot('rep-home');

    await home.locator('button[data-action-id="home_open_assign"]').click();
    await page.locator(`.modal[data-callback-id="${CALLBACK.assignModal}"]`).waitFor();
    await page.click('#modal-close');
    await page.locator('.modal[role="dialog"]').waitFor({ state: 'detached' });
  });

  it("shows a manager's Home with the request waiting; Review opens the review modal", async () => {
    const { page } = b;
    const leads = b.sandbox.zoho
      .records('Leads')
      .filter((r) => r.territories.length === 0 && !r.locked)
      .slice(1, 3);
    // Another rep sends a list for approval, through the emulator as their own client would.
    const flow = { slack: b.sandbox.slack, driver: b.sandbox.driver };
    const { requestId } = await previewList(flow, {
      user: DEMO_IDS.rep2,
      paste: leads.map((l) => `Leads/${l.id}, Nordics`).join('\n'),
    });
    await submitPreview(flow, DEMO_IDS.rep2);
    await actAs(page, DEMO_IDS.manager);
    const home = page.locator('#home-tab');
    await home.locator('text=Waiting for your decision').waitFor();
    await home.locator(`button[data-action-id="approval_review"][data-value="${requestId}"]`).waitFor();
    await b.shot('manager-home');
    const review = home.locator(`button[data-action-id="approval_review"][data-value="${requestId}"]`);
    await review.click();
    await page.locator(`.modal[data-callback-id="${CALLBACK.reviewModal}"]`).waitFor();
    await b.shot('review-from-home');
  });
});
