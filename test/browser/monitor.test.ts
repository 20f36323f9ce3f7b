/**
 * Journey (c): ops breaks the demo org from the Zoho panel (the API user leaves EMEA, so the
 * routed DACH and UK & Ireland lose API access), runs the monitor, sees the alert in
 * #territory-ops, repairs the org, and sees the alert resolved in its thread.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/sandbox/slack/index.js';
import { type BrowserSandbox, chromiumAvailable, openBrowserSandbox, openPage } from './harness.js';

const run = chromiumAvailable();

describe.skipIf(!run)('sandbox page: territory health alert', () => {
  let b: BrowserSandbox;
  beforeAll(async () => {
    b = await openBrowserSandbox('monitor');
    await openPage(b, DEMO_IDS.ops, DEMO_IDS.opsAlerts);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await b?.shot('failure');
  });
  afterAll(async () => {
    await b?.close();
  });

  it('shows the #territory-ops channel and the demo org to ops', async () => {
    const { page } = b;
    await expect(page.locator('main .ch-head h2').textContent()).resolves.toBe('# territory-ops');
    await page.locator('#zoho li.terr[data-name="EMEA"] .tag.member').waitFor();
    await b.shot('ops-healthy');
  });

  it('break the org → alert in #territory-ops → repair → resolved in its thread', async () => {
    const { page, sandbox } = b;
    const emea = sandbox.zoho.territoryByName('EMEA')!;
    const bot = page
      .locator('main .message[data-where="channel"]')
      .filter({ hasNot: page.locator('.ephemeral-tag') });

    // Break: the API user leaves EMEA (DACH and UK & Ireland are in the routing file).
    await page.click('#zoho li.terr[data-name="EMEA"]');
    await page.click('#z-remove-api-user');
    await page.locator('#zoho li.terr[data-name="DACH"] .tag.warn').waitFor();
    expect(sandbox.zoho.userTerritoryIds(sandbox.zoho.apiUserId)).not.toContain(emea.id);
    await b.shot('broken');
    await page.click('#z-run-monitor');
    const alert = bot.filter({ hasText: 'DACH' }).first();
    await alert.waitFor({ timeout: 20_000 });
    await b.shot('alert-firing');

    // Repair and run again: the same message turns "resolved" and says so in its thread.
    await page.click('#zoho li.terr[data-name="EMEA"]');
    await page.click('#z-add-api-user');
    await page.locator('#zoho li.terr[data-name="EMEA"] .tag.member').waitFor();
    await page.click('#z-run-monitor');
    await alert.filter({ hasText: /resolved/i }).waitFor({ timeout: 20_000 });
    await expect(alert.locator('.m-edited').count()).resolves.toBe(1);
    await alert.locator('.replies').waitFor({ timeout: 20_000 });
    await alert.locator('.replies').click();
    await page
      .locator('#thread .message[data-where="thread"]', { hasText: /resolved/i })
      .first()
      .waitFor();
    await b.shot('alert-resolved');
  }, 90_000);
});
