/**
 * pino logging. Redaction covers the fields we log ourselves; Bolt and web-api log
 * pre-formatted strings, which pino cannot redact, so secrets are scrubbed from messages too.
 * Bolt's Logger adapter lives beside the App (src/bolt-logger.ts): core knows nothing of Bolt.
 */
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

const REDACT_PATHS = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'signingSecret',
  'authorization',
  'headers.authorization',
  'headers["x-slack-signature"]',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.signingSecret',
  '*.authorization',
  '*.headers.authorization',
  '*.*.token',
  '*.*.refresh_token',
  '*.*.access_token',
];

/** Token shapes that must never reach a log line, whatever logged them. */
const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]+/g,
  /xapp-[A-Za-z0-9-]+/g,
  /\b1000\.[a-f0-9]{16,}\.[a-f0-9]{16,}\b/g, // Zoho access/refresh token shape
  /(Zoho-oauthtoken\s+)\S+/g,
  /((?:refresh_token|client_secret|access_token)=)[^&\s]+/g,
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const re of SECRET_PATTERNS) {
    out = out.replace(re, (_m, prefix?: string) =>
      typeof prefix === 'string' ? `${prefix}[Redacted]` : '[Redacted]',
    );
  }
  return out;
}

export function createLogger(level: string = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      base: { app: 'territory-bot' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
}
