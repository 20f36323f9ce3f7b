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

/** Field names whose string values are secrets, wherever they sit (JSON, or JSON inside a string). */
const SECRET_KEYS =
  'token|access_token|accessToken|refresh_token|refreshToken|client_secret|clientSecret|' +
  'signing_secret|signingSecret|authorization|Authorization|password';

/**
 * Token shapes that must never reach a log line, whatever logged them. They run over the
 * finished JSON line too (streamWrite below), so no pattern may eat a quote or a backslash.
 */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/xox[abposre]-[A-Za-z0-9-]+/g, '[Redacted]'],
  [/xapp-[A-Za-z0-9-]+/g, '[Redacted]'],
  [/\b1000\.[a-f0-9]{16,}\.[a-f0-9]{16,}\b/g, '[Redacted]'], // Zoho access/refresh token shape
  [/(Zoho-oauthtoken\s+)[^\s"\\]+/g, '$1[Redacted]'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1[Redacted]'],
  [/((?:refresh_token|client_secret|access_token)=)[^&\s"\\]+/g, '$1[Redacted]'],
  // user:password@ in URLs (a database URL in a connection error)
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"\\]*:)[^@\s"\\/]+@/gi, '$1[Redacted]@'],
  [new RegExp(`("(?:${SECRET_KEYS})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*(")`, 'g'), '$1[Redacted]$2'],
  [new RegExp(`(\\\\"(?:${SECRET_KEYS})\\\\"\\s*:\\s*\\\\")(?:(?!\\\\").)*(\\\\")`, 'g'), '$1[Redacted]$2'],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
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
        // Redact paths only reach the fields they name; errors carry tokens in their message,
        // stack, `data`, `config.headers` and `cause`. The finished line is scrubbed as a whole.
        streamWrite: scrubSecrets,
      },
    },
    destination,
  );
}
