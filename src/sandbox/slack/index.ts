/**
 * Slack workspace emulator (Web API subset, response_url sink, workspace model + change stream)
 * and a driver that sends signed Slack requests to the app's /slack/events.
 *
 *   const emulator = await startSlackEmulator();            // demo workspace, port 0
 *   const app = new App({ token: emulator.botToken, botId: emulator.bot.botId,
 *     botUserId: emulator.bot.userId, signingSecret,
 *     clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } } });
 *   const driver = new SlackDriver({ eventsUrl, signingSecret, emulator });
 *   await driver.command({ user: DEMO_IDS.rep, channel: DEMO_IDS.sales, text: 'help' });
 */
export { DEMO_IDS, demoWorkspace } from './demo.js';
export { SlackDriver, slackSignature } from './driver.js';
export { startSlackEmulator } from './emulator.js';
export { SlackApiError } from './errors.js';
export type * from './options.js';
export { DriverInputError } from './payloads.js';
export type { EnvelopeType, SocketAck } from './socket-mode.js';
export type * from './types.js';
export {
  MAX_TEXT,
  MAX_VIEW_STACK,
  RESPONSE_URL_MAX_USES,
  RESPONSE_URL_TTL_MS,
  TRIGGER_TTL_MS,
} from './workspace.js';
