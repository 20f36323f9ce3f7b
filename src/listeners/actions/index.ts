/** Button clicks (block_actions), by action id. */
import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import {
  ACTION,
  ALERT_SNOOZE_ACTION,
  BULK_PREVIEW_PAGE_ACTION,
  REVIEW_PAGE_ACTION,
} from '../../views/ids.js';
import { idRoutes } from '../id-routes.js';
import { alertSnooze } from './alert-snooze.js';
import { bulkPreviewPage } from './bulk-preview-page.js';
import { homeOpenAssign, homeOpenBulk } from './home-open-modal.js';
import { requestCancel } from './request-cancel.js';
import { reviewOpen } from './review-open.js';
import { reviewPage } from './review-page.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

export function registerActions(app: App, services: BotServices): void {
  // One Bolt listener for every action id (id-routes.ts says why).
  const routes = idRoutes<ActionArgs>([
    [BULK_PREVIEW_PAGE_ACTION, bulkPreviewPage(services)],
    [ACTION.approvalReview, reviewOpen(services)],
    [REVIEW_PAGE_ACTION, reviewPage(services)],
    [ACTION.requestCancel, requestCancel(services)],
    [ALERT_SNOOZE_ACTION, alertSnooze(services)],
    [ACTION.homeOpenAssign, homeOpenAssign(services)],
    [ACTION.homeOpenBulk, homeOpenBulk(services)],
  ]);
  app.action<BlockAction>(routes.pattern, async (args) => {
    await routes.dispatch(args.action.action_id, args);
  });
}
