/**
 * The app in its own process for the ack-latency figure: Slack and Zoho are remote in
 * production, so the simulators and the load driver run in the parent. Reads its configuration
 * as JSON from BENCH_BOT_CONFIG, prints {"port": n} once listening, stops on SIGTERM.
 * On stdin, `reset` clears and `report` prints the server-side time of every answered POST
 * (request received → response finished): the app's own ack latency, without the driver's.
 */
import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { startBot } from '../src/bot.js';
import type { AppConfig } from '../src/core/config/index.js';
import { createLogger } from '../src/core/log.js';

const started = new WeakMap<ServerResponse, number>();
let durations: number[] = [];
diagnostics.subscribe('http.server.request.start', (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  if (request.method === 'POST') started.set(response, performance.now());
});
diagnostics.subscribe('http.server.response.finish', (message) => {
  const { response } = message as { response: ServerResponse };
  const t0 = started.get(response);
  if (t0 !== undefined) durations.push(performance.now() - t0);
});

const config = JSON.parse(process.env.BENCH_BOT_CONFIG ?? '{}') as AppConfig;
const bot = await startBot({
  config,
  logger: createLogger('warn'),
  host: '127.0.0.1',
  monitorSchedule: false,
});
process.stdout.write(`${JSON.stringify({ port: bot.port })}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'reset') durations = [];
  if (line === 'report') process.stdout.write(`${JSON.stringify({ durations })}\n`);
});
process.on('SIGTERM', () => {
  void bot.stop().then(() => process.exit(0));
});
