/**
 * Posting mechanics shared by every notification: post where the request was made or fall back
 * to the person's DM when the bot cannot post there, remember where each message went, and
 * throttle in-place updates (chat.update is Tier 3 and a channel takes ~1 message/s).
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../core/log.js';
import type { MessageRef, Store } from '../core/store/types.js';
import type { SlackMessage } from '../views/blocks.js';

/** Slack errors that mean "the bot cannot post in this conversation", so a DM is the way. */
export const CANNOT_POST_HERE = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'cannot_reply_to_message',
]);

export function slackErrorCode(err: unknown): string | null {
  const code = (err as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === 'string' ? code : null;
}

export class SlackPoster {
  /** Whether posting the same message again is a no-op (the outbox's MarkedPoster). */
  readonly postsOnce: boolean = false;

  constructor(
    private readonly client: WebClient,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  /** Opens (or finds) the DM channel with a user. */
  async dmChannel(userId: string): Promise<string> {
    const res = await this.client.conversations.open({ users: userId });
    const id = res.channel?.id;
    if (!id) throw new Error('conversations.open returned no channel');
    return id;
  }

  /**
   * Posts in `channel`; if the bot cannot post there (or no channel is given), posts in
   * `fallbackUser`'s DM instead. Stores where it went under `key`.
   */
  async postWithFallback(
    key: string,
    channel: string | null,
    fallbackUser: string,
    message: SlackMessage,
  ): Promise<MessageRef> {
    if (channel) {
      try {
        const ref = await this.post(channel, message);
        await this.store.saveMessageRef(key, ref);
        return ref;
      } catch (err) {
        const code = slackErrorCode(err);
        if (!code || !CANNOT_POST_HERE.has(code)) throw err;
        this.logger.info({ channel, code }, "cannot post in the channel; using the requester's DM");
      }
    }
    const ref = await this.post(await this.dmChannel(fallbackUser), message);
    await this.store.saveMessageRef(key, ref);
    return ref;
  }

  async post(channel: string, message: SlackMessage, threadTs?: string): Promise<MessageRef> {
    return this.postWith(channel, message, threadTs);
  }

  /** chat.postMessage as the bot posts everything; `metadata` marks a post to find it again. */
  protected async postWith(
    channel: string,
    message: SlackMessage,
    threadTs?: string,
    metadata?: { event_type: string; event_payload: Record<string, string> },
  ): Promise<MessageRef> {
    const res = await this.client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
      unfurl_media: false,
      ...(metadata ? { metadata } : {}),
    });
    if (!res.ts || !res.channel) throw new Error('chat.postMessage returned no ts');
    return { channel: res.channel, ts: res.ts };
  }

  async update(ref: MessageRef, message: SlackMessage): Promise<void> {
    await this.client.chat.update({
      channel: ref.channel,
      ts: ref.ts,
      text: message.text,
      blocks: message.blocks,
    });
  }

  async reply(ref: MessageRef, message: SlackMessage): Promise<MessageRef> {
    return this.post(ref.channel, message, ref.ts);
  }
}

/**
 * Coalesces bursts of updates per key: the first runs at once, later ones within `intervalMs`
 * collapse into one trailing run, which re-renders the latest state.
 */
export class UpdateThrottle {
  private readonly last = new Map<string, number>();
  private readonly pending = new Map<
    string,
    { timer: ReturnType<typeof setTimeout>; run: () => Promise<void> }
  >();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly onError: (err: unknown, key: string) => void,
  ) {}

  schedule(key: string, run: () => Promise<void>): void {
    if (this.pending.has(key)) {
      // A trailing run is already planned; it renders the latest state when it fires.
      return;
    }
    const wait = Math.max(0, (this.last.get(key) ?? Number.NEGATIVE_INFINITY) + this.intervalMs - this.now());
    if (wait === 0 && !this.running.has(key)) {
      this.execute(key, run);
      return;
    }
    const timer = setTimeout(
      () => {
        this.pending.delete(key);
        this.execute(key, run);
      },
      Math.max(wait, 1),
    );
    this.pending.set(key, { timer, run });
  }

  /** Runs a planned update now (e.g. before the final reply) and waits for any in progress. */
  async flush(key: string): Promise<void> {
    const planned = this.pending.get(key);
    if (planned) {
      clearTimeout(planned.timer);
      this.pending.delete(key);
      this.execute(key, planned.run);
    }
    await this.running.get(key);
  }

  stop(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  /** Keys remembered: only those run within the last interval (a long-lived process stays small). */
  get size(): number {
    return this.last.size;
  }

  private execute(key: string, run: () => Promise<void>): void {
    const at = this.now();
    // Re-inserted on every run, so the map is oldest first: drop the entries that no longer
    // hold anything back, stopping at the first that still does.
    this.last.delete(key);
    this.last.set(key, at);
    for (const [k, t] of this.last) {
      if (at - t < this.intervalMs) break;
      this.last.delete(k);
    }
    const previous = this.running.get(key) ?? Promise.resolve();
    const p = previous
      .then(run)
      .catch((err: unknown) => this.onError(err, key))
      .finally(() => {
        if (this.running.get(key) === p) this.running.delete(key);
      });
    this.running.set(key, p);
  }
}
