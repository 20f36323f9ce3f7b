/**
 * Several replicas for the end-to-end replica test: the real entry point (src/main.ts) started
 * in child processes, each with its own HTTP port, all on one PostgreSQL schema, against one
 * Slack emulator and one Zoho simulator running in the test process.
 *
 * Each replica reaches Zoho through its own small recording proxy, so the test knows which
 * replica sent which call and when it arrived (the simulator's own log cannot tell replicas
 * apart, and records a call when it answers, not when it arrives).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { SlackEmulator } from '../../src/sandbox/slack/index.js';
import { SlackDriver } from '../../src/sandbox/slack/index.js';
import type { ZohoSimulator } from '../../src/sandbox/zoho/index.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ProxiedCall {
  replica: string;
  method: string;
  path: string;
  /** Date.now() when the whole request had arrived at the proxy. */
  at: number;
  body: unknown;
}

interface ZohoProxy {
  url: string;
  close(): Promise<void>;
}

/** Forwards everything to the simulator, noting each call before it is passed on. */
async function startZohoProxy(
  target: string,
  replica: string,
  onCall: (call: ProxiedCall) => void,
): Promise<ZohoProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {});
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown = null;
      try {
        body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : null;
      } catch {
        body = raw.toString('utf8');
      }
      onCall({ replica, method: req.method ?? 'GET', path: req.url ?? '/', at: Date.now(), body });
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          res.on('error', () => {});
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => {
        if (!res.headersSent) res.writeHead(502).end();
      });
      out.end(raw);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Replica {
  name: string;
  child: ChildProcess;
  port: number;
  driver: SlackDriver;
  /** Parsed JSON log lines (pino) the process wrote. */
  logs: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  /** SIGKILL: no shutdown hook runs, leases stay behind. */
  kill(): void;
  /** SIGTERM and wait for the graceful stop. */
  stop(): Promise<void>;
}

export interface ReplicaSet {
  replicas: Replica[];
  calls: ProxiedCall[];
  /** Called for every call as it arrives at a proxy (before it reaches the simulator). */
  onCall: ((call: ProxiedCall) => void) | null;
  close(): Promise<void>;
}

export interface ReplicaSetOptions {
  names: string[];
  zoho: ZohoSimulator;
  slack: SlackEmulator;
  databaseUrl: string;
  signingSecret: string;
  /** Extra environment (channels, roles, MONITOR_CRON, ...). */
  env: Record<string, string>;
  /** How long a replica may take to start (tsx compiles on the fly; slow on a loaded machine). */
  startTimeoutMs?: number;
}

/** Starts every replica at once (they race to migrate the store) and waits until all listen. */
export async function startReplicas(options: ReplicaSetOptions): Promise<ReplicaSet> {
  const set: ReplicaSet = { replicas: [], calls: [], onCall: null, close: async () => {} };
  const proxies: ZohoProxy[] = [];
  const record = (call: ProxiedCall) => {
    set.calls.push(call);
    set.onCall?.(call);
  };
  for (const name of options.names) proxies.push(await startZohoProxy(options.zoho.url, name, record));
  const starting = options.names.map((name, i) =>
    launch(name, proxies[i]!.url, options).catch((err: unknown) => {
      throw new Error(`replica ${name} did not start: ${err instanceof Error ? err.message : String(err)}`);
    }),
  );
  const settled = await Promise.allSettled(starting);
  set.replicas = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  set.close = async () => {
    await Promise.all(set.replicas.map((r) => r.stop()));
    await Promise.all(proxies.map((p) => p.close()));
  };
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await set.close();
    throw failed.reason;
  }
  return set;
}

function launch(name: string, proxyUrl: string, options: ReplicaSetOptions): Promise<Replica> {
  const { zoho, slack } = options;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LOG_LEVEL: 'info',
    PORT: '0',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: options.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    ZOHO_CLIENT_ID: zoho.credentials.clientId,
    ZOHO_CLIENT_SECRET: zoho.credentials.clientSecret,
    ZOHO_REFRESH_TOKEN: zoho.credentials.refreshToken,
    ZOHO_ACCOUNTS_URL: proxyUrl,
    ZOHO_API_DOMAIN: proxyUrl,
    DATABASE_URL: options.databaseUrl,
    // The replica tests exercise leases and hand-over with any demo person and record; the
    // access policy has its own end-to-end tests (access*.test.ts).
    ACCESS_MODE: 'open',
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test worker that dies must not leave replicas running their cron behind it.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const logs: Array<Record<string, unknown>> = [];
  const errors: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', orphanGuard);
      resolve(code);
    }),
  );
  return new Promise<Replica>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`no start within ${options.startTimeoutMs ?? 60_000} ms: ${errors.join('').slice(-2000)}`),
      );
    }, options.startTimeoutMs ?? 60_000);
    let buffered = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          errors.push(`${line}\n`);
          continue;
        }
        logs.push(entry);
        if (entry.msg === 'territory-bot started' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve(replica(name, child, entry.port, logs, exited, options));
        }
      }
    });
    child.stderr?.on('data', (d: Buffer) => errors.push(d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before starting: ${errors.join('').slice(-2000)}`));
    });
  });
}

function replica(
  name: string,
  child: ChildProcess,
  port: number,
  logs: Array<Record<string, unknown>>,
  exited: Promise<number | null>,
  options: ReplicaSetOptions,
): Replica {
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  return {
    name,
    child,
    port,
    logs,
    exited,
    driver: new SlackDriver({
      eventsUrl: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: options.signingSecret,
      emulator: options.slack,
    }),
    kill() {
      child.kill('SIGKILL');
    },
    async stop() {
      if (dead) return;
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/** Record ids in an assign/remove call body (`{"data":[{"id":...}]}`). */
export function recordIdsOf(call: ProxiedCall): string[] {
  const data = (call.body as { data?: Array<{ id?: unknown }> } | null)?.data;
  return Array.isArray(data) ? data.flatMap((d) => (typeof d.id === 'string' ? [d.id] : [])) : [];
}

export const isAssignCall = (call: ProxiedCall) =>
  call.method === 'POST' && /\/actions\/assign_territories(\?|$)/.test(call.path);
