/**
 * Slack workspace emulator (Web API subset, response_url sink, workspace model + change stream)
 * and a driver that sends signed Slack requests to the app's /slack/events.
 */
export type * from './options.js';
export type * from './types.js';
