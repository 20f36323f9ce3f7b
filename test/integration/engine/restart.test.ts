/**
 * A restart in the middle of a bulk, end to end: the first "process" dies after Zoho took its
 * second assign call but before the answer was stored; a second one on the same database file
 * resumes with the timer-driven tracker. Every record gets its territory exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAssignmentService } from '../../../src/core/assignment/engine-service.js';
import { systemClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import { silentNotifier } from '../../../src/core/notify.js';
import { openStore } from '../../../src/core/store/index.js';
import type { NewRequestItem, Store } from '../../../src/core/store/types.js';
import { ZohoClient } from '../../../src/core/zoho/index.js';
import type { Lane } from '../../../src/core/zoho/limiter.js';
import { apiInLane, type ZohoApi } from '../../../src/core/zoho/types.js';
import { bigSeed, startZohoSimulator, type ZohoSimulator } from '../../../src/sandbox/zoho/index.js';

const logger = createLogger('silent');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function client(sim: ZohoSimulator): ZohoClient {
  return new ZohoClient({
    accountsUrl: sim.accountsUrl,
    ...sim.credentials,
    apiDomain: sim.apiDomain,
    logger,
  });
}

/**
 * The client, except that the nth assign call reaches Zoho and then never answers. Its lane views
 * (`inLane`) are wrapped too, counting with it: the engine sends through the bulk lane's view.
 */
function dyingAfterAssign(api: ZohoApi, nth: number, onDeath: () => void): ZohoApi {
  let count = 0;
  const wrap = (inner: ZohoApi): ZohoApi =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'inLane') return (lane: Lane) => wrap(apiInLane(target, lane));
        if (prop !== 'assignTerritories') {
          const v = Reflect.get(target, prop, receiver);
          return typeof v === 'function' ? v.bind(target) : v;
        }
        return async (...args: Parameters<ZohoApi['assignTerritories']>) => {
          count += 1;
          const outcomes = await target.assignTerritories(...args);
          if (count !== nth) return outcomes;
          onDeath();
          return new Promise<never>(() => {});
        };
      },
    });
  return wrap(api);
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('restart mid-run against the Zoho simulator', () => {
  it('resumes from the store: nothing lost, nothing assigned twice, jobs confirmed by the running tracker', async () => {
    const sim = await startZohoSimulator({
      seed: bigSeed({ territories: 20, records: 250 }),
      jobDelayMs: 200,
    });
    cleanups.push(() => sim.close());
    const dir = mkdtempSync(join(tmpdir(), 'engine-it-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const url = `sqlite:${join(dir, 'bot.db')}`;
    const territory = sim.territories().at(-1)!.id;
    const recordIds = sim.records('Contacts').map((r) => r.id);

    // Process 1: one batch in flight at a time, dies inside the second assign call.
    const store1 = await openStore(url);
    cleanups.push(() => store1.close());
    let died!: () => void;
    const death = new Promise<void>((r) => {
      died = r;
    });
    const first = createAssignmentService({
      api: dyingAfterAssign(client(sim), 2, () => died()),
      store: store1,
      notifier: silentNotifier,
      clock: systemClock,
      logger,
      concurrency: 1,
    });
    const items: NewRequestItem[] = recordIds.map((recordId, seq) => ({
      seq,
      lineNo: seq + 1,
      module: 'Contacts',
      recordId,
      action: 'assign',
      territoryIds: [territory],
      removeTerritoryIds: [],
      before: [],
    }));
    await store1.createRequest(
      {
        id: 'bulk-restart',
        kind: 'bulk',
        state: 'approved',
        requesterId: 'U_REP',
        originChannelId: 'C1',
        reason: null,
        itemCount: items.length,
        summary: {},
        createdAt: Date.now(),
        expiresAt: null,
      },
      items,
    );
    void first.engine.run('bulk-restart');
    await death;
    expect(await store1.countItemsByState('bulk-restart')).toEqual({
      scheduled: 100,
      sending: 100,
      pending: 50,
    });
    expect(sim.callCount('assignTerritories')).toBe(2);

    // Process 2: same database file, fresh client, timer-driven tracker with short polls.
    const store2: Store = await openStore(url);
    cleanups.push(() => store2.close());
    const second = createAssignmentService({
      api: client(sim),
      store: store2,
      notifier: silentNotifier,
      clock: systemClock,
      logger,
      schedule: { firstDelayMs: 50, maxDelayMs: 200, recheckDelayMs: 50 },
    });
    cleanups.push(() => second.stop());
    await second.start();
    await waitFor(
      async () => (await store2.getRequest('bulk-restart'))?.state === 'done',
      'the request to finish',
    );

    expect(await store2.countItemsByState('bulk-restart')).toEqual({ done: 250 });
    // Batch 2 was not sent again; only the 50 never-sent records went out.
    expect(sim.callCount('assignTerritories')).toBe(3);
    const assignAnswers = sim
      .requestLog()
      .filter((c) => c.operation === 'assignTerritories')
      .flatMap((c) =>
        ((c.responseBody as { data?: Array<{ code: string }> } | null)?.data ?? []).map((d) => d.code),
      );
    expect(assignAnswers).toHaveLength(250);
    expect(new Set(assignAnswers)).toEqual(new Set(['SCHEDULED']));
    for (const id of recordIds) {
      expect(sim.record('Contacts', id)!.territories.map((t) => t.territoryId)).toEqual([territory]);
    }
  });
});
