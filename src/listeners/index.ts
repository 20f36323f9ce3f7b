/**
 * The table of contents of the app: every kind of Slack entry point, each wired in its own
 * folder's index (ids → named listeners). A listener parses the payload, calls one use case in
 * src/core, and renders src/views.
 */
import type { App } from '@slack/bolt';
import type { BotServices } from '../slack/context.js';
import { inboundDedupe } from '../slack/inbound-dedupe.js';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import { registerEvents } from './events/index.js';
import { registerOptions } from './options/index.js';
import { registerViews } from './views/index.js';

export function registerListeners(app: App, services: BotServices): void {
  // Before every listener: Slack's retries and replays of a delivery are dropped here.
  app.use(inboundDedupe(services));
  registerCommands(app, services);
  registerActions(app, services);
  registerViews(app, services);
  registerOptions(app, services);
  registerEvents(app, services);
}
