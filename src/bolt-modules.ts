/**
 * Bolt's classes, loaded by the mode that needs them (issue 13: idle RSS). `@slack/bolt`'s index
 * also loads the Express and AWS Lambda receivers (express, ~6 MB), and its App module requires
 * the Socket Mode receiver (`@slack/socket-mode`, ~9 MB) at load time even in HTTP mode, where
 * it is never constructed. HTTP mode loads App with a placeholder in that receiver's place;
 * Socket Mode loads the real receiver. Bolt is pinned (package.json), and the test suites run
 * both modes through these functions.
 */
import { createRequire } from 'node:module';
import type { App as BoltApp, SocketModeReceiver as BoltSocketModeReceiver } from '@slack/bolt';

const require = createRequire(import.meta.url);
const APP = '@slack/bolt/dist/App.js';
const SOCKET_RECEIVER = '@slack/bolt/dist/receivers/SocketModeReceiver.js';

/**
 * Bolt's App. Without `socketMode` the App module's own reference to the Socket Mode receiver
 * is a placeholder that refuses to be constructed: we never ask Bolt to build one (a Socket Mode
 * app passes its receiver in), so the placeholder only keeps `@slack/socket-mode` unloaded.
 */
export function loadBoltApp(options: { socketMode: boolean }): typeof BoltApp {
  const appPath = require.resolve(APP);
  if (!options.socketMode && !require.cache[appPath]) {
    const receiverPath = require.resolve(SOCKET_RECEIVER);
    if (!require.cache[receiverPath]) {
      const placeholder = new (require('node:module') as typeof import('node:module')).Module(receiverPath);
      placeholder.filename = receiverPath;
      placeholder.loaded = true;
      placeholder.exports = {
        __esModule: true,
        default: class NotLoadedSocketModeReceiver {
          constructor() {
            throw new Error('territory-bot passes its own Socket Mode receiver to Bolt (src/app.ts)');
          }
        },
      };
      require.cache[receiverPath] = placeholder;
      try {
        require(appPath);
      } finally {
        // Later loads of the receiver (a Socket Mode app in the same process) get the real one.
        delete require.cache[receiverPath];
      }
    }
  }
  return (require(appPath) as { default: typeof BoltApp }).default;
}

/** Bolt's Socket Mode receiver (loads `@slack/socket-mode`). */
export function loadSocketModeReceiver(): typeof BoltSocketModeReceiver {
  return (require(SOCKET_RECEIVER) as { default: typeof BoltSocketModeReceiver }).default;
}
