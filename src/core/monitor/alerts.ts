/**
 * Alert lifecycle, Alertmanager-like. State lives in the store (one row per fingerprint), so a
 * restart neither re-posts nor forgets. `planAlerts` (alert-plan.ts) is the one transition
 * function (pure); `AlertLifecycle` persists its plan, talks to the AlertNotifier and audits.
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
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { AlertNotifier } from '../notify.js';
import type { AlertRecord, Store } from '../store/types.js';
import { type AlertEvaluation, type AlertPlanStep, type Notification, planAlerts } from './alert-plan.js';

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
