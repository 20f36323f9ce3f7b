/**
 * The environment contract (DESIGN.md §6), parsed with zod. `loadConfig` never throws on bad
 * input: it returns every problem at once, each with how to fix it, so a start fails with one
 * clear message. Secret values are never echoed back.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { DATA_CENTRE_CODES, DATA_CENTRES, type DataCentre } from '../zoho/dc.js';

export type RunMode = 'http' | 'socket' | 'sandbox';

/** DESIGN.md §4: `zoho` checks each change against the requester's Zoho rights; `open` lets everyone act. */
export const ACCESS_MODES = ['zoho', 'open'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export interface AppConfig {
  mode: RunMode;
  slack: {
    botToken: string | null;
    signingSecret: string | null;
    appToken: string | null;
    apiUrl: string;
  };
  port: number;
  zoho: {
    clientId: string | null;
    clientSecret: string | null;
    refreshToken: string | null;
    dc: DataCentre;
    accountsUrl: string;
    /** Override; otherwise the token response's api_domain is used. */
    apiDomain: string | null;
    maxConcurrency: number;
  };
  databaseUrl: string;
  channels: { ops: string | null; approvals: string | null };
  roles: {
    approverUserIds: string[];
    approverUsergroup: string | null;
    requesterUsergroup: string | null;
    opsUserIds: string[];
  };
  policy: { approvalThreshold: number; approvalTtlHours: number; maxRecordsPerRequest: number };
  monitor: { routingConfigPath: string | null; cron: string; timezone: string; alertRepeatHours: number };
  access: {
    /** ACCESS_MODE, default `zoho`. */
    mode: AccessMode;
    /** IDENTITY_OVERRIDES: path of the YAML file mapping Slack user ids to Zoho user ids. */
    identityOverridesPath: string | null;
    /** MAX_DIRECT_CHANGES_PER_HOUR: records one person may change without approval per hour. */
    maxDirectChangesPerHour: number;
  };
  audit: {
    /** AUDIT_RETENTION_DAYS: audit rows, resolved alerts and abandoned drafts older than this are pruned. */
    retentionDays: number;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const idList = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
);
const int = (name: string, def: number, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `${name} must be a whole number` })
      .int({ error: `${name} must be a whole number` })
      .min(min, { error: `${name} must be at least ${min}` })
      .max(max, { error: `${name} must be at most ${max}` })
      .default(def),
  );
const url = (name: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .url({ error: `${name} must be an absolute http(s) URL, e.g. https://example.com/` })
      .refine((v) => /^https?:\/\//.test(v), { error: `${name} must start with http:// or https://` })
      .optional(),
  );

const envSchema = z.object({
  SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xoxb-'), {
    error: 'SLACK_BOT_TOKEN must be a bot token starting with "xoxb-" (Slack app > OAuth & Permissions)',
  }),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), {
    error: 'SLACK_APP_TOKEN must be an app-level token starting with "xapp-" (Slack app > Basic Information)',
  }),
  SLACK_API_URL: url('SLACK_API_URL'),
  PORT: int('PORT', 3000, 0, 65535),
  ZOHO_CLIENT_ID: optionalString,
  ZOHO_CLIENT_SECRET: optionalString,
  ZOHO_REFRESH_TOKEN: optionalString,
  ZOHO_DC: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
    z
      .enum(DATA_CENTRE_CODES as [DataCentre, ...DataCentre[]], {
        error: `ZOHO_DC must be one of ${DATA_CENTRE_CODES.join(', ')}`,
      })
      .default('us'),
  ),
  ZOHO_ACCOUNTS_URL: url('ZOHO_ACCOUNTS_URL'),
  ZOHO_API_DOMAIN: url('ZOHO_API_DOMAIN'),
  ZOHO_MAX_CONCURRENCY: int('ZOHO_MAX_CONCURRENCY', 5, 1, 25),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((v) => /^(sqlite:|postgres(ql)?:\/\/)/.test(v), {
        error:
          'DATABASE_URL must be sqlite:<path> (e.g. sqlite:./data/territory-bot.db) or postgres://user@host/db',
      })
      .default('sqlite:./data/territory-bot.db'),
  ),
  OPS_CHANNEL: optionalString,
  APPROVALS_CHANNEL: optionalString,
  APPROVER_USER_IDS: idList,
  APPROVER_USERGROUP: optionalString,
  REQUESTER_USERGROUP: optionalString,
  OPS_USER_IDS: idList,
  APPROVAL_THRESHOLD: int('APPROVAL_THRESHOLD', 1, 0, 1_000_000),
  APPROVAL_TTL_HOURS: int('APPROVAL_TTL_HOURS', 72, 1, 24 * 90),
  MAX_RECORDS_PER_REQUEST: int('MAX_RECORDS_PER_REQUEST', 10_000, 1, 100_000),
  ROUTING_CONFIG: optionalString,
  MONITOR_CRON: z.preprocess(blankToUndefined, z.string().default('*/15 * * * *')),
  MONITOR_TIMEZONE: z.preprocess(blankToUndefined, z.string().default('UTC')),
  ALERT_REPEAT_HOURS: int('ALERT_REPEAT_HOURS', 24, 1, 24 * 30),
  ACCESS_MODE: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
    z
      .enum(ACCESS_MODES, {
        error:
          "ACCESS_MODE must be zoho (changes follow each person's Zoho territories) or open (everyone may change any record)",
      })
      .default('zoho'),
  ),
  IDENTITY_OVERRIDES: optionalString,
  MAX_DIRECT_CHANGES_PER_HOUR: int('MAX_DIRECT_CHANGES_PER_HOUR', 200, 0, 1_000_000),
  AUDIT_RETENTION_DAYS: int('AUDIT_RETENTION_DAYS', 400, 1, 365 * 20),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
});

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the configuration. `sandbox: true` (or no Slack credentials at all) selects the
 * sandbox, where Slack and Zoho settings are supplied by the sandbox launcher.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: { sandbox?: boolean } = {}): ConfigResult {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      // zod's message is ours (set above) and never contains the value, so secrets stay out.
      problems.push(issue.message.includes(key) ? issue.message : `${key}: ${issue.message}`);
    }
    return { ok: false, problems };
  }
  const e = parsed.data;

  const slackGiven = [e.SLACK_BOT_TOKEN, e.SLACK_SIGNING_SECRET, e.SLACK_APP_TOKEN].some(
    (v) => v !== undefined,
  );
  const mode: RunMode =
    options.sandbox || !slackGiven ? 'sandbox' : e.SLACK_APP_TOKEN !== undefined ? 'socket' : 'http';

  if (mode === 'http') {
    if (!e.SLACK_BOT_TOKEN)
      problems.push(
        'SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-...) from your Slack app',
      );
    if (!e.SLACK_SIGNING_SECRET)
      problems.push(
        'SLACK_SIGNING_SECRET is missing: copy it from your Slack app > Basic Information > App Credentials',
      );
  }
  if (mode === 'socket' && !e.SLACK_BOT_TOKEN) {
    problems.push(
      'SLACK_BOT_TOKEN is missing: Socket Mode (SLACK_APP_TOKEN is set) also needs the bot token (xoxb-...)',
    );
  }
  if (mode !== 'sandbox') {
    for (const key of ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN'] as const) {
      if (!e[key])
        problems.push(
          `${key} is missing: create a Self Client in the Zoho API console and generate a refresh token`,
        );
    }
    if (!e.OPS_CHANNEL)
      problems.push('OPS_CHANNEL is missing: the channel id (C...) where territory health alerts go');
    if (e.APPROVER_USER_IDS.length === 0 && !e.APPROVER_USERGROUP) {
      problems.push(
        'No approvers: set APPROVER_USER_IDS (U..., comma-separated) and/or APPROVER_USERGROUP (S...)',
      );
    }
  }
  if (!cron.validate(e.MONITOR_CRON)) {
    problems.push(
      `MONITOR_CRON "${e.MONITOR_CRON}" is not a valid cron expression: use 5 or 6 fields, e.g. "*/15 * * * *"`,
    );
  }
  if (!isValidTimezone(e.MONITOR_TIMEZONE)) {
    problems.push(
      `MONITOR_TIMEZONE "${e.MONITOR_TIMEZONE}" is not an IANA time zone: use e.g. UTC or Europe/Berlin`,
    );
  }
  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    config: {
      mode,
      slack: {
        botToken: e.SLACK_BOT_TOKEN ?? null,
        signingSecret: e.SLACK_SIGNING_SECRET ?? null,
        appToken: e.SLACK_APP_TOKEN ?? null,
        apiUrl: e.SLACK_API_URL ?? 'https://slack.com/api/',
      },
      port: e.PORT,
      zoho: {
        clientId: e.ZOHO_CLIENT_ID ?? null,
        clientSecret: e.ZOHO_CLIENT_SECRET ?? null,
        refreshToken: e.ZOHO_REFRESH_TOKEN ?? null,
        dc: e.ZOHO_DC,
        accountsUrl: (e.ZOHO_ACCOUNTS_URL ?? DATA_CENTRES[e.ZOHO_DC].accounts).replace(/\/+$/, ''),
        apiDomain: e.ZOHO_API_DOMAIN ? e.ZOHO_API_DOMAIN.replace(/\/+$/, '') : null,
        maxConcurrency: e.ZOHO_MAX_CONCURRENCY,
      },
      databaseUrl: e.DATABASE_URL,
      channels: { ops: e.OPS_CHANNEL ?? null, approvals: e.APPROVALS_CHANNEL ?? null },
      roles: {
        approverUserIds: e.APPROVER_USER_IDS,
        approverUsergroup: e.APPROVER_USERGROUP ?? null,
        requesterUsergroup: e.REQUESTER_USERGROUP ?? null,
        opsUserIds: e.OPS_USER_IDS,
      },
      policy: {
        approvalThreshold: e.APPROVAL_THRESHOLD,
        approvalTtlHours: e.APPROVAL_TTL_HOURS,
        maxRecordsPerRequest: e.MAX_RECORDS_PER_REQUEST,
      },
      monitor: {
        routingConfigPath: e.ROUTING_CONFIG ?? null,
        cron: e.MONITOR_CRON,
        timezone: e.MONITOR_TIMEZONE,
        alertRepeatHours: e.ALERT_REPEAT_HOURS,
      },
      access: {
        mode: e.ACCESS_MODE,
        identityOverridesPath: e.IDENTITY_OVERRIDES ?? null,
        maxDirectChangesPerHour: e.MAX_DIRECT_CHANGES_PER_HOUR,
      },
      audit: { retentionDays: e.AUDIT_RETENTION_DAYS },
      logLevel: e.LOG_LEVEL,
    },
  };
}

/** One message naming every problem, for a failed start. */
export function formatConfigProblems(problems: readonly string[]): string {
  return [
    'territory-bot cannot start: the configuration has problems.',
    ...problems.map((p) => `  - ${p}`),
    'Set these environment variables (see .env.sample and README.md) and start again.',
  ].join('\n');
}
