/**
 * Prometheus metrics of one running app (GET /metrics). One registry per app instance: tests
 * run several apps in one process, and a shared global registry would mix their figures.
 *
 * Counters and histograms are fed by the core ports (ZohoCallObserver, WorkObserver); gauges
 * that describe stored state (requests by state, alerts firing, last monitor success, outbox
 * backlog) are read from the store at scrape time, so every replica reports the same truth.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../core/log.js';
import type { WorkObserver } from '../core/work-observer.js';
import type { ZohoCallObserver } from '../core/zoho/observer.js';

/** Stored state the gauges show; read once per scrape. */
export interface MetricsSnapshot {
  requestsByState: Record<string, number>;
  alertsFiring: number;
  /** Epoch ms of the last monitor run that completed ok, or null. */
  monitorLastSuccessAt: number | null;
  /** Messages about requests waiting to be posted to Slack. */
  outboxBacklog: number;
}

export type MetricsSnapshotSource = () => Promise<MetricsSnapshot>;

const PREFIX = 'territory_bot_';
/** Zoho answers in tens of ms to tens of seconds (timeouts at 30 s). */
const ZOHO_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Jobs complete in seconds to minutes; unconfirmed ones time out later. */
const JOB_LAG_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];

export class BotMetrics implements ZohoCallObserver, WorkObserver {
  readonly registry = new Registry();
  private readonly zohoCalls: Counter<'operation' | 'status'>;
  private readonly zohoLatency: Histogram<'operation' | 'status'>;
  private readonly tokenRefreshes: Counter<'outcome'>;
  private readonly itemsFinished: Counter<'outcome'>;
  private readonly requestsFinished: Counter;
  private readonly jobLag: Histogram<'outcome'>;
  private readonly requests: Gauge<'state'>;
  private readonly alertsFiring: Gauge;
  private readonly monitorLastSuccess: Gauge;
  private readonly outboxBacklog: Gauge;
  private readonly scrapeErrors: Counter;
  private source: MetricsSnapshotSource | null = null;

  constructor(private readonly options: { logger?: Logger; processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.zohoCalls = new Counter({
      name: `${PREFIX}zoho_calls_total`,
      help: 'Zoho CRM HTTP calls (each attempt) by operation and HTTP status (or timeout / network_error).',
      labelNames: ['operation', 'status'],
      registers,
    });
    this.zohoLatency = new Histogram({
      name: `${PREFIX}zoho_call_duration_seconds`,
      help: 'Latency of Zoho CRM HTTP calls by operation and status.',
      labelNames: ['operation', 'status'],
      buckets: ZOHO_BUCKETS,
      registers,
    });
    this.tokenRefreshes = new Counter({
      name: `${PREFIX}zoho_token_refreshes_total`,
      help: 'Zoho access-token refreshes by outcome (ok, throttled, revoked, invalid_client, error...).',
      labelNames: ['outcome'],
      registers,
    });
    this.itemsFinished = new Counter({
      name: `${PREFIX}items_finished_total`,
      help: 'Records of finished requests by outcome (done, failed, unconfirmed, skipped).',
      labelNames: ['outcome'],
      registers,
    });
    this.requestsFinished = new Counter({
      name: `${PREFIX}requests_finished_total`,
      help: 'Requests that reached a final state after running.',
      registers,
    });
    this.jobLag = new Histogram({
      name: `${PREFIX}job_confirmation_lag_seconds`,
      help: 'From a Zoho territory job being scheduled to the tracker settling it, by outcome.',
      labelNames: ['outcome'],
      buckets: JOB_LAG_BUCKETS,
      registers,
    });
    this.requests = new Gauge({
      name: `${PREFIX}requests`,
      help: 'Stored requests by state.',
      labelNames: ['state'],
      registers,
    });
    this.alertsFiring = new Gauge({
      name: `${PREFIX}alerts_firing`,
      help: 'Territory health alerts firing now.',
      registers,
    });
    this.monitorLastSuccess = new Gauge({
      name: `${PREFIX}monitor_last_success_timestamp_seconds`,
      help: 'When the last monitor run that completed ok finished (Unix seconds; 0: never).',
      registers,
    });
    this.outboxBacklog = new Gauge({
      name: `${PREFIX}outbox_backlog`,
      help: 'Messages about requests waiting to be posted to Slack.',
      registers,
    });
    this.scrapeErrors = new Counter({
      name: `${PREFIX}metrics_scrape_errors_total`,
      help: 'Scrapes whose stored-state gauges could not be read (they keep their last values).',
      registers,
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  /** Where the stored-state gauges come from (wired once the store is open). */
  setSnapshotSource(source: MetricsSnapshotSource): void {
    this.source = source;
  }

  zohoCall(call: { operation: string; status: string; seconds: number }): void {
    const labels = { operation: call.operation, status: call.status };
    this.zohoCalls.inc(labels);
    this.zohoLatency.observe(labels, call.seconds);
  }

  tokenRefresh(outcome: string): void {
    this.tokenRefreshes.inc({ outcome });
  }

  requestFinished(items: { done: number; failed: number; unconfirmed: number; skipped: number }): void {
    this.requestsFinished.inc();
    for (const [outcome, n] of Object.entries(items)) if (n > 0) this.itemsFinished.inc({ outcome }, n);
  }

  jobSettled(outcome: 'done' | 'failed' | 'unconfirmed', lagMs: number): void {
    this.jobLag.observe({ outcome }, Math.max(0, lagMs) / 1000);
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    if (this.source) {
      try {
        this.setSnapshot(await this.source());
      } catch (err) {
        this.scrapeErrors.inc();
        this.options.logger?.warn({ err }, 'metrics: reading stored state failed');
      }
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private setSnapshot(s: MetricsSnapshot): void {
    this.requests.reset();
    for (const [state, n] of Object.entries(s.requestsByState)) this.requests.set({ state }, n);
    this.alertsFiring.set(s.alertsFiring);
    this.monitorLastSuccess.set(s.monitorLastSuccessAt === null ? 0 : s.monitorLastSuccessAt / 1000);
    this.outboxBacklog.set(s.outboxBacklog);
  }
}
