/**
 * Store cases for the audit export, retention and the /metrics counts (part of the shared Store
 * suite: runs on SQLite and PostgreSQL).
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/core/store/types.js';
import { alert, newItems, newRequest, recordId, T0, territoryId } from './fixtures.js';

const DAY = 86_400_000;

export function defineAuditStoreCases(fresh: () => Promise<Store>): void {
  describe('audit trail export', () => {
    /** rep1 asked r1 (records 0,1) and r3 (record 5); rep2 asked r2 (records 1,2); a draft of rep2. */
    async function seeded(): Promise<Store> {
      const s = await fresh();
      await s.createRequest(
        newRequest('r1', { itemCount: 2, requesterId: 'UREP1', createdAt: T0 }),
        newItems(2),
      );
      await s.createRequest(
        newRequest('r2', { itemCount: 2, requesterId: 'UREP2', createdAt: T0 + DAY }),
        newItems(2, 1),
      );
      await s.createRequest(
        newRequest('r3', { itemCount: 1, requesterId: 'UREP1', createdAt: T0 + 2 * DAY }),
        newItems(1, 5),
      );
      await s.createRequest(
        newRequest('d1', { itemCount: 1, state: 'draft', requesterId: 'UREP2', createdAt: T0 + DAY }),
        newItems(1, 0),
      );
      await s.transitionRequest('r2', ['pending_approval'], 'approved', {
        decidedBy: 'UBOSS',
        decidedAt: T0 + DAY + 60_000,
        decisionComment: 'ok',
      });
      await s.updateItem('r2', 1, { state: 'done', after: [territoryId(9)] }, undefined, T0 + DAY + 120_000);
      return s;
    }
    const keys = (rows: Array<{ requestId: string; seq: number }>) =>
      rows.map((r) => `${r.requestId}#${r.seq}`);

    it('lists every record of every submitted request in creation order, never drafts', async () => {
      const s = await seeded();
      const rows = await s.listAuditTrail({ limit: 100 });
      expect(keys(rows)).toEqual(['r1#0', 'r1#1', 'r2#1', 'r2#2', 'r3#5']);
      expect(rows[3]).toMatchObject({
        requestId: 'r2',
        requesterId: 'UREP2',
        decidedBy: 'UBOSS',
        decisionComment: 'ok',
        recordId: recordId(2),
        module: 'Deals',
        action: 'assign',
        requestState: 'approved',
      });
      expect(rows[2]).toMatchObject({
        itemState: 'done',
        after: [territoryId(9)],
        updatedAt: T0 + DAY + 120_000,
      });
    });

    it('filters by requester, record and time, and pages by keyset', async () => {
      const s = await seeded();
      expect(keys(await s.listAuditTrail({ requesterId: 'UREP1', limit: 100 }))).toEqual([
        'r1#0',
        'r1#1',
        'r3#5',
      ]);
      expect(
        keys(await s.listAuditTrail({ record: { module: 'Deals', recordId: recordId(1) }, limit: 100 })),
      ).toEqual(['r1#1']);
      expect(keys(await s.listAuditTrail({ since: T0 + DAY, limit: 100 }))).toEqual(['r2#1', 'r2#2', 'r3#5']);
      const first = await s.listAuditTrail({ limit: 2 });
      const last = first.at(-1)!;
      const next = await s.listAuditTrail({
        limit: 2,
        after: { createdAt: last.createdAt, requestId: last.requestId, seq: last.seq },
      });
      expect([...keys(first), ...keys(next)]).toEqual(['r1#0', 'r1#1', 'r2#1', 'r2#2']);
    });

    it('shows a non-admin their own requests and the changes to records those touched', async () => {
      const s = await seeded();
      // recordId(1) is a Deal in r1 (seq 1) but a Lead in r2 (seq 1): not the same record.
      expect(keys(await s.listAuditTrail({ visibleTo: 'UREP1', limit: 100 }))).toEqual([
        'r1#0',
        'r1#1',
        'r3#5',
      ]);
      // rep2's draft does not make r1's record 0 theirs.
      expect(keys(await s.listAuditTrail({ visibleTo: 'UREP2', limit: 100 }))).toEqual(['r2#1', 'r2#2']);
      await s.createRequest(
        newRequest('r4', { itemCount: 1, requesterId: 'UREP2', createdAt: T0 + 3 * DAY }),
        newItems(1, 5),
      );
      // r4 touches record 5, so rep2 now sees r3's change to it too.
      expect(keys(await s.listAuditTrail({ visibleTo: 'UREP2', limit: 100 }))).toEqual([
        'r2#1',
        'r2#2',
        'r3#5',
        'r4#5',
      ]);
    });
  });

  describe('retention prune', () => {
    it('deletes old audit rows, old resolved alerts and old drafts, and nothing else', async () => {
      const s = await fresh();
      const cutoff = T0 + 10 * DAY;
      for (const at of [T0, T0 + DAY, cutoff, cutoff + DAY]) {
        await s.appendAudit({ at, actor: 'U1', action: 'request.created', requestId: 'x', data: {} });
      }
      await s.upsertAlert(alert('old-resolved', { state: 'resolved', resolvedAt: T0 }));
      await s.upsertAlert(alert('new-resolved', { state: 'resolved', resolvedAt: cutoff + 1 }));
      await s.upsertAlert(alert('old-firing', { state: 'firing', startsAt: T0 }));
      await s.createRequest(
        newRequest('old-draft', { state: 'draft', itemCount: 2, createdAt: T0 }),
        newItems(2),
      );
      await s.createRequest(
        newRequest('new-draft', { state: 'draft', itemCount: 1, createdAt: cutoff + 5 }),
        newItems(1),
      );
      await s.createRequest(
        newRequest('old-done', { state: 'done', itemCount: 1, createdAt: T0 }),
        newItems(1),
      );

      expect(await s.pruneBefore(cutoff)).toEqual({ auditRows: 2, resolvedAlerts: 1, drafts: 1 });
      expect((await s.listAudit()).map((e) => e.at)).toEqual([cutoff, cutoff + DAY]);
      expect((await s.listAlerts()).map((a) => a.fingerprint).sort()).toEqual(['new-resolved', 'old-firing']);
      expect(await s.getRequest('old-draft')).toBeNull();
      expect(await s.listItems('old-draft')).toEqual([]);
      expect(await s.getRequest('new-draft')).not.toBeNull();
      expect(await s.listItems('old-done')).toHaveLength(1);
      expect(await s.pruneBefore(cutoff)).toEqual({ auditRows: 0, resolvedAlerts: 0, drafts: 0 });
    });
  });

  describe('counts for /metrics', () => {
    it('counts requests by state, alerts by state and finds the last successful monitor run', async () => {
      const s = await fresh();
      expect(await s.countRequestsByState()).toEqual({});
      expect(await s.lastMonitorSuccessAt()).toBeNull();
      await s.createRequest(newRequest('a', { state: 'done' }), []);
      await s.createRequest(newRequest('b', { state: 'done' }), []);
      await s.createRequest(newRequest('c'), []);
      expect(await s.countRequestsByState()).toEqual({ done: 2, pending_approval: 1 });
      await s.upsertAlert(alert('f1'));
      await s.upsertAlert(alert('f2'));
      await s.upsertAlert(alert('r1', { state: 'resolved', resolvedAt: T0 }));
      expect(await s.countAlerts('firing')).toBe(2);
      expect(await s.countAlerts('resolved')).toBe(1);
      await s.recordMonitorRun({ startedAt: T0, finishedAt: T0 + 5, ok: true, outcome: 'ok', details: {} });
      await s.recordMonitorRun({
        startedAt: T0 + 10,
        finishedAt: T0 + 15,
        ok: false,
        outcome: 'x',
        details: {},
      });
      expect(await s.lastMonitorSuccessAt()).toBe(T0 + 5);
    });
  });
}
