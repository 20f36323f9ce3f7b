/** Modal submissions (view_submission), by callback id. */
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { CALLBACK } from '../../views/ids.js';
import { idRoutes } from '../id-routes.js';
import { assignModalSubmit } from './assign-modal.js';
import { bulkModalSubmit } from './bulk-modal.js';
import { bulkPreviewSubmit } from './bulk-preview.js';
import { reviewSubmit } from './review.js';

type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

export function registerViews(app: App, services: BotServices): void {
  // One Bolt listener for every callback id (id-routes.ts says why).
  const routes = idRoutes<ViewArgs>([
    [CALLBACK.assignModal, assignModalSubmit(services)],
    [CALLBACK.bulkModal, bulkModalSubmit(services)],
    [CALLBACK.bulkPreview, bulkPreviewSubmit(services)],
    [CALLBACK.reviewModal, reviewSubmit(services)],
  ]);
  app.view<ViewSubmitAction>(routes.pattern, async (args) => {
    await routes.dispatch(args.view.callback_id, args);
  });
}
