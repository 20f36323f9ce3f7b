/**
 * The emulated workspace: users, user groups, channels and DMs, messages with threads and edits,
 * ephemeral messages, modal stacks, files, trigger_ids and response_urls. Every mutation emits a
 * `change` event so a web UI can follow along. Operations throw SlackApiError with Slack's codes.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../core/clock.js';
import { assignIds, blockProblems, elementsOf } from './blocks.js';
import { SlackApiError, withMessages } from './errors.js';
import type { MintedTrigger, SlackEmulatorEventMap } from './options.js';
import type {
  Block,
  BotIdentity,
  ChannelKind,
  ChannelSeed,
  EmuChannel,
  EmuEphemeral,
  EmuFile,
  EmuMessage,
  EmuUser,
  EmuUsergroup,
  EmuView,
  TeamInfo,
  WorkspaceChange,
  WorkspaceSeed,
  WorkspaceSnapshot,
} from './types.js';

/** Slack: "Triggers expire in three seconds" and "may only be used once". */
export const TRIGGER_TTL_MS = 3_000;
/** Slack: a response_url may be used up to 5 times within 30 minutes. */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;
/** Slack truncates/refuses message text beyond 40,000 characters (`msg_too_long`). */
export const MAX_TEXT = 40_000;
/** "After a modal is opened, the app is limited to pushing 2 additional views." */
export const MAX_VIEW_STACK = 3;

export interface ResponseUrlContext {
  user: string;
  channel: string;
  /** The message that held the clicked element (block_actions); target of replace/delete_original. */
  messageTs?: string;
  ephemeral?: boolean;
}

interface ResponseUrlState extends ResponseUrlContext {
  id: string;
  issuedAt: number;
  uses: number;
  /** The last message this response_url (or the command's ack) posted: the "original" of a slash command. */
  lastPosted?: { ts: string; ephemeral: boolean };
}

interface TriggerState {
  user: string;
  issuedAt: number;
  used: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** Serialized workspace (see exportState). */
export interface WorkspaceState {
  version: 1;
  seq: number;
  lastTsMicros: number;
  team: TeamInfo;
  bot: BotIdentity;
  users: EmuUser[];
  usergroups: EmuUsergroup[];
  channels: EmuChannel[];
  messages: Record<string, EmuMessage[]>;
  ephemerals: EmuEphemeral[];
  files: Array<Omit<EmuFile, 'content'> & { content: string }>;
}

export interface MessageInput {
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
  thread_ts?: string;
  reply_broadcast?: boolean;
  metadata?: unknown;
}

export class Workspace {
  readonly team: TeamInfo;
  readonly bot: BotIdentity;
  readonly events = new EventEmitter<SlackEmulatorEventMap>();

  private readonly users = new Map<string, EmuUser>();
  private readonly groups = new Map<string, EmuUsergroup>();
  private readonly channels = new Map<string, EmuChannel>();
  private readonly messages = new Map<string, EmuMessage[]>();
  private ephemeralList: EmuEphemeral[] = [];
  private readonly views = new Map<string, EmuView>();
  private readonly stacks = new Map<string, string[]>();
  private readonly files = new Map<string, EmuFile>();
  private readonly triggers = new Map<string, TriggerState>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private seq = 0;
  private lastTsMicros = 0;

  constructor(
    seed: WorkspaceSeed,
    private readonly clock: Clock,
    private readonly opts: { chatWritePublic: boolean; baseUrl: () => string },
  ) {
    this.team = seed.team ?? { id: 'T0EMULATOR', domain: 'territory-sandbox', name: 'Territory Sandbox' };
    this.bot = seed.bot ?? {
      userId: 'U0BOT00001',
      botId: 'B0BOT00001',
      appId: 'A0APP00001',
      name: 'territory-bot',
    };
    this.users.set(this.bot.userId, {
      id: this.bot.userId,
      name: this.bot.name,
      real_name: this.bot.name,
      is_bot: true,
      role: 'bot',
    });
    for (const u of seed.users ?? []) this.users.set(u.id, clone(u));
    for (const g of seed.usergroups ?? []) this.groups.set(g.id, clone(g));
    for (const c of seed.channels ?? []) this.createChannel(c, false);
  }

  // ---------------------------------------------------------------- ids and time

  private nextSeq(): string {
    this.seq += 1;
    return this.seq.toString(36).toUpperCase().padStart(8, '0');
  }

  nextId(prefix: string): string {
    return `${prefix}0${this.nextSeq()}`;
  }

  now(): number {
    return this.clock.now();
  }

  /** Slack ts: "<unix seconds>.<6 digits>", unique and increasing per workspace. */
  nextTs(): string {
    const micros = Math.max(this.clock.now() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  private emit(change: WorkspaceChange): void {
    // Listeners get a copy so they can never mutate the workspace.
    if (this.events.listenerCount('change') > 0) this.events.emit('change', clone(change));
  }

  /**
   * Forgets long-dead trigger_ids and response_urls now and then, so a long sandbox session stays
   * small. They are kept well past expiry first, so late use still gets the precise error.
   */
  private sweep(): void {
    if (this.seq % 256 !== 0) return;
    const now = this.clock.now();
    for (const [id, t] of this.triggers)
      if (now - t.issuedAt > 100 * TRIGGER_TTL_MS) this.triggers.delete(id);
    for (const [id, r] of this.responseUrls)
      if (now - r.issuedAt > 2 * RESPONSE_URL_TTL_MS) this.responseUrls.delete(id);
  }

  // ---------------------------------------------------------------- users and groups

  getUser(id: string): EmuUser | undefined {
    return this.users.get(id);
  }

  listUsers(): EmuUser[] {
    return [...this.users.values()];
  }

  requireUser(id: unknown): EmuUser {
    const u = typeof id === 'string' ? this.users.get(id) : undefined;
    if (!u) throw new SlackApiError('user_not_found');
    return u;
  }

  addUser(user: EmuUser): void {
    this.users.set(user.id, clone(user));
    this.emit({ kind: 'user_changed', user });
  }

  getUsergroup(id: string): EmuUsergroup | undefined {
    return this.groups.get(id);
  }

  listUsergroups(): EmuUsergroup[] {
    return [...this.groups.values()];
  }

  addUsergroup(group: EmuUsergroup): void {
    this.groups.set(group.id, clone(group));
    this.emit({ kind: 'usergroup_changed', usergroup: group });
  }

  setUsergroupUsers(id: string, users: string[]): void {
    const g = this.groups.get(id);
    if (!g) throw new SlackApiError('no_such_subteam');
    g.users = [...users];
    this.emit({ kind: 'usergroup_changed', usergroup: g });
  }

  // ---------------------------------------------------------------- channels

  createChannel(
    seed: ChannelSeed | (Omit<ChannelSeed, 'kind'> & { kind: ChannelKind }),
    emit = true,
  ): EmuChannel {
    const channel: EmuChannel = {
      id: seed.id,
      name: seed.name,
      kind: seed.kind ?? 'public',
      members: [...seed.members],
      botMember: seed.botMember,
      created: seed.created ?? Math.floor(this.clock.now() / 1000),
      ...(seed.topic !== undefined ? { topic: seed.topic } : {}),
      ...(seed.user !== undefined ? { user: seed.user } : {}),
    };
    this.channels.set(channel.id, channel);
    if (!this.messages.has(channel.id)) this.messages.set(channel.id, []);
    if (emit) this.emit({ kind: 'channel_changed', channel });
    return channel;
  }

  getChannel(idOrName: string): EmuChannel | undefined {
    const direct = this.channels.get(idOrName);
    if (direct) return direct;
    const name = idOrName.replace(/^#/, '');
    return [...this.channels.values()].find((c) => c.kind !== 'im' && c.name === name);
  }

  listChannels(): EmuChannel[] {
    return [...this.channels.values()];
  }

  setBotMember(id: string, member: boolean): void {
    const c = this.requireChannelRaw(id);
    c.botMember = member;
    this.emit({ kind: 'channel_changed', channel: c });
  }

  setChannelMembers(id: string, members: string[]): void {
    const c = this.requireChannelRaw(id);
    c.members = [...members];
    this.emit({ kind: 'channel_changed', channel: c });
  }

  private requireChannelRaw(id: string): EmuChannel {
    const c = this.getChannel(id);
    if (!c) throw new SlackApiError('channel_not_found');
    return c;
  }

  /** A channel as the bot sees it: private channels it is not in do not exist for it. */
  visibleChannel(id: unknown): EmuChannel {
    const c = typeof id === 'string' ? this.getChannel(id) : undefined;
    if (!c) throw new SlackApiError('channel_not_found');
    if ((c.kind === 'private' || c.kind === 'mpim') && !c.botMember)
      throw new SlackApiError('channel_not_found');
    return c;
  }

  /** The bot's DM with a user (conversations.open creates it on demand). */
  dmChannel(user: string): EmuChannel {
    this.requireUser(user);
    const existing = [...this.channels.values()].find((c) => c.kind === 'im' && c.user === user);
    if (existing) return existing;
    return this.createChannel({
      id: this.nextId('D'),
      name: user,
      kind: 'im',
      members: [user],
      botMember: true,
      user,
    });
  }

  /** A multi-person DM with the bot (conversations.open with several users). */
  mpimChannel(users: string[]): EmuChannel {
    for (const u of users) this.requireUser(u);
    const key = [...users].sort().join(',');
    const existing = [...this.channels.values()].find(
      (c) => c.kind === 'mpim' && [...c.members].sort().join(',') === key,
    );
    if (existing) return existing;
    return this.createChannel({
      id: this.nextId('G'),
      name: `mpdm-${users.join('--')}-1`,
      kind: 'mpim',
      members: [...users],
      botMember: true,
    });
  }

  joinChannel(id: unknown): EmuChannel {
    const c = this.visibleChannel(id);
    if (c.kind !== 'public') throw new SlackApiError('method_not_supported_for_channel_type');
    if (!c.botMember) this.setBotMember(c.id, true);
    return c;
  }

  /** Resolves chat.postMessage's `channel`: a channel id or name, or a user id (posts to the DM). */
  private resolvePostTarget(channel: unknown): EmuChannel {
    if (typeof channel !== 'string' || channel === '') throw new SlackApiError('channel_not_found');
    if (/^[UW]/.test(channel) && this.users.has(channel)) return this.dmChannel(channel);
    return this.visibleChannel(channel);
  }

  private assertBotCanPost(c: EmuChannel): void {
    if (c.kind === 'im') return;
    if (c.botMember) return;
    // chat:write.public lets a bot post to public channels it has not joined; never to private ones.
    if (c.kind === 'public' && this.opts.chatWritePublic) return;
    throw new SlackApiError('not_in_channel');
  }

  // ---------------------------------------------------------------- messages

  private validateContent(input: MessageInput, requireContent: boolean): void {
    const hasBlocks = Array.isArray(input.blocks) && input.blocks.length > 0;
    const hasAttachments = Array.isArray(input.attachments) && input.attachments.length > 0;
    const text = input.text ?? '';
    if (requireContent && text.trim() === '' && !hasBlocks && !hasAttachments)
      throw new SlackApiError('no_text');
    if (text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
    if (input.blocks !== undefined) {
      const problems = blockProblems(input.blocks, 50, '/blocks');
      if (problems.length > 0) throw withMessages('invalid_blocks', problems);
    }
  }

  /** Validates message content (no_text, msg_too_long, invalid_blocks) and hands it back. */
  checkedContent(input: MessageInput): MessageInput {
    this.validateContent(input, true);
    return input;
  }

  private prepareBlocks(blocks: unknown): Block[] | undefined {
    if (!Array.isArray(blocks)) return undefined;
    return assignIds(clone(blocks) as Block[], () => this.nextSeq().toLowerCase());
  }

  listMessages(channel: string): EmuMessage[] {
    const c = this.getChannel(channel);
    if (!c) return [];
    return (this.messages.get(c.id) ?? []).filter(
      (m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast,
    );
  }

  threadReplies(channel: string, threadTs: string): EmuMessage[] {
    const c = this.getChannel(channel);
    if (!c) return [];
    return (this.messages.get(c.id) ?? []).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs);
  }

  findMessage(channel: string, ts: string): EmuMessage | undefined {
    const c = this.getChannel(channel);
    if (!c) return undefined;
    return this.messages.get(c.id)?.find((m) => m.ts === ts);
  }

  private storeMessage(channel: EmuChannel, msg: EmuMessage): EmuMessage {
    const list = this.messages.get(channel.id) ?? [];
    list.push(msg);
    this.messages.set(channel.id, list);
    if (msg.thread_ts && msg.thread_ts !== msg.ts) {
      const parent = list.find((m) => m.ts === msg.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.latest_reply = msg.ts;
        this.emit({ kind: 'message_updated', message: parent });
      }
    }
    this.emit({ kind: 'message_posted', message: msg });
    return msg;
  }

  /** chat.postMessage */
  postMessage(args: MessageInput & { channel?: unknown }): EmuMessage {
    const channel = this.resolvePostTarget(args.channel);
    this.assertBotCanPost(channel);
    this.validateContent(args, true);
    return this.storeMessage(channel, this.newMessage(channel, this.bot.userId, args, 'api'));
  }

  /** Posts as the bot without the membership check (response_url / ack in_channel answers are scoped to the invocation). */
  postScoped(channelId: string, args: MessageInput, source: EmuMessage['source']): EmuMessage {
    const channel = this.requireChannelRaw(channelId);
    this.validateContent(args, true);
    return this.storeMessage(channel, this.newMessage(channel, this.bot.userId, args, source));
  }

  /** A person posts in a channel (sandbox message box). */
  postAsUser(user: string, channelId: string, text: string, threadTs?: string): EmuMessage {
    this.requireUser(user);
    const channel = this.requireChannelRaw(channelId);
    return this.storeMessage(
      channel,
      this.newMessage(channel, user, { text, ...(threadTs ? { thread_ts: threadTs } : {}) }, 'user'),
    );
  }

  private newMessage(
    channel: EmuChannel,
    user: string,
    args: MessageInput,
    source: EmuMessage['source'],
  ): EmuMessage {
    const ts = this.nextTs();
    const msg: EmuMessage = { channel: channel.id, ts, user, text: args.text ?? '', editCount: 0, source };
    if (user === this.bot.userId) msg.bot_id = this.bot.botId;
    const blocks = this.prepareBlocks(args.blocks);
    if (blocks) msg.blocks = blocks;
    if (args.thread_ts) {
      const list = this.messages.get(channel.id) ?? [];
      const target = list.find((m) => m.ts === args.thread_ts);
      // Slack threads a reply to a reply under the same parent; an unknown thread_ts posts to the channel.
      if (target) {
        msg.thread_ts = target.thread_ts && target.thread_ts !== target.ts ? target.thread_ts : target.ts;
        if (args.reply_broadcast) msg.reply_broadcast = true;
      }
    }
    if (args.metadata !== undefined) msg.metadata = clone(args.metadata);
    return msg;
  }

  /** chat.update */
  updateMessage(args: MessageInput & { channel?: unknown; ts?: unknown }): EmuMessage {
    if (typeof args.channel !== 'string') throw new SlackApiError('channel_not_found');
    const channel = this.visibleChannel(args.channel);
    const msg =
      typeof args.ts === 'string' ? this.messages.get(channel.id)?.find((m) => m.ts === args.ts) : undefined;
    if (!msg) throw new SlackApiError('message_not_found');
    if (msg.user !== this.bot.userId) throw new SlackApiError('cant_update_message');
    this.validateContent(args, false);
    const text = args.text ?? msg.text;
    // Slack keeps the previous blocks when `blocks` is omitted; an empty array removes them.
    const blocks = args.blocks !== undefined ? this.prepareBlocks(args.blocks) : msg.blocks;
    const hasBlocks = blocks !== undefined && blocks.length > 0;
    if (text.trim() === '' && !hasBlocks) throw new SlackApiError('no_text');
    msg.text = text;
    if (hasBlocks) msg.blocks = blocks;
    else delete msg.blocks;
    if (args.metadata !== undefined) msg.metadata = clone(args.metadata);
    msg.editCount += 1;
    msg.edited = { user: this.bot.userId, ts: this.nextTs() };
    this.emit({ kind: 'message_updated', message: msg });
    return msg;
  }

  /** chat.delete */
  deleteMessage(args: { channel?: unknown; ts?: unknown }): { channel: string; ts: string } {
    const channel = this.visibleChannel(args.channel);
    const list = this.messages.get(channel.id) ?? [];
    const idx = list.findIndex((m) => m.ts === args.ts);
    const msg = list[idx];
    if (!msg) throw new SlackApiError('message_not_found');
    if (msg.user !== this.bot.userId) throw new SlackApiError('cant_delete_message');
    list.splice(idx, 1);
    this.emit({
      kind: 'message_deleted',
      channel: channel.id,
      ts: msg.ts,
      ...(msg.thread_ts ? { thread_ts: msg.thread_ts } : {}),
    });
    return { channel: channel.id, ts: msg.ts };
  }

  permalink(args: { channel?: unknown; message_ts?: unknown }): string {
    const channel = this.visibleChannel(args.channel);
    const msg =
      typeof args.message_ts === 'string' ? this.findMessage(channel.id, args.message_ts) : undefined;
    if (!msg) throw new SlackApiError('message_not_found');
    const base = `https://${this.team.domain}.slack.com/archives/${channel.id}/p${msg.ts.replace('.', '')}`;
    return msg.thread_ts && msg.thread_ts !== msg.ts
      ? `${base}?thread_ts=${msg.thread_ts}&cid=${channel.id}`
      : base;
  }

  // ---------------------------------------------------------------- ephemeral

  /** chat.postEphemeral */
  postEphemeral(args: MessageInput & { channel?: unknown; user?: unknown }): EmuEphemeral {
    const channel = this.resolvePostTarget(args.channel);
    const user = this.requireUser(args.user);
    if (channel.kind !== 'im' && !channel.members.includes(user.id))
      throw new SlackApiError('user_not_in_channel');
    if (channel.kind === 'im' && channel.user !== user.id) throw new SlackApiError('user_not_in_channel');
    this.assertBotCanPost(channel);
    this.validateContent(args, true);
    return this.storeEphemeral(channel.id, user.id, args, 'api');
  }

  storeEphemeral(
    channel: string,
    user: string,
    args: MessageInput,
    source: EmuEphemeral['source'],
    responseUrlId?: string,
  ): EmuEphemeral {
    const e: EmuEphemeral = { channel, ts: this.nextTs(), user, text: args.text ?? '', source };
    const blocks = this.prepareBlocks(args.blocks);
    if (blocks) e.blocks = blocks;
    if (args.thread_ts) e.thread_ts = args.thread_ts;
    if (responseUrlId) e.responseUrlId = responseUrlId;
    this.ephemeralList.push(e);
    this.emit({ kind: 'ephemeral_posted', ephemeral: e });
    return e;
  }

  listEphemerals(user: string, channel?: string): EmuEphemeral[] {
    return this.ephemeralList.filter(
      (e) => e.user === user && (channel === undefined || e.channel === channel),
    );
  }

  findEphemeral(user: string, channel: string, ts: string): EmuEphemeral | undefined {
    return this.ephemeralList.find((e) => e.user === user && e.channel === channel && e.ts === ts);
  }

  // ---------------------------------------------------------------- triggers and response urls

  mintTrigger(user: string): MintedTrigger {
    this.sweep();
    const issuedAt = this.clock.now();
    const n = this.nextSeq();
    const triggerId = `${Math.floor(issuedAt / 1000)}.${parseInt(n, 36)}.${Buffer.from(n).toString('hex')}`;
    this.triggers.set(triggerId, { user, issuedAt, used: false });
    return { triggerId, user, issuedAt };
  }

  /** Consumes a trigger_id: Slack's `invalid_trigger_id`, `expired_trigger_id`, `exchanged_trigger_id`. */
  private consumeTrigger(triggerId: unknown): TriggerState {
    const t = typeof triggerId === 'string' ? this.triggers.get(triggerId) : undefined;
    if (!t) throw new SlackApiError('invalid_trigger_id');
    if (t.used) throw new SlackApiError('exchanged_trigger_id');
    if (this.clock.now() - t.issuedAt > TRIGGER_TTL_MS) throw new SlackApiError('expired_trigger_id');
    t.used = true;
    return t;
  }

  mintResponseUrl(ctx: ResponseUrlContext): string {
    this.sweep();
    const id = `${this.team.id}/${this.nextSeq()}/${Buffer.from(`${ctx.user}:${this.seq}`).toString('hex')}`;
    this.responseUrls.set(id, { ...ctx, id, issuedAt: this.clock.now(), uses: 0 });
    return `${this.opts.baseUrl()}/response/${id}`;
  }

  /**
   * A POST to a response_url: new ephemeral or in_channel message, `replace_original`,
   * `delete_original`. Answers Slack's 404 `expired_url` / `used_url` past 30 min / 5 uses.
   */
  respond(id: string, body: Obj): { status: number; result: string } {
    const r = this.responseUrls.get(id);
    if (!r) return { status: 404, result: 'invalid_url' };
    if (this.clock.now() - r.issuedAt > RESPONSE_URL_TTL_MS) return { status: 404, result: 'expired_url' };
    if (r.uses >= RESPONSE_URL_MAX_USES) return { status: 404, result: 'used_url' };
    r.uses += 1;
    const message: MessageInput = {};
    if (typeof body.text === 'string') message.text = body.text;
    if (body.blocks !== undefined) message.blocks = body.blocks;
    if (typeof body.thread_ts === 'string') message.thread_ts = body.thread_ts;
    const truthy = (v: unknown) => v === true || v === 'true';
    try {
      const original = this.originalOf(r);
      if (truthy(body.delete_original)) {
        if (!original) throw new SlackApiError('message_not_found');
        this.deleteOriginal(r, original);
        return { status: 200, result: 'deleted' };
      }
      // Without an original to replace, Slack posts the message as new.
      if (truthy(body.replace_original) && original) {
        this.replaceOriginal(r, original, message);
        return { status: 200, result: 'replaced' };
      }
      if (body.response_type === 'in_channel') {
        const m = this.postScoped(r.channel, message, 'response_url');
        r.lastPosted = { ts: m.ts, ephemeral: false };
        return { status: 200, result: 'in_channel' };
      }
      this.validateContent(message, true);
      const e = this.storeEphemeral(r.channel, r.user, message, 'response_url', r.id);
      r.lastPosted = { ts: e.ts, ephemeral: true };
      return { status: 200, result: 'ephemeral' };
    } catch (err) {
      if (err instanceof SlackApiError) return { status: 400, result: err.error };
      throw err;
    }
  }

  /**
   * The message replace_original/delete_original act on: the message holding the clicked element,
   * or for a slash command the last message its response_url (or ack) posted.
   */
  private originalOf(r: ResponseUrlState): { ts: string; ephemeral: boolean } | undefined {
    if (r.messageTs) return { ts: r.messageTs, ephemeral: r.ephemeral === true };
    return r.lastPosted;
  }

  /** Records the ack message of a slash command as the original of its response_url. */
  noteResponsePost(url: string, ts: string, ephemeral: boolean): void {
    const r = this.responseUrls.get(url.slice(url.indexOf('/response/') + '/response/'.length));
    if (r) r.lastPosted = { ts, ephemeral };
  }

  private replaceOriginal(
    r: ResponseUrlState,
    original: { ts: string; ephemeral: boolean },
    message: MessageInput,
  ): void {
    this.validateContent(message, true);
    const ts = original.ts;
    if (original.ephemeral) {
      const e = this.findEphemeral(r.user, r.channel, ts);
      if (!e) throw new SlackApiError('message_not_found');
      e.text = message.text ?? '';
      const blocks = this.prepareBlocks(message.blocks);
      if (blocks) e.blocks = blocks;
      else delete e.blocks;
      this.emit({ kind: 'ephemeral_updated', ephemeral: e });
      return;
    }
    const msg = this.findMessage(r.channel, ts);
    if (!msg) throw new SlackApiError('message_not_found');
    msg.text = message.text ?? '';
    const blocks = this.prepareBlocks(message.blocks);
    if (blocks) msg.blocks = blocks;
    else delete msg.blocks;
    msg.editCount += 1;
    msg.edited = { user: this.bot.userId, ts: this.nextTs() };
    this.emit({ kind: 'message_updated', message: msg });
  }

  private deleteOriginal(r: ResponseUrlState, original: { ts: string; ephemeral: boolean }): void {
    if (original.ephemeral) {
      const before = this.ephemeralList.length;
      this.ephemeralList = this.ephemeralList.filter(
        (e) => !(e.user === r.user && e.channel === r.channel && e.ts === original.ts),
      );
      if (this.ephemeralList.length === before) throw new SlackApiError('message_not_found');
      this.emit({ kind: 'ephemeral_deleted', channel: r.channel, ts: original.ts, user: r.user });
      return;
    }
    const list = this.messages.get(r.channel) ?? [];
    const idx = list.findIndex((m) => m.ts === original.ts);
    if (idx < 0) throw new SlackApiError('message_not_found');
    const [msg] = list.splice(idx, 1);
    this.emit({
      kind: 'message_deleted',
      channel: r.channel,
      ts: original.ts,
      ...(msg?.thread_ts ? { thread_ts: msg.thread_ts } : {}),
    });
  }

  // ---------------------------------------------------------------- views

  validateView(view: unknown): Obj {
    if (!isObj(view)) throw withMessages('invalid_arguments', ['[ERROR] missing required field: view']);
    const problems: string[] = [];
    const p = (path: string, msg: string) => problems.push(`[ERROR] ${msg} [json-pointer:/view${path}]`);
    if (view.type !== 'modal') p('/type', 'must be "modal"');
    const text = (v: unknown) => (isObj(v) && typeof v.text === 'string' ? v.text : undefined);
    const title = text(view.title);
    if (title === undefined || title.length === 0) p('/title', 'must provide a plain_text title');
    else if (title.length > 24) p('/title/text', 'must be less than 25 characters');
    for (const key of ['submit', 'close'] as const) {
      const t = text(view[key]);
      if (t !== undefined && t.length > 24) p(`/${key}/text`, 'must be less than 25 characters');
    }
    if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
      p('/private_metadata', 'must be less than 3001 characters');
    if (typeof view.callback_id === 'string' && view.callback_id.length > 255)
      p('/callback_id', 'must be less than 256 characters');
    if (typeof view.external_id === 'string' && view.external_id.length > 255)
      p('/external_id', 'must be less than 256 characters');
    problems.push(...blockProblems(view.blocks, 100, '/view/blocks'));
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && text(view.submit) === undefined)
      p('/submit', 'must provide submit when input blocks are present');
    if (problems.length > 0) throw withMessages('invalid_arguments', problems);
    return view;
  }

  private buildView(
    input: Obj,
    user: string,
    id: string,
    rootId: string | null,
    previousId: string | null,
    prior?: EmuView,
  ): EmuView {
    const plain = (v: unknown) => (isObj(v) ? (clone(v) as EmuView['title']) : undefined);
    // An update that does not name an external_id keeps the one the view had.
    const externalId = typeof input.external_id === 'string' ? input.external_id : (prior?.external_id ?? '');
    if (externalId) {
      const clash = [...this.views.values()].find((v) => v.external_id === externalId && v.id !== id);
      if (clash) throw new SlackApiError('duplicate_external_id');
    }
    const blocks = assignIds(clone(input.blocks as Block[]), () => this.nextSeq().toLowerCase());
    // Slack keeps what the user entered across views.update where block and action ids are unchanged.
    const kept: EmuView['state']['values'] = {};
    if (prior) {
      for (const { block, element } of elementsOf(blocks)) {
        const v = prior.state.values[String(block.block_id)]?.[String(element.action_id)];
        if (v)
          kept[String(block.block_id)] = {
            ...kept[String(block.block_id)],
            [String(element.action_id)]: clone(v),
          };
      }
    }
    return {
      id,
      team_id: this.team.id,
      type: 'modal',
      user,
      title: plain(input.title)!,
      submit: plain(input.submit) ?? null,
      close: plain(input.close) ?? null,
      blocks,
      private_metadata: typeof input.private_metadata === 'string' ? input.private_metadata : '',
      callback_id: typeof input.callback_id === 'string' ? input.callback_id : '',
      external_id: externalId,
      state: { values: kept },
      hash: `${Math.floor(this.clock.now() / 1000)}.${this.nextSeq().toLowerCase()}`,
      clear_on_close: input.clear_on_close === true,
      notify_on_close: input.notify_on_close === true,
      root_view_id: rootId ?? id,
      previous_view_id: previousId,
      app_id: this.bot.appId,
      bot_id: this.bot.botId,
      app_installed_team_id: this.team.id,
    };
  }

  /** views.open: a new modal stack for the trigger's user. */
  openView(args: { trigger_id?: unknown; view?: unknown }): EmuView {
    const view = this.validateView(args.view);
    const trigger = this.consumeTrigger(args.trigger_id);
    const id = this.nextId('V');
    const built = this.buildView(view, trigger.user, id, null, null);
    for (const old of this.stacks.get(trigger.user) ?? []) this.views.delete(old);
    this.views.set(id, built);
    this.stacks.set(trigger.user, [id]);
    this.emit({ kind: 'view_opened', view: built });
    return built;
  }

  /** views.push: on top of the user's open modal (root + 2 pushed at most). */
  pushView(args: { trigger_id?: unknown; view?: unknown }): EmuView {
    const view = this.validateView(args.view);
    const trigger = this.consumeTrigger(args.trigger_id);
    return this.pushFor(trigger.user, view);
  }

  pushFor(user: string, view: Obj): EmuView {
    const stack = this.stacks.get(user) ?? [];
    const top = stack[stack.length - 1];
    if (!top) throw new SlackApiError('not_found');
    if (stack.length >= MAX_VIEW_STACK) throw new SlackApiError('push_limit_reached');
    const id = this.nextId('V');
    const built = this.buildView(view, user, id, stack[0]!, top);
    this.views.set(id, built);
    stack.push(id);
    this.stacks.set(user, stack);
    this.emit({ kind: 'view_pushed', view: built });
    return built;
  }

  /** views.update by view_id or external_id, guarded by hash. */
  updateView(args: { view_id?: unknown; external_id?: unknown; hash?: unknown; view?: unknown }): EmuView {
    const view = this.validateView(args.view);
    let current: EmuView | undefined;
    if (typeof args.view_id === 'string' && args.view_id !== '') current = this.views.get(args.view_id);
    else if (typeof args.external_id === 'string' && args.external_id !== '')
      current = [...this.views.values()].find((v) => v.external_id === args.external_id);
    else throw withMessages('invalid_arguments', ['[ERROR] must provide view_id or external_id']);
    if (!current) throw new SlackApiError('not_found');
    if (typeof args.hash === 'string' && args.hash !== '' && args.hash !== current.hash)
      throw new SlackApiError('hash_conflict');
    return this.replaceView(current, view);
  }

  replaceView(current: EmuView, view: Obj): EmuView {
    const next = this.buildView(
      view,
      current.user,
      current.id,
      current.root_view_id,
      current.previous_view_id,
      current,
    );
    if (next.root_view_id === next.id) next.root_view_id = current.id;
    this.views.set(current.id, next);
    this.emit({ kind: 'view_updated', view: next });
    return next;
  }

  getView(id: string): EmuView | undefined {
    return this.views.get(id);
  }

  viewStack(user: string): EmuView[] {
    return (this.stacks.get(user) ?? []).map((id) => this.views.get(id)!).filter(Boolean);
  }

  /** Stores the values a user entered (so later payloads and updates carry them). */
  setViewState(id: string, values: EmuView['state']['values']): void {
    const v = this.views.get(id);
    if (!v) throw new SlackApiError('not_found');
    v.state = { values: clone(values) };
  }

  setViewErrors(id: string, errors: Record<string, string> | undefined): void {
    const v = this.views.get(id);
    if (!v) throw new SlackApiError('not_found');
    if (errors) v.errors = clone(errors);
    else delete v.errors;
    this.emit({ kind: 'view_updated', view: v });
  }

  /** Closes a view and everything pushed above it; returns the closed views. */
  closeView(id: string): EmuView[] {
    const v = this.views.get(id);
    if (!v) return [];
    const stack = this.stacks.get(v.user) ?? [];
    const idx = stack.indexOf(id);
    const closedIds = idx >= 0 ? stack.splice(idx) : [id];
    const closed = closedIds.map((x) => this.views.get(x)).filter((x): x is EmuView => x !== undefined);
    for (const x of closedIds) {
      this.views.delete(x);
      this.emit({ kind: 'view_closed', viewId: x, user: v.user });
    }
    if (stack.length === 0) this.stacks.delete(v.user);
    return closed;
  }

  /** Closes the user's whole modal stack (`response_action: clear`). */
  clearViews(user: string): EmuView[] {
    const root = this.stacks.get(user)?.[0];
    return root ? this.closeView(root) : [];
  }

  // ---------------------------------------------------------------- files

  uploadFile(user: string, name: string, content: string | Buffer, mimetype?: string): EmuFile {
    this.requireUser(user);
    const id = this.nextId('F');
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
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
