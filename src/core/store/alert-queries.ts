/**
 * Queries on `alerts` and `monitor_runs`: what the monitor keeps between runs.
 */
import type { Kysely } from 'kysely';
import { alertFromRow, alertToRow, monitorRunFromRow, toJson } from './rows.js';
import type { Database } from './schema.js';
import type { AlertRecord, AlertState, MonitorRun } from './types.js';

export async function getAlert(db: Kysely<Database>, fingerprint: string): Promise<AlertRecord | null> {
  const row = await db
    .selectFrom('alerts')
    .selectAll()
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
  return row ? alertFromRow(row) : null;
}

export async function listAlerts(
  db: Kysely<Database>,
  options: { states?: readonly AlertState[] },
): Promise<AlertRecord[]> {
  if (options.states && options.states.length === 0) return [];
  let q = db.selectFrom('alerts').selectAll();
  if (options.states) q = q.where('state', 'in', [...options.states]);
  const rows = await q.orderBy('starts_at', 'asc').orderBy('fingerprint', 'asc').execute();
  return rows.map(alertFromRow);
}

export async function upsertAlert(db: Kysely<Database>, alert: AlertRecord): Promise<void> {
  const row = alertToRow(alert);
  const { fingerprint: _key, ...rest } = row;
  await db
    .insertInto('alerts')
    .values(row)
    .onConflict((oc) => oc.column('fingerprint').doUpdateSet(rest))
    .execute();
}

export async function setAlertSnooze(
  db: Kysely<Database>,
  fingerprint: string,
  snoozedUntil: number | null,
  snoozedBy: string | null,
  at: number,
): Promise<AlertRecord | null> {
  const row = await db
    .updateTable('alerts')
    .set({ snoozed_until: snoozedUntil, snoozed_by: snoozedBy, updated_at: at })
    .where('fingerprint', '=', fingerprint)
    .where('state', '=', 'firing')
    .returningAll()
    .executeTakeFirst();
  return row ? alertFromRow(row) : null;
}

export async function recordMonitorRun(db: Kysely<Database>, run: Omit<MonitorRun, 'id'>): Promise<void> {
  await db
    .insertInto('monitor_runs')
    .values({
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      ok: run.ok ? 1 : 0,
      outcome: run.outcome,
      details: toJson(run.details),
    })
    .execute();
}

export async function lastMonitorRun(db: Kysely<Database>): Promise<MonitorRun | null> {
  const row = await db
    .selectFrom('monitor_runs')
    .selectAll()
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? monitorRunFromRow(row) : null;
}
