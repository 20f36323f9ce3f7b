/**
 * One production session: the Zoho simulator, the Slack emulator, the app (`node dist/main.js`,
 * or the same under tsx) and the command driver, each in a process of its own; then the figures
 * of DESIGN.md §9 measured from outside the app, as a person and an operator would see them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ZohoClient } from '../../src/core/zoho/index.js';
import { DEMO_IDS } from '../../src/sandbox/slack/demo.js';
import type { RemoteOrg } from '../bench-engine.js';
import { type LineChild, readCpuMs, readRss, sampleRss, startLineChild } from './children.js';
import type { DriverInput } from './command-driver.js';
import { formatHeapSummary, type HeapSnapshotJson, summariseHeapSnapshot } from './heap-summary.js';

export type Runtime = 'dist' | 'tsx';

export interface SessionOptions {
  runtime: Runtime;
  latencyMs: number;
  concurrency: number;
  /** Job durations for the confirmation-lag figures, ms. */
  lagJobsMs: number[];
  /** Write a heap snapshot summary of the app at the bulk's peak to this file (null: none). */
  heapSummaryFile: string | null;
}

/** Figures of one session, keyed by figure name; run.ts merges dist and tsx. */
export type SessionFigures = Record<string, Record<string, unknown> & { value: number }>;

const SIGNING_SECRET = 'bench-signing-secret';
const BIG = 10_000;
const MEDIUM = 2_000;
const LAG_RECORDS = 100;

interface SlackInfo {
  apiUrl: string;
  botToken: string;
  team: { id: string; domain: string };
  bot: { appId: string };
}

interface BulkResult {
  requestId: string;
  approveSentAt: number;
  approvedAt: number;
  finalAt: number;
  finalText: string;
}

interface SimCalls {
  calls: Array<{ operation: string; count: number; firstAt: number; lastAt: number }>;
  jobs_finished: { count: number; lastFinishedAt: number | null };
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

/** BENCH_PARTS (default all): idle,roundtrip,big,medium,lag,heap — a focused run measures only these. */
const PARTS = process.env.BENCH_PARTS?.split(',').map((s) => s.trim());
const part = (name: string) => !PARTS || PARTS.includes(name);

/** The app's pid while a session runs: bulks read its CPU time. */
let appPid: number | null = null;

export async function runSession(opts: SessionOptions): Promise<SessionFigures> {
  const figures: SessionFigures = {};
  const dataDir = mkdtempSync(path.join(tmpdir(), `territory-bench-${opts.runtime}-`));
  const children: LineChild[] = [];
  let app: ChildProcess | null = null;
  try {
    const sim = startLineChild([
      // BENCH_CPU_PROF profiles the simulator too (its own file in the same directory).
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '--import',
      'tsx',
      'bench/sim-process.ts',
      '--records',
      String(BIG),
      '--latency-ms',
      String(opts.latencyMs),
    ]);
    children.push(sim);
    const org = JSON.parse(await sim.nextLine()) as RemoteOrg;
    const simAdmin = async <T>(p: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${org.apiDomain}/__sim/${p}`, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await res.json()) as T;
    };

    const slack = startLineChild(['--import', 'tsx', 'bench/prod/slack-process.ts']);
    children.push(slack);
    const slackInfo = JSON.parse(await slack.nextLine()) as SlackInfo;

    const started = await startApp(opts.runtime, org, slackInfo, dataDir);
    app = started.child;
    const pid = app.pid!;
    appPid = pid;
    const eventsUrl = `http://127.0.0.1:${started.port}/slack/events`;
    await slack.request({ op: 'connect', eventsUrl, signingSecret: SIGNING_SECRET });

    // Idle: started, nothing asked of it yet. A bot spends its life idle: the figure is the
    // settled RSS, once V8's memory reducer has given start-up garbage back (it runs after some
    // 15-20 s of low allocation); 5 s after start is reported beside it.
    await sleep(5_000);
    const afterStart = readRss(pid)!;
    // A focused run without `idle` skips the settling (up to a minute).
    if (part('idle')) {
      const idle = await settledRss(pid);
      const idleProbe = probeAt(path.join(dataDir, 'memory.csv'), Date.now() - 1_000, Date.now());
      figures.idle_rss = {
        value: round(idle.rssMb),
        unit: 'MB',
        target: 100,
        after_start_5s_mb: round(afterStart.rssMb),
        settled_after_s: idle.afterS + 5,
        hwm_mb: round(idle.hwmMb),
        heap_total_mb: idleProbe.at_peak_heap_total_mb ?? NaN,
        heap_used_mb: idleProbe.at_peak_heap_used_mb ?? NaN,
        note: 'idle before any request, settled (RSS steady for 10 s, at least 25 s after start); VmRSS from /proc',
      };
    }

    // Round trip of slash commands from the driver's own process.
    const cpuBefore = readCpuMs(pid);
    const rt = part('roundtrip') ? await roundTrip(slack, eventsUrl, slackInfo, org.accountIds) : null;
    const appCpuMs = readCpuMs(pid) - cpuBefore;
    if (rt)
      figures.slash_command_round_trip_p99 = {
        value: rt.p99,
        unit: 'ms',
        target: 100,
        p50: rt.p50,
        in_flight: 50,
        commands: rt.count,
        failures: rt.failures,
        driver_cpu_ms: rt.driverCpuMs,
        app_cpu_ms_with_warmup: appCpuMs,
        measured: 'driver in its own process → app → ack, help and show commands alternating',
      };

    const territories = [...org.territoryIds];
    const csvOf = (ids: readonly string[]) => `record\n${ids.map((id) => `Accounts/${id}`).join('\n')}\n`;

    // The 10,000-record bulk: peak RSS, send wall time, lag after its (short) jobs.
    const bigIds = org.accountIds.slice(0, BIG);
    const bigTerritory = territories.pop()!;
    const bigStart = Date.now();
    const beforeBulk = readRss(pid)!;
    const sampler = part('big') ? sampleRss(pid) : null;
    const big = sampler ? await bulk(slack, sim, simAdmin, csvOf(bigIds), bigTerritory) : null;
    const mem = sampler?.stop();
    if (big && mem)
      figures.bulk_10000_peak_rss = {
        value: round(mem.peakMb),
        unit: 'MB',
        target: 150,
        vm_hwm_mb: round(mem.hwmMb),
        before_bulk_mb: round(beforeBulk.rssMb),
        peak_after_approval_ms: mem.peakAt - big.result.approveSentAt,
        final_reply_after_approval_ms: big.result.finalAt - big.result.approveSentAt,
        samples: mem.samples,
        ...probeAt(path.join(dataDir, 'memory.csv'), bigStart, big.result.finalAt),
        note: 'CSV uploaded, previewed, approved in the review modal; VmRSS sampled every 20 ms from /proc',
      };
    if (big) Object.assign(figures, sendFigures(BIG, big, opts));

    if (part('medium')) {
      const medium = await bulk(
        slack,
        sim,
        simAdmin,
        csvOf(org.accountIds.slice(0, MEDIUM)),
        territories.pop()!,
      );
      Object.assign(figures, sendFigures(MEDIUM, medium, opts));
    }

    // Confirmation lag: Zoho finishing the last job → the final thread reply, per job duration.
    for (const jobMs of part('lag') ? opts.lagJobsMs : []) {
      await simAdmin('faults/jobs', { delay_ms: jobMs });
      const lagRun = await bulk(
        slack,
        sim,
        simAdmin,
        csvOf(org.accountIds.slice(0, LAG_RECORDS)),
        territories.pop()!,
      );
      const target = jobMs <= 1_000 ? 2_000 : jobMs * 0.1;
      figures[`confirmation_lag_${jobMs / 1000}s_job`] = {
        value: lagRun.lagMs,
        unit: 'ms',
        target,
        job_ms: jobMs,
        polling_calls: lagRun.pollCalls,
        feature_info_calls: lagRun.featureInfo,
        record_reads: lagRun.recordReads,
        records: LAG_RECORDS,
        naive_fixed_1s_polling_calls: Math.ceil(jobMs / 1000) * Math.ceil(LAG_RECORDS / 100),
        naive_note: 'computed, not run: one status call per 100 records every second until done',
      };
    }
    await simAdmin('faults/jobs', { delay_ms: 200 });

    if (part('idle')) {
      const rightAfter = readRss(pid)!;
      // After a bulk the memory reducer waits for allocation to calm down: some 30-40 s.
      const settled = await settledRss(pid, 45);
      figures.idle_rss_after_work = {
        value: round(settled.rssMb),
        unit: 'MB',
        target: 100,
        right_after_mb: round(rightAfter.rssMb),
        settled_after_s: settled.afterS,
        note: 'idle again after every bulk of the session has finished, settled as idle_rss is',
      };
    }

    // What the simulator and the Zoho client cost without the app: the floor under the send
    // wall time (each call carries 100 records; the simulator answers after its latency plus
    // its own work, and both sides parse and build JSON).
    if (part('big') || part('medium')) {
      const floor = await clientAloneWallTime(org, BIG, opts.concurrency, opts.latencyMs);
      figures.zoho_client_alone_10000_send_wall_time = {
        value: floor.ms,
        unit: 'ms',
        whole_waves_bound: floor.bound,
        ratio_to_whole_waves: round(floor.ms / floor.bound, 2),
        assign_calls: floor.calls,
        latency_ms: opts.latencyMs,
        concurrency: opts.concurrency,
        measured:
          'the bench process alone calls assign_territories (100 records each) through ZohoClient, 5 at a time',
      };
    }

    if (opts.heapSummaryFile && figures.bulk_10000_peak_rss && part('heap')) {
      // The same bulk again, a snapshot taken when the first one peaked (offset from approval).
      const peak = {
        heapUsedMb: Number(figures.bulk_10000_peak_rss.max_heap_used_mb ?? 0) || Number.POSITIVE_INFINITY,
        offsetMs: Math.max(0, figures.bulk_10000_peak_rss.peak_after_approval_ms as number),
      };
      const heap = await heapAtPeak(app, dataDir, peak, (onApprove) =>
        bulk(slack, sim, simAdmin, csvOf(bigIds), territories.pop()!, onApprove),
      );
      if (heap) {
        writeFileSync(opts.heapSummaryFile, heap.text);
        figures.bulk_10000_heap_at_peak = {
          value: round(heap.totalMb),
          unit: 'MB',
          file: opts.heapSummaryFile,
          top: heap.top,
          rss_at_signal_mb: round(heap.rssAtSignalMb),
          heap_used_at_signal_mb: round(heap.heapUsedAtSignalMb),
          note: 'live heap (snapshot after GC, self sizes) of the app near its peak RSS, in a second 10,000 bulk',
        };
      }
    }
    return figures;
  } finally {
    if (app && app.exitCode === null) {
      app.kill('SIGTERM');
      await Promise.race([once(app, 'exit'), sleep(20_000)]);
      if (app.exitCode === null) app.kill('SIGKILL');
    }
    for (const c of children.reverse()) await c.stop();
    if (process.env.BENCH_KEEP_DATA) process.stderr.write(`bench data kept in ${dataDir}\n`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * What the in-app probe saw between two times: the process.memoryUsage() sample with the highest
 * RSS (is the peak V8 heap, native or buffers?) and the highest heapUsed (live + garbage not yet collected).
 */
function probeAt(file: string, from: number, to: number): Record<string, number> {
  if (!existsSync(file)) return {};
  const mb = (b: number) => round(b / 1024 / 1024);
  let top: number[] | null = null;
  let maxHeapUsed = 0;
  let maxHeapTotal = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const v = line.split(',').map(Number);
    if (v.length < 6 || v[0]! < from || v[0]! > to) continue;
    if (!top || v[1]! > top[1]!) top = v;
    maxHeapUsed = Math.max(maxHeapUsed, v[3]!);
    maxHeapTotal = Math.max(maxHeapTotal, v[2]!);
  }
  if (!top) return {};
  return {
    at_peak_heap_total_mb: mb(top[2]!),
    at_peak_heap_used_mb: mb(top[3]!),
    at_peak_external_mb: mb(top[4]!),
    at_peak_array_buffers_mb: mb(top[5]!),
    max_heap_used_mb: mb(maxHeapUsed),
    max_heap_total_mb: mb(maxHeapTotal),
  };
}

/** N records assigned through the client alone, 100 per call, `concurrency` calls at a time. */
async function clientAloneWallTime(org: RemoteOrg, records: number, concurrency: number, latencyMs: number) {
  const api = new ZohoClient({
    accountsUrl: org.accountsUrl,
    ...org.credentials,
    apiDomain: org.apiDomain,
    maxConcurrency: concurrency,
  });
  try {
    await api.listTerritories(); // token and connection, outside the timing
    const ids = org.accountIds.slice(0, records);
    const calls = Math.ceil(ids.length / 100);
    const territory = org.territoryIds[0]!;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < calls) {
          const i = next++;
          const changes = ids
            .slice(i * 100, i * 100 + 100)
            .map((recordId) => ({ recordId, territoryIds: [territory] }));
          await api.assignTerritories('Accounts', changes);
        }
      }),
    );
    const ms = round(performance.now() - t0);
    return { ms, calls, bound: Math.ceil(calls / concurrency) * latencyMs };
  } finally {
    await api.close();
  }
}

/**
 * RSS once it stops moving: sampled every second, settled when the last 10 s stayed within
 * 1 MB and at least `minS` seconds have passed (at most 90 s).
 */
async function settledRss(pid: number, minS = 20): Promise<{ rssMb: number; hwmMb: number; afterS: number }> {
  const samples: number[] = [];
  for (let s = 1; s <= 90; s += 1) {
    await sleep(1_000);
    const now = readRss(pid)!;
    samples.push(now.rssMb);
    const last = samples.slice(-10);
    if (s >= minS && last.length === 10 && Math.max(...last) - Math.min(...last) <= 1) {
      return { ...now, afterS: s };
    }
  }
  return { ...readRss(pid)!, afterS: 90 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function startApp(runtime: Runtime, org: RemoteOrg, slack: SlackInfo, dataDir: string) {
  const args = runtime === 'dist' ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    ZOHO_CLIENT_ID: org.credentials.clientId,
    ZOHO_CLIENT_SECRET: org.credentials.clientSecret,
    ZOHO_REFRESH_TOKEN: org.credentials.refreshToken,
    ZOHO_ACCOUNTS_URL: org.accountsUrl,
    DATABASE_URL: `sqlite:${path.join(dataDir, 'territory-bot.db')}`,
    OPS_CHANNEL: DEMO_IDS.opsAlerts,
    APPROVALS_CHANNEL: DEMO_IDS.approvals,
    APPROVER_USER_IDS: DEMO_IDS.manager,
    APPROVER_USERGROUP: DEMO_IDS.approvers,
    OPS_USER_IDS: DEMO_IDS.ops,
    // No monitor run in the middle of a measurement (it reads Zoho and posts on its own).
    MONITOR_CRON: '0 0 1 1 *',
    LOG_LEVEL: 'info',
    BENCH_MEMORY_PROBE: path.join(dataDir, 'memory.csv'),
    ...(process.env.BENCH_ALLOC_PROF ? { BENCH_ALLOC_PROF: process.env.BENCH_ALLOC_PROF } : {}),
    ...(process.env.BENCH_GC_LOG ? { BENCH_GC_LOG: process.env.BENCH_GC_LOG } : {}),
    ...(process.env.BENCH_ALLOC_PROMOTED ? { BENCH_ALLOC_PROMOTED: '1' } : {}),
    ...(process.env.BENCH_ALLOC_FROM_APPROVAL ? { BENCH_ALLOC_FROM_APPROVAL: '1' } : {}),
    // To try environment settings of the app (e.g. MALLOC_ARENA_MAX=2); the README's figures use none.
    ...(process.env.BENCH_APP_ENV
      ? Object.fromEntries(process.env.BENCH_APP_ENV.split(' ').map((kv) => kv.split('=')))
      : {}),
  };
  const flags = [
    '--heapsnapshot-signal=SIGUSR2',
    `--diagnostic-dir=${dataDir}`,
    '--import',
    './bench/prod/memory-probe.mjs',
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    // Sampled allocations by call site, written when the app exits (where the peak's garbage comes from).
    ...(process.env.BENCH_HEAP_PROF ? ['--heap-prof', `--heap-prof-dir=${process.env.BENCH_HEAP_PROF}`] : []),
    // To try V8 settings (e.g. --max-semi-space-size=2); the figures the README reports use none.
    ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
  ];
  const child = spawn(process.execPath, [...flags, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  const problems: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the app did not start: ${problems.join('\n')}`)),
      60_000,
    );
    child.once('exit', (code) => reject(new Error(`the app exited with ${code}: ${problems.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return void problems.push(line);
      const entry = JSON.parse(line) as { level: number; msg?: string; port?: number };
      if (entry.msg === 'territory-bot started' && entry.port) {
        clearTimeout(timer);
        resolve(entry.port);
      }
      // Warnings and errors go to the bench's stderr: a figure from a failing app means nothing.
      if (entry.level >= 40 && problems.length < 50) {
        problems.push(line.slice(0, 500));
        process.stderr.write(`[app ${runtime}] ${line.slice(0, 500)}\n`);
      }
    });
  });
  return { child, port };
}

async function roundTrip(slack: LineChild, eventsUrl: string, info: SlackInfo, accountIds: string[]) {
  const warmup = 100;
  const count = 500;
  const minted = await slack.request<{
    items: DriverInput['mints'];
    userName: string;
    channelName: string;
  }>({ op: 'mint', user: DEMO_IDS.rep, channel: DEMO_IDS.sales, count: warmup + count });
  const input: DriverInput = {
    eventsUrl,
    signingSecret: SIGNING_SECRET,
    team: info.team,
    appId: info.bot.appId,
    user: { id: DEMO_IDS.rep, name: minted.userName },
    channel: { id: DEMO_IDS.sales, name: minted.channelName },
    mints: minted.items,
    texts: ['help', ...accountIds.slice(0, 50).map((id) => `show Accounts/${id}`)].flatMap((t, i) =>
      i === 0 ? [] : ['help', t],
    ),
    inFlight: 50,
    warmup,
    count,
  };
  const driver = startLineChild(['--import', 'tsx', 'bench/prod/command-driver.ts']);
  try {
    driver.child.stdin!.write(`${JSON.stringify(input)}\n`);
    const out = JSON.parse(await driver.nextLine(300_000)) as {
      times: number[];
      failures: number;
      driverCpuMs: number;
    };
    const sorted = out.times.sort((a, b) => a - b);
    const pct = (p: number) =>
      round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN, 1);
    return {
      p50: pct(50),
      p99: pct(99),
      count: sorted.length,
      failures: out.failures,
      driverCpuMs: out.driverCpuMs,
    };
  } finally {
    await driver.stop();
  }
}

/** Drives one bulk through Slack and reads, from the simulator, what Zoho saw after the approval. */
async function bulk(
  slack: LineChild,
  _sim: LineChild,
  simAdmin: <T>(p: string, body?: unknown) => Promise<T>,
  csv: string,
  territoryId: string,
  onApprove?: () => void,
) {
  await slack.request({ op: 'prepare', csv, territoryId });
  await simAdmin('reset-calls', {});
  // BENCH_ALLOC_FROM_APPROVAL: the app's allocation profile covers the send and confirmation only.
  if (process.env.BENCH_ALLOC_PROF && process.env.BENCH_ALLOC_FROM_APPROVAL)
    writeFileSync(`${process.env.BENCH_ALLOC_PROF}.start`, '');
  onApprove?.();
  const cpuBefore = appPid === null ? Number.NaN : readCpuMs(appPid);
  const result = await slack.request<BulkResult>({ op: 'approve' });
  const appCpuMs = appPid === null ? Number.NaN : readCpuMs(appPid) - cpuBefore;
  if (!/done/.test(result.finalText)) process.stderr.write(`[bench] final reply: ${result.finalText}\n`);
  const calls = await simAdmin<SimCalls>('calls');
  const op = (name: string) => calls.calls.filter((c) => c.operation === name);
  const sum = (name: string) => op(name).reduce((n, c) => n + c.count, 0);
  const assign = op('assignTerritories')[0];
  const featureInfo = sum('getFeatureSpecificInfo');
  const recordReads = sum('getRecords');
  const lastJob = calls.jobs_finished.lastFinishedAt;
  return {
    result,
    assignCalls: sum('assignTerritories'),
    assignFirstAt: assign?.firstAt ?? NaN,
    assignLastAt: assign?.lastAt ?? NaN,
    featureInfo,
    recordReads,
    pollCalls: featureInfo + recordReads,
    jobsFinished: calls.jobs_finished.count,
    lagMs: lastJob === null ? NaN : result.finalAt - lastJob,
    appCpuMs,
  };
}

function sendFigures(n: number, run: Awaited<ReturnType<typeof bulk>>, opts: SessionOptions): SessionFigures {
  const batches = Math.ceil(n / 100);
  const bound = (batches / opts.concurrency) * opts.latencyMs;
  const waves = Math.ceil(batches / opts.concurrency) * opts.latencyMs;
  const sendMs = run.assignLastAt - run.result.approveSentAt;
  return {
    [`bulk_${n}_send_wall_time`]: {
      value: Math.round(sendMs),
      unit: 'ms',
      target: round(1.25 * waves),
      whole_waves_bound: waves,
      ratio_to_whole_waves: round(sendMs / waves, 2),
      bound: round(bound),
      ratio: round(sendMs / bound, 2),
      zoho_span_ms: Math.round(run.assignLastAt - run.assignFirstAt + opts.latencyMs),
      first_assign_after_approval_ms: Math.round(
        run.assignFirstAt - opts.latencyMs - run.result.approveSentAt,
      ),
      assign_calls: run.assignCalls,
      app_cpu_ms_approval_to_final_reply: Math.round(run.appCpuMs),
      latency_ms: opts.latencyMs,
      concurrency: opts.concurrency,
      measured: 'approval submitted in the review modal → the simulator answered the last assign call',
    },
    [`bulk_${n}_final_reply_lag`]: {
      value: Math.round(run.lagMs),
      unit: 'ms',
      target: 2_000,
      polling_calls: run.pollCalls,
      jobs: run.jobsFinished,
      approval_to_final_reply_ms: run.result.finalAt - run.result.approveSentAt,
      measured: 'Zoho finished the last job (200 ms jobs) → final thread reply posted',
    },
  };
}

/** heapUsed (MB) of the probe's newest line. */
function latestHeapUsedMb(file: string): number {
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(size, 512));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      const last = buf.toString('utf8').trimEnd().split('\n').at(-1)?.split(',') ?? [];
      return Number(last[3] ?? 0) / 1024 / 1024;
    } finally {
      closeSync(fd);
    }
  } catch {
    return 0;
  }
}

/**
 * Runs `work` (the same bulk again) and signals the app for a heap snapshot once its heapUsed
 * comes within 10% of the first bulk's highest (or, failing that, at the first RSS peak's offset
 * from the approval). V8 collects garbage before it writes the snapshot, so the summary holds
 * what is live at that moment, and heapUsed beside it says how much was garbage.
 */
async function heapAtPeak(
  app: ChildProcess,
  dir: string,
  peak: { heapUsedMb: number; offsetMs: number },
  work: (onApprove: () => void) => Promise<unknown>,
): Promise<{
  text: string;
  totalMb: number;
  top: string[];
  rssAtSignalMb: number;
  heapUsedAtSignalMb: number;
} | null> {
  const before = new Set(readdirSync(dir));
  const probe = path.join(dir, 'memory.csv');
  let rssAtSignalMb = 0;
  let heapUsedAtSignalMb = 0;
  let watch: NodeJS.Timeout | undefined;
  let fallback: NodeJS.Timeout | undefined;
  const signal = () => {
    clearInterval(watch);
    clearTimeout(fallback);
    if (rssAtSignalMb > 0) return;
    rssAtSignalMb = readRss(app.pid!)?.rssMb ?? 0;
    heapUsedAtSignalMb = latestHeapUsedMb(probe);
    app.kill('SIGUSR2');
  };
  await work(() => {
    watch = setInterval(() => {
      if (latestHeapUsedMb(probe) >= 0.9 * peak.heapUsedMb) signal();
    }, 20);
    fallback = setTimeout(signal, peak.offsetMs);
  });
  // A bulk that peaks as it ends (its final reply) is over before the fallback fires: the
  // snapshot is taken then, or there would be none.
  signal();
  const newSnapshot = () => readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
  for (let waited = 0; !newSnapshot() && waited < 30_000; waited += 250) await sleep(250);
  const file = newSnapshot();
  if (!file) return null;
  const full = path.join(dir, file);
  // The snapshot is written synchronously by the app; wait until its size settles.
  for (let last = -1; ; ) {
    const size = existsSync(full) ? statSync(full).size : 0;
    if (size === last && size > 0) break;
    last = size;
    await sleep(500);
  }
  const summary = summariseHeapSnapshot(JSON.parse(readFileSync(full, 'utf8')) as HeapSnapshotJson);
  rmSync(full, { force: true });
  return {
    text: `app RSS ${rssAtSignalMb.toFixed(0)} MB and heapUsed ${heapUsedAtSignalMb.toFixed(0)} MB (live + garbage) when signalled\n${formatHeapSummary(summary)}`,
    totalMb: summary.totalBytes / 1024 / 1024,
    top: summary.topConstructors
      .slice(0, 5)
      .map((g) => `${g.name} ${(g.selfBytes / 1024 / 1024).toFixed(1)} MB`),
    rssAtSignalMb,
    heapUsedAtSignalMb,
  };
}
