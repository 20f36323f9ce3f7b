/** Workspace layer: messages with threads and edits, and ephemeral messages. */
import { assignIds, blockProblems } from './blocks.js';
import { SlackApiError, withMessages } from './errors.js';
import type { Block, EmuChannel, EmuEphemeral, EmuMessage } from './types.js';
import { clone, MAX_TEXT, type MessageInput } from './workspace-core.js';
import { WorkspaceDirectory } from './workspace-directory.js';

export class WorkspaceMessages extends WorkspaceDirectory {
  // ---------------------------------------------------------------- messages

  protected validateContent(input: MessageInput, requireContent: boolean): void {
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

  protected prepareBlocks(blocks: unknown): Block[] | undefined {
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

  protected storeMessage(channel: EmuChannel, msg: EmuMessage): EmuMessage {
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

  protected newMessage(
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
}
