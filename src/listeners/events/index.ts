/** Events API events, by type. */
import type { App } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { appHomeOpened } from './app-home-opened.js';

export function registerEvents(app: App, services: BotServices): void {
  app.event('app_home_opened', appHomeOpened(services));
}
