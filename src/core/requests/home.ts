/**
 * What a person's App Home shows (DESIGN.md §2): their recent requests and where each stands,
 * the requests waiting for their decision, and for ops the open alerts and the monitor's last
 * run. One read per section; the Slack side renders it (src/views/app-home.ts).
 */
import type { AlertRecord, ItemState, MonitorRun, RequestRecord, Store } from '../store/types.js';
import { isOps, requestsWaitingFor, type WaitingForDeps } from './people.js';

export interface HomeDeps extends WaitingForDeps {
  store: Pick<
    Store,
    'listRequestsByRequester' | 'countItemsByState' | 'listRequestsByState' | 'listAlerts' | 'lastMonitorRun'
  >;
}

export interface HomeData {
  userId: string;
  /** Newest first, with item counts for those that ran. */
  mine: Array<{ request: RequestRecord; counts: Partial<Record<ItemState, number>> | null }>;
  /** canDecide: the person may approve (the section is shown); requests newest first. */
  waiting: { canDecide: boolean; requests: RequestRecord[] };
  /** For ops only: firing alerts (oldest first) and the monitor's last completed run. */
  ops: { alerts: AlertRecord[]; lastRun: MonitorRun | null } | null;
}

/** Enough for a glance; `/territory requests` and the messages hold the rest. */
export const HOME_MINE = 10;
export const HOME_WAITING = 20;

const RAN: ReadonlySet<RequestRecord['state']> = new Set(['running', 'done', 'failed']);

export async function loadHome(deps: HomeDeps, userId: string): Promise<HomeData> {
  const ops = isOps(deps, userId);
  const [mine, waiting, alerts, lastRun] = await Promise.all([
    deps.store.listRequestsByRequester(userId, HOME_MINE),
    requestsWaitingFor(deps, userId, HOME_WAITING),
    ops ? deps.store.listAlerts({ states: ['firing'] }) : Promise.resolve([]),
    ops ? deps.store.lastMonitorRun() : Promise.resolve(null),
  ]);
  const withCounts = await Promise.all(
    mine.map(async (request) => ({
      request,
      counts: RAN.has(request.state) ? await deps.store.countItemsByState(request.id) : null,
    })),
  );
  return {
    userId,
    mine: withCounts,
    waiting,
    ops: ops ? { alerts: [...alerts].sort((a, b) => a.startsAt - b.startsAt), lastRun } : null,
  };
}
