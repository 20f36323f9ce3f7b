/**
 * The load driver for the slash-command round trip, alone in its process: nothing else runs on
 * its event loop, so a time it reads is the app's answer as a person's Slack client would wait
 * for it. Reads one JSON line on stdin (see DriverInput), sends `count` signed slash commands with
 * `inFlight` at a time (after `warmup` unmeasured ones), prints one JSON line {times, failures}.
 */
import { once } from 'node:events';
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

async function command(text: string): Promise<{ ms: number; status: number }> {
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
  const t0 = performance.now();
  const res = await fetch(input.eventsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(input.signingSecret, ts, body),
    },
    body,
  });
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

async function run(count: number): Promise<{ times: number[]; failures: number }> {
  const times: number[] = [];
  let failures = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const r = await command(input.texts[i % input.texts.length]!);
      if (r.status === 200) times.push(r.ms);
      else failures += 1;
    }
  };
  await Promise.all(Array.from({ length: input.inFlight }, worker));
  return { times, failures };
}

await run(input.warmup);
const result = await run(input.count);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
