/** Public option and handle types of the Slack emulator and driver. */
import type { EventEmitter } from 'node:events';
import type { Clock } from '../../core/clock.js';
import type { EnvelopeType, SocketAck } from './socket-mode.js';
import type {
  ChannelSeed,
  EmuChannel,
  EmuEphemeral,
  EmuFile,
  EmuMessage,
  EmuUser,
  EmuUsergroup,
  EmuView,
  RecordedCall,
  RecordedResponse,
  ViewStateValues,
  WorkspaceChange,
  WorkspaceSeed,
  WorkspaceSnapshot,
} from './types.js';

/** Events the emulator emits: every workspace change, every Web API call. */
export interface SlackEmulatorEventMap {
  change: [WorkspaceChange];
  call: [RecordedCall];
}

export interface SlackEmulatorOptions {
  /** Listen port; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** The bot token the app must send; default `xoxb-emulator-token`. */
  botToken?: string;
  /** The app-level token (Socket Mode, `apps.connections.open`); default `xapp-1-A0APP00001-emulator-token`. */
  appToken?: string;
  /** Socket Mode ack window, ms; default 3000 as Slack's. */
  socketAckTimeoutMs?: number;
  /** Workspace content; default `demoWorkspace()` (rep, manager, ops, a few channels). */
  seed?: WorkspaceSeed;
  /** Time source for ts values, trigger_id expiry and response_url expiry. */
  clock?: Clock;
  /**
   * Bot scopes the app was installed without. `users:read.email` missing: `users.info` and
   * `users.list` leave out `profile.email`, `users.lookupByEmail` answers `missing_scope`, as
   * Slack does. Default none (the manifest's scopes are all granted).
   */
  missingScopes?: readonly string[];
  /** Grant `chat:write.public`: post to public channels the bot is not a member of. Default false. */
  chatWritePublic?: boolean;
  /**
   * Enforce Slack's rate-limit tiers (chat.postMessage ~1/s per channel with a burst of 3; Tier 2/3/4
   * methods 20/50/100 per minute) with 429 + Retry-After, measured on `clock`. Default off.
   */
  tierLimits?: boolean;
  /** Added before every Web API answer (benchmarks), ms. Default 0. Uses real timers. */
  latencyMs?: number;
  /**
   * Start from a saved `emulator.snapshot()`: people, channels and DMs, messages with their ts,
   * threads, ephemerals and files (without content). Wins over `seed`; a `stateFile` that exists wins over it.
   */
  snapshot?: WorkspaceSnapshot;
  /**
   * Keep the workspace (people, channels, messages, ephemerals, files) in this JSON file across
   * restarts; when the file exists it wins over `seed`. Modals, trigger_ids and response_urls are not kept.
   */
  stateFile?: string;
  /** Recorded calls kept (oldest dropped beyond it, for long sandbox sessions). Default 10,000. */
  maxRecordedCalls?: number;
}

/** Fault knobs, each consumed call by call; `method` may be `'*'` for every method. */
export interface SlackFaults {
  /** The next `count` calls of `method` answer HTTP 429 + Retry-After + `{"ok":false,"error":"ratelimited"}`. */
  rateLimit(method: string, opts?: { count?: number; retryAfterSec?: number }): void;
  /** The next `count` calls of `method` answer `{"ok":false,"error":<error>}`. */
  failNext(method: string, error: string, count?: number): void;
  /**
   * The next `count` calls of `method` answer HTTP `status` (default 500) with no Slack body. With
   * `afterApplying` the call takes effect first and only its answer is lost (a post that went out
   * although the app saw an error), as when Slack times out after writing the message.
   */
  httpError(method: string, opts?: { status?: number; count?: number; afterApplying?: boolean }): void;
  /** Latency for every call (or one method), ms. */
  setLatency(ms: number, method?: string): void;
  /** Drop every pending fault. */
  clear(): void;
}

export interface ViewAckOutcome {
  action: 'close' | 'errors' | 'update' | 'push' | 'clear' | 'invalid';
  /** What Slack would refuse (the user would see "We had some trouble connecting"). */
  problems: string[];
}

export interface MintedTrigger {
  triggerId: string;
  user: string;
  issuedAt: number;
}

/** The emulator's Socket Mode server, as tests and the driver see it. */
export interface SocketModeControl {
  /** Sends one envelope (waiting for a connection first) and resolves with the app's ack. */
  deliver(type: EnvelopeType, payload: Record<string, unknown>): Promise<SocketAck>;
  /** Sends Slack's `disconnect` message; the app is expected to reconnect. */
  requestRefresh(reason?: 'refresh_requested' | 'warning' | 'socket_mode_disabled'): void;
  /** Drops every connection at once, as when Slack's socket server goes away. */
  dropConnections(): void;
  /** Open connections now. */
  connections(): number;
  /** Connections accepted since start (each reconnect adds one). */
  connectionCount(): number;
  waitForConnection(timeoutMs?: number): Promise<void>;
}

export interface SlackEmulator {
  /** Base URL, e.g. `http://127.0.0.1:53211`. */
  readonly url: string;
  /** `${url}/api/`: give it to WebClient/Bolt as `slackApiUrl`. */
  readonly apiUrl: string;
  readonly botToken: string;
  /** The app-level token `apps.connections.open` takes (Socket Mode). */
  readonly appToken: string;
  /** Socket Mode: the emulator's side of the app's WebSocket. */
  readonly socketMode: SocketModeControl;
  readonly team: { id: string; domain: string; name: string };
  readonly bot: { userId: string; botId: string; appId: string; name: string };
  /** `'change'` events carry a `WorkspaceChange`; `'call'` events a `RecordedCall`. */
  readonly events: EventEmitter<SlackEmulatorEventMap>;
  readonly faults: SlackFaults;

  /** Recorded Web API calls, optionally of one method. */
  calls(method?: string): RecordedCall[];
  /** Recorded response_url posts. */
  responses(): RecordedResponse[];
  /** Forget recorded calls and responses (the workspace stays). */
  resetCalls(): void;

  snapshot(): WorkspaceSnapshot;

  // Workspace reads
  user(id: string): EmuUser | undefined;
  users(): EmuUser[];
  channel(idOrName: string): EmuChannel | undefined;
  channels(): EmuChannel[];
  usergroup(id: string): EmuUsergroup | undefined;
  /** Top-level messages of a channel (thread replies excluded unless broadcast), oldest first. */
  messages(channel: string): EmuMessage[];
  /** Replies in a thread, oldest first. */
  thread(channel: string, threadTs: string): EmuMessage[];
  /** A message or thread reply by ts. */
  message(channel: string, ts: string): EmuMessage | undefined;
  /** Ephemeral messages shown to a user (optionally in one channel). */
  ephemerals(user: string, channel?: string): EmuEphemeral[];
  /** The user's open modal stack, root first. */
  viewStack(user: string): EmuView[];
  view(id: string): EmuView | undefined;
  /** The user's published Home tab (views.publish), if any. */
  homeView(user: string): EmuView | undefined;
  file(id: string): EmuFile | undefined;
  /** The DM channel between the bot and a user (created on demand, as conversations.open does). */
  dmChannel(user: string): string;

  // Workspace knobs
  addUser(user: EmuUser): void;
  addChannel(channel: ChannelSeed): EmuChannel;
  setBotMember(channel: string, member: boolean): void;
  setChannelMembers(channel: string, members: string[]): void;
  addUsergroup(group: EmuUsergroup): void;
  setUsergroupUsers(id: string, users: string[]): void;
  /** A person posts a plain message (the sandbox message box); returns its ts. */
  postAsUser(user: string, channel: string, text: string, threadTs?: string): EmuMessage;
  /** A person uploads a file (for file_input submissions); returns the file id. */
  uploadFile(user: string, name: string, content: string | Buffer, mimetype?: string): string;

  // Interaction plumbing used by the driver
  /** A fresh trigger_id for an interaction by `user` (valid 3 s, single use). */
  mintTrigger(user: string): MintedTrigger;
  /** A fresh response_url for an interaction (5 uses within 30 min). */
  mintResponseUrl(ctx: { user: string; channel: string; messageTs?: string; ephemeral?: boolean }): string;
  /** Stores what the user has entered in a modal so far (state.values). */
  setViewState(viewId: string, values: ViewStateValues): void;
  /** Applies a view_submission ack body as Slack would (close, errors, update, push, clear). */
  applyViewAck(viewId: string, body: unknown): ViewAckOutcome;
  /**
   * Applies a slash-command ack body (a string or `{text, blocks, response_type}`) as Slack shows it;
   * returns what Slack would refuse (e.g. `invalid_blocks`), empty when all went well.
   */
  applyCommandAck(ctx: { user: string; channel: string; responseUrl?: string }, body: unknown): string[];
  /** Closes a user's modal (view_closed) as the Close button does. */
  closeView(viewId: string): EmuView[];

  close(): Promise<void>;
}

/** Per-request knobs for negative tests. */
export interface SignOptions {
  /** Sign with a wrong secret (Bolt must answer 401). */
  forgeSignature?: boolean;
  /** Pretend the request was signed this many seconds ago (replay; Bolt rejects > 300). */
  ageSeconds?: number;
  /** Send as Slack's own retry of a delivery: `X-Slack-Retry-Num` (and `X-Slack-Retry-Reason`). */
  retryNum?: number;
  retryReason?: string;
}

export interface DriverResponse<B = unknown> {
  status: number;
  /**
   * Parsed JSON when the app answered JSON, the raw text otherwise (empty string for an empty ack).
   * Over Socket Mode: the ack's payload ('' when it had none); status 0 when no ack came in time.
   */
  body: B;
  /** Wall time of the round trip, ms (for benchmarks; tests must not assert on it). */
  ms: number;
}

export interface SlackDriverOptions {
  /**
   * How requests reach the app: `http` (default) posts signed requests to `eventsUrl`; `socket`
   * sends Socket Mode envelopes over the app's WebSocket and reads its acks. Same driver API.
   */
  transport?: 'http' | 'socket';
  /** The app's events URL, e.g. `http://127.0.0.1:3000/slack/events` (HTTP transport). */
  eventsUrl?: string;
  /** Signs HTTP requests (unused over Socket Mode, which has no signature). */
  signingSecret?: string;
  emulator: SlackEmulator;
  /** Clock for request timestamps; must match the app's (Bolt verifies with Date.now). Default Date.now. */
  now?: () => number;
}

export interface CommandInput extends SignOptions {
  user: string;
  channel: string;
  /** Default `/territory`. */
  command?: string;
  text?: string;
}

export interface CommandResult extends DriverResponse {
  triggerId: string;
  responseUrl: string;
  /** What Slack would refuse in the ack body (the user would see an error instead). */
  ackProblems: string[];
}

/** Where an interactive element lives: a message (channel+ts) or a modal (viewId, default the user's top view). */
export interface ElementTarget extends SignOptions {
  user: string;
  channel?: string;
  ts?: string;
  viewId?: string;
  actionId: string;
  blockId?: string;
}

export interface ClickInput extends ElementTarget {
  /** Pick the button by value when several share the action_id (overflow menus too). */
  value?: string;
}

/** Values a test can give a select-like element. */
export type SelectionValue = string | string[];

export interface SelectInput extends ElementTarget {
  /** Option value(s) for static/external/overflow/radio/checkboxes; user/channel/conversation id(s) for those selects. */
  value: SelectionValue;
}

/**
 * Values for a view submission, keyed by block_id or action_id. A string fills a text input or picks
 * one option/user/conversation; an array picks several; `{ files: [...] }` fills a file_input with
 * file ids from `emulator.uploadFile`; `null` leaves an optional input empty.
 */
export type SubmitValue = string | string[] | null | { files: string[] };

export interface ActionResult extends DriverResponse {
  /** False when Slack would send nothing (an input block without dispatch_action); status is then 0. */
  sent: boolean;
  /** The trigger_id sent with the action (absent when nothing was sent). */
  triggerId?: string;
  /** Set for actions in messages (Slack gives no response_url for actions inside modals). */
  responseUrl?: string;
  /** Where the element was found. */
  container:
    | { type: 'message'; channel: string; ts: string; isEphemeral: boolean }
    | { type: 'view'; viewId: string };
}

export interface SubmitResult extends DriverResponse {
  viewId: string;
  /** False when the Slack client itself would refuse the submission (required field empty, length limits). */
  sent: boolean;
  /** The client-side errors Slack shows without asking the app (block_id -> message). */
  clientErrors?: Record<string, string>;
  /** What the app's ack did to the modal. */
  outcome?: ViewAckOutcome;
}

export interface SubmitInput extends SignOptions {
  user: string;
  viewId?: string;
  values?: Record<string, SubmitValue>;
}

export interface SuggestInput extends SignOptions {
  user: string;
  actionId: string;
  value: string;
  viewId?: string;
  channel?: string;
  ts?: string;
  blockId?: string;
}

export interface SuggestResult extends DriverResponse {
  options: Array<{ text: { type: string; text: string }; value: string }>;
  option_groups?: Array<{
    label: { type: string; text: string };
    options: Array<{ text: { type: string; text: string }; value: string }>;
  }>;
  /** Why Slack could not use the app's answer (shape, limits); empty when it could. */
  problems: string[];
}
