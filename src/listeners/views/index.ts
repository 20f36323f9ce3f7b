/** Modal submissions (view_submission), by callback id. */
import type { App } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { CALLBACK } from '../../views/ids.js';
import { assignModalSubmit } from './assign-modal.js';
import { bulkModalSubmit } from './bulk-modal.js';
import { bulkPreviewSubmit } from './bulk-preview.js';
import { reviewSubmit } from './review.js';

export function registerViews(app: App, services: BotServices): void {
  app.view(CALLBACK.assignModal, assignModalSubmit(services));
  app.view(CALLBACK.bulkModal, bulkModalSubmit(services));
  app.view(CALLBACK.bulkPreview, bulkPreviewSubmit(services));
  app.view(CALLBACK.reviewModal, reviewSubmit(services));
}
