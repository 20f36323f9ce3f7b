/**
 * The shared Store suite: the same cases run against SQLite (memory, file) and PostgreSQL,
 * so both dialects are held to one contract.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NewRequestItem, Store } from '../../../src/core/store/types.js';
import { defineAuditStoreCases } from './audit-suite.js';
import { alert, newItems, newJob, newRequest, recordId, T0, territoryId } from './fixtures.js';

export interface StoreHarness {
  /** Opens a store on a fresh, empty database. */
  fresh(): Promise<Store>;
  /**
   * Opens a second store on the same database as the last `fresh()` (another replica or a
   * restart). Absent for `sqlite::memory:`, whose database lives in one connection.
   */
  again?: () => Promise<Store>;
}

export function defineStoreSuite(label: string, harness: () => StoreHarness): void {
  describe(`Store contract (${label})`, () => {
    const opened: Store[] = [];
    const fresh = async () => {
      const s = await harness().fresh();
      opened.push(s);
      return s;
    };
    const again = async () => {
      const h = harness();
      if (!h.again) return null;
      const s = await h.again();
      opened.push(s);
      return s;
    };

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    describe('requests and items', () => {
      it('finds the latest item the bot wrote for a record, with its request', async () => {
        const s = await fresh();
        const [item] = newItems(1);
        await s.createRequest(newRequest('req-old', { itemCount: 1 }), [item!]);
        await s.createRequest(newRequest('req-new', { itemCount: 1 }), [item!]);
        await s.updateItem('req-new', 0, { state: 'done' }, undefined, T0 + 60_000);
        const latest = await s.latestItemForRecord(item!.module, item!.recordId);
        expect(latest?.request.id).toBe('req-new');
        expect(latest?.item).toMatchObject({ recordId: item!.recordId, state: 'done' });
        expect(await s.latestItemForRecord(item!.module, recordId(999))).toBeNull();
      });

      it('round-trips a request and its items with 19-digit ids as strings', async () => {
        const s = await fresh();
        const items = newItems(5);
        const created = await s.createRequest(newRequest('req-1', { itemCount: 5 }), items);
        expect(created).toMatchObject({
          id: 'req-1',
          state: 'pending_approval',
          itemCount: 5,
          updatedAt: T0,
          decidedBy: null,
          decidedAt: null,
          decisionComment: null,
        });

        const got = await s.getRequest('req-1');
        expect(got).toEqual(created);
        expect(got?.summary).toEqual({ modules: { Leads: 2 }, warnings: ['Deal already has a territory'] });

        const stored = await s.listItems('req-1');
        expect(stored).toHaveLength(5);
        const first = stored[0]!;
        expect(first).toEqual({
          requestId: 'req-1',
          seq: 0,
          lineNo: 2,
          module: 'Leads',
          recordId: recordId(0),
          action: 'assign',
          territoryIds: [territoryId(0), territoryId(100)],
          removeTerritoryIds: [],
          state: 'pending',
          jobId: null,
          code: null,
          message: null,
          attempts: 0,
          before: null,
          after: null,
          notBefore: null,
          updatedAt: T0,
          recordName: null,
          warning: null,
          issue: null,
        });
        expect(typeof first.recordId).toBe('string');
        expect(first.recordId).toBe('9123456789000000000');
        expect(stored[1]!.before).toEqual([territoryId(501)]);
        expect(stored.map((i) => i.seq)).toEqual([0, 1, 2, 3, 4]);
        expect(await s.getItem('req-1', 3)).toEqual(stored[3]);
        expect(await s.getItem('req-1', 99)).toBeNull();
        expect(await s.getRequest('nope')).toBeNull();
      });

      it('keeps an item state, code and message given at creation (skipped by the preview)', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-skip'), [
          { ...newItems(1)[0]!, state: 'skipped', code: 'ALREADY_ASSIGNED', message: 'already there' },
        ]);
        expect(await s.getItem('req-skip', 0)).toMatchObject({
          state: 'skipped',
          code: 'ALREADY_ASSIGNED',
          message: 'already there',
        });
      });

      it('writes nothing when any item fails (one transaction)', async () => {
        const s = await fresh();
        const items = newItems(3);
        items[2] = { ...items[2]!, seq: 0 }; // duplicate key (request_id, seq)
        await expect(s.createRequest(newRequest('req-dup'), items)).rejects.toThrow();
        expect(await s.getRequest('req-dup')).toBeNull();
        expect(await s.listItems('req-dup')).toEqual([]);
      });

      it('stores a 10,000-item request and pages through it', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-big', { itemCount: 10_000 }), newItems(10_000));
        expect(await s.countItemsByState('req-big')).toEqual({ pending: 10_000 });

        const page1 = await s.listItems('req-big', { limit: 100 });
        expect(page1.map((i) => i.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i));
        const page2 = await s.listItems('req-big', { afterSeq: 99, limit: 100 });
        expect(page2[0]!.seq).toBe(100);
        expect(page2.at(-1)!.seq).toBe(199);

        const all = await s.listItems('req-big');
        expect(all).toHaveLength(10_000);
        expect(all[9_999]!.recordId).toBe(recordId(9_999));
        expect(new Set(all.map((i) => i.recordId)).size).toBe(10_000);

        const evens = Array.from({ length: 5_000 }, (_, i) => i * 2);
        await s.updateItems('req-big', evens, { state: 'sending', attempts: 1 }, T0 + 1);
        expect(await s.countItemsByState('req-big')).toEqual({ pending: 5_000, sending: 5_000 });
        const many = Array.from({ length: 3_000 }, (_, i) => 9_999 - i * 3);
        // Where items stand: four columns of those asked for in the states given, in seq order.
        expect(await s.listItemStandings('req-big', [9_999, 3, 4, 2], ['sending'])).toEqual([
          { seq: 2, state: 'sending', jobId: null, action: 'assign' },
          { seq: 4, state: 'sending', jobId: null, action: 'assign' },
        ]);
        expect(await s.listItemStandings('req-big', many, ['sending', 'pending'])).toHaveLength(3_000);
        expect(await s.listItemStandings('req-big', [], ['sending'])).toEqual([]);
        expect(await s.listItemStandings('req-big', [2], [])).toEqual([]);
        const sending = await s.listItems('req-big', { states: ['sending'], limit: 3 });
        expect(sending.map((i) => [i.seq, i.attempts, i.updatedAt])).toEqual([
          [0, 1, T0 + 1],
          [2, 1, T0 + 1],
          [4, 1, T0 + 1],
        ]);
      });

      it('pages the items the engine may act on, holding later items on a record back', async () => {
        const s = await fresh();
        const base = newItems(8);
        const on = (i: number, recordOf: number, patch: Partial<NewRequestItem> = {}) => ({
          ...base[i]!,
          module: 'Leads' as const,
          recordId: recordId(recordOf),
          ...patch,
        });
        await s.createRequest(newRequest('req-work', { itemCount: 8 }), [
          on(0, 1, { state: 'scheduled' }), // waits on its job: holds seq 1 back
          on(1, 1),
          on(2, 2),
          on(3, 3, { state: 'done' }),
          on(4, 3), // the earlier item on record 3 is final: free to go
          on(5, 5, { state: 'retry' }),
          on(6, 6, { state: 'retry' }),
          on(7, 7, { state: 'removing' }),
        ]);
        await s.updateItem('req-work', 5, { notBefore: T0 + 500 }, undefined, T0);
        await s.updateItem('req-work', 6, { notBefore: T0 + 100 }, undefined, T0);
        await s.updateItem('req-work', 7, { jobId: '5000000000000000007' }, undefined, T0);
        const query = {
          states: ['pending', 'pending_assign', 'retry', 'sending', 'removing'] as const,
          blockedBy: ['pending', 'pending_assign', 'retry', 'sending', 'removing', 'scheduled'] as const,
          now: T0 + 200,
          afterSeq: -1,
          limit: 100,
        };
        const seqs = async (q: Partial<typeof query> = {}) =>
          (await s.listWorkItems('req-work', { ...query, ...q })).map((i) => i.seq);
        expect(await seqs()).toEqual([2, 4, 6]);
        expect(await seqs({ now: T0 + 600 })).toEqual([2, 4, 5, 6]);
        expect(await seqs({ afterSeq: 2, limit: 1 })).toEqual([4]);
        expect(await s.earliestNotBefore('req-work', 'retry')).toBe(T0 + 100);
        expect(await s.earliestNotBefore('req-work', 'sending')).toBeNull();

        await s.scheduleItems(
          'req-work',
          [{ ...newJob('req-work', 0, T0 + 1000), recordId: recordId(1) }, newJob('req-work', 7, T0 + 1000)],
          [],
        );
        expect((await s.listJobs('req-work', [7])).map((j) => j.seq)).toEqual([7]);
        expect(await s.listJobs('req-work', [])).toEqual([]);
        expect((await s.listJobs('req-work')).map((j) => j.seq)).toEqual([0, 7]);
      });

      it('lets exactly one of two concurrent transitions win', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-race'), []);
        const [a, b] = await Promise.all([
          s.transitionRequest(
            'req-race',
            ['pending_approval'],
            'approved',
            { decidedBy: 'U0MGR0001', decidedAt: T0 + 5, decisionComment: 'ok' },
            T0 + 5,
          ),
          s.transitionRequest(
            'req-race',
            ['pending_approval'],
            'rejected',
            { decidedBy: 'U0MGR0002', decidedAt: T0 + 5, decisionComment: 'no' },
            T0 + 5,
          ),
        ]);
        const winners = [a, b].filter((x) => x !== null);
        expect(winners).toHaveLength(1);
        const stored = await s.getRequest('req-race');
        expect(stored).toEqual(winners[0]);
        expect(stored?.state === 'approved' ? stored.decidedBy : 'U0MGR0001').toBe('U0MGR0001');
        expect(stored?.state === 'rejected' ? stored.decidedBy : 'U0MGR0002').toBe('U0MGR0002');
        expect(stored?.updatedAt).toBe(T0 + 5);
      });

      it('lets exactly one of many racing replicas win a transition', async () => {
        const s1 = await fresh();
        const s2 = (await again()) ?? s1;
        await s1.createRequest(newRequest('req-many'), []);
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            (i % 2 === 0 ? s1 : s2).transitionRequest(
              'req-many',
              ['pending_approval'],
              i % 3 === 0 ? 'approved' : 'rejected',
              { decidedBy: `U0MGR${i}` },
              T0 + i,
            ),
          ),
        );
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        expect(await s2.getRequest('req-many')).toEqual(winners[0]);
      });

      it('refuses a transition from a state the request is not in, and applies the patch when it wins', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-t', { state: 'draft' }), []);
        expect(await s.transitionRequest('req-t', ['pending_approval'], 'approved')).toBeNull();
        expect(await s.transitionRequest('req-t', [], 'approved')).toBeNull();
        expect(await s.transitionRequest('missing', ['draft'], 'cancelled')).toBeNull();
        const moved = await s.transitionRequest(
          'req-t',
          ['draft'],
          'pending_approval',
          { summary: { submitted: true }, expiresAt: T0 + 10 },
          T0 + 2,
        );
        expect(moved).toMatchObject({
          state: 'pending_approval',
          summary: { submitted: true },
          expiresAt: T0 + 10,
          updatedAt: T0 + 2,
        });
        await s.updateRequestSummary('req-t', { submitted: true, progress: 3 }, T0 + 3);
        expect(await s.getRequest('req-t')).toMatchObject({
          summary: { submitted: true, progress: 3 },
          updatedAt: T0 + 3,
        });
      });

      it('lists requests by requester (newest first), by state, and expired pending approvals', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('a', { requesterId: 'U1', createdAt: T0, expiresAt: T0 + 100 }), []);
        await s.createRequest(
          newRequest('b', { requesterId: 'U1', createdAt: T0 + 1, expiresAt: T0 + 50, state: 'running' }),
          [],
        );
        await s.createRequest(
          newRequest('c', { requesterId: 'U2', createdAt: T0 + 2, expiresAt: T0 + 10 }),
          [],
        );
        await s.createRequest(newRequest('d', { requesterId: 'U1', createdAt: T0 + 3, expiresAt: null }), []);

        expect((await s.listRequestsByRequester('U1', 10)).map((r) => r.id)).toEqual(['d', 'b', 'a']);
        expect((await s.listRequestsByRequester('U1', 2)).map((r) => r.id)).toEqual(['d', 'b']);
        expect(await s.listRequestsByRequester('U9', 10)).toEqual([]);
        expect((await s.listRequestsByState(['pending_approval'], 10)).map((r) => r.id).sort()).toEqual([
          'a',
          'c',
          'd',
        ]);
        expect((await s.listRequestsByState(['running', 'done'], 10)).map((r) => r.id)).toEqual(['b']);
        expect(await s.listRequestsByState([], 10)).toEqual([]);

        expect((await s.listExpiredPending(T0 + 9)).map((r) => r.id)).toEqual([]);
        expect((await s.listExpiredPending(T0 + 10)).map((r) => r.id)).toEqual(['c']);
        // b is past its expiry but running: not a pending approval. d never expires.
        expect((await s.listExpiredPending(T0 + 1_000)).map((r) => r.id)).toEqual(['c', 'a']);
      });

      it('counts the records a person changed without approval since a time', async () => {
        const s = await fresh();
        const went = ['approved', 'running', 'done', 'failed'] as const;
        // Direct (undecided) requests of U1 in each state that went ahead: 2 items each.
        for (const [i, state] of went.entries()) {
          await s.createRequest(
            newRequest(`direct-${state}`, { requesterId: 'U1', state, createdAt: T0 + i, expiresAt: null }),
            newItems(2),
          );
        }
        // Not counted: decided by an approver, still waiting, rejected, someone else's, too old.
        await s.createRequest(
          newRequest('decided', { requesterId: 'U1', state: 'approved', createdAt: T0 }),
          newItems(3),
        );
        await s.transitionRequest('decided', ['approved'], 'running', { decidedBy: 'UBOSS', decidedAt: T0 });
        await s.createRequest(newRequest('waiting', { requesterId: 'U1', createdAt: T0 }), newItems(3));
        await s.createRequest(
          newRequest('rejected', { requesterId: 'U1', state: 'rejected', createdAt: T0 }),
          newItems(3),
        );
        await s.createRequest(
          newRequest('other', { requesterId: 'U2', state: 'done', createdAt: T0 }),
          newItems(3),
        );
        await s.createRequest(
          newRequest('old', { requesterId: 'U1', state: 'done', createdAt: T0 - 1 }),
          newItems(3),
        );
        // A direct list whose preview skipped one record and blocked another: only 1 counts.
        const [send, skip, block] = newItems(3);
        await s.createRequest(newRequest('mixed', { requesterId: 'U1', state: 'done', createdAt: T0 + 9 }), [
          send!,
          { ...skip!, territoryIds: [], state: 'skipped', code: 'preview_nothing_to_do', message: 'x' },
          { ...block!, territoryIds: [], state: 'failed', code: 'preview_blocked', message: 'y' },
        ]);
        // A removal counts by the territories it removes.
        await s.createRequest(
          newRequest('removal', { requesterId: 'U1', state: 'done', kind: 'remove', createdAt: T0 + 9 }),
          [{ ...newItems(1)[0]!, action: 'remove', territoryIds: [], removeTerritoryIds: [territoryId(1)] }],
        );

        expect(await s.countDirectItemsSince('U1', T0, went)).toBe(2 * 4 + 1 + 1);
        expect(await s.countDirectItemsSince('U1', T0 + 2, went)).toBe(2 * 2 + 1 + 1);
        expect(await s.countDirectItemsSince('U1', T0, ['done'])).toBe(2 + 1 + 1);
        expect(await s.countDirectItemsSince('U1', T0, [])).toBe(0);
        expect(await s.countDirectItemsSince('U9', T0, went)).toBe(0);
      });

      it('updates an item only while it is in an expected state', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-i'), newItems(3));
        const sent = await s.updateItem('req-i', 1, { state: 'sending', attempts: 1 }, ['pending'], T0 + 1);
        expect(sent).toBe(true);
        const again2 = await s.updateItem('req-i', 1, { state: 'sending' }, ['pending'], T0 + 2);
        expect(again2).toBe(false);
        const scheduled = await s.updateItem(
          'req-i',
          1,
          {
            state: 'scheduled',
            jobId: recordId(777),
            code: 'SCHEDULED',
            message: 'Zoho scheduled the change',
            before: [territoryId(5)],
            after: [territoryId(5), territoryId(6)],
            notBefore: T0 + 60_000,
          },
          ['sending'],
          T0 + 3,
        );
        expect(scheduled).toBe(true);
        expect(await s.getItem('req-i', 1)).toMatchObject({
          state: 'scheduled',
          jobId: recordId(777),
          code: 'SCHEDULED',
          message: 'Zoho scheduled the change',
          attempts: 1,
          before: [territoryId(5)],
          after: [territoryId(5), territoryId(6)],
          notBefore: T0 + 60_000,
          updatedAt: T0 + 3,
        });
        // Clearing nullable fields, no expectation: always applies.
        expect(
          await s.updateItem('req-i', 1, { notBefore: null, after: null, jobId: null }, undefined, T0 + 4),
        ).toBe(true);
        expect(await s.getItem('req-i', 1)).toMatchObject({ notBefore: null, after: null, jobId: null });
        // A change stored before its Zoho read gets its territories once planned (issue 11 item 4).
        expect(
          await s.updateItem(
            'req-i',
            2,
            { territoryIds: [territoryId(8)], removeTerritoryIds: [territoryId(9)] },
            ['pending'],
            T0 + 4,
          ),
        ).toBe(true);
        expect(await s.getItem('req-i', 2)).toMatchObject({
          territoryIds: [territoryId(8)],
          removeTerritoryIds: [territoryId(9)],
        });
        expect(
          await s.updateItemsEach('req-i', [{ seq: 2, patch: { territoryIds: [territoryId(7)] } }], T0 + 4),
        ).toBe(1);
        expect((await s.getItem('req-i', 2))!.territoryIds).toEqual([territoryId(7)]);
        expect(await s.updateItem('req-i', 1, { state: 'done' }, [], T0 + 5)).toBe(false);
        expect(await s.updateItem('req-i', 42, { state: 'done' })).toBe(false);

        const racers = await Promise.all(
          ['done', 'failed', 'unconfirmed'].map((to) =>
            s.updateItem('req-i', 2, { state: to as 'done' }, ['pending'], T0 + 6),
          ),
        );
        expect(racers.filter(Boolean)).toHaveLength(1);
        expect(await s.countItemsByState('req-i')).toEqual({
          pending: 1,
          scheduled: 1,
          [(await s.getItem('req-i', 2))!.state]: 1,
        });
        expect((await s.listItems('req-i', { states: ['pending', 'scheduled'] })).map((i) => i.seq)).toEqual([
          0, 1,
        ]);
        expect(await s.listItems('req-i', { states: [] })).toEqual([]);
      });

      it('uses the injected clock when no time is given', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-clock'), newItems(1));
        await s.updateItem('req-clock', 0, { state: 'sending' });
        const item = await s.getItem('req-clock', 0);
        expect(item?.updatedAt).toBe(CLOCK_NOW);
      });

      it('patches many items in one call, each under its own guard, and counts the rows changed', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-e'), newItems(8));
        await s.updateItem('req-e', 5, { state: 'skipped' }, undefined, T0);
        const changed = await s.updateItemsEach(
          'req-e',
          [
            // Same patch and guard on three items (one of them no longer pending).
            { seq: 0, patch: { state: 'done', code: 'OK' }, expectState: ['pending'] },
            { seq: 1, patch: { state: 'done', code: 'OK' }, expectState: ['pending'] },
            { seq: 5, patch: { state: 'done', code: 'OK' }, expectState: ['pending'] },
            // Own patches with JSON fields, and one clearing nullable fields without a guard.
            {
              seq: 2,
              patch: {
                state: 'scheduled',
                jobId: recordId(702),
                before: [territoryId(5)],
                after: [territoryId(5), territoryId(6)],
                notBefore: T0 + 60_000,
                attempts: 2,
                message: 'Zoho scheduled "it"',
              },
              expectState: ['pending', 'retry'],
            },
            { seq: 3, patch: { state: 'scheduled', jobId: recordId(703) }, expectState: ['pending'] },
            { seq: 4, patch: { before: null, after: [] } },
            // An empty guard never applies; an unknown item changes nothing.
            { seq: 6, patch: { state: 'failed' }, expectState: [] },
            { seq: 42, patch: { state: 'failed' } },
            // The same item twice: entries apply in order, the second sees the first.
            { seq: 7, patch: { state: 'sending' }, expectState: ['pending'] },
            { seq: 7, patch: { state: 'scheduled', jobId: recordId(707) }, expectState: ['sending'] },
            { seq: 7, patch: { state: 'failed' }, expectState: ['pending'] },
          ],
          T0 + 10,
        );
        expect(changed).toBe(7);
        const items = await s.listItems('req-e');
        expect(items.map((i) => [i.seq, i.state, i.jobId, i.code])).toEqual([
          [0, 'done', null, 'OK'],
          [1, 'done', null, 'OK'],
          [2, 'scheduled', recordId(702), null],
          [3, 'scheduled', recordId(703), null],
          [4, 'pending', null, null],
          [5, 'skipped', null, null],
          [6, 'pending', null, null],
          [7, 'scheduled', recordId(707), null],
        ]);
        expect(items[2]).toMatchObject({
          before: [territoryId(5)],
          after: [territoryId(5), territoryId(6)],
          notBefore: T0 + 60_000,
          attempts: 2,
          message: 'Zoho scheduled "it"',
          updatedAt: T0 + 10,
        });
        expect(items[4]).toMatchObject({ before: null, after: [], updatedAt: T0 + 10 });
        expect(items[5]!.updatedAt).toBe(T0);
        expect(items[6]!.updatedAt).toBe(T0);
        expect(await s.updateItemsEach('req-e', [])).toBe(0);
        expect(await s.updateItemsEach('other', [{ seq: 0, patch: { state: 'failed' } }])).toBe(0);
        expect(await s.updateItemsEach('req-e', [{ seq: 0, patch: { code: 'X' } }])).toBe(1);
        expect((await s.getItem('req-e', 0))?.updatedAt).toBe(CLOCK_NOW);
      });

      it('writes none of a batch of item patches when one fails (one transaction)', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-tx'), newItems(3));
        await expect(
          s.updateItemsEach('req-tx', [
            { seq: 0, patch: { state: 'done' } },
            { seq: 1, patch: { state: 'scheduled', jobId: recordId(1) } },
            { seq: 2, patch: { state: null as unknown as 'done' } }, // violates NOT NULL
          ]),
        ).rejects.toThrow();
        expect(await s.countItemsByState('req-tx')).toEqual({ pending: 3 });
      });

      it('patches 10,000 items in one call', async () => {
        const s = await fresh();
        const n = 10_000;
        await s.createRequest(newRequest('req-big', { itemCount: n }), newItems(n));
        await s.updateItems('req-big', [10, 11, 12], { state: 'skipped' }, T0);
        const entries = Array.from({ length: n }, (_, seq) =>
          seq % 2 === 0
            ? {
                seq,
                patch: {
                  state: 'scheduled' as const,
                  jobId: recordId(50_000 + seq),
                  after: [territoryId(seq)],
                },
                expectState: ['pending' as const],
              }
            : { seq, patch: { state: 'done' as const, code: 'OK' }, expectState: ['pending' as const] },
        );
        expect(await s.updateItemsEach('req-big', entries, T0 + 1)).toBe(n - 3);
        expect(await s.countItemsByState('req-big')).toEqual({
          scheduled: n / 2 - 2,
          done: n / 2 - 1,
          skipped: 3,
        });
        const last = await s.getItem('req-big', n - 2);
        expect(last).toMatchObject({
          state: 'scheduled',
          jobId: recordId(50_000 + n - 2),
          after: [territoryId(n - 2)],
          updatedAt: T0 + 1,
        });
        // Again: every guard now fails.
        expect(await s.updateItemsEach('req-big', entries, T0 + 2)).toBe(0);
      });
    });

    describe('jobs', () => {
      it('lists due jobs oldest first and reports the next poll time', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-j'), newItems(4));
        expect(await s.nextJobPollAt()).toBeNull();
        await s.scheduleItems(
          'req-j',
          [newJob('req-j', 0, T0 + 30), newJob('req-j', 1, T0 + 10), newJob('req-j', 2, T0 + 20)],
          [],
        );
        expect(await s.scheduleItems('req-j', [], [])).toBe(0);

        expect(await s.nextJobPollAt()).toBe(T0 + 10);
        const due = await s.listDueJobs(T0 + 20, 10);
        expect(due.map((j) => j.seq)).toEqual([1, 2]);
        const j = due[0]!;
        expect(j).toMatchObject({
          requestId: 'req-j',
          seq: 1,
          module: 'Leads',
          recordId: recordId(1),
          jobId: recordId(900_001),
          operation: 'assign',
          expectPresent: [territoryId(1)],
          expectAbsent: [territoryId(2)],
          state: 'pending',
          polls: 0,
          createdAt: T0,
          nextPollAt: T0 + 10,
          deadlineAt: T0 + 3_600_000,
          updatedAt: T0,
        });
        expect(typeof j.id).toBe('number');
        expect((await s.listDueJobs(T0 + 100, 1)).map((x) => x.seq)).toEqual([1]);

        await s.updateJob(j.id, { polls: 1, nextPollAt: T0 + 50 }, T0 + 20);
        await s.updateJob(due[1]!.id, { state: 'done' }, T0 + 20);
        expect(await s.nextJobPollAt()).toBe(T0 + 30);
        expect((await s.listDueJobs(T0 + 40, 10)).map((x) => x.seq)).toEqual([0]);
        expect((await s.listDueJobs(T0 + 50, 10)).map((x) => [x.seq, x.polls])).toEqual([
          [0, 0],
          [1, 1],
        ]);
        // Jobs a round in progress holds are left out, the limit counting only the others.
        const [seq0] = await s.listDueJobs(T0 + 50, 1, [j.id]);
        expect(seq0!.seq).toBe(0);
        expect(await s.listDueJobs(T0 + 50, 10, [j.id, seq0!.id])).toEqual([]);

        const all = await s.listJobs('req-j');
        expect(all.map((x) => [x.seq, x.state])).toEqual([
          [0, 'pending'],
          [1, 'pending'],
          [2, 'done'],
        ]);
        expect(all[2]!.updatedAt).toBe(T0 + 20);
        expect(await s.listJobs('other')).toEqual([]);
      });

      it('rejects a job for a request that does not exist (foreign keys on)', async () => {
        const s = await fresh();
        await expect(s.scheduleItems('ghost', [newJob('ghost', 0, T0)], [])).rejects.toThrow();
      });

      it('patches many jobs in one transaction, entries in order', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-je'), []);
        await s.scheduleItems(
          'req-je',
          Array.from({ length: 2_500 }, (_, i) => newJob('req-je', i, T0)),
          [],
        );
        const jobs = await s.listJobs('req-je');
        await s.updateJobsEach(
          [
            ...jobs.map((j, i) =>
              i % 2 === 0
                ? { id: j.id, patch: { state: 'done' as const } }
                : { id: j.id, patch: { polls: i, nextPollAt: T0 + i } },
            ),
            { id: jobs[1]!.id, patch: { state: 'unconfirmed' } },
          ],
          T0 + 5,
        );
        const after = await s.listJobs('req-je');
        expect(after.filter((j) => j.state === 'done')).toHaveLength(1_250);
        expect(after[1]).toMatchObject({
          state: 'unconfirmed',
          polls: 1,
          nextPollAt: T0 + 1,
          updatedAt: T0 + 5,
        });
        expect(after[3]).toMatchObject({ state: 'pending', polls: 3, nextPollAt: T0 + 3, updatedAt: T0 + 5 });
        expect(after[2]).toMatchObject({ state: 'done', polls: 0, nextPollAt: T0, updatedAt: T0 + 5 });
        expect(await s.nextJobPollAt()).toBe(T0 + 3);
        await s.updateJobsEach([]);
        await s.updateJobsEach([{ id: jobs[3]!.id, patch: { polls: 9 } }]);
        expect((await s.listJobs('req-je'))[3]).toMatchObject({ polls: 9, updatedAt: CLOCK_NOW });
        await expect(
          s.updateJobsEach([
            { id: jobs[5]!.id, patch: { state: 'done' } },
            { id: jobs[7]!.id, patch: { state: null as unknown as 'done' } }, // violates NOT NULL
          ]),
        ).rejects.toThrow();
        expect((await s.listJobs('req-je'))[5]!.state).toBe('pending');
      });

      it('stores a call answer (jobs and the items they schedule) in one transaction', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-js', { itemCount: 3 }), newItems(3));
        const scheduled = (seq: number) => ({
          seq,
          patch: { state: 'scheduled' as const, jobId: `job-${seq}`, code: 'SCHEDULED' },
          expectState: ['pending' as const],
        });
        await s.updateItems('req-js', [2], { state: 'done' }, T0);
        // Item 2 moved on meanwhile: its guard fails, its job row is still kept.
        expect(
          await s.scheduleItems(
            'req-js',
            [0, 1, 2].map((i) => newJob('req-js', i, T0)),
            [0, 1, 2].map(scheduled),
            T0 + 1,
          ),
        ).toBe(2);
        expect((await s.listItems('req-js')).map((i) => [i.state, i.jobId])).toEqual([
          ['scheduled', 'job-0'],
          ['scheduled', 'job-1'],
          ['done', null],
        ]);
        expect(await s.listJobs('req-js')).toHaveLength(3);
        // A failing job insert (no such request) leaves the items as they were.
        await s.createRequest(newRequest('req-js2', { itemCount: 1 }), newItems(1));
        await expect(
          s.scheduleItems('req-js2', [newJob('ghost', 0, T0)], [scheduled(0)], T0 + 2),
        ).rejects.toThrow();
        expect((await s.getItem('req-js2', 0))!.state).toBe('pending');
        expect(await s.scheduleItems('req-js2', [], [], T0)).toBe(0);
      });

      it('settles jobs (items moved on, jobs closed) in one transaction', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-jd', { itemCount: 2 }), newItems(2));
        await s.scheduleItems('req-jd', [newJob('req-jd', 0, T0), newJob('req-jd', 1, T0)], []);
        const [j0, j1] = await s.listJobs('req-jd');
        await s.updateItems('req-jd', [0, 1], { state: 'scheduled' }, T0);
        const done = (seq: number) => ({
          seq,
          patch: { state: 'done' as const, code: 'CONFIRMED' },
          expectState: ['scheduled' as const],
        });
        expect(
          await s.settleJobs(
            'req-jd',
            [done(0)],
            [{ id: j0!.id, patch: { state: 'done', polls: 1 } }],
            T0 + 1,
          ),
        ).toBe(1);
        expect((await s.getItem('req-jd', 0))!.state).toBe('done');
        expect((await s.listJobs('req-jd'))[0]).toMatchObject({ state: 'done', polls: 1 });
        // A failing job write leaves the item as it was.
        await expect(
          s.settleJobs(
            'req-jd',
            [done(1)],
            [{ id: j1!.id, patch: { state: null as unknown as 'done' } }],
            T0 + 2,
          ),
        ).rejects.toThrow();
        expect((await s.getItem('req-jd', 1))!.state).toBe('scheduled');
        expect(await s.settleJobs('req-jd', [], [], T0)).toBe(0);
      });

      it('creates many jobs in one write', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-jm'), []);
        await s.scheduleItems(
          'req-jm',
          Array.from({ length: 2_500 }, (_, i) => newJob('req-jm', i, T0 + (i % 10))),
          [],
        );
        expect(await s.listJobs('req-jm')).toHaveLength(2_500);
        expect(await s.listDueJobs(T0, 1_000)).toHaveLength(250);
      });
    });

    describe('alerts', () => {
      it('snoozes only an alert that is still firing (one conditional update)', async () => {
        const s = await fresh();
        await s.upsertAlert(alert('territory_deleted:7'));
        const snoozed = await s.setAlertSnooze('territory_deleted:7', T0 + 60_000, 'U0OPS0001', T0 + 1);
        expect(snoozed).toMatchObject({ state: 'firing', snoozedUntil: T0 + 60_000, snoozedBy: 'U0OPS0001' });
        await s.upsertAlert({
          ...snoozed!,
          state: 'resolved',
          resolvedAt: T0 + 2,
          snoozedUntil: null,
          snoozedBy: null,
        });
        expect(await s.setAlertSnooze('territory_deleted:7', T0 + 90_000, 'U0OPS0001', T0 + 3)).toBeNull();
        expect(await s.getAlert('territory_deleted:7')).toMatchObject({
          state: 'resolved',
          snoozedUntil: null,
        });
        expect(await s.setAlertSnooze('nope', null, null, T0)).toBeNull();
      });

      it('inserts, updates in place and filters by state', async () => {
        const s = await fresh();
        expect(await s.getAlert('territory_deleted:1')).toBeNull();
        const a = alert('territory_deleted:1');
        await s.upsertAlert(a);
        expect(await s.getAlert('territory_deleted:1')).toEqual(a);

        const b = alert('api_user_outside_hierarchy', {
          kind: 'api_user_outside_hierarchy',
          territoryId: null,
          severity: 'warning',
          startsAt: T0 + 1,
        });
        await s.upsertAlert(b);
        const changed = {
          ...a,
          contentHash: 'h2',
          details: { steps: ['x'], held: ['territory_deleted:2'] },
          lastNotifiedAt: T0 + 5,
          channel: 'C0OPS0001',
          ts: '1767258000.000100',
          inhibitedBy: 'api_user_outside_hierarchy',
          snoozedUntil: T0 + 3_600_000,
          snoozedBy: 'U0OPS0001',
          updatedAt: T0 + 5,
        };
        await s.upsertAlert(changed);
        expect(await s.getAlert('territory_deleted:1')).toEqual(changed);

        await s.upsertAlert({ ...b, state: 'resolved', resolvedAt: T0 + 9, updatedAt: T0 + 9 });
        expect((await s.listAlerts()).map((x) => x.fingerprint)).toEqual([
          'territory_deleted:1',
          'api_user_outside_hierarchy',
        ]);
        expect((await s.listAlerts({ states: ['firing'] })).map((x) => x.fingerprint)).toEqual([
          'territory_deleted:1',
        ]);
        expect(await s.listAlerts({ states: ['resolved'] })).toEqual([
          { ...b, state: 'resolved', resolvedAt: T0 + 9, updatedAt: T0 + 9 },
        ]);
        expect(await s.listAlerts({ states: [] })).toEqual([]);
      });
    });

    describe('audit', () => {
      it('appends and filters entries, oldest first unless asked otherwise', async () => {
        const s = await fresh();
        await s.appendAudit({
          at: T0,
          actor: 'U1',
          action: 'request.created',
          requestId: 'r1',
          data: { n: 2 },
        });
        await s.appendAudit({
          at: T0 + 1,
          actor: 'U2',
          action: 'request.approved',
          requestId: 'r1',
          data: {},
        });
        await s.appendAudit({
          at: T0 + 2,
          actor: 'monitor',
          action: 'alert.firing',
          requestId: null,
          data: { fingerprint: 'territory_deleted:1', territoryId: territoryId(1) },
        });
        await s.appendAudit({
          at: T0 + 3,
          actor: 'system',
          action: 'item.outcome',
          requestId: 'r1',
          data: { recordId: recordId(1), code: 'SCHEDULED' },
        });

        expect((await s.listAudit()).map((e) => e.action)).toEqual([
          'request.created',
          'request.approved',
          'alert.firing',
          'item.outcome',
        ]);
        expect((await s.listAudit({ requestId: 'r1' })).map((e) => e.at)).toEqual([T0, T0 + 1, T0 + 3]);
        expect(await s.listAudit({ action: 'alert.firing' })).toEqual([
          {
            at: T0 + 2,
            actor: 'monitor',
            action: 'alert.firing',
            requestId: null,
            data: { fingerprint: 'territory_deleted:1', territoryId: territoryId(1) },
          },
        ]);
        expect((await s.listAudit({ requestId: 'r1', limit: 2 })).map((e) => e.action)).toEqual([
          'request.created',
          'request.approved',
        ]);
        expect((await s.listAudit({ requestId: 'r1', limit: 1, order: 'desc' }))[0]?.data).toEqual({
          recordId: recordId(1),
          code: 'SCHEDULED',
        });
      });
    });

    describe('message refs', () => {
      it('saves, overwrites and lists by exact prefix', async () => {
        const s = await fresh();
        await s.saveMessageRef('request:r1:parent', { channel: 'C1', ts: '1.000001' });
        await s.saveMessageRef('request:r1:approval:U1', { channel: 'D1', ts: '1.000002' });
        await s.saveMessageRef('request:r1:approval:U2', { channel: 'D2', ts: '1.000003' });
        await s.saveMessageRef('request:r10:approval:U1', { channel: 'D1', ts: '1.000004' });
        await s.saveMessageRef('alert:territory_deleted:1', { channel: 'C0OPS', ts: '1.000005' });
        await s.saveMessageRef('alert:territoryXdeleted:1', { channel: 'C0OPS', ts: '1.000006' });
        await s.saveMessageRef('ALERT:territory_deleted:1', { channel: 'C0OPS', ts: '1.000007' });

        expect(await s.getMessageRef('request:r1:parent')).toEqual({ channel: 'C1', ts: '1.000001' });
        expect(await s.getMessageRef('request:r2:parent')).toBeNull();
        await s.saveMessageRef('request:r1:parent', { channel: 'C1', ts: '2.000001' });
        expect(await s.getMessageRef('request:r1:parent')).toEqual({ channel: 'C1', ts: '2.000001' });

        expect(await s.listMessageRefs('request:r1:approval:')).toEqual([
          { key: 'request:r1:approval:U1', channel: 'D1', ts: '1.000002' },
          { key: 'request:r1:approval:U2', channel: 'D2', ts: '1.000003' },
        ]);
        expect((await s.listMessageRefs('request:r1')).map((r) => r.key)).toEqual([
          // Code-unit order whatever the database collation: '0' (0x30) sorts before ':' (0x3a).
          'request:r10:approval:U1',
          'request:r1:approval:U1',
          'request:r1:approval:U2',
          'request:r1:parent',
        ]);
        // `_` and `%` are literal, and case matters, in both dialects.
        expect((await s.listMessageRefs('alert:territory_')).map((r) => r.key)).toEqual([
          'alert:territory_deleted:1',
        ]);
        expect(await s.listMessageRefs('alert:%')).toEqual([]);
        expect(await s.listMessageRefs('nothing')).toEqual([]);
      });
    });

    describe('leases', () => {
      it('gives the lease to one holder until it expires, renews for the holder, and frees on release', async () => {
        const s1 = await fresh();
        const s2 = (await again()) ?? s1;
        expect(await s1.acquireLease('monitor', 'replica-a', 60_000, T0)).toBe(true);
        expect(await s2.acquireLease('monitor', 'replica-b', 60_000, T0 + 1)).toBe(false);
        // Renewal by the holder extends the lease.
        expect(await s1.acquireLease('monitor', 'replica-a', 60_000, T0 + 30_000)).toBe(true);
        expect(await s2.acquireLease('monitor', 'replica-b', 60_000, T0 + 60_000)).toBe(false);
        // Expired (90 s after the renewal's expiry point): the other replica takes over.
        expect(await s2.acquireLease('monitor', 'replica-b', 60_000, T0 + 90_000)).toBe(true);
        expect(await s1.acquireLease('monitor', 'replica-a', 60_000, T0 + 90_001)).toBe(false);
        // Releasing someone else's lease does nothing.
        await s1.releaseLease('monitor', 'replica-a');
        expect(await s1.acquireLease('monitor', 'replica-a', 60_000, T0 + 90_002)).toBe(false);
        await s2.releaseLease('monitor', 'replica-b');
        expect(await s1.acquireLease('monitor', 'replica-a', 60_000, T0 + 90_003)).toBe(true);
        // Leases are independent by name.
        expect(await s2.acquireLease('poller', 'replica-b', 60_000, T0 + 90_003)).toBe(true);
      });

      it('never lets two racing holders both win', async () => {
        const s1 = await fresh();
        const s2 = (await again()) ?? s1;
        for (let round = 0; round < 5; round += 1) {
          const now = T0 + round * 120_000; // each round starts after the previous lease expired
          const results = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              (i % 2 === 0 ? s1 : s2).acquireLease('monitor', `replica-${i}`, 60_000, now),
            ),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
        }
      });
    });

    describe('outbox', () => {
      it('writes notices with a transition only when it wins, once per key', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-o', { itemCount: 1 }), newItems(1), ['parent']);
        const won = await s.transitionRequest('req-o', ['pending_approval'], 'approved', {}, T0 + 1, [
          'decision',
          'progress',
        ]);
        expect(won?.state).toBe('approved');
        const lost = await s.transitionRequest('req-o', ['pending_approval'], 'rejected', {}, T0 + 2, [
          'decision',
          'final',
        ]);
        expect(lost).toBeNull();
        await s.enqueueNotices('req-o', ['parent', 'decision'], T0 + 3);
        const notices = await s.listNotices('req-o');
        expect(notices.map((n) => [n.key, n.kind, n.state])).toEqual([
          ['request:req-o:parent', 'parent', 'pending'],
          ['request:req-o:decision', 'decision', 'pending'],
          ['request:req-o:progress:1', 'progress', 'pending'],
        ]);
      });

      it('coalesces progress while a pending one is untouched, and adds the next once it is taken', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-p', { itemCount: 1 }), newItems(1));
        await s.enqueueNotices('req-p', ['progress'], T0);
        await s.enqueueNotices('req-p', ['progress'], T0 + 1);
        let progress = (await s.listNotices('req-p')).filter((n) => n.kind === 'progress');
        expect(progress).toHaveLength(1);
        await s.updateNotice(progress[0]!.id, { attempts: 1 }, T0 + 2);
        await s.enqueueNotices('req-p', ['progress'], T0 + 3);
        await s.enqueueNotices('req-p', ['progress'], T0 + 4);
        progress = (await s.listNotices('req-p')).filter((n) => n.kind === 'progress');
        expect(progress.map((n) => n.key)).toEqual(['request:req-p:progress:1', 'request:req-p:progress:2']);
      });

      it('lets the final reply supersede a progress edit still waiting, even one held back for its interval', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-f', { itemCount: 1 }), newItems(1), ['parent']);
        const [parent] = await s.listNotices('req-f');
        await s.updateNotice(parent!.id, { state: 'sent', channel: 'C1', ts: '1.000100' }, T0);
        await s.enqueueNotices('req-f', ['progress'], T0);
        const [, progress] = await s.listNotices('req-f');
        // The worker held it back: the parent was edited less than a second ago.
        await s.updateNotice(progress!.id, { notBefore: T0 + 1_000 }, T0);
        expect(
          await s.transitionRequest('req-f', ['pending_approval'], 'done', {}, T0 + 1, ['final']),
        ).not.toBeNull();
        const notices = await s.listNotices('req-f');
        expect(notices.map((n) => [n.kind, n.state])).toEqual([
          ['parent', 'sent'],
          ['progress', 'superseded'],
          ['final', 'pending'],
        ]);
        const due = (await s.listDueNotices(T0 + 1, 100)).filter((n) => n.requestId === 'req-f');
        expect(due.map((n) => n.kind)).toEqual(['final']);
      });

      it('lists the first pending notice of each request when due, and remembers where one went', async () => {
        const s = await fresh();
        await s.createRequest(newRequest('req-a', { itemCount: 1 }), newItems(1), ['parent']);
        await s.createRequest(newRequest('req-b', { itemCount: 1 }), newItems(1), ['parent']);
        await s.enqueueNotices('req-a', ['final'], T0);
        const mine = <N extends { requestId: string }>(list: N[]) =>
          list.filter((n) => n.requestId === 'req-a' || n.requestId === 'req-b');
        let due = mine(await s.listDueNotices(T0, 100));
        expect(due.map((n) => n.key)).toEqual(['request:req-a:parent', 'request:req-b:parent']);
        const [a, b] = due;
        const backlog = await s.countPendingNotices();
        expect(backlog).toBeGreaterThanOrEqual(3);
        await s.updateNotice(b!.id, { notBefore: T0 + 5_000, lastError: 'ratelimited', attempts: 1 }, T0);
        await s.updateNotice(
          a!.id,
          {
            state: 'sent',
            channel: 'C1',
            ts: '1.000100',
            inflight: { marker: 'm', channel: 'C1', threadTs: null, since: T0 },
          },
          T0,
        );
        due = mine(await s.listDueNotices(T0, 100));
        expect(due.map((n) => n.key)).toEqual(['request:req-a:final']);
        // The posted notice leaves the backlog; the delayed one is still in it.
        expect(await s.countPendingNotices()).toBe(backlog - 1);
        expect(await s.nextNoticeAt()).toBeLessThanOrEqual(T0);
        const sent = (await s.listNotices('req-a'))[0]!;
        expect(sent).toMatchObject({
          state: 'sent',
          channel: 'C1',
          ts: '1.000100',
          inflight: { marker: 'm' },
        });
        expect((await s.listNotices('req-b'))[0]).toMatchObject({ attempts: 1, lastError: 'ratelimited' });
      });

      it('claims an inbound delivery once within the window', async () => {
        const s = await fresh();
        expect(await s.claimInbound('event:Ev1', T0, 60_000)).toBe(true);
        expect(await s.claimInbound('event:Ev1', T0 + 1_000, 60_000)).toBe(false);
        expect(await s.claimInbound('event:Ev2', T0 + 1_000, 60_000)).toBe(true);
        // Past the window the old key is forgotten (pruned, or taken over when not pruned yet).
        expect(await s.claimInbound('event:Ev1', T0 + 120_000, 60_000)).toBe(true);
        expect(await s.claimInbound('event:Ev1', T0 + 121_000, 60_000)).toBe(false);
        expect(await s.claimInbound('event:Ev2', T0 + 121_500, 60_000)).toBe(true);
        expect(await s.claimInbound('event:Ev2', T0 + 122_000, 60_000)).toBe(false);
      });

      it('claims deliveries arriving together in one statement, a key twice only once', async () => {
        const s = await fresh();
        expect(await s.claimInbound('command:T0', T0, 60_000)).toBe(true);
        const claims = await Promise.all([
          s.claimInbound('command:T1', T0 + 1, 60_000),
          s.claimInbound('command:T0', T0 + 1, 60_000),
          s.claimInbound('command:T2', T0 + 2, 60_000),
          s.claimInbound('command:T1', T0 + 2, 60_000),
          ...Array.from({ length: 600 }, (_, i) => s.claimInbound(`command:B${i}`, T0 + 3, 60_000)),
        ]);
        expect(claims.slice(0, 4)).toEqual([true, false, true, false]);
        expect(claims.slice(4).every((c) => c)).toBe(true);
        expect(await s.claimInbound('command:B599', T0 + 4, 60_000)).toBe(false);
      });
    });

    describe('monitor runs and settings', () => {
      it('keeps the last completed run', async () => {
        const s = await fresh();
        expect(await s.lastMonitorRun()).toBeNull();
        await s.recordMonitorRun({
          startedAt: T0,
          finishedAt: T0 + 900,
          ok: true,
          outcome: '12 territories checked, 0 alerts firing',
          details: { checked: 12 },
        });
        await s.recordMonitorRun({
          startedAt: T0 + 900_000,
          finishedAt: T0 + 901_000,
          ok: false,
          outcome: 'OAuth refresh failed',
          details: { error: 'invalid_client' },
        });
        const last = await s.lastMonitorRun();
        expect(last).toMatchObject({
          startedAt: T0 + 900_000,
          finishedAt: T0 + 901_000,
          ok: false,
          outcome: 'OAuth refresh failed',
          details: { error: 'invalid_client' },
        });
        expect(typeof last?.id).toBe('number');
      });

      it('gets and overwrites settings', async () => {
        const s = await fresh();
        expect(await s.getSetting('catalog.fetchedAt')).toBeNull();
        await s.setSetting('catalog.fetchedAt', String(T0));
        await s.setSetting('sandbox.user', 'U0REP0001');
        await s.setSetting('catalog.fetchedAt', String(T0 + 1));
        expect(await s.getSetting('catalog.fetchedAt')).toBe(String(T0 + 1));
        expect(await s.getSetting('sandbox.user')).toBe('U0REP0001');
        await s.setSetting('empty', '');
        expect(await s.getSetting('empty')).toBe('');
      });
    });

    defineAuditStoreCases(fresh);

    describe('App Home openers', () => {
      it('remembers who opened Home, latest time wins, and filters by user', async () => {
        const s = await fresh();
        expect(await s.listHomeOpeners()).toEqual([]);
        await s.recordHomeOpened('U2', T0);
        await s.recordHomeOpened('U1', T0 + 1);
        await s.recordHomeOpened('U2', T0 + 5);
        expect(await s.listHomeOpeners()).toEqual([
          { userId: 'U1', openedAt: T0 + 1 },
          { userId: 'U2', openedAt: T0 + 5 },
        ]);
        expect(await s.listHomeOpeners(['U2', 'U3', 'U2'])).toEqual([{ userId: 'U2', openedAt: T0 + 5 }]);
        expect(await s.listHomeOpeners([])).toEqual([]);
      });
    });

    it('reports its dialect', async () => {
      const s = await fresh();
      expect(['sqlite', 'postgres']).toContain(s.dialect);
    });

    it('keeps data across a reopen when the database outlives the connection', async () => {
      const s1 = await fresh();
      await s1.createRequest(newRequest('req-keep', { itemCount: 2 }), newItems(2));
      await s1.setSetting('k', 'v');
      if (!harness().again) return; // sqlite::memory: has nothing to reopen
      await s1.close();
      const s2 = (await again())!;
      expect((await s2.getRequest('req-keep'))?.itemCount).toBe(2);
      expect((await s2.listItems('req-keep')).map((i) => i.recordId)).toEqual([recordId(0), recordId(1)]);
      expect(await s2.getSetting('k')).toBe('v');
    });
  });
}

/** The clock every harness injects, so "no time given" is checkable. */
export const CLOCK_NOW = T0 + 123_456;
