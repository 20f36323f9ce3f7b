/**
 * The emulated workspace: users, user groups, channels and DMs, messages with threads and edits,
 * ephemeral messages, modal stacks, files, trigger_ids and response_urls. Every mutation emits a
 * `change` event so a web UI can follow along. Operations throw SlackApiError with Slack's codes.
 *
 * One class built in layers, one file per thing it holds (see workspace-core.ts); this file adds
 * files, persistence and snapshots.
 */
import type { Clock } from '../../core/clock.js';
import { SlackApiError } from './errors.js';
import type { EmuFile, EmuMessage, EmuView, WorkspaceSeed, WorkspaceSnapshot } from './types.js';
import { clone, type MessageInput, type WorkspaceState } from './workspace-core.js';
import { WorkspaceViews } from './workspace-views.js';

export type { MessageInput, ResponseUrlContext, WorkspaceState } from './workspace-core.js';
export {
  MAX_TEXT,
  MAX_VIEW_STACK,
  RESPONSE_URL_MAX_USES,
  RESPONSE_URL_TTL_MS,
  TRIGGER_TTL_MS,
} from './workspace-core.js';

export class Workspace extends WorkspaceViews {
  constructor(seed: WorkspaceSeed, clock: Clock, opts: { chatWritePublic: boolean; baseUrl: () => string }) {
    super(seed, clock, opts);
    for (const c of seed.channels ?? []) this.createChannel(c, false);
  }

  // ---------------------------------------------------------------- files

  uploadFile(user: string, name: string, content: string | Buffer, mimetype?: string): EmuFile {
    this.requireUser(user);
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    return this.addFile(this.nextId('F'), user, name, buf, mimetype);
  }

  private addFile(id: string, user: string, name: string, buf: Buffer, mimetype?: string): EmuFile {
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : 'text';
    const file: EmuFile = {
      id,
      name,
      title: name,
      mimetype: mimetype ?? (ext === 'csv' ? 'text/csv' : 'text/plain'),
      filetype: ext === 'txt' ? 'text' : ext,
      size: buf.length,
      user,
      created: Math.floor(this.clock.now() / 1000),
      url_private: `${this.opts.baseUrl()}/files/${id}/${encodeURIComponent(name)}`,
      url_private_download: `${this.opts.baseUrl()}/files/${id}/download/${encodeURIComponent(name)}`,
      content: buf,
    };
    this.files.set(id, file);
    const { content: _omit, ...meta } = file;
    this.emit({ kind: 'file_uploaded', file: meta });
    return file;
  }

  getFile(id: string): EmuFile | undefined {
    return this.files.get(id);
  }

  // ------------------------------------------------ external uploads (files.*UploadExternal)

  /** Upload URL tokens of files.getUploadURLExternal not yet completed. */
  private readonly pendingUploads = new Map<
    string,
    { fileId: string; filename: string; length: number; content: Buffer | null }
  >();

  /** files.getUploadURLExternal: reserves a file id and a one-off upload URL. */
  beginExternalUpload(filename: string, length: number): { fileId: string; uploadUrl: string } {
    const fileId = this.nextId('F');
    const token = `${fileId}-${this.nextId('u').toLowerCase()}`;
    this.pendingUploads.set(token, { fileId, filename, length, content: null });
    return { fileId, uploadUrl: `${this.opts.baseUrl()}/upload/v1/${token}` };
  }

  /** The POST to the upload URL; false when the URL is unknown or already completed. */
  receiveUpload(token: string, content: Buffer): boolean {
    const pending = this.pendingUploads.get(token);
    if (!pending) return false;
    pending.content = Buffer.from(content);
    return true;
  }

  /**
   * files.completeUploadExternal: the uploaded files become files of the workspace, shared as
   * one bot message in `channel` (when given) with the comment as its text.
   */
  completeExternalUpload(input: {
    files: ReadonlyArray<{ id: string; title?: string }>;
    channel?: string;
    initialComment?: string;
    threadTs?: string;
  }): Array<Omit<EmuFile, 'content'>> {
    const found = input.files.map((f) => {
      const entry = [...this.pendingUploads].find(([, p]) => p.fileId === f.id);
      // Slack: an id it never issued, or one whose bytes never arrived.
      if (!entry || entry[1].content === null) throw new SlackApiError('file_not_found');
      return { token: entry[0], pending: entry[1], title: f.title };
    });
    const channel = input.channel ? this.resolvePostTarget(input.channel) : undefined;
    if (channel) this.assertBotCanPost(channel);
    const metas = found.map(({ token, pending, title }) => {
      this.pendingUploads.delete(token);
      const file = this.addFile(
        pending.fileId,
        this.bot.userId,
        pending.filename,
        pending.content ?? Buffer.alloc(0),
      );
      if (title) file.title = title;
      const { content: _c, ...meta } = file;
      return meta;
    });
    if (channel) {
      const args: MessageInput = { text: input.initialComment ?? '' };
      if (input.threadTs) args.thread_ts = input.threadTs;
      const msg = this.newMessage(channel, this.bot.userId, args, 'api');
      msg.files = clone(metas);
      this.storeMessage(channel, msg);
    }
    return metas;
  }

  // ---------------------------------------------------------------- persistence

  /**
   * What survives a sandbox restart: people, channels, messages, ephemerals, files and the id/ts
   * counters. Modals, trigger_ids and response_urls are short-lived and are not kept.
   */
  exportState(): WorkspaceState {
    return clone({
      version: 1 as const,
      seq: this.seq,
      lastTsMicros: this.lastTsMicros,
      team: this.team,
      bot: this.bot,
      users: this.listUsers(),
      usergroups: this.listUsergroups(),
      channels: this.listChannels(),
      messages: Object.fromEntries(this.messages),
      ephemerals: this.ephemeralList,
      files: [...this.files.values()].map(({ content, ...meta }) => ({
        ...meta,
        content: content.toString('base64'),
      })),
    });
  }

  static fromState(
    state: WorkspaceState,
    clock: Clock,
    opts: { chatWritePublic: boolean; baseUrl: () => string },
  ): Workspace {
    const ws = new Workspace(
      { team: state.team, bot: state.bot, users: state.users, usergroups: state.usergroups },
      clock,
      opts,
    );
    for (const c of state.channels) ws.channels.set(c.id, clone(c));
    for (const [id, list] of Object.entries(state.messages)) ws.messages.set(id, clone(list));
    ws.ephemeralList = clone(state.ephemerals);
    for (const f of state.files) ws.files.set(f.id, { ...f, content: Buffer.from(f.content, 'base64') });
    ws.seq = state.seq;
    ws.lastTsMicros = state.lastTsMicros;
    return ws;
  }

  /**
   * The state a saved `snapshot()` describes. Snapshots carry no counters, so the id counter is set
   * past every emulator-made id in it and the ts clock past its newest message; file contents are
   * not in snapshots and come back empty.
   */
  static stateFromSnapshot(snap: WorkspaceSnapshot): WorkspaceState {
    const threads = snap.threads ?? {};
    const messages: Record<string, EmuMessage[]> = {};
    let lastTsMicros = 0;
    const tsMicros = (ts: string) => {
      const [sec = '0', frac = '0'] = ts.split('.');
      return Number(sec) * 1e6 + Number(frac.padEnd(6, '0').slice(0, 6));
    };
    for (const c of snap.channels) {
      const byTs = new Map<string, EmuMessage>();
      for (const m of c.messages ?? []) byTs.set(m.ts, m);
      for (const [key, replies] of Object.entries(threads)) {
        if (key.startsWith(`${c.id}:`)) for (const r of replies) byTs.set(r.ts, r);
      }
      const list = [...byTs.values()].sort((a, b) => tsMicros(a.ts) - tsMicros(b.ts));
      for (const m of list)
        lastTsMicros = Math.max(lastTsMicros, tsMicros(m.ts), m.edited ? tsMicros(m.edited.ts) : 0);
      messages[c.id] = list;
    }
    const ephemerals = snap.ephemerals ?? [];
    for (const e of ephemerals) lastTsMicros = Math.max(lastTsMicros, tsMicros(e.ts));
    const files = snap.files ?? [];
    let seq = 0;
    for (const id of [...snap.channels.map((c) => c.id), ...files.map((f) => f.id)]) {
      // Only DMs (D), group DMs (G) and files (F) get emulator-made ids.
      const m = /^[DGF]0([0-9A-Z]{8})$/.exec(id);
      if (m?.[1]) seq = Math.max(seq, Number.parseInt(m[1], 36));
    }
    return {
      version: 1,
      // Block ids and hashes also come from the counter: leave room past anything restored.
      seq: seq + 10_000,
      lastTsMicros,
      team: snap.team,
      bot: snap.bot,
      users: snap.users,
      usergroups: snap.usergroups ?? [],
      channels: snap.channels.map(({ messages: _m, ...c }) => c),
      messages,
      ephemerals,
      files: files.map((f) => ({ ...f, content: '' })),
    };
  }

  /** Points url_private of every file at the emulator's current address (it changes between runs). */
  rebaseFileUrls(): void {
    for (const f of this.files.values()) {
      const name = encodeURIComponent(f.name);
      f.url_private = `${this.opts.baseUrl()}/files/${f.id}/${name}`;
      f.url_private_download = `${this.opts.baseUrl()}/files/${f.id}/download/${name}`;
    }
  }

  // ---------------------------------------------------------------- snapshot

  snapshot(): WorkspaceSnapshot {
    const threads: Record<string, EmuMessage[]> = {};
    const channels = this.listChannels().map((c) => {
      const all = this.messages.get(c.id) ?? [];
      for (const m of all) {
        if (!m.thread_ts || m.thread_ts === m.ts) continue;
        const key = `${c.id}:${m.thread_ts}`;
        const list = threads[key] ?? [];
        list.push(m);
        threads[key] = list;
      }
      return { ...c, messages: this.listMessages(c.id) };
    });
    const views: Record<string, EmuView[]> = {};
    for (const user of this.stacks.keys()) views[user] = this.viewStack(user);
    return clone({
      team: this.team,
      bot: this.bot,
      users: this.listUsers(),
      usergroups: this.listUsergroups(),
      channels,
      threads,
      ephemerals: this.ephemeralList,
      views,
      files: [...this.files.values()].map(({ content: _c, ...meta }) => meta),
    });
  }
}
