/**
 * The alert lifecycle's transition function, Alertmanager-like and pure: the stored rows and
 * one run's evaluation in, the rows to store and the messages to send out. The rules are listed
 * in alerts.ts, which persists the plan.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertEvent } from '../notify.js';
import type { AlertRecord } from '../store/types.js';
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

const KINDS_ANNOUNCED_ONCE: readonly AlertKind[] = ['territory_deleted', 'territory_renamed'];

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
  const evaluated = new Set<AlertKind>(evaluation.evaluatedKinds);
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
  const firingKinds = new Map<AlertKind, AlertRecord>();
  for (const a of firing) if (!firingKinds.has(a.kind)) firingKinds.set(a.kind, a);
  const heldBack = new Map<string, HeldBack[]>();
  for (const a of firing) {
    const rule = INHIBITION_RULES.find((r) => firingKinds.has(r.source) && r.targets.includes(a.kind));
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
