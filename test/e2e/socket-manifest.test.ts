/**
 * The Socket Mode set-up the README describes is the one the tests run: manifest.socket.yml
 * declares the same command and scopes as manifest.yml, Socket Mode on and no request URLs,
 * and the e2e stack in Socket Mode is configured from an app-level token only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Stack, startStack } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = (name: string) =>
  parse(readFileSync(path.join(root, name), 'utf8')) as {
    features: { slash_commands: Array<{ command: string; url?: string }> };
    oauth_config: { scopes: { bot: string[] } };
    settings: { socket_mode_enabled: boolean; interactivity: { is_enabled: boolean; request_url?: string } };
  };

describe('Socket Mode set-up (README, manifest.socket.yml)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ transport: 'socket', monitorSchedule: false });
  }, 30_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('manifest.socket.yml is manifest.yml with Socket Mode on and no request URLs', () => {
    const http = manifest('manifest.yml');
    const socket = manifest('manifest.socket.yml');
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(socket.settings.interactivity).toEqual({ is_enabled: true });
    expect(socket.features.slash_commands.map((c) => c.command)).toEqual(
      http.features.slash_commands.map((c) => c.command),
    );
    expect(socket.features.slash_commands.every((c) => c.url === undefined)).toBe(true);
    expect([...socket.oauth_config.scopes.bot].sort()).toEqual([...http.oauth_config.scopes.bot].sort());
  });

  it('runs on SLACK_APP_TOKEN + SLACK_BOT_TOKEN, with no signing secret in use, and /healthz shows the socket', async () => {
    expect(stack.config.mode).toBe('socket');
    expect(stack.config.slack.appToken).toMatch(/^xapp-/);
    expect(stack.config.slack.botToken).toMatch(/^xoxb-/);
    // Nothing listens for Slack: the port serves /healthz only.
    const events = await fetch(`http://127.0.0.1:${stack.bot.port}/slack/events`, { method: 'POST' });
    expect(events.status).toBe(404);
    // (The status follows the monitor, which this stack never ran; the socket part is what counts here.)
    const health = await fetch(`http://127.0.0.1:${stack.bot.port}/healthz`);
    expect(((await health.json()) as { socket: string }).socket).toBe('connected');
    // The app reached apps.connections.open at SLACK_API_URL with the app-level token.
    expect(stack.slack.calls('apps.connections.open').map((c) => c.response.ok)).toEqual([true]);
  });
});
