/**
 * Workspace model of the Slack emulator. Everything here is plain JSON so the sandbox web UI
 * can render a snapshot and follow the change stream without knowing the emulator's internals.
 */

/** Loose Block Kit shapes: the emulator stores what the app sent, untouched. */
export type Block = { type: string; block_id?: string } & Record<string, unknown>;

/** The labels the sandbox user switcher shows; Slack itself has no such notion. */
export type UserRole = 'rep' | 'manager' | 'ops' | 'admin' | 'bot' | (string & {});

export interface EmuUser {
  id: string;
  name: string;
  real_name: string;
  is_bot: boolean;
  role: UserRole;
  email?: string;
  is_admin?: boolean;
  deleted?: boolean;
  tz?: string;
}

export interface EmuUsergroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

export type ChannelKind = 'public' | 'private' | 'im' | 'mpim';

export interface EmuChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Human members (user ids). The bot's membership is `botMember`. */
  members: string[];
  botMember: boolean;
  /** For DMs: the other party. */
  user?: string;
  created: number;
  topic?: string;
}

export interface EmuMessage {
  channel: string;
  ts: string;
  /** Author user id (the bot user for messages the app posts). */
  user: string;
  bot_id?: string;
  text: string;
  blocks?: Block[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  /** Set by chat.update / response_url replace_original. */
  edited?: { user: string; ts: string };
  /** How many times the message was edited in place. */
  editCount: number;
  /** For thread parents: reply count and the latest reply ts. */
  reply_count?: number;
  latest_reply?: string;
  /** Where the message came from: the Web API, a response_url, a slash-command ack, a person. */
  source: 'api' | 'response_url' | 'ack' | 'user';
  metadata?: unknown;
  /** Files shared with the message (files.completeUploadExternal). */
  files?: Array<Omit<EmuFile, 'content'>>;
}

export interface EmuEphemeral {
  channel: string;
  /** `message_ts` Slack returns for chat.postEphemeral. */
  ts: string;
  /** The only person who sees it. */
  user: string;
  text: string;
  blocks?: Block[];
  thread_ts?: string;
  source: 'api' | 'response_url' | 'ack';
  /** Response URL that created or last replaced it (lets replace_original target it). */
  responseUrlId?: string;
}

export type ViewStateValue = Record<string, unknown> & { type: string };
export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

export interface EmuView {
  id: string;
  team_id: string;
  /** home: a user's published Home tab (views.publish); no title, submit or stack. */
  type: 'modal' | 'home';
  /** The user the modal is shown to. */
  user: string;
  title: { type: 'plain_text'; text: string; emoji?: boolean };
  submit?: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  close?: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  blocks: Block[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: ViewStateValues };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
  app_installed_team_id: string;
  /** Inline errors from the last `response_action: errors` ack (block_id -> message). */
  errors?: Record<string, string>;
}

export interface EmuFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  user: string;
  created: number;
  url_private: string;
  url_private_download: string;
  /** Raw content, served at url_private to the bot token only. */
  content: Buffer;
}

export interface TeamInfo {
  id: string;
  domain: string;
  name: string;
}

export interface BotIdentity {
  userId: string;
  botId: string;
  appId: string;
  name: string;
}

/** Seed of a workspace; ids are the caller's. */
export interface WorkspaceSeed {
  team?: TeamInfo;
  bot?: BotIdentity;
  users?: EmuUser[];
  usergroups?: EmuUsergroup[];
  channels?: ChannelSeed[];
}

/** A channel to create; `kind` defaults to public. */
export type ChannelSeed = Omit<EmuChannel, 'created' | 'kind'> & {
  kind?: 'public' | 'private';
  created?: number;
};

/** One workspace change, as the web UI (or a test) sees it. */
export type WorkspaceChange =
  | { kind: 'message_posted'; message: EmuMessage }
  | { kind: 'message_updated'; message: EmuMessage }
  | { kind: 'message_deleted'; channel: string; ts: string; thread_ts?: string }
  | { kind: 'ephemeral_posted'; ephemeral: EmuEphemeral }
  | { kind: 'ephemeral_updated'; ephemeral: EmuEphemeral }
  | { kind: 'ephemeral_deleted'; channel: string; ts: string; user: string }
  | { kind: 'view_opened'; view: EmuView }
  | { kind: 'view_updated'; view: EmuView }
  | { kind: 'view_pushed'; view: EmuView }
  | { kind: 'view_closed'; viewId: string; user: string }
  | { kind: 'home_published'; view: EmuView }
  | { kind: 'file_uploaded'; file: Omit<EmuFile, 'content'> }
  | { kind: 'channel_changed'; channel: EmuChannel }
  | { kind: 'user_changed'; user: EmuUser }
  | { kind: 'usergroup_changed'; usergroup: EmuUsergroup };

export interface WorkspaceSnapshot {
  team: TeamInfo;
  bot: BotIdentity;
  users: EmuUser[];
  usergroups: EmuUsergroup[];
  channels: Array<EmuChannel & { messages: EmuMessage[] }>;
  /** Thread replies per `${channel}:${thread_ts}`. */
  threads: Record<string, EmuMessage[]>;
  ephemerals: EmuEphemeral[];
  /** Open modal stacks per user, root first. */
  views: Record<string, EmuView[]>;
  files: Array<Omit<EmuFile, 'content'>>;
}

/** A recorded Web API call (the token is never recorded). */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  status: number;
  response: Record<string, unknown>;
  at: number;
}

/** What a response_url post did, recorded for tests. */
export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  status: number;
  result: string;
  at: number;
}
