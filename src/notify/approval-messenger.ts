/**
 * The approval side of a request in Slack (DESIGN.md §3 "Bulk with approval"): posts the
 * approval card to APPROVALS_CHANNEL, or to each approver's DM when it is unset or the bot
 * cannot post there; remembers every copy (`request:<id>:approval:<where>`); updates every copy
 * in place once decided, expired or cancelled; and tells the requester in the parent's thread.
 * Also the store → view data shared by the preview, the card and the review modal.
 */
import type { WebClient } from '@slack/web-api';
import type { ApprovalPolicy, GroupDirectory } from '../core/approvals/index.js';
import type { Logger } from '../core/log.js';
import type { RequestItemRecord, RequestRecord, Store } from '../core/store/types.js';
import { buildApprovalCard } from '../views/approval-card.js';
import { buildDecisionReply } from '../views/approval-outcome.js';
import { PREVIEW_PAGE_SIZE } from '../views/preview-rows.js';
import { type BulkSummary, type PreviewItem, summarizeItems } from '../views/summary.js';
import { approvalKeyPrefix, parentMessageKey } from './message-keys.js';
import { SlackPoster, slackErrorCode } from './slack-poster.js';

export interface ApprovalMessengerOptions {
  client: WebClient;
  store: Store;
  logger: Logger;
  policy: Pick<ApprovalPolicy, 'approverUserIds' | 'approverUsergroup'>;
  /** APPROVALS_CHANNEL; null: DM each approver. */
  approvalsChannel: string | null;
  directory: GroupDirectory;
  names: () => Promise<Map<string, string>>;
}

export class ApprovalMessenger {
  private readonly poster: SlackPoster;
  private readonly logger: Logger;

  constructor(private readonly options: ApprovalMessengerOptions) {
    this.logger = options.logger.child({ component: 'approval-messenger' });
    this.poster = new SlackPoster(options.client, options.store, this.logger);
  }

  /** Posts the card (or, when copies already exist after a retry or restart, updates them). */
  async approvalRequested(requestId: string): Promise<void> {
    const { store } = this.options;
    const request = await store.getRequest(requestId);
    if (!request) return;
    const message = await this.card(request);
    const existing = await store.listMessageRefs(approvalKeyPrefix(requestId));
    if (existing.length > 0) {
      for (const ref of existing) await this.poster.update(ref, message);
      return;
    }
    const channel = this.options.approvalsChannel;
    if (channel) {
      try {
        const ref = await this.poster.post(channel, message);
        await store.saveMessageRef(`${approvalKeyPrefix(requestId)}channel`, ref);
        return;
      } catch (err) {
        this.logger.warn(
          { requestId, channel, code: slackErrorCode(err) },
          'cannot post the approval card in APPROVALS_CHANNEL; sending it to approvers directly',
        );
      }
    }
    const approvers = await this.approvers(request.requesterId);
    if (approvers.length === 0) {
      this.logger.error({ requestId }, 'no approver to send the approval card to');
      return;
    }
    for (const userId of approvers) {
      try {
        const ref = await this.poster.post(await this.poster.dmChannel(userId), message);
        await store.saveMessageRef(`${approvalKeyPrefix(requestId)}${userId}`, ref);
      } catch (err) {
        this.logger.warn({ err, requestId, userId }, 'sending the approval card to an approver failed');
      }
    }
  }

  /** Updates every copy of the card to its decided form and tells the requester. */
  async approvalDecided(requestId: string): Promise<void> {
    const { store } = this.options;
    const request = await store.getRequest(requestId);
    if (!request) return;
    const message = await this.card(request);
    for (const ref of await store.listMessageRefs(approvalKeyPrefix(requestId))) {
      try {
        await this.poster.update(ref, message);
      } catch (err) {
        this.logger.warn({ err, requestId, key: ref.key }, 'updating an approval card failed');
      }
    }
    const reply = buildDecisionReply(request);
    if (!reply) return;
    const parent = await store.getMessageRef(parentMessageKey(requestId));
    if (parent) await this.poster.reply(parent, reply);
    else await this.poster.post(await this.poster.dmChannel(request.requesterId), reply);
  }

  private async card(request: RequestRecord) {
    return buildApprovalCard({
      request,
      summary: await loadBulkSummary(this.options.store, request),
      names: await this.options.names(),
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

// ---- store → view data -------------------------------------------------------------------

/** Short labels for the preview's issues, counted on the card and in the preview summary. */
const ISSUE_LABELS: Readonly<Record<string, string>> = {
  record_not_found: 'Record not found in Zoho',
  unknown_territory: 'Territory does not exist',
  ambiguous_territory: 'Territory name matches several',
  no_territories: 'No territory given',
  deal_has_territory: 'Deal already has a territory',
  deal_single_territory: 'More than one territory for a Deal',
  too_many_territories: 'Record would exceed 10 territories',
  not_on_record: 'Territory not on the record',
  rule_assigned: 'Rule-assigned territory cannot be removed',
  rule_assigned_kept: 'Rule-assigned territory stays',
  already_assigned: 'Territory already on the record',
  nothing_to_do: 'Nothing to change',
};

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Stored items as preview rows, with the record names and the preview's warnings kept in the
 * request's summary (read once per request: the maps hold one entry per record).
 */
export function previewItems(
  request: RequestRecord,
  items: readonly RequestItemRecord[],
  /** sentence: the record's own words (rows); label: a short label per issue (grouped counts). */
  warningAs: 'sentence' | 'label' = 'sentence',
): PreviewItem[] {
  const names = stringMap(request.summary.recordNames);
  const sentences = stringMap(request.summary.itemWarnings);
  const issues = stringMap(request.summary.itemIssues);
  const warningOf = (seq: number): string | null => {
    const key = String(seq);
    if (warningAs === 'sentence') return sentences[key] ?? null;
    const code = issues[key];
    return code ? (ISSUE_LABELS[code] ?? sentences[key] ?? null) : (sentences[key] ?? null);
  };
  return items.map((item) => ({
    seq: item.seq,
    lineNo: item.lineNo,
    module: item.module,
    recordId: item.recordId,
    action: item.action,
    territoryIds: item.territoryIds,
    removeTerritoryIds: item.removeTerritoryIds,
    before: item.before,
    state: item.state,
    message: item.state === 'skipped' ? null : item.message,
    recordName: names[item.recordId] ?? null,
    warning: warningOf(item.seq),
  }));
}

/** Counts per module/territory and grouped warnings over all items. */
export async function loadBulkSummary(store: Store, request: RequestRecord): Promise<BulkSummary> {
  const items = await store.listItems(request.id);
  return summarizeItems(previewItems(request, items, 'label'));
}

/** The rows of one preview page, read from the store (only that page). */
export async function loadPreviewPage(
  store: Store,
  request: RequestRecord,
  page: number,
): Promise<{ rows: PreviewItem[]; page: number }> {
  const pages = Math.max(1, Math.ceil(request.itemCount / PREVIEW_PAGE_SIZE));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const items = await store.listItems(request.id, {
    afterSeq: p * PREVIEW_PAGE_SIZE - 1,
    limit: PREVIEW_PAGE_SIZE,
  });
  return { rows: previewItems(request, items), page: p };
}
