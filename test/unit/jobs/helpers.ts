/** Shared set-up for engine and tracker tests: manual time, a recording notifier, seeded requests. */
import { ManualClock } from '../../../src/core/clock.js';
import type { Timers } from '../../../src/core/jobs/timers.js';
import { createLogger } from '../../../src/core/log.js';
import type { RequestNotifier } from '../../../src/core/notify.js';
import type { ItemAction, NewRequestItem, RequestState, Store } from '../../../src/core/store/types.js';
import type { ZohoModule } from '../../../src/core/zoho/types.js';

export const silentLogger = createLogger('silent');

/** A clock and timers moved together by hand: `advance` fires every timer that falls due. */
export class ManualTime implements Timers {
  readonly clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.clock.now() + ms, fn, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order; returns after their work settles. */
  async advance(ms: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    const end = this.clock.now() + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.clock.set(Math.max(this.clock.now(), next.at));
      next.fn();
      await settle();
    }
    this.clock.set(end);
    await settle();
  }
}

export class RecordingNotifier implements RequestNotifier {
  readonly events: Array<{ type: string; requestId: string }> = [];
  private push(type: string, requestId: string) {
    this.events.push({ type, requestId });
    return Promise.resolve();
  }
  requestCreated = (id: string) => this.push('created', id);
  requestUpdated = (id: string) => this.push('updated', id);
  requestFinished = (id: string) => this.push('finished', id);
  approvalRequested = (id: string) => this.push('approval', id);
  approvalDecided = (id: string) => this.push('decided', id);
  count(type: string, requestId?: string): number {
    return this.events.filter(
      (e) => e.type === type && (requestId === undefined || e.requestId === requestId),
    ).length;
  }
}

/** 19-digit ids, as Zoho's (strings: they exceed Number.MAX_SAFE_INTEGER). */
export const recordId = (n: number) => `36523970000${String(n).padStart(8, '0')}`;
export const territoryId = (n: number) => `36523970009${String(n).padStart(8, '0')}`;

export interface SeedItem {
  module?: ZohoModule;
  recordId: string;
  action?: ItemAction;
  territoryIds: string[];
  removeTerritoryIds?: string[];
}

let requestSeq = 0;

export async function seedRequest(
  store: Store,
  items: readonly SeedItem[],
  options: { state?: RequestState; now?: number; id?: string } = {},
): Promise<string> {
  const id = options.id ?? `req-${++requestSeq}`;
  const rows: NewRequestItem[] = items.map((it, seq) => ({
    seq,
    lineNo: seq + 1,
    module: it.module ?? 'Accounts',
    recordId: it.recordId,
    action: it.action ?? 'assign',
    territoryIds: it.territoryIds,
    removeTerritoryIds: it.removeTerritoryIds ?? [],
    before: null,
  }));
  await store.createRequest(
    {
      id,
      kind: items.length > 1 ? 'bulk' : (items[0]?.action ?? 'assign'),
      state: options.state ?? 'approved',
      requesterId: 'U_REP',
      originChannelId: 'C_SALES',
      reason: 'test',
      itemCount: rows.length,
      summary: {},
      createdAt: options.now ?? Date.UTC(2026, 0, 5, 9, 0, 0),
      expiresAt: null,
    },
    rows,
  );
  return id;
}
