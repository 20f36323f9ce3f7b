/**
 * The Web API methods the emulator answers, each shaped like Slack's answer (success and
 * error codes). Arguments arrive as @slack/web-api sends them: form fields with objects
 * (`blocks`, `view`, ...) JSON-encoded, booleans as "true"/"false".
 */
import { SlackApiError, withMessages } from './errors.js';
import type { BotIdentity, EmuChannel, EmuFile, EmuMessage, EmuUser, EmuView, TeamInfo } from './types.js';
import type { MessageInput, Workspace } from './workspace.js';

type Obj = Record<string, unknown>;
export type MethodHandler = (args: Obj, ws: Workspace) => Obj;

const truthy = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

function messageInput(args: Obj): MessageInput {
  const m: MessageInput = {};
  const text = str(args.text);
  if (text !== undefined) m.text = text;
  if (args.blocks !== undefined && args.blocks !== '') m.blocks = args.blocks;
  if (args.attachments !== undefined && args.attachments !== '') m.attachments = args.attachments;
  const thread = str(args.thread_ts);
  if (thread) m.thread_ts = thread;
  if (truthy(args.reply_broadcast)) m.reply_broadcast = true;
  if (args.metadata !== undefined) m.metadata = args.metadata;
  return m;
}

export function messageJson(ws: Workspace, m: EmuMessage): Obj {
  return messageObject(m, ws.team, ws.bot);
}

/** A message as Slack shows it in API answers and in block_actions payloads. */
export function messageObject(m: EmuMessage, team: TeamInfo, bot: BotIdentity): Obj {
  const out: Obj = { type: 'message', user: m.user, text: m.text, ts: m.ts, team: team.id };
  if (m.bot_id) {
    out.bot_id = m.bot_id;
    out.app_id = bot.appId;
    out.bot_profile = { id: bot.botId, app_id: bot.appId, name: bot.name, team_id: team.id, deleted: false };
  }
  if (m.blocks) out.blocks = m.blocks;
  if (m.thread_ts) out.thread_ts = m.thread_ts;
  if (m.reply_count !== undefined) out.reply_count = m.reply_count;
  if (m.latest_reply !== undefined) out.latest_reply = m.latest_reply;
  if (m.edited) out.edited = m.edited;
  if (m.metadata !== undefined) out.metadata = m.metadata;
  if (m.files?.length) {
    out.files = m.files.map((f) => fileObject(f, team));
    out.upload = true;
  }
  return out;
}

/** A file as files.info and file_input payloads show it. */
export function fileObject(file: Omit<EmuFile, 'content'>, team: TeamInfo): Obj {
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.filetype.toUpperCase(),
    user: file.user,
    user_team: team.id,
    editable: false,
    size: file.size,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: false,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: file.url_private,
    url_private_download: file.url_private_download,
    permalink: `https://${team.domain}.slack.com/files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
  };
}

export function userJson(ws: Workspace, u: EmuUser): Obj {
  const profile: Obj = {
    real_name: u.real_name,
    real_name_normalized: u.real_name,
    display_name: u.name,
    display_name_normalized: u.name,
    team: ws.team.id,
    title: u.role,
  };
  if (u.email) profile.email = u.email;
  if (u.is_bot && u.id === ws.bot.userId) {
    profile.bot_id = ws.bot.botId;
    profile.api_app_id = ws.bot.appId;
  }
  return {
    id: u.id,
    team_id: ws.team.id,
    name: u.name,
    deleted: u.deleted === true,
    real_name: u.real_name,
    tz: u.tz ?? 'Europe/London',
    tz_label: 'Greenwich Mean Time',
    tz_offset: 0,
    profile,
    is_admin: u.is_admin === true,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.is_bot,
    is_app_user: false,
    updated: 1_700_000_000,
  };
}

export function channelJson(ws: Workspace, c: EmuChannel): Obj {
  if (c.kind === 'im') {
    return {
      id: c.id,
      created: c.created,
      is_im: true,
      is_org_shared: false,
      user: c.user,
      is_user_deleted: false,
      priority: 0,
    };
  }
  return {
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    created: c.created,
    creator: c.members[0] ?? ws.bot.userId,
    is_channel: c.kind === 'public' || c.kind === 'private',
    is_group: false,
    is_im: false,
    is_mpim: c.kind === 'mpim',
    is_private: c.kind !== 'public',
    is_archived: false,
    is_general: c.name === 'general',
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    is_member: c.botMember,
    topic: { value: c.topic ?? '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    num_members: c.members.length + (c.botMember ? 1 : 0),
  };
}

export function viewJson(v: EmuView): Obj {
  const { user: _user, errors: _errors, ...rest } = v;
  return { ...rest };
}

/** Cursor paging the way Slack does it: an opaque `next_cursor`, empty on the last page. */
function page<T>(items: T[], args: Obj): { items: T[]; next_cursor: string } {
  const limit = Number(str(args.limit) ?? '0') || items.length || 1;
  const cursor = str(args.cursor);
  let offset = 0;
  if (cursor) {
    const decoded = Buffer.from(cursor, 'base64').toString('utf8');
    const m = /^offset:(\d+)$/.exec(decoded);
    if (!m) throw new SlackApiError('invalid_cursor');
    offset = Number(m[1]);
  }
  const slice = items.slice(offset, offset + limit);
  const next =
    offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
  return { items: slice, next_cursor: next };
}

const requireArg = (args: Obj, name: string): string => {
  const v = str(args[name]);
  if (v === undefined || v === '')
    throw withMessages('invalid_arguments', [`[ERROR] missing required field: ${name}`]);
  return v;
};

export const METHODS: Record<string, MethodHandler> = {
  'auth.test': (_args, ws) => ({
    url: `https://${ws.team.domain}.slack.com/`,
    team: ws.team.name,
    user: ws.bot.name,
    team_id: ws.team.id,
    user_id: ws.bot.userId,
    bot_id: ws.bot.botId,
    is_enterprise_install: false,
  }),

  'chat.postMessage': (args, ws) => {
    const m = ws.postMessage({ ...messageInput(args), channel: args.channel });
    return { channel: m.channel, ts: m.ts, message: messageJson(ws, m) };
  },

  'chat.update': (args, ws) => {
    const m = ws.updateMessage({ ...messageInput(args), channel: args.channel, ts: args.ts });
    return { channel: m.channel, ts: m.ts, text: m.text, message: messageJson(ws, m) };
  },

  'chat.postEphemeral': (args, ws) => {
    const e = ws.postEphemeral({ ...messageInput(args), channel: args.channel, user: args.user });
    return { message_ts: e.ts };
  },

  'chat.delete': (args, ws) => ws.deleteMessage({ channel: args.channel, ts: args.ts }),

  'chat.getPermalink': (args, ws) => {
    const permalink = ws.permalink({ channel: args.channel, message_ts: args.message_ts });
    return { channel: str(args.channel), permalink };
  },

  'views.open': (args, ws) => ({
    view: viewJson(ws.openView({ trigger_id: args.trigger_id, view: args.view })),
  }),

  'views.push': (args, ws) => ({
    view: viewJson(ws.pushView({ trigger_id: args.trigger_id, view: args.view })),
  }),

  'views.update': (args, ws) => ({
    view: viewJson(
      ws.updateView({
        view_id: args.view_id,
        external_id: args.external_id,
        hash: args.hash,
        view: args.view,
      }),
    ),
  }),

  'views.publish': (args, ws) => ({
    view: viewJson(ws.publishHome({ user_id: args.user_id, view: args.view, hash: args.hash })),
  }),

  'users.info': (args, ws) => ({ user: userJson(ws, ws.requireUser(args.user)) }),

  'users.list': (args, ws) => {
    const { items, next_cursor } = page(ws.listUsers(), args);
    return {
      members: items.map((u) => userJson(ws, u)),
      cache_ts: Math.floor(ws.now() / 1000),
      response_metadata: { next_cursor },
    };
  },

  'users.lookupByEmail': (args, ws) => {
    const email = requireArg(args, 'email').toLowerCase();
    const u = ws.listUsers().find((x) => x.email?.toLowerCase() === email);
    if (!u) throw new SlackApiError('users_not_found');
    return { user: userJson(ws, u) };
  },

  'usergroups.list': (args, ws) => ({
    usergroups: ws.listUsergroups().map((g) => ({
      id: g.id,
      team_id: ws.team.id,
      is_usergroup: true,
      name: g.name,
      handle: g.handle,
      description: '',
      user_count: g.users.length,
      ...(truthy(args.include_users) ? { users: [...g.users] } : {}),
    })),
  }),

  'usergroups.users.list': (args, ws) => {
    const id = requireArg(args, 'usergroup');
    const g = ws.getUsergroup(id);
    if (!g) throw new SlackApiError('no_such_subteam');
    return { users: [...g.users] };
  },

  'conversations.open': (args, ws) => {
    const channelArg = str(args.channel);
    let channel: EmuChannel;
    if (channelArg) channel = ws.visibleChannel(channelArg);
    else {
      const users = (str(args.users) ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
      if (users.length > 8) throw new SlackApiError('too_many_users');
      const existing =
        users.length === 1
          ? ws.listChannels().find((c) => c.kind === 'im' && c.user === users[0])
          : undefined;
      channel = users.length === 1 ? ws.dmChannel(users[0]!) : ws.mpimChannel(users);
      if (existing) {
        return {
          no_op: true,
          already_open: true,
          channel: truthy(args.return_im) ? channelJson(ws, channel) : { id: channel.id },
        };
      }
    }
    return { channel: truthy(args.return_im) ? channelJson(ws, channel) : { id: channel.id } };
  },

  'conversations.info': (args, ws) => ({ channel: channelJson(ws, ws.visibleChannel(args.channel)) }),

  'conversations.members': (args, ws) => {
    const c = ws.visibleChannel(args.channel);
    const all = [...c.members, ...(c.botMember ? [ws.bot.userId] : [])];
    const { items, next_cursor } = page(all, args);
    return { members: items, response_metadata: { next_cursor } };
  },

  'conversations.join': (args, ws) => {
    const c = ws.joinChannel(args.channel);
    return { channel: channelJson(ws, c) };
  },

  'conversations.list': (args, ws) => {
    const types = (str(args.types) ?? 'public_channel').split(',').map((t) => t.trim());
    const kinds = new Set(
      types.map(
        (t) => ({ public_channel: 'public', private_channel: 'private', im: 'im', mpim: 'mpim' })[t] ?? t,
      ),
    );
    const visible = ws
      .listChannels()
      .filter((c) => kinds.has(c.kind) && (c.kind === 'public' || c.botMember));
    const { items, next_cursor } = page(visible, args);
    return { channels: items.map((c) => channelJson(ws, c)), response_metadata: { next_cursor } };
  },

  'conversations.history': (args, ws) => {
    const c = ws.visibleChannel(args.channel);
    // Slack lists history newest first.
    const all = ws.listMessages(c.id).slice().reverse();
    const { items, next_cursor } = page(all, args);
    return {
      messages: items.map((m) => messageJson(ws, m)),
      has_more: next_cursor !== '',
      response_metadata: { next_cursor },
    };
  },

  'conversations.replies': (args, ws) => {
    const c = ws.visibleChannel(args.channel);
    const ts = requireArg(args, 'ts');
    const parent = ws.findMessage(c.id, ts);
    if (!parent) throw new SlackApiError('thread_not_found');
    const root =
      parent.thread_ts && parent.thread_ts !== parent.ts ? ws.findMessage(c.id, parent.thread_ts) : parent;
    const thread = root ? [root, ...ws.threadReplies(c.id, root.ts)] : [parent];
    const { items, next_cursor } = page(thread, args);
    return {
      messages: items.map((m) => messageJson(ws, m)),
      has_more: next_cursor !== '',
      response_metadata: { next_cursor },
    };
  },

  'files.getUploadURLExternal': (args, ws) => {
    const filename = requireArg(args, 'filename');
    const length = Number(requireArg(args, 'length'));
    if (!Number.isInteger(length) || length < 1) throw new SlackApiError('invalid_arguments');
    const { fileId, uploadUrl } = ws.beginExternalUpload(filename, length);
    return { upload_url: uploadUrl, file_id: fileId };
  },

  'files.completeUploadExternal': (args, ws) => {
    let files: unknown = args.files;
    if (typeof files === 'string') {
      try {
        files = JSON.parse(files);
      } catch {
        throw new SlackApiError('invalid_json');
      }
    }
    const list = Array.isArray(files) ? files : [];
    const entries = list
      .filter((f): f is Obj => typeof f === 'object' && f !== null && typeof (f as Obj).id === 'string')
      .map((f) => ({ id: String(f.id), ...(typeof f.title === 'string' ? { title: f.title } : {}) }));
    if (entries.length === 0 || entries.length !== list.length)
      throw withMessages('invalid_arguments', ['[ERROR] missing required field: files']);
    const channel = str(args.channel_id) ?? str(args.channels);
    const comment = str(args.initial_comment);
    const thread = str(args.thread_ts);
    const done = ws.completeExternalUpload({
      files: entries,
      ...(channel ? { channel } : {}),
      ...(comment !== undefined ? { initialComment: comment } : {}),
      ...(thread ? { threadTs: thread } : {}),
    });
    return { files: done.map((f) => ({ id: f.id, title: f.title })) };
  },

  'files.info': (args, ws) => {
    const id = requireArg(args, 'file');
    const f = ws.getFile(id);
    if (!f) throw new SlackApiError('file_not_found');
    return { file: fileObject(f, ws.team), comments: [], response_metadata: { next_cursor: '' } };
  },
};
