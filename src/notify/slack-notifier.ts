/**
 * Implements core's notifier ports on Slack: reads the store, renders src/views, and posts,
 * updates or threads messages through SlackPoster. Failures are logged, never thrown into the
 * engine: a Slack outage must not stop Zoho work (the store keeps the truth; the next update
 * renders it again).
 */
import type { WebClient } from '@slack/web-api';
import {
  approvalPolicyFromConfig,
  CachedGroupDirectory,
  type GroupDirectory,
} from '../core/approvals/index.js';
import type { Clock } from '../core/clock.js';
import type { AppConfig } from '../core/config/index.js';
import type { Logger } from '../core/log.js';
import type { AlertEvent, AlertNotifier } from '../core/notify.js';
import type { NoticeRecord } from '../core/outbox.js';
import { recordWebUrl } from '../core/records/index.js';
import { type BulkSummary, loadBulkSummary } from '../core/requests/index.js';
import type { MessageRef, RequestItemRecord, RequestRecord, Store } from '../core/store/types.js';
import type { TerritoryCatalog } from '../core/territories/index.js';
import type { ZohoApi, ZohoRecord } from '../core/zoho/types.js';
import type { SlackMessage } from '../views/blocks.js';
import { progressFromCounts, type RecordLinker, type TerritoryNames } from '../views/labels.js';
import { buildRequestMessage } from '../views/request-message.js';
import {
  BULK_REPORT_PROBLEMS,
  buildBulkFinalReply,
  buildRecordDoneReply,
  buildRecordFailedReply,
  buildRecordUnconfirmedReply,
} from '../views/thread-replies.js';
import { AlertMessenger } from './alert-messenger.js';
import { ApprovalMessenger } from './approval-messenger.js';
import { HomePublisher } from './home-publisher.js';
import { MarkedPoster } from './marked-poster.js';
import { deliverNotice } from './notice-delivery.js';
import { SlackGroupDirectory } from './slack-directory.js';
import { SlackPoster } from './slack-poster.js';

export interface SlackNotifierOptions {
  client: WebClient;
  /** For outbox deliveries (no retries inside: the outbox retries); default `client`. */
  outboxClient?: WebClient;
  store: Store;
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  catalog: TerritoryCatalog;
  /** To show a record's territories after the change. */
  zoho: Pick<ZohoApi, 'getRecords'>;
  /** Approver user group lookups (default: Slack's usergroups.users.list, cached). */
  directory?: GroupDirectory;
  /** Minimum time between two App Home publishes for one person (default 2 s). */
  homeIntervalMs?: number;
}

/** Parent messages of bulks list a few records; reading all items for that is wasteful. */
const RECORDS_SHOWN = 5;
/** Bulk summaries kept for parent messages: the requests running at once, with room to spare. */
const PARENT_SUMMARIES_KEPT = 20;

/**
 * How the bot speaks in Slack: delivers outbox notices (parent message, progress, final reply,
 * approval cards, decisions) and posts alerts. Core reports through the outbox (core/outbox.ts).
 */
export class SlackNotifier implements AlertNotifier {
  protected readonly poster: SlackPoster;
  protected readonly logger: Logger;
  private readonly linker: RecordLinker;
  private readonly approvals: ApprovalMessenger;
  private readonly alerts: AlertMessenger;
  /** Republishes the App Home of the people a change concerns. */
  readonly home: HomePublisher;
  /** Parent-message summaries of submitted bulks, oldest first (see parentSummary). */
  private readonly summaries = new Map<string, BulkSummary>();

  constructor(protected readonly options: SlackNotifierOptions) {
    this.logger = options.logger.child({ component: 'notifier' });
    this.poster = new SlackPoster(options.client, options.store, this.logger);
    const dc = options.config.zoho.dc;
    this.linker = (module, id) => recordWebUrl(dc, module, id);
    const policy = approvalPolicyFromConfig(options.config);
    const directory =
      options.directory ??
      new CachedGroupDirectory({ source: new SlackGroupDirectory(options.client), clock: options.clock });
    this.approvals = new ApprovalMessenger({
      client: options.client,
      store: options.store,
      logger: this.logger,
      policy,
      approvalsChannel: options.config.channels.approvals,
      directory,
      names: () => this.names(),
    });
    this.home = new HomePublisher({
      client: options.client,
      store: options.store,
      policy,
      directory,
      clock: options.clock,
      logger: this.logger,
      ...(options.homeIntervalMs !== undefined ? { intervalMs: options.homeIntervalMs } : {}),
    });
    this.alerts = new AlertMessenger({
      client: options.client,
      store: options.store,
      clock: options.clock,
      logger: this.logger,
      opsChannel: options.config.channels.ops,
      names: () => this.names(),
    });
  }

  stop(): void {
    this.home.stop();
  }

  /** Home refreshes never hold up or fail the message they follow. */
  private refreshHome(requestId: string): void {
    void this.home
      .requestChanged(requestId)
      .catch((err: unknown) => this.logger.warn({ err, requestId }, 'refreshing App Home failed'));
  }

  // --- requests (through the outbox) ---------------------------------------------------

  /**
   * Posts one outbox notice (the outbox worker's `deliver`): throws when Slack fails, so the
   * worker retries; each post of the notice goes out once (MarkedPoster).
   */
  async deliver(notice: NoticeRecord): Promise<MessageRef | null> {
    const client = this.options.outboxClient ?? this.options.client;
    const poster = new MarkedPoster(client, this.options.store, this.logger, this.options.clock, notice);
    const ref = await deliverNotice(
      { store: this.options.store, logger: this.logger, renderer: this, approvals: this.approvals },
      notice,
      poster,
    );
    // What people are told is what changed: the Homes showing this request follow each notice.
    this.refreshHome(notice.requestId);
    return ref;
  }

  // --- alerts -----------------------------------------------------------------------------

  /** Throws when Slack refuses: the monitor keeps the alert's state and retries next run. */
  async alert(event: AlertEvent): Promise<MessageRef | null> {
    const ref = await this.alerts.alert(event);
    void this.home
      .alertsChanged()
      .catch((err: unknown) => this.logger.warn({ err }, 'refreshing App Home after an alert failed'));
    return ref;
  }

  // --- rendering --------------------------------------------------------------------------

  async renderParent(request: RequestRecord): Promise<SlackMessage> {
    const store = this.options.store;
    const counts = await store.countItemsByState(request.id);
    const shown = await store.listItems(request.id, { limit: RECORDS_SHOWN });
    const isBulk = request.kind === 'bulk';
    const summary = isBulk ? await this.parentSummary(request) : null;
    return buildRequestMessage({
      request,
      progress: progressFromCounts(counts, request.itemCount),
      records: shown.map((i) => ({ module: i.module, recordId: i.recordId, name: recordName(request, i) })),
      territoryIds: isBulk ? undefined : (shown[0]?.territoryIds ?? []),
      summary,
      names: await this.names(),
      recordUrl: this.linker,
    });
  }

  /**
   * The parent message's counts per module and territory. What a bulk holds is fixed once it is
   * submitted, while the message is re-rendered at every progress notice. Drafts keep their
   * summary with the request; for one without (a request stored before, a list of many
   * distinct warnings) it is summarised once, a page of items at a time, and kept here.
   */
  private async parentSummary(request: RequestRecord): Promise<BulkSummary> {
    const cached = this.summaries.get(request.id);
    if (cached) return cached;
    // The channel message shows counts only; the preview's warnings were for the approver.
    const summary = { ...(await loadBulkSummary(this.options.store, request)), warnings: [] };
    if (request.state === 'draft') return summary;
    this.summaries.set(request.id, summary);
    if (this.summaries.size > PARENT_SUMMARIES_KEPT) {
      const oldest = this.summaries.keys().next().value;
      if (oldest !== undefined) this.summaries.delete(oldest);
    }
    return summary;
  }

  /** The thread reply(ies) once every item is final. */
  async renderResult(request: RequestRecord): Promise<SlackMessage[]> {
    const store = this.options.store;
    const names = await this.names();
    if (request.kind === 'bulk' || request.itemCount !== 1) return [await this.bulkResult(request)];
    const items = await store.listItems(request.id, { limit: 2 });
    if (items.length === 1) {
      const item = items[0] as RequestItemRecord;
      const ref = { module: item.module, recordId: item.recordId, name: recordName(request, item) };
      if (item.state === 'done') {
        return [
          buildRecordDoneReply({
            requesterId: request.requesterId,
            action: item.action,
            record: await this.recordAfter(item, names),
            territoryIds: item.territoryIds,
            names,
            recordUrl: this.linker,
          }),
        ];
      }
      if (item.state === 'unconfirmed') {
        return [
          buildRecordUnconfirmedReply({
            requesterId: request.requesterId,
            action: item.action,
            record: ref,
            territoryIds: item.territoryIds,
            names,
            jobId: item.jobId,
            waitedMs: item.updatedAt - request.createdAt,
            recordUrl: this.linker,
          }),
        ];
      }
      return [
        buildRecordFailedReply({
          requesterId: request.requesterId,
          action: item.action,
          record: ref,
          territoryIds: item.territoryIds,
          names,
          reason: item.message ?? 'Zoho did not apply the change.',
          code: item.code,
          recordUrl: this.linker,
        }),
      ];
    }
    return [await this.bulkResult(request)];
  }

  /** Counts, and as many failed and unconfirmed items as the reply can show (never all items). */
  private async bulkResult(request: RequestRecord): Promise<SlackMessage> {
    const store = this.options.store;
    const counts = await store.countItemsByState(request.id);
    const problems = [
      ...(await store.listItems(request.id, { states: ['failed'], limit: BULK_REPORT_PROBLEMS })),
      ...(await store.listItems(request.id, { states: ['unconfirmed'], limit: BULK_REPORT_PROBLEMS })),
    ].sort((a, b) => a.seq - b.seq);
    return buildBulkFinalReply({
      requesterId: request.requesterId,
      requestId: request.id,
      progress: progressFromCounts(counts, request.itemCount),
      problems: problems.map((i) => ({
        lineNo: i.lineNo,
        module: i.module,
        recordId: i.recordId,
        recordName: recordName(request, i),
        state: i.state as 'failed' | 'unconfirmed',
        reason: i.message,
      })),
      recordUrl: this.linker,
    });
  }

  /** The record as Zoho shows it now; if Zoho cannot be read, what the tracker confirmed. */
  private async recordAfter(item: RequestItemRecord, names: TerritoryNames): Promise<ZohoRecord> {
    try {
      const [record] = await this.options.zoho.getRecords(item.module, [item.recordId]);
      if (record) return record;
    } catch (err) {
      this.logger.warn({ err, recordId: item.recordId }, 'reading the record for the result failed');
    }
    return {
      module: item.module,
      id: item.recordId,
      name: null,
      territories: (item.after ?? []).map((id) => ({ id, name: names.get(id) ?? id, assigned: 'unknown' })),
    };
  }

  protected names(): Promise<ReadonlyMap<string, string>> {
    return this.options.catalog.names();
  }

  protected request(requestId: string): Promise<RequestRecord | null> {
    return this.options.store.getRequest(requestId);
  }
}

function recordName(request: RequestRecord, item: RequestItemRecord): string | null {
  if (item.recordName) return item.recordName;
  // Requests stored before migration 0008 kept names in their summary.
  const summary = request.summary as { recordName?: unknown; recordNames?: Record<string, unknown> };
  if (request.kind !== 'bulk' && typeof summary.recordName === 'string') return summary.recordName;
  const byId = summary.recordNames?.[item.recordId];
  return typeof byId === 'string' ? byId : null;
}
