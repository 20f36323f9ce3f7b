import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApprovalPolicy,
  ApprovalService,
  type GroupDirectory,
} from '../../../src/core/approvals/index.js';
import { ManualClock } from '../../../src/core/clock.js';
import type { RequestNotifier } from '../../../src/core/notify.js';
import { openStore } from '../../../src/core/store/index.js';
import type { RequestState, Store } from '../../../src/core/store/types.js';

const HOUR = 60 * 60 * 1000;
const REC = (i: number) => String(3652397000001000000n + BigInt(i));

const policy: ApprovalPolicy = {
  approverUserIds: ['UMGR1', 'UMGR2', 'UMGR3'],
  approverUsergroup: 'SAPPROVERS',
  requesterUsergroup: null,
  opsUserIds: ['UOPS'],
  approvalThreshold: 1,
  approvalTtlHours: 72,
};

class RecordingNotifier implements RequestNotifier {
  calls: Array<[string, string]> = [];
  failing = false;
  private rec(kind: string, id: string) {
    this.calls.push([kind, id]);
    if (this.failing) return Promise.reject(new Error('slack is down'));
    return Promise.resolve();
  }
  requestCreated = (id: string) => this.rec('requestCreated', id);
  requestUpdated = (id: string) => this.rec('requestUpdated', id);
  requestFinished = (id: string) => this.rec('requestFinished', id);
  approvalRequested = (id: string) => this.rec('approvalRequested', id);
  approvalDecided = (id: string) => this.rec('approvalDecided', id);
  kinds(): string[] {
    return this.calls.map(([k]) => k);
  }
}

function directory(groups: Record<string, string[]>): GroupDirectory & { calls: number; fail: boolean } {
  const d = {
    calls: 0,
    fail: false,
    async members(id: string) {
      d.calls++;
      if (d.fail) throw new Error('usergroups.users.list failed');
      return groups[id] ?? [];
    },
  };
  return d;
}

let seq = 0;
async function createRequest(
  store: Store,
  clock: ManualClock,
  opts: { state?: RequestState; itemCount?: number; requesterId?: string; expiresAt?: number | null } = {},
) {
  const id = `req-${++seq}`;
  const itemCount = opts.itemCount ?? 3;
  await store.createRequest(
    {
      id,
      kind: 'bulk',
      state: opts.state ?? 'draft',
      requesterId: opts.requesterId ?? 'UREP',
      originChannelId: 'CSALES',
      reason: 'Q3 re-territory',
      itemCount,
      summary: {},
      createdAt: clock.now(),
      expiresAt: opts.expiresAt ?? null,
    },
    Array.from({ length: itemCount }, (_, i) => ({
      seq: i,
      lineNo: i + 1,
      module: 'Leads' as const,
      recordId: REC(i),
      action: 'assign' as const,
      territoryIds: ['3652397000000100003'],
      removeTerritoryIds: [],
      before: [],
    })),
  );
  return id;
}

describe('ApprovalService', () => {
  let store: Store;
  let clock: ManualClock;
  let notifier: RecordingNotifier;
  let dir: ReturnType<typeof directory>;
  let started: string[];
  let service: ApprovalService;

  function build(overrides: Partial<ApprovalPolicy> = {}, onApproved?: (id: string) => Promise<void>) {
    return new ApprovalService({
      store,
      notifier,
      clock,
      policy: { ...policy, ...overrides },
      directory: dir,
      starter: {
        start:
          onApproved ??
          (async (id) => {
            started.push(id);
          }),
      },
    });
  }

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 23, 12));
    store = await openStore('sqlite::memory:', { clock });
    notifier = new RecordingNotifier();
    dir = directory({ SAPPROVERS: ['UGRPMGR'], SREPS: ['UREP'] });
    started = [];
    service = build();
  });

  afterEach(async () => {
    await store.close();
  });

  describe('submit', () => {
    it('puts a list above the threshold into pending approval with the TTL', async () => {
      const id = await createRequest(store, clock, { itemCount: 5 });
      const r = await service.submit(id, 'UREP');
      expect(r.ok).toBe(true);
      const req = (await store.getRequest(id))!;
      expect(req.state).toBe('pending_approval');
      expect(req.expiresAt).toBe(clock.now() + 72 * HOUR);
      expect(notifier.kinds()).toEqual(['approvalRequested', 'requestUpdated']);
      expect(started).toEqual([]);
      const audit = await store.listAudit({ requestId: id });
      expect(audit.map((a) => a.action)).toEqual(['request.submitted']);
      expect(audit[0]).toMatchObject({ actor: 'UREP', data: { itemCount: 5, needsApproval: true } });
    });

    it('approves a single record at once and starts it', async () => {
      const id = await createRequest(store, clock, { itemCount: 1 });
      const r = await service.submit(id, 'UREP');
      expect(r.ok && r.request.state).toBe('approved');
      expect(started).toEqual([id]);
      expect(notifier.kinds()).toEqual(['requestUpdated']);
      const actions = (await store.listAudit({ requestId: id })).map((a) => a.action);
      expect(actions.sort()).toEqual(['request.auto_approved', 'request.submitted']);
    });

    it('refuses an empty request', async () => {
      const id = await createRequest(store, clock, { itemCount: 0 });
      expect(await service.submit(id, 'UREP')).toMatchObject({ ok: false, reason: 'not_allowed' });
      expect(started).toEqual([]);
    });

    it('uses the configured threshold', async () => {
      const svc = build({ approvalThreshold: 10 });
      const id = await createRequest(store, clock, { itemCount: 10 });
      expect((await svc.submit(id, 'UREP')).ok).toBe(true);
      expect((await store.getRequest(id))!.state).toBe('approved');
      const id2 = await createRequest(store, clock, { itemCount: 11 });
      await svc.submit(id2, 'UREP');
      expect((await store.getRequest(id2))!.state).toBe('pending_approval');
    });

    it('refuses someone else, a second submit, and a missing request, auditing each', async () => {
      const id = await createRequest(store, clock, { itemCount: 5 });
      expect(await service.submit(id, 'UMGR1')).toMatchObject({ ok: false, reason: 'not_requester' });
      expect((await service.submit(id, 'UREP')).ok).toBe(true);
      const again = await service.submit(id, 'UREP');
      expect(again).toMatchObject({ ok: false, reason: 'not_allowed' });
      expect(!again.ok && again.message).toBe(
        'This request is waiting for approval, so it cannot be submitted.',
      );
      expect(await service.submit('nope', 'UREP')).toMatchObject({ ok: false, reason: 'not_found' });
      const refused = await store.listAudit({ action: 'request.refused' });
      expect(refused).toHaveLength(3);
      expect(refused.map((a) => a.data.reason).sort()).toEqual(['not_allowed', 'not_found', 'not_requester']);
    });

    it('checks the requester group', async () => {
      const svc = build({ requesterUsergroup: 'SREPS' });
      const ok = await createRequest(store, clock, { itemCount: 1 });
      expect((await svc.submit(ok, 'UREP')).ok).toBe(true);
      const other = await createRequest(store, clock, { itemCount: 1, requesterId: 'UOUTSIDER' });
      expect(await svc.submit(other, 'UOUTSIDER')).toMatchObject({ ok: false, reason: 'not_requester' });
      dir.fail = true;
      const third = await createRequest(store, clock, { itemCount: 1 });
      expect(await svc.submit(third, 'UREP')).toMatchObject({ ok: false, reason: 'unavailable' });
      expect((await store.getRequest(third))!.state).toBe('draft');
    });

    it('refuses a list that needs approval when no approver is configured', async () => {
      const svc = build({ approverUserIds: [], approverUsergroup: null });
      const id = await createRequest(store, clock, { itemCount: 2 });
      const r = await svc.submit(id, 'UREP');
      expect(r).toMatchObject({ ok: false, reason: 'not_allowed' });
      expect(!r.ok && r.message).toMatch(/no approvers are configured/);
      expect((await store.getRequest(id))!.state).toBe('draft');
    });

    it('keeps the approval when starting the request fails, and audits the failure', async () => {
      const svc = build({}, async () => {
        throw new Error('engine not ready');
      });
      const id = await createRequest(store, clock, { itemCount: 1 });
      expect((await svc.submit(id, 'UREP')).ok).toBe(true);
      expect((await store.getRequest(id))!.state).toBe('approved');
      const failed = await store.listAudit({ requestId: id, action: 'request.start_failed' });
      expect(failed[0]!.data).toEqual({ error: 'engine not ready' });
    });
  });

  describe('decide', () => {
    async function pending(itemCount = 5) {
      const id = await createRequest(store, clock, { itemCount });
      await service.submit(id, 'UREP');
      notifier.calls = [];
      return id;
    }

    it('approves: records who, when and the comment, notifies and starts', async () => {
      const id = await pending();
      clock.advance(HOUR);
      const r = await service.decide(id, 'UMGR1', 'approve', '  looks good  ');
      expect(r.ok).toBe(true);
      const req = (await store.getRequest(id))!;
      expect(req).toMatchObject({
        state: 'approved',
        decidedBy: 'UMGR1',
        decidedAt: clock.now(),
        decisionComment: 'looks good',
      });
      expect(started).toEqual([id]);
      expect(notifier.kinds()).toEqual(['approvalDecided', 'requestUpdated']);
      const audit = await store.listAudit({ requestId: id, action: 'request.approved' });
      expect(audit[0]).toMatchObject({ actor: 'UMGR1', data: { comment: 'looks good' } });
    });

    it('rejects without starting', async () => {
      const id = await pending();
      const r = await service.decide(id, 'UGRPMGR', 'reject', 'wrong quarter');
      expect(r.ok && r.request.state).toBe('rejected');
      expect(started).toEqual([]);
      expect((await store.getRequest(id))!.decisionComment).toBe('wrong quarter');
    });

    it('never lets the requester approve their own request, even an approver', async () => {
      const id = await createRequest(store, clock, { itemCount: 5, requesterId: 'UMGR1' });
      await service.submit(id, 'UMGR1');
      const r = await service.decide(id, 'UMGR1', 'approve');
      expect(r).toMatchObject({ ok: false, reason: 'own_request' });
      expect((await store.getRequest(id))!.state).toBe('pending_approval');
      const refused = await store.listAudit({ requestId: id, action: 'request.refused' });
      expect(refused[0]).toMatchObject({
        actor: 'UMGR1',
        data: { attempt: 'approve', reason: 'own_request' },
      });
    });

    it('refuses non-approvers and checks group membership server-side', async () => {
      const id = await pending();
      expect(await service.decide(id, 'UOPS', 'approve')).toMatchObject({
        ok: false,
        reason: 'not_approver',
      });
      expect(await service.decide(id, 'UGRPMGR', 'approve')).toMatchObject({ ok: true });
    });

    it('does not ask Slack for the group when the user is a configured approver', async () => {
      const id = await pending();
      dir.fail = true;
      expect((await service.decide(id, 'UMGR2', 'approve')).ok).toBe(true);
      expect(dir.calls).toBe(0);
    });

    it('reports Slack being unavailable for group checks', async () => {
      const id = await pending();
      dir.fail = true;
      expect(await service.decide(id, 'UGRPMGR', 'approve')).toMatchObject({
        ok: false,
        reason: 'unavailable',
      });
      expect((await store.getRequest(id))!.state).toBe('pending_approval');
    });

    it('answers already_decided after a decision, and expired after expiry', async () => {
      const id = await pending();
      await service.decide(id, 'UMGR1', 'reject');
      const late = await service.decide(id, 'UMGR2', 'approve');
      expect(late).toMatchObject({ ok: false, reason: 'already_decided' });
      expect(!late.ok && late.message).toBe('This request has already been rejected.');
      expect(!late.ok && late.request?.decidedBy).toBe('UMGR1');
    });

    it('expires an overdue request on the spot instead of deciding it', async () => {
      const id = await pending();
      clock.advance(72 * HOUR);
      const r = await service.decide(id, 'UMGR1', 'approve');
      expect(r).toMatchObject({ ok: false, reason: 'expired' });
      expect((await store.getRequest(id))!.state).toBe('expired');
      expect(started).toEqual([]);
      expect(notifier.kinds()).toEqual(['approvalDecided', 'requestUpdated']);
      expect(await store.listAudit({ requestId: id, action: 'request.expired' })).toHaveLength(1);
    });

    it('refuses a missing request and a draft', async () => {
      expect(await service.decide('missing', 'UMGR1', 'approve')).toMatchObject({
        ok: false,
        reason: 'not_found',
      });
      const draft = await createRequest(store, clock);
      expect(await service.decide(draft, 'UMGR1', 'approve')).toMatchObject({
        ok: false,
        reason: 'not_allowed',
      });
    });

    it('two approvers deciding at once: exactly one decision', async () => {
      const id = await pending();
      const [a, b] = await Promise.all([
        service.decide(id, 'UMGR1', 'approve'),
        service.decide(id, 'UMGR2', 'reject'),
      ]);
      expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
      const loser = a.ok ? b : a;
      expect(loser).toMatchObject({ ok: false, reason: 'already_decided' });
      const req = (await store.getRequest(id))!;
      const winner = a.ok ? 'UMGR1' : 'UMGR2';
      expect(req.decidedBy).toBe(winner);
      expect(req.state).toBe(a.ok ? 'approved' : 'rejected');
      const decisions = (await store.listAudit({ requestId: id })).filter((e) =>
        ['request.approved', 'request.rejected'].includes(e.action),
      );
      expect(decisions).toHaveLength(1);
      expect(started).toEqual(a.ok ? [id] : []);
    });

    it('ten approvers racing to approve: one approval, one start', async () => {
      const approvers = Array.from({ length: 10 }, (_, i) => `UGRP${i}`);
      dir = directory({ SAPPROVERS: approvers });
      service = build();
      const id = await pending();
      const results = await Promise.all(approvers.map((u) => service.decide(id, u, 'approve')));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'already_decided')).toHaveLength(9);
      expect(started).toEqual([id]);
      expect(await store.listAudit({ requestId: id, action: 'request.approved' })).toHaveLength(1);
    });

    it('keeps the decision when Slack notifications fail', async () => {
      const id = await pending();
      notifier.failing = true;
      expect((await service.decide(id, 'UMGR1', 'approve')).ok).toBe(true);
      expect((await store.getRequest(id))!.state).toBe('approved');
      expect(started).toEqual([id]);
    });

    it('checkDecider lets the review modal open only for someone who may decide now', async () => {
      const id = await pending();
      expect((await service.checkDecider(id, 'UMGR1')).ok).toBe(true);
      expect(await service.checkDecider(id, 'UREP')).toMatchObject({ ok: false, reason: 'own_request' });
      expect((await store.getRequest(id))!.state).toBe('pending_approval');
    });
  });

  describe('decide across two processes', () => {
    let dirPath: string;
    beforeEach(() => {
      dirPath = mkdtempSync(join(tmpdir(), 'territory-bot-approvals-'));
    });
    afterEach(() => {
      rmSync(dirPath, { recursive: true, force: true });
    });

    it('first decision wins with two stores on one database file', async () => {
      const url = `sqlite:${join(dirPath, 'bot.db')}`;
      const s1 = await openStore(url, { clock });
      const s2 = await openStore(url, { clock });
      try {
        const startedBy: string[] = [];
        const mk = (s: Store, name: string) =>
          new ApprovalService({
            store: s,
            notifier,
            clock,
            policy,
            directory: dir,
            starter: {
              start: async () => {
                startedBy.push(name);
              },
            },
          });
        const id = await createRequest(s1, clock, { itemCount: 4 });
        const a = mk(s1, 'replica-1');
        const b = mk(s2, 'replica-2');
        expect((await a.submit(id, 'UREP')).ok).toBe(true);
        const results = await Promise.all([
          a.decide(id, 'UMGR1', 'approve'),
          b.decide(id, 'UMGR2', 'approve'),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(startedBy).toHaveLength(1);
        expect(await s2.listAudit({ requestId: id, action: 'request.approved' })).toHaveLength(1);
      } finally {
        await s1.close();
        await s2.close();
      }
    });
  });

  describe('cancel', () => {
    it('lets the requester cancel a pending request', async () => {
      const id = await createRequest(store, clock, { itemCount: 5 });
      await service.submit(id, 'UREP');
      notifier.calls = [];
      const r = await service.cancel(id, 'UREP');
      expect(r.ok && r.request.state).toBe('cancelled');
      expect(notifier.kinds()).toEqual(['approvalDecided', 'requestUpdated']);
      expect(await service.decide(id, 'UMGR1', 'approve')).toMatchObject({
        ok: false,
        reason: 'already_decided',
      });
      expect(await store.listAudit({ requestId: id, action: 'request.cancelled' })).toHaveLength(1);
    });

    it('lets the requester cancel a draft without an approval card update', async () => {
      const id = await createRequest(store, clock);
      expect((await service.cancel(id, 'UREP')).ok).toBe(true);
      expect(notifier.kinds()).toEqual(['requestUpdated']);
    });

    it('refuses others and requests already decided', async () => {
      const id = await createRequest(store, clock, { itemCount: 5 });
      await service.submit(id, 'UREP');
      expect(await service.cancel(id, 'UMGR1')).toMatchObject({ ok: false, reason: 'not_requester' });
      await service.decide(id, 'UMGR1', 'approve');
      const r = await service.cancel(id, 'UREP');
      expect(r).toMatchObject({ ok: false, reason: 'already_decided' });
      expect(!r.ok && r.message).toBe('This request was already approved, so it cannot be cancelled.');
      expect(await service.cancel('missing', 'UREP')).toMatchObject({ ok: false, reason: 'not_found' });
    });

    it('cancel racing an approval: exactly one wins', async () => {
      const id = await createRequest(store, clock, { itemCount: 5 });
      await service.submit(id, 'UREP');
      const [c, d] = await Promise.all([service.cancel(id, 'UREP'), service.decide(id, 'UMGR1', 'approve')]);
      expect([c.ok, d.ok].filter(Boolean)).toHaveLength(1);
      const state = (await store.getRequest(id))!.state;
      expect(state).toBe(c.ok ? 'cancelled' : 'approved');
      expect(started).toEqual(d.ok ? [id] : []);
    });
  });

  describe('expireDue', () => {
    it('expires pending requests past their expiry only, once', async () => {
      const early = await createRequest(store, clock, { itemCount: 5 });
      await service.submit(early, 'UREP');
      clock.advance(10 * HOUR);
      const late = await createRequest(store, clock, { itemCount: 5 });
      await service.submit(late, 'UREP');
      const approved = await createRequest(store, clock, { itemCount: 5 });
      await service.submit(approved, 'UREP');
      await service.decide(approved, 'UMGR1', 'approve');
      notifier.calls = [];

      clock.advance(62 * HOUR - 1);
      expect(await service.expireDue()).toEqual([]);
      clock.advance(1);
      const expired = await service.expireDue();
      expect(expired.map((r) => r.id)).toEqual([early]);
      expect((await store.getRequest(early))!.state).toBe('expired');
      expect((await store.getRequest(late))!.state).toBe('pending_approval');
      expect((await store.getRequest(approved))!.state).toBe('approved');
      expect(notifier.calls).toEqual([
        ['approvalDecided', early],
        ['requestUpdated', early],
      ]);
      expect(await service.expireDue()).toEqual([]);
      const audit = await store.listAudit({ requestId: early, action: 'request.expired' });
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actor).toBe('system');

      const tooLate = await service.decide(early, 'UMGR1', 'approve');
      expect(tooLate).toMatchObject({ ok: false, reason: 'expired' });
      expect(!tooLate.ok && tooLate.message).toMatch(/expired without a decision/);
    });

    it('two expiry sweeps at once expire each request once', async () => {
      const ids = [];
      for (let i = 0; i < 5; i++) {
        const id = await createRequest(store, clock, { itemCount: 5 });
        await service.submit(id, 'UREP');
        ids.push(id);
      }
      clock.advance(73 * HOUR);
      const [a, b] = await Promise.all([service.expireDue(), service.expireDue()]);
      expect([...a, ...b].map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(await store.listAudit({ action: 'request.expired' })).toHaveLength(5);
    });
  });

  it('canSnooze follows OPS_USER_IDS', () => {
    expect(service.canSnooze('UOPS').ok).toBe(true);
    expect(service.canSnooze('UMGR1').ok).toBe(false);
  });
});
