/**
 * Posts for one outbox notice, each at most once. Slack does not deduplicate chat.postMessage
 * (there is no idempotency key for bots), so a post whose answer was lost (timeout, 5xx, or the
 * process dying between the post and the store write) could go out twice if simply retried.
 * Each post therefore carries a marker in its message `metadata`, and before the attempt the
 * notice records where it is posting (`inflight`). The next attempt of a notice with an
 * inflight post first reads that conversation back (conversations.history, or .replies for a
 * thread reply) and, when the marker is there, takes that message instead of posting again.
 * Posts that went out are remembered under `outbox:<marker>`, so a retried notice skips them.
 * chat.update needs none of this: editing a message twice to the same content is harmless.
 */
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import type { InflightPost, NoticeRecord } from '../core/outbox.js';
import type { MessageRef, Store } from '../core/store/types.js';
import type { SlackMessage } from '../views/blocks.js';
import { classifySlackFailure } from './slack-failure.js';
import { SlackPoster } from './slack-poster.js';

/** The metadata event type of the bot's own posts (Slack: message metadata `event_type`). */
export const NOTICE_EVENT_TYPE = 'territory_bot_notice';

/** How far before the attempt the read-back starts (clock skew between us and Slack). */
const READ_BACK_MARGIN_MS = 5 * 60_000;

export class MarkedPoster extends SlackPoster {
  override readonly postsOnce = true;
  /** Posts made so far per conversation (and thread) in this attempt. */
  private readonly ordinals = new Map<string, number>();

  constructor(
    private readonly web: WebClient,
    private readonly db: Store,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly notice: NoticeRecord,
  ) {
    super(web, db, log);
  }

  /**
   * The marker names the notice, the conversation and the nth post there: the same on every
   * attempt, as a delivery makes the same posts in the same order (the set of approvers may
   * change between attempts, so the count is per conversation, not per notice).
   */
  override async post(channel: string, message: SlackMessage, threadTs?: string): Promise<MessageRef> {
    const where = `${channel}/${threadTs ?? ''}`;
    const n = this.ordinals.get(where) ?? 0;
    this.ordinals.set(where, n + 1);
    const marker = `${this.notice.key}@${where}#${n}`;
    const doneKey = `outbox:${marker}`;
    const done = await this.db.getMessageRef(doneKey);
    if (done) return done;
    const before = this.notice.inflight;
    if (before?.marker === marker) {
      const found = await this.readBack(before);
      if (found) {
        await this.remember(doneKey, found);
        return found;
      }
    }
    const inflight: InflightPost = { marker, channel, threadTs: threadTs ?? null, since: this.clock.now() };
    await this.db.updateNotice(this.notice.id, { inflight }, this.clock.now());
    this.notice.inflight = inflight;
    let ref: MessageRef;
    try {
      ref = await this.postWith(channel, message, threadTs, {
        event_type: NOTICE_EVENT_TYPE,
        event_payload: { marker },
      });
    } catch (err) {
      // Refused outright: nothing went out, no read-back needed next time.
      if (classifySlackFailure(err).kind === 'refused') await this.clearInflight();
      throw err;
    }
    await this.remember(doneKey, ref);
    return ref;
  }

  private async remember(doneKey: string, ref: MessageRef): Promise<void> {
    await this.db.saveMessageRef(doneKey, ref);
    await this.clearInflight();
  }

  private async clearInflight(): Promise<void> {
    await this.db.updateNotice(this.notice.id, { inflight: null }, this.clock.now());
    this.notice.inflight = null;
  }

  /**
   * Looks for the marker among the conversation's messages since the attempt. When Slack will
   * not let us read (e.g. a workspace that did not grant the history scopes), this falls back to
   * posting again: at least once beats never.
   */
  private async readBack(inflight: InflightPost): Promise<MessageRef | null> {
    const oldest = ((inflight.since - READ_BACK_MARGIN_MS) / 1000).toFixed(6);
    let messages: Array<{ ts?: string; metadata?: { event_type?: string; event_payload?: unknown } }>;
    try {
      const res = inflight.threadTs
        ? await this.web.conversations.replies({
            channel: inflight.channel,
            ts: inflight.threadTs,
            oldest,
            include_all_metadata: true,
            limit: 200,
          })
        : await this.web.conversations.history({
            channel: inflight.channel,
            oldest,
            include_all_metadata: true,
            limit: 200,
          });
      messages = (res.messages ?? []) as typeof messages;
    } catch (err) {
      const failure = classifySlackFailure(err);
      if (failure.transient) throw err;
      this.log.warn(
        { err, marker: inflight.marker, code: failure.code },
        'cannot read the conversation back to check an unanswered post; posting again',
      );
      return null;
    }
    for (const m of messages) {
      const payload = m.metadata?.event_payload as { marker?: unknown } | undefined;
      if (m.ts && m.metadata?.event_type === NOTICE_EVENT_TYPE && payload?.marker === inflight.marker) {
        this.log.info(
          { marker: inflight.marker, ts: m.ts },
          'an unanswered post had gone out; not posting again',
        );
        return { channel: inflight.channel, ts: m.ts };
      }
    }
    return null;
  }
}
