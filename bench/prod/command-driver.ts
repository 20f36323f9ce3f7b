/**
 * The load driver for the slash-command round trip, alone in its process: nothing else runs on
 * its event loop, so a time it reads is the app's answer as a person's Slack client would wait
 * for it. Reads one JSON line on stdin (see DriverInput), sends `count` signed slash commands with
 * `inFlight` at a time (after `warmup` unmeasured ones), prints one JSON line {times, failures}.
 */
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { slackSignature } from '../../src/sandbox/slack/driver.js';

export interface DriverInput {
  eventsUrl: string;
  signingSecret: string;
  team: { id: string; domain: string };
  appId: string;
  user: { id: string; name: string };
  channel: { id: string; name: string };
  /** Pre-minted by the Slack process, one per command (warm-up included). */
  mints: Array<{ triggerId: string; responseUrl: string }>;
  texts: string[];
  inFlight: number;
  warmup: number;
  count: number;
}

const [line] = (await once(createInterface({ input: process.stdin }), 'line')) as [string];
const input = JSON.parse(line) as DriverInput;
let minted = 0;
const target = new URL(input.eventsUrl);
// node:http with kept-alive sockets, one per command in flight: fetch cost the driver ~1.5 ms of
// CPU per command, so at 50 in flight it timed its own queue rather than the app (issue 13).
const agent = new Agent({ keepAlive: true, maxSockets: input.inFlight });

interface Prepared {
  body: string;
  headers: Record<string, string>;
}

/** Body and signed headers, made before the clock starts. */
function prepare(text: string): Prepared {
  const mint = input.mints[minted++ % input.mints.length]!;
  const body = new URLSearchParams({
    token: 'emulator-verification-token',
    team_id: input.team.id,
    team_domain: input.team.domain,
    channel_id: input.channel.id,
    channel_name: input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: '/territory',
    text,
    api_app_id: input.appId,
    is_enterprise_install: 'false',
    response_url: mint.responseUrl,
    trigger_id: mint.triggerId,
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(input.signingSecret, ts, body),
    },
  };
}

function command(p: Prepared): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: p.headers,
        agent,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', reject);
    req.end(p.body);
  });
}

async function run(count: number): Promise<{ times: number[]; failures: number }> {
  const prepared = Array.from({ length: count }, (_, i) => prepare(input.texts[i % input.texts.length]!));
  const times: number[] = [];
  let failures = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const r = await command(prepared[next++]!);
      if (r.status === 200) times.push(r.ms);
      else failures += 1;
    }
  };
  await Promise.all(Array.from({ length: input.inFlight }, worker));
  return { times, failures };
}

await run(input.warmup);
const cpu = process.cpuUsage();
const result = await run(input.count);
const used = process.cpuUsage(cpu);
process.stdout.write(
  `${JSON.stringify({ ...result, driverCpuMs: Math.round((used.user + used.system) / 1000) })}\n`,
);
agent.destroy();
