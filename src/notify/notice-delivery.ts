/**
 * Posts one outbox notice (src/core/outbox.ts) to Slack, rendering what it reports from the
 * store as it is now. Throws when Slack fails, so the worker retries; every post goes through a
 * MarkedPoster, so a retry never posts twice what already went out.
 */
import type { Logger } from '../core/log.js';
import type { NoticeRecord } from '../core/outbox.js';
import { parentMessageKey } from '../core/requests/message-keys.js';
import type { MessageRef, RequestRecord, Store } from '../core/store/types.js';
import type { SlackMessage } from '../views/blocks.js';
import type { ApprovalMessenger } from './approval-messenger.js';
import type { MarkedPoster } from './marked-poster.js';
import { classifySlackFailure } from './slack-failure.js';
import { CANNOT_POST_HERE, slackErrorCode } from './slack-poster.js';

export interface NoticeRenderer {
  renderParent(request: RequestRecord): Promise<SlackMessage>;
  renderResult(request: RequestRecord): Promise<SlackMessage[]>;
}

export interface NoticeDeliveryDeps {
  store: Store;
  logger: Logger;
  renderer: NoticeRenderer;
  approvals: ApprovalMessenger;
}

/** Where the main message of the notice went (null when it posted nothing new). */
export async function deliverNotice(
  deps: NoticeDeliveryDeps,
  notice: NoticeRecord,
  poster: MarkedPoster,
): Promise<MessageRef | null> {
  const request = await deps.store.getRequest(notice.requestId);
  if (!request) return null;
  switch (notice.kind) {
    case 'parent':
      return postParent(deps, request, poster);
    case 'progress':
      return refreshParent(deps, request, poster);
    case 'final':
      return postResult(deps, request, poster);
    case 'approval_card':
      await deps.approvals.approvalRequested(request.id, poster);
      return null;
    case 'decision':
      await deps.approvals.approvalDecided(request.id, poster);
      return null;
  }
}

async function postParent(deps: NoticeDeliveryDeps, request: RequestRecord, poster: MarkedPoster) {
  const existing = await deps.store.getMessageRef(parentMessageKey(request.id));
  if (existing) return existing;
  const message = await deps.renderer.renderParent(request);
  // An undo's parent goes in the thread of the request it undoes, where its story is.
  const undoOf = typeof request.summary.undoOf === 'string' ? request.summary.undoOf : null;
  const thread = undoOf ? await deps.store.getMessageRef(parentMessageKey(undoOf)) : null;
  if (thread) {
    try {
      const ref = await poster.post(thread.channel, message, thread.ts);
      await deps.store.saveMessageRef(parentMessageKey(request.id), ref);
      return ref;
    } catch (err) {
      if (classifySlackFailure(err).transient) throw err;
      deps.logger.info(
        { err, requestId: request.id },
        'cannot post in the original thread; posting as usual',
      );
    }
  }
  return poster.postWithFallback(
    parentMessageKey(request.id),
    request.originChannelId,
    request.requesterId,
    message,
  );
}

async function refreshParent(deps: NoticeDeliveryDeps, request: RequestRecord, poster: MarkedPoster) {
  const ref = await deps.store.getMessageRef(parentMessageKey(request.id));
  // No parent (it could not be posted anywhere): nothing to edit; the result goes by DM.
  if (!ref) return null;
  try {
    await poster.update(ref, await deps.renderer.renderParent(request));
  } catch (err) {
    // A message that can no longer be edited (deleted, channel archived) is not worth waiting for.
    if (classifySlackFailure(err).transient) throw err;
    deps.logger.warn({ err, requestId: request.id }, 'the parent message cannot be updated; leaving it');
  }
  return ref;
}

/**
 * The result in the parent's thread; when there is no parent, or the thread cannot take it, in
 * the requester's DM. The parent is brought up to date first, as people look there.
 */
async function postResult(deps: NoticeDeliveryDeps, request: RequestRecord, poster: MarkedPoster) {
  const parent = await refreshParent(deps, request, poster);
  let first: MessageRef | null = null;
  for (const message of await deps.renderer.renderResult(request)) {
    let ref: MessageRef | null = null;
    if (parent) {
      try {
        ref = await poster.reply(parent, message);
      } catch (err) {
        const code = slackErrorCode(err);
        if (!code || !CANNOT_POST_HERE.has(code)) throw err;
        deps.logger.info(
          { requestId: request.id, code },
          "cannot reply in the parent's thread; using the DM",
        );
      }
    }
    ref ??= await poster.post(await poster.dmChannel(request.requesterId), message);
    first ??= ref;
  }
  return first;
}
