/** pino behind Bolt's Logger interface, for the App built in app.ts. */
import type { LogLevel, Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from './core/log.js';

/** Bolt's Logger interface on top of pino. Bolt calls setLevel with the App's logLevel. */
export function boltLogger(base: Logger, name = 'bolt'): SlackLogger {
  let child = base.child({ component: name });
  const fmt = (m: unknown[]) =>
    m
      .map((x) =>
        typeof x === 'string' ? x : x instanceof Error ? (x.stack ?? x.message) : JSON.stringify(x),
      )
      .join(' ');
  const emit = (lvl: 'debug' | 'info' | 'warn' | 'error', m: unknown[]) => {
    // Bolt logs at debug several times per delivery: nothing is formatted unless it is written.
    if (!child.isLevelEnabled(lvl)) return;
    const err = m.find((x): x is Error => x instanceof Error);
    if (err) child[lvl]({ err }, fmt(m.filter((x) => x !== err)));
    else child[lvl](fmt(m));
  };
  return {
    debug: (...m) => emit('debug', m),
    info: (...m) => emit('info', m),
    warn: (...m) => emit('warn', m),
    error: (...m) => emit('error', m),
    setLevel: (l: LogLevel) => {
      child.level = l;
    },
    getLevel: () => child.level as LogLevel,
    setName: (n: string) => {
      child = base.child({ component: n });
    },
  };
}

/**
 * Maps a pino level to Bolt's LogLevel (Bolt knows only four). The enum's string values are
 * spelled out: importing the enum would load Bolt's index and every receiver (src/bolt-modules.ts).
 */
export function boltLogLevel(level: string): LogLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return 'debug' as LogLevel;
    case 'info':
      return 'info' as LogLevel;
    case 'warn':
      return 'warn' as LogLevel;
    default:
      return 'error' as LogLevel;
  }
}
