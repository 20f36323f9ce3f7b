/**
 * The outbox (DESIGN.md §3 "Telling people"): every message that reports on a request is a row
 * in the store, written with the state change it reports, and posted later by the Slack side
 * (src/notify/outbox-worker.ts), at least once and never twice. Core only says *what* to tell
 * (a kind per request); what the message shows is rendered from the store when it is posted,
 * so a late post always shows the newest state.
 *
 * Progress from the engine and the job tracker is enqueued right after the item writes, not in
 * their transaction: only the newest state matters, and a progress notice lost to a crash in
 * between is made good by the next one or by the final reply, which re-renders the parent first.
 * Everything else (parent, final reply, card, decision) is written by the transition itself.
 */
import type { Clock } from './clock.js';
import type { RequestNotifier } from './notify.js';
import type { Store } from './store/types.js';

/**
 * parent: the request's message (channel, or the requester's DM); progress: edit it in place;
 * final: the result in its thread; approval_card: the card to the approvers; decision: update
 * the cards and tell the requester.
 */
export type NoticeKind = 'parent' | 'progress' | 'final' | 'approval_card' | 'decision';

/** pending until posted (sent), replaced by a newer progress (superseded), or given up (failed). */
export type NoticeState = 'pending' | 'sent' | 'superseded' | 'failed';

/**
 * A post whose answer never came (timeout, 5xx, crash between the post and the mark): before
 * posting again, the worker looks for `marker` in the conversation's messages.
 */
export interface InflightPost {
  marker: string;
  channel: string;
  threadTs: string | null;
  /** When the post was attempted (epoch ms): the read-back starts a little before it. */
  since: number;
}

export interface NoticeRecord {
  id: number;
  /** Unique: request id + kind (+ a sequence for progress); a second enqueue of it is a no-op. */
  key: string;
  requestId: string;
  kind: NoticeKind;
  state: NoticeState;
  attempts: number;
  /** Not posted before this (backoff, Retry-After). */
  notBefore: number;
  inflight: InflightPost | null;
  /** Where the (main) message went, once sent. */
  channel: string | null;
  ts: string | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export type NoticePatch = Partial<
  Pick<NoticeRecord, 'state' | 'attempts' | 'notBefore' | 'inflight' | 'channel' | 'ts' | 'lastError'>
>;

/** The unique key of a notice; progress notices carry a sequence (they are re-armed). */
export function noticeKey(requestId: string, kind: NoticeKind, seq?: number): string {
  return seq === undefined ? `request:${requestId}:${kind}` : `request:${requestId}:${kind}:${seq}`;
}

const KIND_OF: Record<keyof RequestNotifier, NoticeKind> = {
  requestCreated: 'parent',
  requestUpdated: 'progress',
  requestFinished: 'final',
  approvalRequested: 'approval_card',
  approvalDecided: 'decision',
};

export interface OutboxNotifierOptions {
  store: Pick<Store, 'enqueueNotices'>;
  clock: Clock;
  /** Tells the worker of this process there is something to post (others poll). */
  wake?: () => void;
}

/**
 * The RequestNotifier port as core uses it: each call enqueues its notice. Transitions that
 * change what people see already write their notices in the same transaction
 * (Store.transitionRequest / createRequest `notices`); calling the port after them is a no-op by
 * key (progress coalesces with a pending one) that wakes the worker at once.
 */
export class OutboxNotifier implements RequestNotifier {
  constructor(private readonly options: OutboxNotifierOptions) {}

  requestCreated(requestId: string): Promise<void> {
    return this.enqueue(requestId, KIND_OF.requestCreated);
  }
  requestUpdated(requestId: string): Promise<void> {
    return this.enqueue(requestId, KIND_OF.requestUpdated);
  }
  requestFinished(requestId: string): Promise<void> {
    return this.enqueue(requestId, KIND_OF.requestFinished);
  }
  approvalRequested(requestId: string): Promise<void> {
    return this.enqueue(requestId, KIND_OF.approvalRequested);
  }
  approvalDecided(requestId: string): Promise<void> {
    return this.enqueue(requestId, KIND_OF.approvalDecided);
  }

  private async enqueue(requestId: string, kind: NoticeKind): Promise<void> {
    await this.options.store.enqueueNotices(requestId, [kind], this.options.clock.now());
    this.options.wake?.();
  }
}
