/**
 * The sandbox page's HTTP server (node:http, loopback): the static page under ./public and a
 * small JSON API the page calls. People's actions go through the SlackDriver, so the app gets
 * the same signed slash commands, block actions, view submissions and block_suggestion
 * requests Slack would send; what the app does comes back from the emulator's change stream,
 * forwarded to the page as server-sent events.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../core/log.js';
import { isLoopbackHost } from '../loopback.js';
import {
  DEMO_IDS,
  DriverInputError,
  SlackApiError,
  type SlackDriver,
  type SlackEmulator,
  type SubmitValue,
  type WorkspaceChange,
} from '../slack/index.js';
import { parsePanelAction, type ZohoPanel } from './zoho-panel.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** tsc does not copy the page's static files into dist/, so a built app serves them from src/. */
const PUBLIC_DIR =
  [path.join(HERE, 'public'), path.resolve(HERE, '../../../src/sandbox/web/public')].find((d) =>
    existsSync(path.join(d, 'index.html')),
  ) ?? path.join(HERE, 'public');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
/** CSV uploads arrive as JSON text; Slack's own file limit is far larger, the sandbox needs little. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface SandboxWebOptions {
  emulator: SlackEmulator;
  /** Returns the driver of the running app (it changes if the app restarts). */
  driver: () => SlackDriver;
  panel: ZohoPanel;
  /** Runs the app's territory health monitor now; its alerts reach Slack through the app as usual. */
  runMonitor: () => Promise<{ ok: boolean; outcome: string; firing: unknown[]; note: string | null }>;
  logger: Logger;
  port: number;
  host?: string;
}

export interface SandboxWeb {
  url: string;
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Obj = Record<string, unknown>;

function str(body: Obj, key: string, required = true): string | undefined {
  const v = body[key];
  if (typeof v === 'string' && v.length > 0) return v;
  if (required) throw new HttpError(400, `${key} is required`);
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<Obj> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request too large');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Obj;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'body must be a JSON object');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Where an element lives, as the page names it. */
function target(body: Obj) {
  const channel = str(body, 'channel', false);
  const ts = str(body, 'ts', false);
  const viewId = str(body, 'viewId', false);
  const blockId = str(body, 'blockId', false);
  return {
    user: str(body, 'user')!,
    actionId: str(body, 'actionId')!,
    ...(channel ? { channel } : {}),
    ...(ts ? { ts } : {}),
    ...(viewId ? { viewId } : {}),
    ...(blockId ? { blockId } : {}),
  };
}

function submitValues(raw: unknown): Record<string, SubmitValue> {
  const out: Record<string, SubmitValue> = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [k, v] of Object.entries(raw as Obj)) {
    if (v === null || typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String);
    else if (typeof v === 'object' && Array.isArray((v as Obj).files))
      out[k] = { files: ((v as Obj).files as unknown[]).map(String) };
  }
  return out;
}

export async function startSandboxWeb(opts: SandboxWebOptions): Promise<SandboxWeb> {
  const { emulator, panel, logger } = opts;
  const clients = new Set<ServerResponse>();

  // Modal changes go to the page as the user's whole stack, so it never has to replay push/close rules.
  const forward = (change: WorkspaceChange) => {
    let event: unknown = change;
    if (change.kind.startsWith('view_')) {
      const user =
        change.kind === 'view_closed' ? change.user : (change as { view: { user: string } }).view.user;
      event = { kind: 'view_stack', user, stack: emulator.viewStack(user) };
    }
    const data = `event: change\ndata: ${JSON.stringify(event)}\n\n`;
    for (const c of clients) c.write(data);
  };
  emulator.events.on('change', forward);
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  async function api(req: IncomingMessage, res: ServerResponse, route: string, url: URL): Promise<void> {
    const driver = opts.driver();
    if (req.method === 'GET') {
      switch (route) {
        case 'snapshot': {
          const { files: _f, ...snapshot } = emulator.snapshot();
          return sendJson(res, 200, {
            ...snapshot,
            demo: {
              roles: [
                { role: 'rep', user: DEMO_IDS.rep },
                { role: 'manager', user: DEMO_IDS.manager },
                { role: 'ops', user: DEMO_IDS.ops },
              ],
              channel: DEMO_IDS.sales,
              opsChannel: DEMO_IDS.opsAlerts,
            },
          });
        }
        case 'events': {
          res.writeHead(200, {
            'content-type': 'text/event-stream',
            'cache-control': 'no-cache',
            connection: 'keep-alive',
          });
          res.write(': connected\n\n');
          clients.add(res);
          req.on('close', () => clients.delete(res));
          return;
        }
        case 'zoho/state':
          return sendJson(res, 200, panel.state());
        case 'zoho/record': {
          const record = panel.record(url.searchParams.get('ref') ?? '');
          return sendJson(
            res,
            record ? 200 : 404,
            record ?? { error: 'no record with that id in the demo org' },
          );
        }
      }
      // A file shared in a message (e.g. the /territory audit CSV): the page's download link.
      // Slack serves url_private to tokens only; here the page is the workspace's one client.
      if (route.startsWith('files/')) {
        const file = emulator.file(decodeURIComponent(route.slice('files/'.length)));
        if (!file) throw new HttpError(404, 'no such file');
        res.writeHead(200, {
          'content-type': file.mimetype,
          'content-length': String(file.content.length),
          'content-disposition': `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`,
          'cache-control': 'no-store',
        });
        res.end(file.content);
        return;
      }
      throw new HttpError(404, `no GET /api/${route}`);
    }
    if (req.method !== 'POST') throw new HttpError(405, 'method not allowed');
    // Other web pages can post forms to loopback; a JSON content type needs a CORS preflight we never grant.
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      throw new HttpError(415, 'send JSON (content-type: application/json)');
    const body = await readJson(req);
    switch (route) {
      case 'command': {
        const r = await driver.command({
          user: str(body, 'user')!,
          channel: str(body, 'channel')!,
          text: typeof body.text === 'string' ? body.text : '',
        });
        return sendJson(res, 200, { status: r.status, ackProblems: r.ackProblems });
      }
      case 'post': {
        const threadTs = str(body, 'threadTs', false);
        const m = emulator.postAsUser(
          str(body, 'user')!,
          str(body, 'channel')!,
          str(body, 'text')!,
          threadTs,
        );
        return sendJson(res, 200, { ts: m.ts });
      }
      case 'click': {
        const value = str(body, 'value', false);
        const r = await driver.clickButton({ ...target(body), ...(value !== undefined ? { value } : {}) });
        return sendJson(res, 200, { status: r.status });
      }
      case 'select': {
        const v = body.value;
        const value = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v : null;
        if (value === null) throw new HttpError(400, 'value is required');
        const r = await driver.selectOption({ ...target(body), value });
        return sendJson(res, 200, { status: r.status });
      }
      case 'suggest': {
        const r = await driver.suggest({
          ...target(body),
          value: typeof body.value === 'string' ? body.value : '',
        });
        return sendJson(res, 200, {
          status: r.status,
          options: r.options,
          option_groups: r.option_groups ?? null,
        });
      }
      case 'submit': {
        const viewId = str(body, 'viewId', false);
        const r = await driver.submitView({
          user: str(body, 'user')!,
          ...(viewId ? { viewId } : {}),
          values: submitValues(body.values),
        });
        return sendJson(res, 200, {
          status: r.status,
          sent: r.sent,
          clientErrors: r.clientErrors ?? null,
          outcome: r.outcome ?? null,
        });
      }
      case 'close': {
        const viewId = str(body, 'viewId', false);
        await driver.closeView({ user: str(body, 'user')!, ...(viewId ? { viewId } : {}) });
        return sendJson(res, 200, { ok: true });
      }
      case 'upload': {
        const content = typeof body.content === 'string' ? body.content : '';
        const mimetype = str(body, 'mimetype', false) ?? 'text/csv';
        const id = emulator.uploadFile(str(body, 'user')!, str(body, 'name')!, content, mimetype);
        return sendJson(res, 200, { id });
      }
      case 'dm':
        return sendJson(res, 200, { channel: emulator.dmChannel(str(body, 'user')!) });
      case 'home': {
        // The person opened the Home tab: app_home_opened goes to the app, which publishes the
        // view (it reaches the page as a home_published change).
        const user = str(body, 'user')!;
        const r = await driver.openHome(user);
        return sendJson(res, 200, { status: r.status, view: emulator.homeView(user) ?? null });
      }
      case 'zoho/action':
        try {
          panel.apply(parsePanelAction(body));
        } catch (err) {
          // Unknown actions and what the simulator refuses (e.g. deleting the root) are the caller's to fix.
          throw new HttpError(400, err instanceof Error ? err.message : String(err));
        }
        return sendJson(res, 200, panel.state());
      case 'monitor/run': {
        const run = await opts.runMonitor();
        return sendJson(res, 200, {
          ok: run.ok,
          outcome: run.outcome,
          firing: run.firing.length,
          note: run.note,
        });
      }
    }
    throw new HttpError(404, `no POST /api/${route}`);
  }

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    const name = pathname === '/' ? 'index.html' : pathname.slice(1);
    // Flat directory of our own files: anything else is not ours to serve.
    if (!/^[a-z][a-z0-9-]*\.(html|js|css)$/.test(name)) throw new HttpError(404, 'not found');
    try {
      const content = await readFile(path.join(PUBLIC_DIR, name));
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      res.end(content);
    } catch {
      throw new HttpError(404, 'not found');
    }
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    // DNS rebinding: a foreign name resolving to 127.0.0.1 must not reach the API.
    if (!isLoopbackHost(req.headers.host)) {
      sendJson(res, 421, { error: 'open the sandbox at http://127.0.0.1 or http://localhost' });
      return;
    }
    const handle = url.pathname.startsWith('/api/')
      ? api(req, res, url.pathname.slice('/api/'.length), url)
      : req.method === 'GET'
        ? serveStatic(res, url.pathname)
        : Promise.reject(new HttpError(405, 'method not allowed'));
    handle.catch((err: unknown) => {
      const status =
        err instanceof HttpError
          ? err.status
          : err instanceof DriverInputError || err instanceof SlackApiError
            ? 400
            : 500;
      const message =
        err instanceof SlackApiError ? err.error : err instanceof Error ? err.message : String(err);
      if (status === 500) logger.error({ err, path: url.pathname }, 'sandbox page request failed');
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.end();
    });
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      emulator.events.off('change', forward);
      clearInterval(heartbeat);
      for (const c of clients) c.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
