/**
 * Several replicas behave as one app (DESIGN.md §9): two processes running src/main.ts on one
 * PostgreSQL schema, against one Slack emulator and one Zoho simulator. Both start at once (and
 * race to migrate), both schedule the monitor, yet there is one run per period and one alert
 * per condition; a bulk submitted on one replica is approved on the other; the replica sending
 * it is killed with SIGKILL mid-bulk, and the other finishes it: every record written once,
 * none lost, one final reply.
 *
 * Takeover time (kill → the survivor's first assign call) is logged as
 * `replica takeover: N ms`; leases (src/core/replica.ts) make it about 8-11 s. On a loaded
 * machine only a loose bound is asserted; the figure is for the note.
 * Needs PostgreSQL (TEST_DATABASE_URL or the local server; .ci/run provides one).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS, type SlackEmulator, startSlackEmulator } from '../../src/sandbox/slack/index.js';
import { bigSeed, startZohoSimulator, type ZohoSimulator } from '../../src/sandbox/zoho/index.js';
import {
  createTestSchema,
  probePostgres,
  type TestSchema,
  unreachableMessage,
} from '../integration/store/pg.js';
import {
  approvalCard,
  content,
  csvOf,
  decide,
  type FlowStack,
  finalReply,
  openReview,
  parentMessage,
  previewList,
  submitPreview,
} from './bulk-flow.js';
import { eventually } from './harness.js';
import { isAssignCall, type ReplicaSet, recordIdsOf, startReplicas } from './replicas-harness.js';

const unreachable = await probePostgres();
const SIGNING_SECRET = 'replicas-signing-secret';
/** Every 4 s (6 fields: seconds first); 60 is a multiple of 4, so periods align to epoch/4 s. */
const PERIOD_MS = 4_000;
const BULK = 1_500;
/** The sender is killed when its proxy sees this many of its assign calls (of 15). */
const KILL_AFTER_CALLS = 3;

if (unreachable === null) {
  describe('two replicas on one PostgreSQL database', () => {
    let schema: TestSchema;
    let zoho: ZohoSimulator;
    let slack: SlackEmulator;
    let set: ReplicaSet;
    let db: pg.Client;
    let dir: string;
    let watchedName: string;
    const flow = (i: number): FlowStack => ({ slack, driver: set.replicas[i]!.driver });

    beforeAll(async () => {
      schema = await createTestSchema();
      db = new pg.Client({ connectionString: schema.url });
      await db.connect();
      zoho = await startZohoSimulator({
        seed: bigSeed({ territories: 40, records: BULK }),
        jobDelayMs: 500,
        maxLogEntries: 100_000,
      });
      slack = await startSlackEmulator();
      // The monitor watches one territory (not the bulk's), which the test deletes: one condition.
      const watched = zoho.territories()[1]!;
      watchedName = watched.name;
      dir = mkdtempSync(path.join(tmpdir(), 'territory-replicas-'));
      const routing = path.join(dir, 'routing.yml');
      writeFileSync(routing, `territories:\n  - id: "${watched.id}"\n    modules: [Leads]\n`);
      set = await startReplicas({
        names: ['replica-1', 'replica-2'],
        zoho,
        slack,
        databaseUrl: schema.url,
        signingSecret: SIGNING_SECRET,
        env: {
          OPS_CHANNEL: DEMO_IDS.opsAlerts,
          APPROVALS_CHANNEL: DEMO_IDS.approvals,
          APPROVER_USER_IDS: `${DEMO_IDS.manager},${DEMO_IDS.ops}`,
          OPS_USER_IDS: DEMO_IDS.ops,
          MONITOR_CRON: '*/4 * * * * *',
          ROUTING_CONFIG: routing,
          ZOHO_MAX_CONCURRENCY: '2',
        },
        startTimeoutMs: 90_000,
      });
    }, 120_000);

    afterAll(async () => {
      await set?.close();
      await slack?.close();
      await zoho?.close();
      await db?.end().catch(() => {});
      await schema?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 60_000);

    it('both start at once on a new schema: each migration applied once, both serving', async () => {
      expect(set.replicas).toHaveLength(2);
      const migrations = await db.query<{ name: string }>('select name from kysely_migration order by name');
      const names = migrations.rows.map((r) => r.name);
      expect(names.length).toBeGreaterThan(0);
      expect(new Set(names).size).toBe(names.length);
      for (const r of set.replicas) {
        const res = await fetch(`http://127.0.0.1:${r.port}/healthz`);
        expect([200, 503]).toContain(res.status);
        expect(r.logs.some((l) => l.msg === 'territory monitor scheduled')).toBe(true);
      }
    });

    it('one monitor run per period and one alert per condition, with both replicas scheduled', async () => {
      const watched = zoho.territoryByName(watchedName)!;
      zoho.deleteTerritory(watched.id);
      // The only condition this org has: every ops message is about it.
      const ops = () => slack.messages(DEMO_IDS.opsAlerts);
      await eventually(() => ops().length > 0, 60_000, 'the alert in the ops channel').catch(async (err) => {
        const last = await db.query('select outcome, details from monitor_runs order by id desc limit 1');
        const calls = slack
          .calls()
          .filter((c) => c.method.startsWith('chat.'))
          .slice(-5);
        throw new Error(
          `${String(err)}; last run: ${JSON.stringify(last.rows[0] ?? null)}; chat calls: ${JSON.stringify(calls)}`,
        );
      });
      const firstAlertRuns = await runCount();
      // Three more periods: each replica's cron fired in every one of them.
      await eventually(
        async () => (await runCount()) >= firstAlertRuns + 3,
        60_000,
        'three more monitor runs',
      );
      expect(ops()).toHaveLength(1);
      expect(content(ops()[0]!)).toContain(watched.id);
      const alerts = await db.query<{ n: number }>(
        "select count(*)::int as n from alerts where state = 'firing'",
      );
      expect(alerts.rows[0]?.n).toBe(1);
      const runs = await db.query<{ started_at: string }>('select started_at from monitor_runs');
      const perPeriod = new Map<number, number>();
      for (const r of runs.rows) {
        const period = Math.floor(Number(r.started_at) / PERIOD_MS);
        perPeriod.set(period, (perPeriod.get(period) ?? 0) + 1);
      }
      expect(Math.max(...perPeriod.values())).toBe(1);
      for (const r of set.replicas)
        expect(r.logs.some((l) => l.msg === 'territory monitor scheduled')).toBe(true);
      // One replica holds the monitor lease and ran every period; the other, asked for
      // `/territory health`, checks without updating alerts or recording a run.
      const holdersOf = async () => {
        const rows = await db.query<{ details: string }>('select details from monitor_runs');
        return rows.rows.map((r) => JSON.parse(r.details) as { holder: string; trigger: string });
      };
      const holders = new Set((await holdersOf()).map((d) => d.holder));
      expect(holders.size).toBe(1);
      const holderPid = Number([...holders][0]!.split(':')[1]);
      expect(set.replicas.map((r) => r.child.pid)).toContain(holderPid);
      const other = set.replicas.find((r) => r.child.pid !== holderPid)!;
      await other.driver.command({ user: DEMO_IDS.ops, channel: DEMO_IDS.opsAlerts, text: 'health' });
      await eventually(
        () =>
          slack.responses().find((r) => JSON.stringify(r.body).includes('Another replica runs the monitor')),
        60_000,
        "the other replica's health answer",
      );
      const afterHealth = await holdersOf();
      expect(new Set(afterHealth.map((d) => d.holder)).size).toBe(1);
      expect(afterHealth.map((d) => d.trigger)).not.toContain('manual');
      expect(ops()).toHaveLength(1);
    }, 150_000);

    it('a bulk submitted on one replica, approved on the other; its sender killed mid-bulk, the other finishes it', async () => {
      const territory = zoho.territories().at(-1)!;
      const ids = zoho
        .records('Leads')
        .slice(0, BULK)
        .map((r) => r.id);
      expect(ids).toHaveLength(BULK);

      const { requestId } = await previewList(flow(0), {
        csv: csvOf(
          ids.map((id) => `Leads/${id}`),
          'record',
        ),
        defaultTerritoryId: territory.id,
        reason: 'replica takeover',
      });
      await submitPreview(flow(0));
      const card = await approvalCard(flow(1), requestId, DEMO_IDS.approvals, 30_000);
      await openReview(flow(1), DEMO_IDS.manager, card);

      // Slow Zoho down so the bulk (15 assign calls, 2 at a time) is still going at the kill.
      zoho.faults.setLatency(400);
      let killedAt = 0;
      let killed = '';
      const sentBy = new Map<string, number>();
      set.onCall = (call) => {
        if (killed || !isAssignCall(call)) return;
        const n = (sentBy.get(call.replica) ?? 0) + 1;
        sentBy.set(call.replica, n);
        if (n === KILL_AFTER_CALLS) {
          killed = call.replica;
          killedAt = Date.now();
          set.replicas.find((r) => r.name === call.replica)!.kill();
        }
      };
      await decide(flow(1), DEMO_IDS.manager, 'approve');
      await eventually(() => killedAt > 0, 90_000, 'the sending replica to be killed mid-bulk');
      const victim = set.replicas.find((r) => r.name === killed)!;
      const survivorIndex = set.replicas.findIndex((r) => r.name !== killed);
      const survivor = set.replicas[survivorIndex]!;
      await victim.exited;

      const resumed = await eventually(
        () => set.calls.find((c) => isAssignCall(c) && c.replica === survivor.name && c.at > killedAt),
        120_000,
        'the survivor to resume sending',
      );
      const takeoverMs = resumed.at - killedAt;
      console.log(
        `replica takeover: ${takeoverMs} ms from SIGKILL of ${killed} to ${survivor.name}'s first assign call ` +
          `(target ≤ 15000 ms: ${takeoverMs <= 15_000 ? 'met' : 'MISSED'})`,
      );
      // Loose on purpose (a loaded 2-core machine); the leases give ≤ ~12 s, the figure is logged.
      expect(takeoverMs).toBeLessThan(30_000);

      const parent = await parentMessage(flow(survivorIndex), requestId);
      await finalReply(flow(survivorIndex), parent, 180_000);
      zoho.faults.setLatency(0);
      // Nothing accepted twice: every record went out in exactly one assign call, from either replica.
      const sends = new Map<string, number>();
      for (const c of set.calls.filter(isAssignCall))
        for (const id of recordIdsOf(c)) sends.set(id, (sends.get(id) ?? 0) + 1);
      expect(sends.size).toBe(BULK);
      expect([...sends.values()].filter((n) => n !== 1)).toEqual([]);
      expect(sentBy.get(killed)).toBe(KILL_AFTER_CALLS);
      // Nothing lost: Zoho holds the territory on every record, every item is done.
      const missing = ids.filter(
        (id) => !zoho.record('Leads', id)?.territories.some((t) => t.territoryId === territory.id),
      );
      expect(missing).toEqual([]);
      const items = await db.query<{ state: string; n: number }>(
        'select state, count(*)::int as n from request_items where request_id = $1 group by state',
        [requestId],
      );
      expect(Object.fromEntries(items.rows.map((r) => [r.state, r.n]))).toEqual({ done: BULK });
      // Exactly one final reply, still one after the survivor's next sweeps.
      await new Promise((r) => setTimeout(r, 4_000));
      const finals = slack
        .thread(DEMO_IDS.sales, parent.ts)
        .filter((m) => /Bulk request (finished|done)/.test(m.text ?? ''));
      expect(finals).toHaveLength(1);
    }, 400_000);

    async function runCount(): Promise<number> {
      const res = await db.query<{ n: number }>('select count(*)::int as n from monitor_runs');
      return res.rows[0]?.n ?? 0;
    }
  });
} else if (process.env.CI) {
  describe('two replicas on one PostgreSQL database', () => {
    it('needs PostgreSQL in CI', () => {
      throw new Error(
        `${unreachableMessage(unreachable)} CI is set, so the replica test may not be skipped.`,
      );
    });
  });
} else {
  console.warn(`Skipping the replica end-to-end test: ${unreachableMessage(unreachable)}`);
  describe.skip('two replicas on one PostgreSQL database (PostgreSQL unreachable)', () => {
    it('runs two app processes on one database', () => {});
  });
}
