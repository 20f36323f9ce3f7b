/**
 * Slack's Socket Mode, served by the emulator (slack-platform.md, Socket Mode): the app calls
 * `apps.connections.open` with its app-level token (xapp-), gets a one-use `ws://…/link/?ticket=`
 * URL, and receives `hello`, then envelopes (`events_api`, `slash_commands`, `interactive`) that
 * it must ack with `{ envelope_id, payload? }` within 3 s. `disconnect` (reason
 * `refresh_requested`) asks it to reconnect, as Slack does every few hours.
 *
 * Reconnects: an envelope waits for a live connection before its ack window starts (so the
 * sandbox stays usable while the app replaces its socket). One whose socket dropped before its
 * ack is handled as Slack does: an event is retried on the next connection (same envelope_id,
 * `retry_attempt` + 1, which the app may dedupe on); a slash command or an interaction is not
 * (the person sees it fail), so nothing the app may already have started runs twice.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

type Obj = Record<string, unknown>;

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** What the app answered for one envelope. */
export interface SocketAck {
  acked: boolean;
  /** The ack's `payload` (response_action, options, a command's message), undefined when none. */
  payload: Obj | undefined;
  envelopeId: string;
  /** How many times the envelope was sent (more than 1 after a reconnect). */
  attempts: number;
}

export interface SocketModeOptions {
  appId: string;
  /** Ack window per send, ms. Slack's is 3 s. */
  ackTimeoutMs?: number;
  /** How long a delivery waits for the app to (re)connect before it is given up, ms. Default 30 s. */
  connectWaitMs?: number;
}

interface Pending {
  envelopeId: string;
  type: EnvelopeType;
  payload: Obj;
  attempts: number;
  socket: WebSocket | null;
  timer: NodeJS.Timeout | null;
  resolve(ack: SocketAck): void;
}

export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  /** Envelopes sent and not yet acked, by envelope_id. */
  private readonly inFlight = new Map<string, Pending>();
  /** Envelopes waiting for a connection. */
  private readonly queue: Pending[] = [];
  private readonly ackTimeoutMs: number;
  private readonly connectWaitMs: number;
  private connectionsOpened = 0;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly opts: SocketModeOptions) {
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 3_000;
    this.connectWaitMs = opts.connectWaitMs ?? 30_000;
  }

  /** Routes `GET /link/?ticket=` upgrades on the emulator's HTTP server here. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
  }

  /** A one-use URL for `apps.connections.open`. */
  openUrl(baseUrl: string): string {
    const ticket = randomBytes(16).toString('hex');
    this.tickets.add(ticket);
    return `${baseUrl.replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${this.opts.appId}`;
  }

  /** Open connections (the app holds one; more during a refresh). */
  connections(): number {
    return [...this.sockets].filter((s) => s.readyState === s.OPEN).length;
  }

  /** Connections accepted since start (a reconnect adds one). */
  connectionCount(): number {
    return this.connectionsOpened;
  }

  /** Resolves once at least one connection is open. */
  async waitForConnection(timeoutMs = this.connectWaitMs): Promise<void> {
    if (this.live()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.add(done);
    });
  }

  /** Sends one envelope and resolves with the app's ack (or `acked: false` after the window). */
  deliver(type: EnvelopeType, payload: Obj): Promise<SocketAck> {
    return new Promise<SocketAck>((resolve) => {
      const p: Pending = {
        envelopeId: randomUUID(),
        type,
        payload,
        attempts: 0,
        socket: null,
        timer: null,
        resolve,
      };
      const socket = this.live();
      if (socket) this.send(p, socket);
      else this.enqueue(p);
    });
  }

  /** Slack's `disconnect` message: the app closes and opens a new connection. */
  requestRefresh(
    reason: 'refresh_requested' | 'warning' | 'socket_mode_disabled' = 'refresh_requested',
  ): void {
    for (const s of this.sockets) {
      s.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'emulator' } }));
    }
  }

  /** The socket server goes away under the app (a Slack pod dies): every connection drops at once. */
  dropConnections(): void {
    this.tickets.clear();
    for (const s of this.sockets) s.terminate();
  }

  close(): void {
    this.dropConnections();
    for (const p of [...this.queue, ...this.inFlight.values()]) this.finish(p, false, undefined);
    this.wss.close();
  }

  private live(): WebSocket | undefined {
    return [...this.sockets].reverse().find((s) => s.readyState === s.OPEN);
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    this.connectionsOpened += 1;
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('close', () => this.onClose(ws));
    ws.on('error', () => ws.terminate());
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections(),
        debug_info: { host: 'emulator', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.opts.appId },
      }),
    );
    for (const done of this.waiters) done();
    this.waiters.clear();
    // What waited for a connection goes out on this one.
    for (const p of this.queue.splice(0)) this.send(p, ws);
  }

  private onClose(ws: WebSocket): void {
    this.sockets.delete(ws);
    for (const p of this.inFlight.values()) {
      if (p.socket !== ws) continue;
      // Slack retries events only; a command or interaction the app may have started is not re-sent.
      if (p.type !== 'events_api') {
        this.finish(p, false, undefined);
        continue;
      }
      if (p.timer) clearTimeout(p.timer);
      this.inFlight.delete(p.envelopeId);
      const next = this.live();
      if (next) this.send(p, next);
      else this.enqueue(p);
    }
  }

  private onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return; // Slack ignores what it cannot read
    }
    if (typeof msg !== 'object' || msg === null) return;
    const { envelope_id: id, payload } = msg as Obj;
    if (typeof id !== 'string') return;
    const p = this.inFlight.get(id);
    if (!p) return; // a late or unknown ack
    const body =
      typeof payload === 'object' && payload !== null && !Array.isArray(payload)
        ? (payload as Obj)
        : undefined;
    this.finish(p, true, body && Object.keys(body).length > 0 ? body : undefined);
  }

  private enqueue(p: Pending): void {
    p.socket = null;
    this.queue.push(p);
    p.timer = setTimeout(() => {
      const i = this.queue.indexOf(p);
      if (i >= 0) this.queue.splice(i, 1);
      this.finish(p, false, undefined);
    }, this.connectWaitMs);
  }

  private send(p: Pending, socket: WebSocket): void {
    if (p.timer) clearTimeout(p.timer);
    p.attempts += 1;
    p.socket = socket;
    this.inFlight.set(p.envelopeId, p);
    const envelope: Obj = {
      envelope_id: p.envelopeId,
      type: p.type,
      payload: p.payload,
      accepts_response_payload: p.type !== 'events_api',
    };
    if (p.type === 'events_api') {
      envelope.retry_attempt = p.attempts - 1;
      envelope.retry_reason = p.attempts > 1 ? 'timeout' : '';
    }
    socket.send(JSON.stringify(envelope));
    p.timer = setTimeout(() => this.finish(p, false, undefined), this.ackTimeoutMs);
  }

  private finish(p: Pending, acked: boolean, payload: Obj | undefined): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    this.inFlight.delete(p.envelopeId);
    p.resolve({ acked, payload, envelopeId: p.envelopeId, attempts: p.attempts });
  }
}
