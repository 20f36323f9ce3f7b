/**
 * Entry point. With Slack credentials: the production app (HTTP, or Socket Mode with
 * SLACK_APP_TOKEN). Without any: the sandbox (Zoho simulator + Slack emulator + the same app).
 * SIGTERM/SIGINT finish in-flight work and close the store before exiting.
 */
import { type RunningBot, StartupError, startBot } from './bot.js';
import { formatConfigProblems, loadConfig } from './core/config/index.js';
import { createLogger } from './core/log.js';
import { startIdleCollector } from './idle-collector.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const result = loadConfig(process.env, { sandbox: args.includes('--sandbox') });
  if (!result.ok) {
    console.error(formatConfigProblems(result.problems));
    process.exit(1);
  }
  const { config } = result;
  const logger = createLogger(config.logLevel);

  let running: { stop(): Promise<void> };
  try {
    if (config.mode === 'sandbox') {
      // The simulator, the emulator and the sandbox page load only in sandbox mode (issue 13: idle RSS).
      const { startSandbox } = await import('./sandbox/index.js');
      running = await startSandbox({
        config,
        logger,
        reset: args.includes('--reset'),
        socketMode: args.includes('--socket-mode'),
      });
    } else {
      const bot: RunningBot = await startBot({ config, logger });
      running = bot;
    }
  } catch (err) {
    if (err instanceof StartupError) {
      console.error(`territory-bot cannot start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }

  const collector = await startIdleCollector(logger);

  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutting down');
    // A hung shutdown must not keep a replaced pod alive for ever.
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    collector?.stop();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('territory-bot crashed while starting:', err);
  process.exit(1);
});
