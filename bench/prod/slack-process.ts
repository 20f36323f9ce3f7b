/**
 * Slack's side in its own process: the workspace emulator the app calls, and the people who click
 * through the bulk flow (the driver needs the emulator in its process, as Slack's servers hold both).
 * Prints one JSON line {apiUrl, botToken, team, bot} when listening, then answers JSON lines on
 * stdin, each `{id, op, ...}` answered by one line `{id, ok, ...}`:
 *   connect {eventsUrl, signingSecret}      where the app listens
 *   mint {user, channel, count}             trigger_ids and response_urls for the command driver
 *   prepare {csv, territoryId}              /territory bulk, CSV upload, preview, submit, manager
 *                                           opens the review modal
 *   approve                                 the manager approves; answers once the final reply is in
 * Times are Date.now() of this process (one machine clock for every process).
 */
import { createInterface } from 'node:readline';
import { DEMO_IDS, SlackDriver, startSlackEmulator } from '../../src/sandbox/slack/index.js';
import type { EmuMessage, EmuView } from '../../src/sandbox/slack/types.js';

const emulator = await startSlackEmulator({ maxRecordedCalls: 1_000 });
let driver: SlackDriver | null = null;

process.stdout.write(
  `${JSON.stringify({ apiUrl: emulator.apiUrl, botToken: emulator.botToken, team: emulator.team, bot: emulator.bot })}\n`,
);

/** The time each message was posted, seen as the emulator stores it. */
const postedAt = new Map<string, number>();
emulator.events.on('change', (change) => {
  if (change.kind === 'message_posted')
    postedAt.set(`${change.message.channel}:${change.message.ts}`, Date.now());
});

async function until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const text = (m: { text?: string; blocks?: unknown }) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`;
const topView = (user: string, callbackId: string): EmuView | undefined => {
  const v = emulator.viewStack(user).at(-1);
  return v?.callback_id === callbackId ? v : undefined;
};

let prepared: { requestId: string; parentTs: string } | null = null;

/** /territory bulk, CSV upload, preview, submit; the manager opens the review modal. */
async function prepare(input: { csv: string; territoryId: string }) {
  if (!driver) throw new Error('connect first');
  const d = driver;
  const rep = DEMO_IDS.rep;
  const manager = DEMO_IDS.manager;
  for (const u of [rep, manager]) {
    const root = emulator.viewStack(u)[0];
    if (root) emulator.closeView(root.id);
  }
  const t0 = Date.now();
  await d.command({ user: rep, channel: DEMO_IDS.sales, text: 'bulk' });
  await until(() => topView(rep, 'bulk_modal'), 10_000, 'bulk modal');
  const file = emulator.uploadFile(rep, 'records.csv', input.csv, 'text/csv');
  const submitted = await d.submitView({
    user: rep,
    values: {
      bulk_reason: 'bench',
      bulk_file: { files: [file] },
      bulk_default_territory: input.territoryId,
    },
  });
  if (submitted.outcome?.action !== 'update')
    throw new Error(`list refused: ${JSON.stringify(submitted.body)}`);
  const preview = await until(() => topView(rep, 'bulk_preview'), 120_000, 'preview');
  const previewAt = Date.now();
  const requestId = (JSON.parse(preview.private_metadata ?? '{}') as { r?: string }).r;
  if (!requestId) throw new Error('preview carries no request id');
  await d.submitView({ user: rep });
  const card = await until(
    () => emulator.messages(DEMO_IDS.approvals).find((m) => text(m).includes(requestId)),
    60_000,
    'approval card',
  );
  const parent = await until(
    () => emulator.messages(DEMO_IDS.sales).find((m) => text(m).includes(requestId)),
    60_000,
    'parent message',
  );
  await d.clickButton({
    user: manager,
    channel: DEMO_IDS.approvals,
    ts: card.ts,
    actionId: 'approval_review',
  });
  await until(() => topView(manager, 'review_modal'), 60_000, 'review modal');
  prepared = { requestId, parentTs: parent.ts };
  return { requestId, startedAt: t0, previewAt, reviewOpenAt: Date.now() };
}

/** The manager approves in the open review modal; resolves once the final thread reply is posted. */
async function approve() {
  if (!driver || !prepared) throw new Error('prepare first');
  const { requestId, parentTs } = prepared;
  prepared = null;
  const manager = DEMO_IDS.manager;
  const approveSentAt = Date.now();
  const decided = await driver.submitView({ user: manager, values: { review_decision: 'approve' } });
  const approvedAt = Date.now();
  if (decided.outcome?.action === 'invalid') throw new Error(`approval refused: ${decided.outcome.problems}`);
  const final = await until<EmuMessage>(
    () =>
      emulator
        .thread(DEMO_IDS.sales, parentTs)
        .find((m) => /Bulk request (finished|done)/.test(m.text ?? '')),
    15 * 60_000,
    'final thread reply',
  );
  return {
    requestId,
    approveSentAt,
    approvedAt,
    approveAckMs: decided.ms,
    finalAt: postedAt.get(`${DEMO_IDS.sales}:${final.ts}`) ?? Date.now(),
    finalText: (final.text ?? '').slice(0, 300),
  };
}

async function handle(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (msg.op) {
    case 'connect':
      driver = new SlackDriver({
        eventsUrl: String(msg.eventsUrl),
        signingSecret: String(msg.signingSecret),
        emulator,
      });
      return {};
    case 'mint': {
      const user = String(msg.user);
      const channel = String(msg.channel);
      const items = Array.from({ length: Number(msg.count) }, () => ({
        triggerId: emulator.mintTrigger(user).triggerId,
        responseUrl: emulator.mintResponseUrl({ user, channel }),
      }));
      return { items, userName: emulator.user(user)?.name, channelName: emulator.channel(channel)?.name };
    }
    case 'prepare':
      return prepare(msg as unknown as Parameters<typeof prepare>[0]);
    case 'approve':
      return approve();
    default:
      throw new Error(`unknown op ${String(msg.op)}`);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line) as Record<string, unknown>;
  handle(msg).then(
    (out) => process.stdout.write(`${JSON.stringify({ id: msg.id, ok: true, ...out })}\n`),
    (err: unknown) =>
      process.stdout.write(`${JSON.stringify({ id: msg.id, ok: false, error: String(err) })}\n`),
  );
});
process.on('SIGTERM', () => {
  void emulator.close().then(() => process.exit(0));
});
