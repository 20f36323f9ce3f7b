/**
 * The table of contents of the app: every Slack entry point and the listener that serves it.
 */
import type { App } from '@slack/bolt';
import {
  ACTION,
  ALERT_SNOOZE_ACTION,
  BULK_PREVIEW_PAGE_ACTION,
  CALLBACK,
  REVIEW_PAGE_ACTION,
} from '../views/ids.js';
import { alertSnooze } from './alert-snooze.js';
import { assignModalSubmit } from './assign-modal.js';
import { bulkModalSubmit } from './bulk.js';
import { bulkPreviewPage, bulkPreviewSubmit } from './bulk-preview.js';
import type { BotServices } from './context.js';
import { requestCancel } from './request-cancel.js';
import { reviewOpen, reviewPage, reviewSubmit } from './review.js';
import { territoryCommand } from './territory.js';
import { territorySearch } from './territory-search.js';

export function registerListeners(app: App, services: BotServices): void {
  app.command('/territory', territoryCommand(services));
  app.options(ACTION.territorySearch, territorySearch(services));
  app.view(CALLBACK.assignModal, assignModalSubmit(services));
  app.view(CALLBACK.bulkModal, bulkModalSubmit(services));
  app.view(CALLBACK.bulkPreview, bulkPreviewSubmit(services));
  app.action(BULK_PREVIEW_PAGE_ACTION, bulkPreviewPage(services));
  app.action(ACTION.approvalReview, reviewOpen(services));
  app.action(REVIEW_PAGE_ACTION, reviewPage(services));
  app.view(CALLBACK.reviewModal, reviewSubmit(services));
  app.action(ACTION.requestCancel, requestCancel(services));
  app.action(ALERT_SNOOZE_ACTION, alertSnooze(services));
}
