/**
 * What the monitor remembers between runs, in store settings: the territory names of the last
 * run (to tell renames and deletions) and the streak of inconclusive runs. Apart from runner.ts,
 * which schedules and records the runs.
 */
import { z } from 'zod';
import type { AlertRecord, Store } from '../store/types.js';
import type { CheckResult } from './checks.js';
import { type AlertCondition, monitorInconclusive } from './conditions.js';

const NAMES_SETTING = 'monitor.territoryNames';
const INCONCLUSIVE_SETTING = 'monitor.inconclusive';
/** Consecutive inconclusive runs, and time, before the monitor_inconclusive alert. */
const INCONCLUSIVE_RUNS = 4;
const INCONCLUSIVE_MS = 3600_000;

const namesSchema = z.record(z.string(), z.string());
const inconclusiveSchema = z.object({ since: z.number(), reason: z.string(), runs: z.number().int() });

/**
 * An inconclusive run raises nothing (a throttled refresh must not cause an alert storm), but
 * a monitor that has judged nothing for an hour and four runs says so once.
 */
export async function trackInconclusive(
  store: Store,
  check: CheckResult,
  now: number,
): Promise<AlertCondition | null> {
  if (check.status !== 'inconclusive') {
    if (await store.getSetting(INCONCLUSIVE_SETTING)) await store.setSetting(INCONCLUSIVE_SETTING, '');
    return null;
  }
  let state: z.infer<typeof inconclusiveSchema> = {
    since: now,
    reason: check.inconclusiveReason ?? '',
    runs: 0,
  };
  try {
    const raw = await store.getSetting(INCONCLUSIVE_SETTING);
    const parsed = raw ? inconclusiveSchema.safeParse(JSON.parse(raw)) : null;
    if (parsed?.success) state = parsed.data;
  } catch {
    // A damaged value starts the count again.
  }
  state.runs += 1;
  await store.setSetting(INCONCLUSIVE_SETTING, JSON.stringify(state));
  return state.runs >= INCONCLUSIVE_RUNS && now - state.since >= INCONCLUSIVE_MS
    ? monitorInconclusive(new Date(state.since).toISOString(), state.reason)
    : null;
}

export async function loadPreviousNames(store: Store): Promise<Record<string, string>> {
  const raw = await store.getSetting(NAMES_SETTING);
  if (!raw) return {};
  try {
    const parsed = namesSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * The baseline for the next run. A rename or deletion that no routing entry pins is announced
 * once and then adopted; until its alert was actually posted the old name is kept, so a failed
 * post does not make it vanish.
 */
export async function saveNames(
  store: Store,
  names: Record<string, string>,
  previous: Record<string, string>,
  firing: readonly AlertRecord[],
): Promise<void> {
  const next = { ...names };
  for (const a of firing) {
    if ((a.kind !== 'territory_deleted' && a.kind !== 'territory_renamed') || !a.territoryId) continue;
    const pinned = (a.details.facts as { routing?: unknown } | undefined)?.routing;
    const old = previous[a.territoryId];
    if (!pinned && a.lastNotifiedAt === null && old !== undefined) next[a.territoryId] = old;
  }
  await store.setSetting(NAMES_SETTING, JSON.stringify(next));
}
