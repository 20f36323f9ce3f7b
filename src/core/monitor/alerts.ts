/**
 * Alert lifecycle, Alertmanager-like. State lives in the store (one row per fingerprint), so a
 * restart neither re-posts nor forgets. `planAlerts` is the one transition function (pure);
 * `AlertLifecycle` persists its plan, talks to the AlertNotifier and audits.
 *
 * Rules:
 * - condition starts → `firing` (new message; its {channel, ts} is stored on the alert).
 * - content changes (hash of title, severity, cause, fix, affected, held-back alerts) → `changed`
 *   (the same message is edited; no ping, so the reminder clock is not reset).
 * - still firing `repeatIntervalMs` after the last post/reminder → `reminder` in its thread.
 * - condition gone, judged by a run that could see it → `resolved` (edit + thread reply). A
 *   kind the run could not judge (inconclusive run, or an earlier step failed) stays as it was.
 * - inhibition: while an org-wide or API-user-wide alert fires, the alerts it causes are not
 *   posted; their rows carry `inhibitedBy` and the source lists them (`details.heldBack`). A
 *   message posted before the inhibition stays as it was and gets no reminders; once released it
 *   is edited if it changed, posted if it never was.
 * - snooze (ops only): no reminders until `snoozedUntil`. Edits still happen (they keep the
 *   message true and do not ping), and resolving still posts: the good news closes the thread.
 *   A snooze ends when it expires or when the alert resolves; a later re-fire is a new episode.
 * - a failed notification is retried by the next run: `firing` stays unposted, `changed`
 *   keeps the old hash, `reminder` keeps the old time, `resolved` is not stored.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { AlertEvent, AlertNotifier } from '../notify.js';
import type { AlertRecord, Store } from '../store/types.js';
import { type AlertKind, INHIBITION_RULES } from './alert-kinds.js';
import { ALERT_INITIAL_STATE, alertLifecycle } from './alert-lifecycle.js';
import type { AffectedTerritory, AlertCondition } from './conditions.js';

export type Notification = AlertEvent['type'];

export interface AlertEvaluation {
  conditions: readonly AlertCondition[];
  /** Kinds this run judged: a firing alert of such a kind with no condition now is resolved. */
  evaluatedKinds: readonly AlertKind[];
}

export interface AlertPolicy {
  repeatIntervalMs: number;
}

export interface HeldBack {
  fingerprint: string;
  title: string;
  territoryId: string | null;
}

export interface AlertPlanStep {
  fingerprint: string;
  before: AlertRecord | null;
  /** The row to store; notification fields (channel, ts, lastNotifiedAt, contentHash) are set on success. */
  after: AlertRecord;
  /** Messages to send, in order. */
  notify: Notification[];
  /** The hash of the content now (stored once posted). */
  hash: string;
  /** Audit actions for this step (alert.firing, alert.resolved, alert.inhibited, ...). */
  audit: string[];
}

/**
 * What `AlertRecord.details` holds, for the Slack side to render: the cause, the fix steps, the
 * territories affected (with the modules routed to them), the alerts this one holds back, facts
 * (old/new names, Zoho codes, API user) and, once resolved, how it was resolved.
 */
export interface AlertDetails {
  cause: string;
  fix: string[];
  affected: AffectedTerritory[];
  heldBack: HeldBack[];
  facts: Record<string, unknown>;
  resolution: string | null;
}

const affectedSchema = z.object({
  id: z.string().nullable(),
  name: z.string(),
  modules: z.array(z.string()),
});
const detailsSchema = z.object({
  cause: z.string().catch(''),
  fix: z.array(z.string()).catch([]),
  affected: z.array(affectedSchema).catch([]),
  heldBack: z
    .array(z.object({ fingerprint: z.string(), title: z.string(), territoryId: z.string().nullable() }))
    .catch([]),
  facts: z.record(z.string(), z.unknown()).catch({}),
  resolution: z.string().nullable().catch(null),
});

/** Reads an alert row's details leniently (rows written by older versions lack some keys). */
export function alertDetails(alert: Pick<AlertRecord, 'details'>): AlertDetails {
  return detailsSchema.parse(alert.details) as AlertDetails;
}

/** Hash of what the message shows; a change means the message is edited. */
export function contentHash(a: Pick<AlertRecord, 'title' | 'severity' | 'details'>): string {
  const { cause, fix, affected, heldBack, facts } = a.details as Record<string, unknown>;
  return createHash('sha256')
    .update(JSON.stringify([a.title, a.severity, cause, fix, affected, heldBack ?? [], facts ?? {}]))
    .digest('hex')
    .slice(0, 32);
}

const KINDS_ANNOUNCED_ONCE: readonly string[] = ['territory_deleted', 'territory_renamed'];

function resolution(prev: AlertRecord): string {
  const facts = (prev.details.facts ?? {}) as { routing?: unknown };
  if (KINDS_ANNOUNCED_ONCE.includes(prev.kind) && !facts.routing) {
    return 'Recorded: no routing file pins this territory, so the bot now knows it by its current state.';
  }
  return 'The condition no longer holds.';
}

/**
 * The transition function: previous rows (from the store) + this run's evaluation → the rows to
 * store and the messages to send. Only fingerprints that change appear in the plan.
 */
export function planAlerts(
  previous: readonly AlertRecord[],
  evaluation: AlertEvaluation,
  now: number,
  policy: AlertPolicy,
): AlertPlanStep[] {
  const prevByFp = new Map(previous.map((a) => [a.fingerprint, a]));
  const conditions = new Map(evaluation.conditions.map((c) => [c.fingerprint, c]));
  const evaluated = new Set<string>(evaluation.evaluatedKinds);
  const next = new Map<string, AlertRecord>();

  for (const c of conditions.values()) {
    const prev = prevByFp.get(c.fingerprint);
    const details = { cause: c.cause, fix: c.fix, affected: c.affected, facts: c.facts };
    const refired = prev ? alertLifecycle.apply(prev.state, 'refire') : null;
    if (!prev || refired?.ok) {
      next.set(c.fingerprint, {
        fingerprint: c.fingerprint,
        kind: c.kind,
        territoryId: c.territoryId,
        state: refired?.ok ? refired.to : ALERT_INITIAL_STATE,
        severity: c.severity,
        title: c.title,
        details,
        contentHash: '',
        inhibitedBy: null,
        startsAt: now,
        updatedAt: now,
        lastNotifiedAt: null,
        resolvedAt: null,
        snoozedUntil: null,
        snoozedBy: null,
        channel: null,
        ts: null,
      });
    } else {
      next.set(c.fingerprint, {
        ...prev,
        kind: c.kind,
        territoryId: c.territoryId,
        severity: c.severity,
        title: c.title,
        details,
      });
    }
  }
  for (const prev of previous) {
    const resolved = alertLifecycle.apply(prev.state, 'resolve');
    if (!resolved.ok || conditions.has(prev.fingerprint)) continue;
    if (evaluated.has(prev.kind)) {
      next.set(prev.fingerprint, {
        ...prev,
        state: resolved.to,
        resolvedAt: now,
        inhibitedBy: null,
        snoozedUntil: null,
        snoozedBy: null,
        details: { ...prev.details, resolution: resolution(prev) },
      });
    } else {
      // Not judged this run: keeps firing as it was (inhibition is recomputed below).
      next.set(prev.fingerprint, { ...prev });
    }
  }

  // Inhibition over what fires after this run.
  const firing = [...next.values()].filter((a) => a.state === 'firing');
  const firingKinds = new Map<string, AlertRecord>();
  for (const a of firing) if (!firingKinds.has(a.kind)) firingKinds.set(a.kind, a);
  const heldBack = new Map<string, HeldBack[]>();
  for (const a of firing) {
    const rule = INHIBITION_RULES.find(
      (r) => firingKinds.has(r.source) && r.targets.includes(a.kind as AlertKind),
    );
    a.inhibitedBy = rule ? firingKinds.get(rule.source)!.fingerprint : null;
    if (a.inhibitedBy) {
      heldBack.set(a.inhibitedBy, [
        ...(heldBack.get(a.inhibitedBy) ?? []),
        { fingerprint: a.fingerprint, title: a.title, territoryId: a.territoryId },
      ]);
    }
  }
  for (const a of firing) {
    const held = (heldBack.get(a.fingerprint) ?? []).sort((x, y) =>
      x.fingerprint.localeCompare(y.fingerprint),
    );
    const { heldBack: _old, ...rest } = a.details as Record<string, unknown>;
    a.details = held.length > 0 ? { ...rest, heldBack: held } : rest;
  }

  const steps: AlertPlanStep[] = [];
  for (const [fp, after] of next) {
    const before = prevByFp.get(fp) ?? null;
    const hash = contentHash(after);
    const notify: Notification[] = [];
    const audit: string[] = [];
    const newEpisode = after.state === 'firing' && (!before || before.state === 'resolved');
    const posted = !newEpisode && after.lastNotifiedAt !== null;
    if (after.snoozedUntil !== null && after.snoozedUntil <= now) {
      after.snoozedUntil = null;
      after.snoozedBy = null;
      audit.push('alert.snooze_expired');
    }
    const snoozed = after.snoozedUntil !== null;

    if (after.state === 'resolved') {
      audit.push('alert.resolved');
      if (posted) notify.push('resolved');
    } else {
      if (newEpisode) audit.push('alert.firing');
      if (before && before.state === 'firing' && before.inhibitedBy !== after.inhibitedBy) {
        audit.push(after.inhibitedBy ? 'alert.inhibited' : 'alert.released');
      } else if (newEpisode && after.inhibitedBy) {
        audit.push('alert.inhibited');
      }
      if (!after.inhibitedBy) {
        if (!posted) {
          if (!snoozed) notify.push('firing');
        } else {
          if (hash !== after.contentHash) notify.push('changed');
          if (!snoozed && now - after.lastNotifiedAt! >= policy.repeatIntervalMs) notify.push('reminder');
        }
      }
    }
    if (!posted && after.state === 'firing') after.contentHash = hash;

    const changed =
      !before ||
      notify.length > 0 ||
      audit.length > 0 ||
      before.state !== after.state ||
      before.inhibitedBy !== after.inhibitedBy ||
      before.title !== after.title ||
      before.severity !== after.severity ||
      contentHash(before) !== hash;
    if (!changed) continue;
    after.updatedAt = now;
    steps.push({ fingerprint: fp, before, after, notify, hash, audit });
  }
  // Good news first, then new alerts, then edits and reminders.
  const rank = (s: AlertPlanStep) =>
    s.after.state === 'resolved' ? 0 : s.notify.includes('firing') ? 1 : s.notify.length > 0 ? 2 : 3;
  return steps.sort((a, b) => rank(a) - rank(b) || a.fingerprint.localeCompare(b.fingerprint));
}

export interface AppliedAlerts {
  /** Messages sent (or attempted) this run. */
  events: Array<{ fingerprint: string; type: Notification; ok: boolean }>;
  /** Every firing alert after this run (inhibited ones included). */
  firing: AlertRecord[];
  /** Fingerprints that resolved this run. */
  resolved: string[];
}

export type SnoozeResult = { ok: true; alert: AlertRecord } | { ok: false; reason: string };

export const MAX_SNOOZE_MS = 30 * 24 * 3600_000;

export interface AlertLifecycleOptions {
  store: Store;
  notifier: AlertNotifier;
  clock: Clock;
  repeatIntervalMs: number;
  logger?: Logger;
}

export class AlertLifecycle {
  constructor(private readonly opts: AlertLifecycleOptions) {}

  /** Applies one run's evaluation: stores the transitions, posts/edits/threads, audits. */
  async apply(evaluation: AlertEvaluation): Promise<AppliedAlerts> {
    const { store, clock } = this.opts;
    const now = clock.now();
    const previous = await store.listAlerts();
    const plan = planAlerts(previous, evaluation, now, { repeatIntervalMs: this.opts.repeatIntervalMs });
    const events: AppliedAlerts['events'] = [];
    const resolved: string[] = [];
    for (const step of plan) {
      const after = await this.mergeSnooze(step);
      const sent: Notification[] = [];
      let storeIt = true;
      for (const type of step.notify) {
        const ok = await this.send(type, after, step.hash, now);
        events.push({ fingerprint: step.fingerprint, type, ok });
        if (ok) sent.push(type);
        // An unsent "resolved" stays firing in the store, so the next run sends it again.
        else if (type === 'resolved') storeIt = false;
      }
      if (!storeIt) continue;
      await store.upsertAlert(after);
      if (after.state === 'resolved') resolved.push(after.fingerprint);
      for (const action of step.audit) {
        await store.appendAudit({
          at: now,
          actor: 'monitor',
          action,
          requestId: null,
          data: {
            fingerprint: after.fingerprint,
            kind: after.kind,
            territoryId: after.territoryId,
            title: after.title,
            inhibitedBy: after.inhibitedBy,
            posted: after.lastNotifiedAt !== null,
          },
        });
      }
      // firing/resolved are audited as transitions above; edits and reminders here.
      for (const type of sent) {
        if (type === 'firing' || type === 'resolved') continue;
        await store.appendAudit({
          at: now,
          actor: 'monitor',
          action: `alert.${type}`,
          requestId: null,
          data: { fingerprint: after.fingerprint, kind: after.kind },
        });
      }
    }
    const firing = (await store.listAlerts({ states: ['firing'] })).sort((a, b) =>
      a.fingerprint.localeCompare(b.fingerprint),
    );
    return { events, firing, resolved };
  }

  /** A snooze made (on any replica) since this run read the alerts wins over the plan's copy. */
  private async mergeSnooze(step: AlertPlanStep): Promise<AlertRecord> {
    const after = step.after;
    if (!step.before || after.state === 'resolved') return after;
    const current = await this.opts.store.getAlert(step.fingerprint);
    if (current && current.snoozedUntil !== step.before.snoozedUntil) {
      after.snoozedUntil = current.snoozedUntil;
      after.snoozedBy = current.snoozedBy;
    }
    return after;
  }

  /** Sends one message and records its effect on the row; false when the notifier failed. */
  private async send(type: Notification, alert: AlertRecord, hash: string, now: number): Promise<boolean> {
    try {
      const ref = await this.opts.notifier.alert({ type, alert: { ...alert, contentHash: hash } });
      if (type === 'firing') {
        alert.channel = ref?.channel ?? null;
        alert.ts = ref?.ts ?? null;
        alert.lastNotifiedAt = now;
        alert.contentHash = hash;
      } else if (type === 'changed') {
        alert.contentHash = hash;
      } else if (type === 'reminder') {
        alert.lastNotifiedAt = now;
      }
      return true;
    } catch (err) {
      this.opts.logger?.error({ err, fingerprint: alert.fingerprint, type }, 'alert notification failed');
      return false;
    }
  }

  /** Ops silence an alert's reminders for `durationMs`. Non-ops are refused with the reason. */
  async snooze(
    fingerprint: string,
    userId: string,
    durationMs: number,
    isOps: boolean,
  ): Promise<SnoozeResult> {
    const { store, clock } = this.opts;
    const now = clock.now();
    const refuse = async (reason: string): Promise<SnoozeResult> => {
      await store.appendAudit({
        at: now,
        actor: userId,
        action: 'alert.snooze_refused',
        requestId: null,
        data: { fingerprint, durationMs, reason },
      });
      return { ok: false, reason };
    };
    if (!isOps) {
      return refuse(
        'Only ops can snooze territory alerts (OPS_USER_IDS). Ask someone in ops, or fix the cause: the alert resolves by itself.',
      );
    }
    if (!Number.isFinite(durationMs) || durationMs <= 0 || durationMs > MAX_SNOOZE_MS) {
      return refuse('A snooze lasts between a minute and 30 days.');
    }
    const alert = await store.getAlert(fingerprint);
    if (!alert) return refuse('There is no such alert (it may have been cleaned up).');
    if (alert.state !== 'firing') return refuse('This alert is already resolved: nothing to snooze.');
    // Conditional: a run resolving the alert since it was read wins (a full write would bring it back).
    const snoozed = await store.setAlertSnooze(fingerprint, now + durationMs, userId, now);
    if (!snoozed) return refuse('This alert is already resolved: nothing to snooze.');
    await store.appendAudit({
      at: now,
      actor: userId,
      action: 'alert.snoozed',
      requestId: null,
      data: { fingerprint, until: snoozed.snoozedUntil, durationMs },
    });
    // The message shows who snoozed it until when: edit it (no ping).
    if (snoozed.lastNotifiedAt !== null && !snoozed.inhibitedBy) {
      await this.send('changed', snoozed, snoozed.contentHash, now);
    }
    return { ok: true, alert: snoozed };
  }

  /** Ends a snooze early (ops only). */
  async unsnooze(fingerprint: string, userId: string, isOps: boolean): Promise<SnoozeResult> {
    const { store, clock } = this.opts;
    const now = clock.now();
    if (!isOps) return { ok: false, reason: 'Only ops can change a snooze (OPS_USER_IDS).' };
    const alert = await store.getAlert(fingerprint);
    if (alert?.state !== 'firing' || alert.snoozedUntil === null) {
      return { ok: false, reason: 'This alert is not snoozed.' };
    }
    const next = await store.setAlertSnooze(fingerprint, null, null, now);
    if (!next) return { ok: false, reason: 'This alert is not snoozed.' };
    await store.appendAudit({
      at: now,
      actor: userId,
      action: 'alert.unsnoozed',
      requestId: null,
      data: { fingerprint },
    });
    if (next.lastNotifiedAt !== null && !next.inhibitedBy)
      await this.send('changed', next, next.contentHash, now);
    return { ok: true, alert: next };
  }
}
