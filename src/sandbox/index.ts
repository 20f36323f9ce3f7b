/**
 * The sandbox (`npm start` without Slack credentials): the Zoho CRM simulator with a demo org,
 * the Slack workspace emulator, and the app itself, unchanged, in HTTP mode against both.
 * Data lives under ./data/sandbox and survives a restart; `--reset` starts over.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type RunningBot, startBot } from '../bot.js';
import type { AppConfig } from '../core/config/index.js';
import type { Logger } from '../core/log.js';
import { DEMO_IDS, type SlackEmulator, startSlackEmulator } from './slack/index.js';
import { startZohoSimulator, type ZohoSimulator } from './zoho/index.js';

export interface SandboxOptions {
  config: AppConfig;
  logger: Logger;
  reset?: boolean;
  dataDir?: string;
}

export interface RunningSandbox {
  bot: RunningBot;
  zoho: ZohoSimulator;
  slack: SlackEmulator;
  signingSecret: string;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const dataDir = path.resolve(options.dataDir ?? 'data/sandbox');
  if (options.reset) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  const zoho = await startZohoSimulator({ stateFile: path.join(dataDir, 'zoho-org.json') });
  const slack = await startSlackEmulator();
  const signingSecret = randomBytes(16).toString('hex');
  const config = sandboxConfig(options.config, { zoho, slack, signingSecret, dataDir });
  const bot = await startBot({ config, logger: options.logger, host: '127.0.0.1' });

  console.log(
    [
      '',
      'territory-bot sandbox is running.',
      `  Slack emulator:      ${slack.url}`,
      `  Zoho CRM simulator:  ${zoho.url}`,
      `  App (Slack events):  http://127.0.0.1:${bot.port}/slack/events`,
      `  Data:                ${dataDir} (start with --reset to begin again)`,
      'Stop it with Ctrl+C.',
      '',
    ].join('\n'),
  );

  return {
    bot,
    zoho,
    slack,
    signingSecret,
    async stop() {
      await bot.stop();
      await slack.close();
      await zoho.close();
    },
  };
}

/** The same configuration contract, filled in with the simulators' addresses and demo roles. */
export function sandboxConfig(
  base: AppConfig,
  env: { zoho: ZohoSimulator; slack: SlackEmulator; signingSecret: string; dataDir: string },
): AppConfig {
  return {
    ...base,
    mode: 'http',
    slack: {
      botToken: env.slack.botToken,
      signingSecret: env.signingSecret,
      appToken: null,
      apiUrl: env.slack.apiUrl,
    },
    // The sandbox page takes the configured port; the app listens on a free loopback port.
    port: 0,
    zoho: {
      ...base.zoho,
      clientId: env.zoho.credentials.clientId,
      clientSecret: env.zoho.credentials.clientSecret,
      refreshToken: env.zoho.credentials.refreshToken,
      accountsUrl: env.zoho.accountsUrl,
      apiDomain: null,
    },
    databaseUrl: `sqlite:${path.join(env.dataDir, 'territory-bot.db')}`,
    channels: { ops: DEMO_IDS.opsAlerts, approvals: DEMO_IDS.approvals },
    roles: {
      approverUserIds: [DEMO_IDS.manager],
      approverUsergroup: DEMO_IDS.approvers,
      requesterUsergroup: null,
      opsUserIds: [DEMO_IDS.ops],
    },
  };
}
