/**
 * The approval side of a request in Slack (DESIGN.md §3 "Bulk with approval"): posts the
 * approval card to APPROVALS_CHANNEL, or to each approver's DM when it is unset or the bot
 * cannot post there; remembers every copy (`request:<id>:approval:<where>`); updates every copy
 * in place once decided, expired or cancelled; and tells the requester in the parent's thread.
 */
import type { WebClient } from '@slack/web-api';
import { requestAccessOf } from '../core/access/request-access.js';
import type { ApprovalPolicy, GroupDirectory } from '../core/approvals/index.js';
import type { Logger } from '../core/log.js';
import { approvalKeyPrefix, parentMessageKey } from '../core/requests/message-keys.js';
import { loadBulkSummary } from '../core/requests/preview.js';
import type { RequestRecord, Store } from '../core/store/types.js';
import { buildApprovalCard } from '../views/approval-card.js';
import { buildDecisionReply } from '../views/approval-outcome.js';
import { classifySlackFailure } from './slack-failure.js';
import { SlackPoster, slackErrorCode } from './slack-poster.js';

export interface ApprovalMessengerOptions {
  client: WebClient;
  store: Store;
  logger: Logger;
  policy: Pick<ApprovalPolicy, 'approverUserIds' | 'approverUsergroup'>;
  /** APPROVALS_CHANNEL; null: DM each approver. */
  approvalsChannel: string | null;
  directory: GroupDirectory;
  names: () => Promise<ReadonlyMap<string, string>>;
}

export class ApprovalMessenger {
  private readonly poster: SlackPoster;
  private readonly logger: Logger;

  constructor(private readonly options: ApprovalMessengerOptions) {
    this.logger = options.logger.child({ component: 'approval-messenger' });
    this.poster = new SlackPoster(options.client, options.store, this.logger);
  }

  /**
   * Posts the card (or, when copies already exist after a retry or restart, updates them).
   * `poster`: the outbox's, which posts each copy once; Slack's temporary failures are thrown
   * so the outbox retries, the others are logged and the card goes where it still can.
   */
  async approvalRequested(requestId: string, poster: SlackPoster = this.poster): Promise<void> {
    const { store } = this.options;
    const request = await store.getRequest(requestId);
    if (!request) return;
    const message = await this.card(request);
    const existing = await store.listMessageRefs(approvalKeyPrefix(requestId));
    // A retry through the outbox posts the missing copies (each copy is posted once anyway).
    if (existing.length > 0 && !poster.postsOnce) {
      for (const ref of existing) await poster.update(ref, message);
      return;
    }
    const channel = this.options.approvalsChannel;
    if (channel) {
      try {
        const ref = await poster.post(channel, message);
        await store.saveMessageRef(`${approvalKeyPrefix(requestId)}channel`, ref);
        return;
      } catch (err) {
        if (classifySlackFailure(err).transient) throw err;
        this.logger.warn(
          { requestId, channel, code: slackErrorCode(err) },
          'cannot post the approval card in APPROVALS_CHANNEL; sending it to approvers directly',
        );
      }
    }
    // DMs: the territory managers the request is routed to, and the admins (who decide anything).
    const managers = requestAccessOf(request.summary)?.mention ?? [];
    const approvers = [...new Set([...managers, ...(await this.approvers(request.requesterId))])].filter(
      (id) => id !== request.requesterId,
    );
    if (approvers.length === 0) {
      this.logger.error({ requestId }, 'no approver to send the approval card to');
      return;
    }
    for (const userId of approvers) {
      try {
        const ref = await poster.post(await poster.dmChannel(userId), message);
        await store.saveMessageRef(`${approvalKeyPrefix(requestId)}${userId}`, ref);
      } catch (err) {
        if (classifySlackFailure(err).transient) throw err;
        this.logger.warn({ err, requestId, userId }, 'sending the approval card to an approver failed');
      }
    }
  }

  /** Updates every copy of the card to its decided form and tells the requester. */
  async approvalDecided(requestId: string, poster: SlackPoster = this.poster): Promise<void> {
    const { store } = this.options;
    const request = await store.getRequest(requestId);
    if (!request) return;
    const message = await this.card(request);
    for (const ref of await store.listMessageRefs(approvalKeyPrefix(requestId))) {
      try {
        await poster.update(ref, message);
      } catch (err) {
        if (classifySlackFailure(err).transient) throw err;
        this.logger.warn({ err, requestId, key: ref.key }, 'updating an approval card failed');
      }
    }
    const reply = buildDecisionReply(request);
    if (!reply) return;
    const parent = await store.getMessageRef(parentMessageKey(requestId));
    if (parent) await poster.reply(parent, reply);
    else await poster.post(await poster.dmChannel(request.requesterId), reply);
  }

  private async card(request: RequestRecord) {
    return buildApprovalCard({
      request,
      summary: await loadBulkSummary(this.options.store, request),
      names: await this.options.names(),
      access: requestAccessOf(request.summary),
    });
  }

  /** Configured approvers (ids and user group), never the requester. */
  private async approvers(requesterId: string): Promise<string[]> {
    const ids = new Set(this.options.policy.approverUserIds);
    const group = this.options.policy.approverUsergroup;
    if (group) {
      try {
        for (const id of await this.options.directory.members(group)) ids.add(id);
      } catch (err) {
        this.logger.warn({ err, group }, 'reading the approver user group failed');
      }
    }
    ids.delete(requesterId);
    return [...ids];
  }
}
