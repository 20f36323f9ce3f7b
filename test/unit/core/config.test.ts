import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfig } from '../../../src/core/config/index.js';

const prod = {
  SLACK_BOT_TOKEN: 'xoxb-1-secret-bot',
  SLACK_SIGNING_SECRET: 'sign-secret-value',
  ZOHO_CLIENT_ID: '1000.CLIENT',
  ZOHO_CLIENT_SECRET: 'zoho-secret-value',
  ZOHO_REFRESH_TOKEN: '1000.aaaa.bbbb',
  OPS_CHANNEL: 'C0OPS',
  APPROVER_USER_IDS: 'U1, U2',
};

describe('loadConfig', () => {
  it('starts the sandbox when no Slack credential is set', () => {
    const r = loadConfig({});
    expect(r.ok && r.config.mode).toBe('sandbox');
  });

  it('reads a full HTTP-mode configuration with defaults', () => {
    const r = loadConfig(prod);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.config.mode).toBe('http');
    expect(r.config.roles.approverUserIds).toEqual(['U1', 'U2']);
    expect(r.config.zoho.accountsUrl).toBe('https://accounts.zoho.com');
    expect(r.config.databaseUrl).toBe('sqlite:./data/territory-bot.db');
    expect(r.config.policy).toEqual({
      approvalThreshold: 1,
      approvalTtlHours: 72,
      maxRecordsPerRequest: 10_000,
    });
    expect(r.config.monitor.cron).toBe('*/15 * * * *');
    expect(r.config.zoho.maxConcurrency).toBe(5);
  });

  it('selects Socket Mode when SLACK_APP_TOKEN is set, and maps the data centre', () => {
    const r = loadConfig({ ...prod, SLACK_APP_TOKEN: 'xapp-1-abc', ZOHO_DC: 'EU' });
    expect(r.ok && r.config.mode).toBe('socket');
    expect(r.ok && r.config.zoho.accountsUrl).toBe('https://accounts.zoho.eu');
  });

  it('refuses partial Slack credentials and names every problem at once, without secrets', () => {
    const r = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-secret-bot',
      MONITOR_CRON: 'every day',
      MONITOR_TIMEZONE: 'Mars/Base',
      ZOHO_DC: 'moon',
      PORT: 'abc',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = formatConfigProblems(r.problems);
    expect(text).toContain('ZOHO_DC must be one of');
    expect(text).toContain('PORT must be a whole number');
    expect(text).not.toContain('secret-bot');
  });

  it('lists missing production settings and invalid monitor schedule together', () => {
    const r = loadConfig({
      ...prod,
      SLACK_SIGNING_SECRET: '',
      OPS_CHANNEL: '',
      MONITOR_CRON: '61 * * * *',
      MONITOR_TIMEZONE: 'Mars/Base',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.some((p) => p.startsWith('SLACK_SIGNING_SECRET is missing'))).toBe(true);
    expect(r.problems.some((p) => p.startsWith('OPS_CHANNEL is missing'))).toBe(true);
    expect(r.problems.some((p) => p.includes('MONITOR_CRON'))).toBe(true);
    expect(r.problems.some((p) => p.includes('MONITOR_TIMEZONE'))).toBe(true);
  });

  it('rejects a token of the wrong kind with a hint', () => {
    const r = loadConfig({ ...prod, SLACK_BOT_TOKEN: 'xoxp-user-token' });
    expect(!r.ok && r.problems.join()).toContain('starting with "xoxb-"');
  });
});
