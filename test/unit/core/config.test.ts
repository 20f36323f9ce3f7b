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

describe('loadConfig: access settings (DESIGN.md §4, §6)', () => {
  it('defaults to ACCESS_MODE=zoho, no overrides, 200 direct changes per hour, 400 days of audit', () => {
    const r = loadConfig(prod);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.config.access).toEqual({
      mode: 'zoho',
      identityOverridesPath: null,
      maxDirectChangesPerHour: 200,
    });
    expect(r.config.audit).toEqual({ retentionDays: 400 });
  });

  it('reads open mode (any case), the overrides path and both numbers', () => {
    const r = loadConfig({
      ...prod,
      ACCESS_MODE: ' Open ',
      IDENTITY_OVERRIDES: './config/identity.yml',
      MAX_DIRECT_CHANGES_PER_HOUR: '0',
      AUDIT_RETENTION_DAYS: '30',
    });
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.config.access).toEqual({
      mode: 'open',
      identityOverridesPath: './config/identity.yml',
      maxDirectChangesPerHour: 0,
    });
    expect(r.config.audit.retentionDays).toBe(30);
  });

  it('blank values fall back to the defaults', () => {
    const r = loadConfig({ ...prod, ACCESS_MODE: '', IDENTITY_OVERRIDES: ' ', AUDIT_RETENTION_DAYS: '' });
    expect(r.ok && r.config.access.mode).toBe('zoho');
    expect(r.ok && r.config.access.identityOverridesPath).toBeNull();
    expect(r.ok && r.config.audit.retentionDays).toBe(400);
  });

  it('names every bad access setting in one list', () => {
    const r = loadConfig({
      ...prod,
      ACCESS_MODE: 'strict',
      MAX_DIRECT_CHANGES_PER_HOUR: '-1',
      AUDIT_RETENTION_DAYS: '1.5',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ACCESS_MODE must be zoho .* or open /),
        'MAX_DIRECT_CHANGES_PER_HOUR must be at least 0',
        'AUDIT_RETENTION_DAYS must be a whole number',
      ]),
    );
    expect(r.problems).toHaveLength(3);
  });
});
