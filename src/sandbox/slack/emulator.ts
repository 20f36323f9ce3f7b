/**
 * Loopback HTTP server emulating the Slack Web API subset territory-bot uses, the response_url
 * sink and private file downloads, over the Workspace model.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, systemClock } from '../../core/clock.js';
import { isLoopbackHost, NOT_LOOPBACK_MESSAGE } from '../loopback.js';
import { demoWorkspace } from './demo.js';
import { SlackApiError } from './errors.js';
import type { SlackEmulator, SlackEmulatorOptions, SlackFaults, ViewAckOutcome } from './options.js';
import { TierLimiter } from './rate-limits.js';
import { SocketModeServer } from './socket-mode.js';
import type { RecordedCall, RecordedResponse } from './types.js';
import { METHODS } from './web-api.js';
import { Workspace, type WorkspaceState } from './workspace.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Form fields @slack/web-api JSON-encodes (objects and arrays). */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'unfurls',
  'options',
  'user_auth_blocks',
]);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseArgs(contentType: string, raw: string, query: URLSearchParams): Obj {
  const args: Obj = {};
  for (const [k, v] of query) args[k] = v;
  if (contentType.includes('application/json')) {
    if (raw.trim() === '') return args;
    const parsed: unknown = JSON.parse(raw);
    if (!isObj(parsed)) throw new SlackApiError('json_not_object');
    return { ...args, ...parsed };
  }
  if (contentType.includes('multipart/form-data')) throw new SlackApiError('invalid_form_data');
  for (const [k, v] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(k) && /^\s*[[{]/.test(v)) {
      try {
        args[k] = JSON.parse(v);
        continue;
      } catch {
        throw new SlackApiError(k === 'blocks' ? 'invalid_blocks_format' : 'invalid_json');
      }
    }
    args[k] = v;
  }
  return args;
}

class Faults implements SlackFaults {
  readonly rateLimits = new Map<string, { count: number; retryAfterSec: number }>();
  readonly failures = new Map<string, { error: string; count: number }>();
  readonly latency = new Map<string, number>();
  readonly httpErrors = new Map<string, { status: number; count: number; afterApplying: boolean }>();

  rateLimit(method: string, opts: { count?: number; retryAfterSec?: number } = {}): void {
    this.rateLimits.set(method, { count: opts.count ?? 1, retryAfterSec: opts.retryAfterSec ?? 1 });
  }
  failNext(method: string, error: string, count = 1): void {
    this.failures.set(method, { error, count });
  }
  httpError(method: string, opts: { status?: number; count?: number; afterApplying?: boolean } = {}): void {
    this.httpErrors.set(method, {
      status: opts.status ?? 500,
      count: opts.count ?? 1,
      afterApplying: opts.afterApplying === true,
    });
  }
  /** Takes one pending HTTP error for `method`, if any. */
  takeHttpError(method: string): { status: number; afterApplying: boolean } | undefined {
    const key = this.httpErrors.has(method) ? method : '*';
    const h = this.httpErrors.get(key);
    if (!h) return undefined;
    h.count -= 1;
    if (h.count <= 0) this.httpErrors.delete(key);
    return { status: h.status, afterApplying: h.afterApplying };
  }
  setLatency(ms: number, method?: string): void {
    this.latency.set(method ?? '*', ms);
  }
  clear(): void {
    this.rateLimits.clear();
    this.failures.clear();
    this.httpErrors.clear();
    this.latency.clear();
  }
  /** Takes one pending rate-limit answer for `method`, if any. */
  takeRateLimit(method: string): number | undefined {
    const key = this.rateLimits.has(method) ? method : '*';
    const r = this.rateLimits.get(key);
    if (!r) return undefined;
    r.count -= 1;
    if (r.count <= 0) this.rateLimits.delete(key);
    return r.retryAfterSec;
  }
  takeFailure(method: string): string | undefined {
    const key = this.failures.has(method) ? method : '*';
    const f = this.failures.get(key);
    if (!f) return undefined;
    f.count -= 1;
    if (f.count <= 0) this.failures.delete(key);
    return f.error;
  }
  latencyFor(method: string): number {
    return this.latency.get(method) ?? this.latency.get('*') ?? 0;
  }
}

function loadState(file: string): WorkspaceState | undefined {
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as WorkspaceState;
  if (state.version !== 1)
    throw new Error(`${file}: unknown Slack emulator state version ${String(state.version)}`);
  return state;
}

/** Writes the workspace to `file` shortly after each change (and on close), atomically. */
function statePersister(file: string, ws: Workspace): { flush(): void } {
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(ws.exportState()));
    renameSync(tmp, file);
  };
  ws.events.on('change', () => {
    if (timer) return;
    timer = setTimeout(flush, 200);
    timer.unref();
  });
  return { flush };
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

const EMAIL_SCOPE = 'users:read.email';
/** The manifest's bot scopes, reported as `provided` with `missing_scope`. */
const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'usergroups:read',
  'files:read',
  'users:read',
  EMAIL_SCOPE,
];
/** Methods whose answer depends on users:read.email: refused without it, or emails left out. */
const EMAIL_SCOPED: Readonly<Record<string, 'required' | 'filtered'>> = {
  'users.lookupByEmail': 'required',
  'users.info': 'filtered',
  'users.list': 'filtered',
};

/** Slack leaves `profile.email` out for an app without users:read.email. */
function withoutEmails(body: Obj): void {
  const users = [body.user, ...(Array.isArray(body.members) ? body.members : [])];
  for (const u of users) {
    const profile = (u as { profile?: Obj } | undefined)?.profile;
    if (profile) delete profile.email;
  }
}

export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const clock: Clock = options.clock ?? systemClock;
  const botToken = options.botToken ?? 'xoxb-emulator-token';
  const appToken = options.appToken ?? 'xapp-1-A0APP00001-emulator-token';
  let baseUrl = '';
  const wsOpts = { chatWritePublic: options.chatWritePublic === true, baseUrl: () => baseUrl };
  const saved =
    (options.stateFile ? loadState(options.stateFile) : undefined) ??
    (options.snapshot ? Workspace.stateFromSnapshot(options.snapshot) : undefined);
  const ws = saved
    ? Workspace.fromState(saved, clock, wsOpts)
    : new Workspace(options.seed ?? demoWorkspace(), clock, wsOpts);
  const persist = options.stateFile ? statePersister(options.stateFile, ws) : undefined;
  const missingScopes = new Set(options.missingScopes ?? []);
  const grantedScopes = () => BOT_SCOPES.filter((x) => !missingScopes.has(x)).join(',');
  const faults = new Faults();
  const limiter = options.tierLimits ? new TierLimiter(clock) : undefined;
  if (options.latencyMs) faults.setLatency(options.latencyMs);
  const maxCalls = options.maxRecordedCalls ?? 10_000;
  let calls: RecordedCall[] = [];
  let responses: RecordedResponse[] = [];
  const sse = new Set<ServerResponse>();

  const record = (method: string, args: Obj, status: number, response: Obj) => {
    const { token: _t, ...safeArgs } = args;
    const call: RecordedCall = { method, args: safeArgs, status, response, at: clock.now() };
    calls.push(call);
    if (calls.length > maxCalls) calls = calls.slice(-Math.floor(maxCalls / 2));
    if (ws.events.listenerCount('call') > 0) ws.events.emit('call', structuredClone(call));
  };

  const recordResponse = (r: RecordedResponse) => {
    responses.push(r);
    if (responses.length > maxCalls) responses = responses.slice(-Math.floor(maxCalls / 2));
  };

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
  ): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    let args: Obj;
    try {
      args = parseArgs(String(req.headers['content-type'] ?? ''), raw, url.searchParams);
    } catch (err) {
      const error = err instanceof SlackApiError ? err.error : 'invalid_form_data';
      record(method, {}, 200, { ok: false, error });
      sendJson(res, 200, { ok: false, error });
      return;
    }
    const delay = faults.latencyFor(method);
    if (delay > 0) await sleep(delay);

    const token = bearer(req) ?? (typeof args.token === 'string' ? args.token : undefined);
    const answer = (status: number, body: Obj, headers: Record<string, string> = {}) => {
      record(method, args, status, body);
      sendJson(res, status, body, headers);
    };
    if (!token) return answer(200, { ok: false, error: 'not_authed' });
    // Socket Mode's one method takes the app-level token only (and no other method takes it).
    if (method === 'apps.connections.open') {
      if (token === appToken) return answer(200, { ok: true, url: socket.openUrl(baseUrl) });
      return answer(200, {
        ok: false,
        error: token.startsWith('xapp-') ? 'invalid_auth' : 'not_allowed_token_type',
      });
    }
    if (token !== botToken) {
      return answer(200, {
        ok: false,
        error: token === appToken ? 'not_allowed_token_type' : 'invalid_auth',
      });
    }

    const retryAfter = faults.takeRateLimit(method);
    if (retryAfter !== undefined) {
      return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
    }
    const injected = faults.takeFailure(method);
    if (injected) return answer(200, { ok: false, error: injected });
    const lost = faults.takeHttpError(method);
    if (lost) {
      const handler = lost.afterApplying ? METHODS[method] : undefined;
      if (handler) {
        try {
          handler(args, ws);
        } catch {
          // The call failed on its own; the answer is lost either way.
        }
      }
      record(method, args, lost.status, {});
      sendText(res, lost.status, 'upstream error');
      return;
    }
    if (limiter) {
      const channel =
        typeof args.channel === 'string' ? (ws.getChannel(args.channel)?.id ?? args.channel) : '';
      const wait = limiter.take(method, { ...args, channel });
      // Slack names message-posting limits `rate_limited`, the others `ratelimited`.
      const error = method === 'chat.postMessage' ? 'rate_limited' : 'ratelimited';
      if (wait > 0) return answer(429, { ok: false, error }, { 'retry-after': String(wait) });
    }

    const handler = METHODS[method];
    if (!handler) return answer(200, { ok: false, error: 'unknown_method', req_method: method });
    const needed = EMAIL_SCOPED[method];
    if (needed === 'required' && missingScopes.has(EMAIL_SCOPE)) {
      return answer(200, {
        ok: false,
        error: 'missing_scope',
        needed: EMAIL_SCOPE,
        provided: grantedScopes(),
      });
    }
    try {
      const body = handler(args, ws);
      if (needed === 'filtered' && missingScopes.has(EMAIL_SCOPE)) withoutEmails(body);
      answer(200, { ok: true, ...body });
    } catch (err) {
      if (err instanceof SlackApiError) return answer(200, { ok: false, error: err.error, ...err.extra });
      // An emulator bug, not a Slack answer: say what broke so the test log shows it.
      answer(200, {
        ok: false,
        error: 'internal_error',
        emulator_error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    let body: Obj;
    try {
      const parsed: unknown = raw.trim() === '' ? {} : JSON.parse(raw);
      body = isObj(parsed) ? parsed : {};
    } catch {
      recordResponse({ id, body: {}, status: 400, result: 'invalid_payload', at: clock.now() });
      return sendText(res, 400, 'invalid_payload');
    }
    const { status, result } = ws.respond(id, body);
    recordResponse({ id, body, status, result, at: clock.now() });
    sendText(res, status, status === 200 ? 'ok' : result);
  }

  /**
   * The upload URL of files.getUploadURLExternal: the bytes as the body, raw or as
   * multipart/form-data (what @slack/web-api's filesUploadV2 sends). Slack answers `OK - <size>`.
   */
  async function handleUpload(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const raw = await readBody(req);
    const type = String(req.headers['content-type'] ?? '');
    let bytes = raw;
    if (type.includes('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const part = [...form.values()].find((v): v is File => typeof v !== 'string');
      if (!part) return sendText(res, 400, 'no file in the form');
      bytes = Buffer.from(await part.arrayBuffer());
    }
    if (!ws.receiveUpload(token, bytes)) return sendText(res, 404, 'upload_url not found or already used');
    sendText(res, 200, `OK - ${bytes.length}`);
  }

  function handleFile(req: IncomingMessage, res: ServerResponse, id: string): void {
    // Slack serves url_private only to a token of the workspace; the emulator accepts the bot token.
    if (bearer(req) !== botToken) {
      sendText(res, 403, 'invalid_auth');
      return;
    }
    const f = ws.getFile(id);
    if (!f) {
      sendText(res, 404, 'file_not_found');
      return;
    }
    res.writeHead(200, { 'content-type': f.mimetype, 'content-length': String(f.content.length) });
    res.end(f.content);
  }

  // The SSE stream listens only while someone is connected, so an idle emulator never copies changes.
  const onChange = (change: unknown) => {
    for (const r of sse) r.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const fail = (err: unknown) => {
      if (!res.headersSent) sendText(res, 500, err instanceof Error ? err.message : 'error');
    };
    if (path.startsWith('/_emulator/') && !isLoopbackHost(req.headers.host)) {
      sendJson(res, 421, { error: NOT_LOOPBACK_MESSAGE });
    } else if (path.startsWith('/api/')) {
      handleApi(req, res, decodeURIComponent(path.slice('/api/'.length)), url).catch(fail);
    } else if (path.startsWith('/response/') && req.method === 'POST') {
      handleResponseUrl(req, res, path.slice('/response/'.length)).catch(fail);
    } else if (path.startsWith('/upload/v1/') && req.method === 'POST') {
      handleUpload(req, res, path.slice('/upload/v1/'.length)).catch(fail);
    } else if (path.startsWith('/files/') && req.method === 'GET') {
      handleFile(req, res, path.split('/')[2] ?? '');
    } else if (path === '/_emulator/snapshot' && req.method === 'GET') {
      sendJson(res, 200, ws.snapshot());
    } else if (path === '/_emulator/events' && req.method === 'GET') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      if (sse.size === 0) ws.events.on('change', onChange);
      sse.add(res);
      req.on('close', () => {
        sse.delete(res);
        if (sse.size === 0) ws.events.off('change', onChange);
      });
    } else {
      sendText(res, 404, 'not_found');
    }
  });

  const socket = new SocketModeServer({
    appId: ws.bot.appId,
    ...(options.socketAckTimeoutMs !== undefined ? { ackTimeoutMs: options.socketAckTimeoutMs } : {}),
  });
  socket.attach(server);

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host}:${port}`;
  ws.rebaseFileUrls();

  const applyViewAck = (viewId: string, body: unknown): ViewAckOutcome => {
    const view = ws.getView(viewId);
    if (!view) return { action: 'invalid', problems: [`view ${viewId} is not open`] };
    if (body === undefined || body === '' || (isObj(body) && body.response_action === undefined)) {
      ws.closeView(viewId);
      return { action: 'close', problems: [] };
    }
    if (!isObj(body)) return { action: 'invalid', problems: ['ack body is not a JSON object'] };
    try {
      switch (body.response_action) {
        case 'errors': {
          const errors = isObj(body.errors) ? body.errors : {};
          const inputIds = new Set(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id));
          // Slack only accepts errors keyed by input block_ids; anything else fails the submission.
          const problems = Object.keys(errors)
            .filter((k) => !inputIds.has(k))
            .map((k) => `errors key "${k}" is not the block_id of an input block`);
          ws.setViewErrors(
            viewId,
            Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)])),
          );
          return { action: 'errors', problems };
        }
        case 'update':
          ws.replaceView(view, ws.validateView(body.view));
          ws.setViewErrors(viewId, undefined);
          return { action: 'update', problems: [] };
        case 'push':
          ws.setViewErrors(viewId, undefined);
          ws.pushFor(view.user, ws.validateView(body.view));
          return { action: 'push', problems: [] };
        case 'clear':
          ws.clearViews(view.user);
          return { action: 'clear', problems: [] };
        default:
          return { action: 'invalid', problems: [`unknown response_action ${String(body.response_action)}`] };
      }
    } catch (err) {
      if (err instanceof SlackApiError) {
        const messages = (err.extra.response_metadata as { messages?: string[] } | undefined)?.messages ?? [];
        return { action: 'invalid', problems: [err.error, ...messages] };
      }
      throw err;
    }
  };

  const emulator: SlackEmulator = {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    botToken,
    appToken,
    socketMode: {
      deliver: (type, payload) => socket.deliver(type, payload),
      requestRefresh: (reason) => socket.requestRefresh(reason),
      dropConnections: () => socket.dropConnections(),
      connections: () => socket.connections(),
      connectionCount: () => socket.connectionCount(),
      waitForConnection: (timeoutMs) => socket.waitForConnection(timeoutMs),
    },
    team: ws.team,
    bot: ws.bot,
    events: ws.events,
    faults,
    calls: (method) => structuredClone(method ? calls.filter((c) => c.method === method) : calls),
    responses: () => structuredClone(responses),
    resetCalls: () => {
      calls = [];
      responses = [];
    },
    snapshot: () => ws.snapshot(),
    user: (id) => clone(ws.getUser(id)),
    users: () => clone(ws.listUsers()),
    channel: (id) => clone(ws.getChannel(id)),
    channels: () => clone(ws.listChannels()),
    usergroup: (id) => clone(ws.getUsergroup(id)),
    messages: (channel) => clone(ws.listMessages(channel)),
    thread: (channel, ts) => clone(ws.threadReplies(channel, ts)),
    message: (channel, ts) => clone(ws.findMessage(channel, ts)),
    ephemerals: (user, channel) => clone(ws.listEphemerals(user, channel)),
    viewStack: (user) => clone(ws.viewStack(user)),
    view: (id) => clone(ws.getView(id)),
    homeView: (user) => clone(ws.homeView(user)),
    file: (id) => {
      const f = ws.getFile(id);
      return f
        ? { ...clone({ ...f, content: Buffer.alloc(0) }), content: Buffer.from(f.content) }
        : undefined;
    },
    dmChannel: (user) => ws.dmChannel(user).id,
    addUser: (u) => ws.addUser(u),
    addChannel: (c) => clone(ws.createChannel(c)),
    setBotMember: (c, m) => ws.setBotMember(c, m),
    setChannelMembers: (c, m) => ws.setChannelMembers(c, m),
    addUsergroup: (g) => ws.addUsergroup(g),
    setUsergroupUsers: (id, users) => ws.setUsergroupUsers(id, users),
    postAsUser: (user, channel, text, threadTs) => clone(ws.postAsUser(user, channel, text, threadTs)),
    uploadFile: (user, name, content, mimetype) => ws.uploadFile(user, name, content, mimetype).id,
    mintTrigger: (user) => ws.mintTrigger(user),
    mintResponseUrl: (ctx) => ws.mintResponseUrl(ctx),
    setViewState: (id, values) => ws.setViewState(id, values),
    applyViewAck,
    applyCommandAck: (ctx, body) => {
      const message = typeof body === 'string' ? (body.trim() === '' ? undefined : { text: body }) : body;
      if (!isObj(message)) return [];
      const input = {
        ...(typeof message.text === 'string' ? { text: message.text } : {}),
        ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
      };
      try {
        const inChannel = message.response_type === 'in_channel';
        const ts = inChannel
          ? ws.postScoped(ctx.channel, input, 'ack').ts
          : ws.storeEphemeral(ctx.channel, ctx.user, ws.checkedContent(input), 'ack').ts;
        if (ctx.responseUrl) ws.noteResponsePost(ctx.responseUrl, ts, !inChannel);
        return [];
      } catch (err) {
        if (!(err instanceof SlackApiError)) throw err;
        const messages = (err.extra.response_metadata as { messages?: string[] } | undefined)?.messages ?? [];
        return [err.error, ...messages];
      }
    },
    closeView: (viewId) => clone(ws.closeView(viewId)),
    close: async () => {
      persist?.flush();
      socket.close();
      ws.events.off('change', onChange);
      for (const r of sse) r.end();
      sse.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return emulator;
}

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}
