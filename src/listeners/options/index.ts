/** External select menus (block_suggestion), by action id. */
import type { App } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { ACTION } from '../../views/ids.js';
import { territorySearch } from './territory-search.js';

export function registerOptions(app: App, services: BotServices): void {
  app.options(ACTION.territorySearch, territorySearch(services));
}
