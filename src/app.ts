/**
 * Builds the Bolt App: HTTP receiver at /slack/events with /healthz beside it, or Socket Mode
 * when SLACK_APP_TOKEN is set. Listeners are registered by src/listeners/index.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App } from '@slack/bolt';
import { boltLogger, boltLogLevel } from './bolt-logger.js';
import type { AppConfig } from './core/config/index.js';
import type { Logger } from './core/log.js';

export interface BuildAppOptions {
  config: AppConfig;
  logger: Logger;
  /** From auth.test at start (src/bot.ts): with both set Bolt never calls auth.test itself. */
  botId: string;
  botUserId: string;
  /** Answers GET /healthz: HTTP status and JSON body. */
  health: () => Promise<{ status: number; body: unknown }>;
}

export function buildApp(options: BuildAppOptions): App {
  const { config, logger } = options;
  const botToken = config.slack.botToken;
  if (!botToken) throw new Error('buildApp: SLACK_BOT_TOKEN is required');
  const common = {
    token: botToken,
    botId: options.botId,
    botUserId: options.botUserId,
    tokenVerificationEnabled: false,
    logger: boltLogger(logger),
    logLevel: boltLogLevel(config.logLevel),
    // Interactive calls must not hang behind long retries: a person is waiting (slack-platform.md §6.2).
    clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig: { retries: 2, maxTimeout: 2_000 } },
  };
  if (config.mode === 'socket') {
    return new App({ ...common, socketMode: true, appToken: config.slack.appToken ?? undefined });
  }
  return new App({
    ...common,
    signingSecret: config.slack.signingSecret ?? '',
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req: IncomingMessage, res: ServerResponse) => {
          void writeHealth(res, options.health);
        },
      },
    ],
  });
}

export async function writeHealth(res: ServerResponse, health: BuildAppOptions['health']): Promise<void> {
  try {
    const { status, body } = await health();
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } catch (err) {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) }));
  }
}
