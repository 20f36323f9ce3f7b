/**
 * The table of contents of the app: every Slack entry point and the listener that serves it.
 */
import type { App } from '@slack/bolt';
import { ACTION, CALLBACK } from '../views/ids.js';
import { assignModalSubmit } from './assign-modal.js';
import type { BotServices } from './context.js';
import { territoryCommand } from './territory.js';
import { territorySearch } from './territory-search.js';

export function registerListeners(app: App, services: BotServices): void {
  app.command('/territory', territoryCommand(services));
  app.options(ACTION.territorySearch, territorySearch(services));
  app.view(CALLBACK.assignModal, assignModalSubmit(services));
}
