/** Workspace layer: people, user groups, channels and DMs, and who may post where. */
import { SlackApiError } from './errors.js';
import type { ChannelKind, ChannelSeed, EmuChannel, EmuUser, EmuUsergroup } from './types.js';
import { clone, WorkspaceCore } from './workspace-core.js';

export class WorkspaceDirectory extends WorkspaceCore {
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

  protected requireChannelRaw(id: string): EmuChannel {
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
  protected resolvePostTarget(channel: unknown): EmuChannel {
    if (typeof channel !== 'string' || channel === '') throw new SlackApiError('channel_not_found');
    if (/^[UW]/.test(channel) && this.users.has(channel)) return this.dmChannel(channel);
    return this.visibleChannel(channel);
  }

  protected assertBotCanPost(c: EmuChannel): void {
    if (c.kind === 'im') return;
    if (c.botMember) return;
    // chat:write.public lets a bot post to public channels it has not joined; never to private ones.
    if (c.kind === 'public' && this.opts.chatWritePublic) return;
    throw new SlackApiError('not_in_channel');
  }
}
