/**
 * Table shapes as Kysely sees them. Times are epoch ms in bigint columns (pg int8 is parsed
 * to number per pool, see dialects.ts); JSON lives in text columns, (de)serialized in rows.ts,
 * so both dialects run the same queries.
 */
import type { Generated } from 'kysely';

export interface RequestsTable {
  id: string;
  kind: string;
  state: string;
  requester_id: string;
  origin_channel_id: string | null;
  reason: string | null;
  item_count: number;
  summary: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  decided_by: string | null;
  decided_at: number | null;
  decision_comment: string | null;
}

export interface RequestItemsTable {
  request_id: string;
  seq: number;
  line_no: number | null;
  module: string;
  record_id: string;
  action: string;
  territory_ids: string;
  remove_territory_ids: string;
  state: string;
  job_id: string | null;
  code: string | null;
  message: string | null;
  attempts: number;
  before: string | null;
  after: string | null;
  not_before: number | null;
  updated_at: number;
  /** Display only (migration 0008): the record's name, the preview's warning and issue code. */
  record_name: string | null;
  warning: string | null;
  issue: string | null;
}

export interface JobsTable {
  id: Generated<number>;
  request_id: string;
  seq: number;
  module: string;
  record_id: string;
  job_id: string;
  operation: string;
  expect_present: string;
  expect_absent: string;
  state: string;
  polls: number;
  created_at: number;
  next_poll_at: number;
  deadline_at: number;
  updated_at: number;
}

export interface AlertsTable {
  fingerprint: string;
  kind: string;
  territory_id: string | null;
  state: string;
  severity: string;
  title: string;
  details: string;
  content_hash: string;
  inhibited_by: string | null;
  starts_at: number;
  updated_at: number;
  last_notified_at: number | null;
  resolved_at: number | null;
  snoozed_until: number | null;
  snoozed_by: string | null;
  channel: string | null;
  ts: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  request_id: string | null;
  data: string;
}

export interface MessageRefsTable {
  key: string;
  channel: string;
  ts: string;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface MonitorRunsTable {
  id: Generated<number>;
  started_at: number;
  finished_at: number;
  /** 0/1: SQLite has no boolean type, so both dialects use an integer. */
  ok: number;
  outcome: string;
  details: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

/** Migration 0004: notices to post (src/core/outbox.ts). */
export interface OutboxTable {
  id: Generated<number>;
  key: string;
  request_id: string;
  kind: string;
  state: string;
  attempts: number;
  not_before: number;
  /** JSON InflightPost, or null. */
  inflight: string | null;
  channel: string | null;
  ts: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** Migration 0004: inbound Slack deliveries already handled (retries and replays are dropped). */
export interface InboundSeenTable {
  key: string;
  seen_at: number;
}

/** Migration 0006: who opened the Home tab, and when last (republished on changes). */
export interface HomeOpenersTable {
  user_id: string;
  opened_at: number;
}

export interface Database {
  requests: RequestsTable;
  request_items: RequestItemsTable;
  jobs: JobsTable;
  alerts: AlertsTable;
  audit_log: AuditLogTable;
  message_refs: MessageRefsTable;
  leases: LeasesTable;
  monitor_runs: MonitorRunsTable;
  settings: SettingsTable;
  outbox: OutboxTable;
  inbound_seen: InboundSeenTable;
  home_openers: HomeOpenersTable;
}

export type DialectName = 'sqlite' | 'postgres';
