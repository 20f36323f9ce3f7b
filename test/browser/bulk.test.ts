/**
 * Journey (b): a rep pastes a list in the bulk modal, previews it and sends it for approval; the
 * manager opens the review modal from the approval card in #approvals and approves; the rep
 * sees the result in the request's thread.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/sandbox/slack/index.js';
import { BULK_BLOCK, CALLBACK, REVIEW_BLOCK, REVIEW_DECISION } from '../../src/views/ids.js';
import {
  actAs,
  type BrowserSandbox,
  chromiumAvailable,
  openBrowserSandbox,
  openChannel,
  openPage,
  typeInComposer,
} from './harness.js';

const run = chromiumAvailable();

describe.skipIf(!run)('sandbox page: bulk list with manager approval', () => {
  let b: BrowserSandbox;
  beforeAll(async () => {
    b = await openBrowserSandbox('bulk');
    await openPage(b, DEMO_IDS.rep, DEMO_IDS.sales);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await b?.shot('failure');
  });
  afterAll(async () => {
    await b?.close();
  });

  it('bulk paste → preview → manager approves in the review modal → thread result', async () => {
    const { page, sandbox } = b;
    const leads = sandbox.zoho
      .records('Leads')
      .filter((r) => r.territories.length === 0 && !r.locked)
      .slice(0, 3);
    expect(leads).toHaveLength(3);
    const modal = page.locator('.modal[role="dialog"]');
    /** After a submit the app may close the modal or show a confirmation in it (response_action update). */
    const closeConfirmation = async (callbackId: string, name: string) => {
      await page
        .locator(`.modal[data-callback-id="${callbackId}"]`)
        .waitFor({ state: 'detached', timeout: 15_000 });
      await b.shot(name);
      if ((await modal.count()) > 0) await page.click('#modal-close');
      await modal.waitFor({ state: 'detached' });
    };

    await typeInComposer(page, '/territory bulk');
    await page.locator(`.modal[data-callback-id="${CALLBACK.bulkModal}"]`).waitFor();
    await modal
      .locator(`textarea[name="${BULK_BLOCK.paste}"]`)
      .fill(
        [
          '# demo list',
          `Leads/${leads[0]!.id}, US West`,
          `Leads/${leads[1]!.id}, DACH`,
          `Leads/${leads[2]!.id}, US West`,
        ].join('\n'),
      );
    await modal.locator(`[name="${BULK_BLOCK.reason}"]`).fill('Browser test: re-route three leads');
    await b.shot('bulk-modal');
    await page.click('#modal-submit');

    await page.locator(`.modal[data-callback-id="${CALLBACK.bulkPreview}"]`).waitFor({ timeout: 15_000 });
    await b.shot('bulk-preview');
    await page.click('#modal-submit');
    await closeConfirmation(CALLBACK.bulkPreview, 'bulk-sent');

    const parent = page
      .locator('main .message[data-where="channel"]', { hasText: leads[0]!.id })
      .filter({ hasNot: page.locator('.ephemeral-tag') });
    // The parent message may list records by name only; find it by the requester mention instead.
    const anyParent = page
      .locator('main .message[data-where="channel"]')
      .filter({ hasNot: page.locator('.ephemeral-tag') })
      .last();
    await anyParent.waitFor({ timeout: 15_000 });
    await b.shot('bulk-pending');

    // The manager reviews from the approval card in #approvals.
    await actAs(page, DEMO_IDS.manager);
    await openChannel(page, DEMO_IDS.approvals);
    const review = page.locator('main .message button[data-action-id="approval_review"]').last();
    await review.waitFor({ timeout: 15_000 });
    await b.shot('approval-card');
    await review.click();
    await page.locator(`.modal[data-callback-id="${CALLBACK.reviewModal}"]`).waitFor({ timeout: 15_000 });
    await modal.locator(`.b-input input[type="radio"][value="${REVIEW_DECISION.approve}"]`).check();
    await modal.locator(`[name="${REVIEW_BLOCK.comment}"]`).fill('Looks right');
    await b.shot('review-modal');
    await page.click('#modal-submit');
    await closeConfirmation(CALLBACK.reviewModal, 'approved');

    // Back as the rep: the result is in the request's thread.
    await actAs(page, DEMO_IDS.rep);
    await openChannel(page, DEMO_IDS.sales);
    const target = (await parent.count()) > 0 ? parent.first() : anyParent;
    await target.locator('.replies').waitFor({ timeout: 20_000 });
    await target.locator('.replies').click();
    // First the approval notice, then the final result; both mention the requester.
    const approvedNote = page.locator('#thread .message[data-where="thread"]', { hasText: '@Mona Manager' });
    await approvedNote.first().waitFor({ timeout: 20_000 });
    const result = page
      .locator('#thread .message[data-where="thread"]', { hasText: '@Rita Rep' })
      .filter({ hasText: /done/i });
    await result.last().waitFor({ timeout: 20_000 });
    await b.shot('bulk-thread-result');
    const usWest = sandbox.zoho.territoryByName('US West')!;
    const dach = sandbox.zoho.territoryByName('DACH')!;
    const territoriesOf = (id: string) =>
      sandbox.zoho.record('Leads', id)!.territories.map((t) => t.territoryId);
    expect(territoriesOf(leads[0]!.id)).toContain(usWest.id);
    expect(territoriesOf(leads[1]!.id)).toContain(dach.id);
    expect(territoriesOf(leads[2]!.id)).toContain(usWest.id);
  }, 90_000);

  it('bulk CSV attached through the file input: a bad line is shown inline on the file input', async () => {
    const { page, sandbox } = b;
    const lead = sandbox.zoho.records('Leads').find((r) => r.territories.length === 0 && !r.locked)!;
    const csv = path.join(sandbox.dataDir, 'list.csv');
    writeFileSync(csv, `record,territory\nLeads/${lead.id},India\nLeads/123,India\n`);
    await actAs(page, DEMO_IDS.rep);
    await openChannel(page, DEMO_IDS.sales);
    await typeInComposer(page, '/territory bulk');
    const modal = page.locator(`.modal[data-callback-id="${CALLBACK.bulkModal}"]`);
    await modal.waitFor();
    // The page uploads the file to the emulator (files.info / url_private), as Slack's client does.
    await modal.locator(`input[type="file"][name="${BULK_BLOCK.file}"]`).setInputFiles(csv);
    await modal.locator('.file-status', { hasText: '1 file(s) attached' }).waitFor();
    await modal.locator(`[name="${BULK_BLOCK.reason}"]`).fill('Browser test: CSV');
    await page.click('#modal-submit');
    const error = modal.locator(`.b-input:has([name="${BULK_BLOCK.file}"]) .b-error`);
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toContain('Line 3');
    await b.shot('bulk-csv-inline-error');
    await page.click('#modal-close');
    await modal.waitFor({ state: 'detached' });
  }, 60_000);
});
