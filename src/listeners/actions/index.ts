/** Button clicks (block_actions), by action id. */
import type { App } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import {
  ACTION,
  ALERT_SNOOZE_ACTION,
  BULK_PREVIEW_PAGE_ACTION,
  REVIEW_PAGE_ACTION,
} from '../../views/ids.js';
import { alertSnooze } from './alert-snooze.js';
import { bulkPreviewPage } from './bulk-preview-page.js';
import { homeOpenAssign, homeOpenBulk } from './home-open-modal.js';
import { requestCancel } from './request-cancel.js';
import { reviewOpen } from './review-open.js';
import { reviewPage } from './review-page.js';

export function registerActions(app: App, services: BotServices): void {
  app.action(BULK_PREVIEW_PAGE_ACTION, bulkPreviewPage(services));
  app.action(ACTION.approvalReview, reviewOpen(services));
  app.action(REVIEW_PAGE_ACTION, reviewPage(services));
  app.action(ACTION.requestCancel, requestCancel(services));
  app.action(ALERT_SNOOZE_ACTION, alertSnooze(services));
  app.action(ACTION.homeOpenAssign, homeOpenAssign(services));
  app.action(ACTION.homeOpenBulk, homeOpenBulk(services));
}
