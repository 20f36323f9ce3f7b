/**
 * A burst of 200 slash commands at once through the real Bolt HTTP receiver (signed requests):
 * every one is acked (HTTP 200, an ack Slack accepts), none is answered with an error, and the
 * 50 assigns among them all finish. Ack times are measured per request against Slack's 3 s and
 * logged (`command burst: ...`), not asserted (see below).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigSeed } from '../../src/sandbox/zoho/index.js';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

const BURST = 200;
/** What the app says when something broke (ack bodies and response_url posts). */
const ERROR_TEXT = /went wrong|try again|could not|INTERNAL_ERROR|unexpected|not_allowed|error/i;

describe('a burst of 200 slash commands', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ zoho: { seed: bigSeed({ territories: 40, records: 60 }) } });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('every command is acked, none is answered with an error, the assigns all finish (ack times logged)', async () => {
    const leads = stack.zoho
      .records('Leads')
      .filter((r) => !r.locked)
      .slice(0, BURST / 4)
      .map((r) => r.id);
    expect(leads).toHaveLength(BURST / 4);
    const territory = stack.zoho.territories().at(-1)!;
    const texts = Array.from({ length: BURST }, (_, i) => {
      const lead = leads[Math.floor(i / 4)]!;
      switch (i % 4) {
        case 0:
          return 'help';
        case 1:
          return 'list';
        case 2:
          return `show Leads/${lead}`;
        default:
          return `assign Leads/${lead} ${territory.name}`;
      }
    });
    const users = [DEMO_IDS.rep, DEMO_IDS.rep2, DEMO_IDS.manager, DEMO_IDS.ops];
    const results = await Promise.all(
      texts.map((text, i) =>
        stack.driver.command({ user: users[i % users.length]!, channel: DEMO_IDS.sales, text }),
      ),
    );

    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const pick = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!);
    console.log(
      `command burst: ${BURST} commands at once, ack ms p50 ${pick(0.5)}, p99 ${pick(0.99)}, max ${pick(1)}; ` +
        `over Slack's 3000 ms: ${ms.filter((m) => m >= 3_000).length}`,
    );
    const byKind = new Map<string, number[]>();
    results.forEach((r, i) => {
      const kind = texts[i]!.split(' ')[0]!;
      byKind.set(kind, [...(byKind.get(kind) ?? []), Math.round(r.ms)]);
    });
    for (const [kind, list] of byKind) {
      const sorted = list.sort((a, b) => a - b);
      console.log(
        `command burst: ${kind}: ack ms min ${sorted[0]} p50 ${sorted[sorted.length >> 1]} max ${sorted.at(-1)}`,
      );
    }
    results.forEach((r, i) => {
      const what = `${texts[i]} (#${i})`;
      expect(r.status, what).toBe(200);
      expect(r.ackProblems, what).toEqual([]);
      expect(JSON.stringify(r.body ?? ''), what).not.toMatch(ERROR_TEXT);
    });
    // Slack's 3 s rule is measured per request and logged above, not asserted: the driver, the
    // emulator, the simulator and the app share one event loop here, and on a loaded 2-core
    // machine wall time says more about the machine than the app (timing goals live in bench/).

    // The assigns finish: every lead holds the territory, each gets its threaded reply.
    await eventually(
      () =>
        leads.every((id) =>
          stack.zoho.record('Leads', id)?.territories.some((t) => t.territoryId === territory.id),
        ),
      120_000,
      'every assign applied in Zoho',
    );
    await eventually(
      async () => {
        const done = await stack.bot.services.store.listRequestsByState(['done'], 1_000);
        return done.length >= leads.length;
      },
      120_000,
      'every assign request done',
    );
    const answers = stack.slack.responses().map((r) => JSON.stringify(r.body));
    expect(answers.filter((a) => ERROR_TEXT.test(a))).toEqual([]);
  }, 240_000);
});
