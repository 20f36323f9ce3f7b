/**
 * The emulated workspace's state and what every part of it shares: ids, Slack ts values, the
 * change stream, and the sweep of dead trigger_ids/response_urls. The operations live in the
 * layers above it, one file per thing the workspace holds:
 * directory (people, groups, channels) → messages (+ ephemerals) → interactions (trigger_ids,
 * response_urls) → views (modal stacks) → workspace.ts (files, persistence, snapshots).
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../core/clock.js';
import type { SlackEmulatorEventMap } from './options.js';
import type {
  BotIdentity,
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

export interface ResponseUrlState extends ResponseUrlContext {
  id: string;
  issuedAt: number;
  uses: number;
  /** The last message this response_url (or the command's ack) posted: the "original" of a slash command. */
  lastPosted?: { ts: string; ephemeral: boolean };
}

export interface TriggerState {
  user: string;
  issuedAt: number;
  used: boolean;
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const clone = <T>(v: T): T => structuredClone(v);

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

export class WorkspaceCore {
  readonly team: TeamInfo;
  readonly bot: BotIdentity;
  readonly events = new EventEmitter<SlackEmulatorEventMap>();

  protected readonly users = new Map<string, EmuUser>();
  protected readonly groups = new Map<string, EmuUsergroup>();
  protected readonly channels = new Map<string, EmuChannel>();
  protected readonly messages = new Map<string, EmuMessage[]>();
  protected ephemeralList: EmuEphemeral[] = [];
  protected readonly views = new Map<string, EmuView>();
  protected readonly stacks = new Map<string, string[]>();
  protected readonly files = new Map<string, EmuFile>();
  protected readonly triggers = new Map<string, TriggerState>();
  protected readonly responseUrls = new Map<string, ResponseUrlState>();
  protected seq = 0;
  protected lastTsMicros = 0;

  constructor(
    seed: WorkspaceSeed,
    protected readonly clock: Clock,
    protected readonly opts: { chatWritePublic: boolean; baseUrl: () => string },
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
  }

  // ---------------------------------------------------------------- ids and time

  protected nextSeq(): string {
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

  protected emit(change: WorkspaceChange): void {
    // Listeners get a copy so they can never mutate the workspace.
    if (this.events.listenerCount('change') > 0) this.events.emit('change', clone(change));
  }

  /**
   * Forgets long-dead trigger_ids and response_urls now and then, so a long sandbox session stays
   * small. They are kept well past expiry first, so late use still gets the precise error.
   */
  protected sweep(): void {
    if (this.seq % 256 !== 0) return;
    const now = this.clock.now();
    for (const [id, t] of this.triggers)
      if (now - t.issuedAt > 100 * TRIGGER_TTL_MS) this.triggers.delete(id);
    for (const [id, r] of this.responseUrls)
      if (now - r.issuedAt > 2 * RESPONSE_URL_TTL_MS) this.responseUrls.delete(id);
  }
}
