/**
 * A single change outlives a Zoho outage (issue 11 item 4): it is stored as asked (`checking`)
 * before its first Zoho read; the read and the checks of single-request.ts then either plan it
 * (`approved`, the engine sends it), refuse it (`refused`, the requester is answered at once),
 * or, when Zoho is down or throttling, put it to wait (`waiting_for_zoho`, the requester is
 * told it runs when Zoho is back). A waiting request is checked again with backoff until
 * ZOHO_WAIT_CEILING_MS after its first failed read; past that it fails with a clear message.
 */
import { requestLifecycle } from '../approvals/request-lifecycle.js';
import type { Clock } from '../clock.js';
import type { RequestFinisher } from '../jobs/request-finisher.js';
import type { Logger } from '../log.js';
import type { RequestRecord, Store } from '../store/types.js';
import type { TerritoryCatalog } from '../territories/index.js';
import { explainZohoError } from '../zoho/explain.js';
import type { ZohoApi } from '../zoho/types.js';
import { itemLifecycle } from './item-lifecycle.js';
import type { RequestProgress } from './progress.js';
import { type RetryPolicy, retryDelayMs } from './retry.js';
import {
  type AskedCheckOutcome,
  type AskedSingleInput,
  type SinglePolicy,
  type SinglePolicyDecision,
  ZOHO_UNAVAILABLE_CODE,
  type ZohoWait,
  zohoUnavailable,
} from './single-check-types.js';
import { prepareSingleChange, type SingleChangeResult, toSingleRequestInput } from './single-request.js';

export * from './single-check-types.js';

/** A `checking` request older than this was left by a stopped process: the sweep checks it. */
const STALE_CHECKING_MS = 60_000;

export interface SingleCheckDeps {
  store: Store;
  zoho: Pick<ZohoApi, 'getRecords'>;
  catalog: TerritoryCatalog;
  progress: RequestProgress;
  finisher: RequestFinisher;
  clock: Clock;
  logger: Logger;
  random: () => number;
  ceilingMs: number;
  retry: RetryPolicy;
  /** The access policy; without one every planned change runs directly. */
  policy?: () => SinglePolicy | null;
}

export class SingleCheck {
  constructor(private readonly deps: SingleCheckDeps) {}

  /** Stores the change as asked: one request, one item, nothing read from Zoho yet. */
  async store(input: AskedSingleInput, id: string): Promise<RequestRecord> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const territories = typeof input.territories === 'string' ? input.territories : [...input.territories];
    const stored = await store.createRequest(
      {
        id,
        kind: input.action,
        state: 'checking',
        requesterId: input.requesterId,
        originChannelId: input.originChannelId,
        reason: null,
        itemCount: 1,
        summary: { single: true, asked: { territories } },
        createdAt: now,
        expiresAt: null,
      },
      [
        {
          seq: 0,
          lineNo: null,
          module: input.ref.module,
          recordId: input.ref.recordId,
          action: input.action,
          territoryIds: [],
          removeTerritoryIds: [],
          before: null,
        },
      ],
    );
    await store.appendAudit({
      at: now,
      actor: input.requesterId,
      action: 'request.created',
      requestId: id,
      data: {
        kind: input.action,
        module: input.ref.module,
        recordId: input.ref.recordId,
        asked: territories,
      },
    });
    return stored;
  }

  /** Reads Zoho and plans the stored change; see AskedCheckOutcome. */
  async check(requestId: string): Promise<AskedCheckOutcome> {
    const { store } = this.deps;
    const request = await store.getRequest(requestId);
    const item = await store.getItem(requestId, 0);
    if (!request || !item || !requestLifecycle.apply(request.state, 'plan').ok)
      return { kind: 'moved', requestId };
    const asked = request.summary.asked as { territories?: string | string[] } | undefined;
    let prepared: SingleChangeResult;
    try {
      prepared = await prepareSingleChange(this.deps, {
        action: item.action,
        recordText: `${item.module}/${item.recordId}`,
        territories: asked?.territories ?? [],
      });
    } catch (err) {
      const problem = zohoUnavailable(err);
      if (problem !== null) return this.wait(request, problem, err);
      const { problem: why, action } = explainZohoError(err);
      if (request.state === 'checking') {
        // The requester is answered with this error right away (the listener explains it).
        await this.end(request, 'refuse', `${why} ${action}`, 'ZOHO_REFUSED');
        throw err;
      }
      return this.giveUp(request, `${why} ${action}`, 'ZOHO_REFUSED');
    }
    if (!prepared.ok) {
      if (request.state === 'checking') {
        const ended = await this.end(request, 'refuse', prepared.message, prepared.reason.toUpperCase());
        return ended ? { kind: 'refused', refusal: prepared } : { kind: 'moved', requestId };
      }
      return this.giveUp(request, prepared.message, prepared.reason.toUpperCase());
    }
    const policy = this.deps.policy?.() ?? null;
    const decision: SinglePolicyDecision = policy
      ? await policy.decide(request, prepared)
      : { kind: 'direct', access: {} };
    if (decision.kind === 'refused') {
      if (request.state === 'checking') {
        const ended = await this.end(request, 'refuse', decision.message, 'NOT_ALLOWED');
        return ended
          ? { kind: 'refused', refusal: { ok: false, reason: 'not_mapped', message: decision.message } }
          : { kind: 'moved', requestId };
      }
      return this.giveUp(request, decision.message, 'NOT_ALLOWED');
    }
    if (decision.kind === 'needs_approval' && policy) return this.hold(request, prepared, decision, policy);
    return this.plan(request, prepared, decision.access);
  }

  /** Waiting requests whose next read is due, and `checking` ones a stopped process left. */
  async due(): Promise<string[]> {
    const now = this.deps.clock.now();
    const waiting = await this.deps.store.listRequestsByState(['waiting_for_zoho', 'checking'], 1_000);
    return waiting
      .filter((r) =>
        r.state === 'checking'
          ? r.createdAt + STALE_CHECKING_MS <= now
          : ((r.summary.zohoWait as ZohoWait | undefined)?.nextAt ?? 0) <= now,
      )
      .map((r) => r.id);
  }

  private async plan(
    request: RequestRecord,
    prepared: Extract<SingleChangeResult, { ok: true }>,
    access: Record<string, unknown>,
  ): Promise<AskedCheckOutcome> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const input = toSingleRequestInput(prepared, request);
    await this.fillItem(request, input, now);
    // A request that waited already has its parent message ("waiting for Zoho"): it is updated.
    const notices = request.state === 'waiting_for_zoho' ? (['progress'] as const) : (['parent'] as const);
    const won = await store.transitionRequest(
      request.id,
      [request.state],
      requestLifecycle.target('plan'),
      { summary: this.plannedSummary(request, prepared, input, access) },
      now,
      notices,
    );
    if (!won) return { kind: 'moved', requestId: request.id };
    // The notices are written with the transition; calling the port wakes the outbox at once.
    if (request.state === 'waiting_for_zoho') await this.deps.progress.updated(request.id);
    else await this.deps.progress.created(request.id);
    await store.appendAudit({
      at: now,
      actor: 'system',
      action: 'request.planned',
      requestId: request.id,
      data: { territoryIds: input.territoryIds, removeTerritoryIds: input.removeTerritoryIds ?? [] },
    });
    return { kind: 'planned', requestId: request.id };
  }

  /**
   * Needs approval: the planned change becomes a one-item draft (`hold`) and is submitted for
   * approval exactly like a bulk list (card, decision, run). Not submitted: withdrawn, and the
   * requester told why (at once while they wait, in the thread after a wait for Zoho).
   */
  private async hold(
    request: RequestRecord,
    prepared: Extract<SingleChangeResult, { ok: true }>,
    decision: Extract<SinglePolicyDecision, { kind: 'needs_approval' }>,
    policy: SinglePolicy,
  ): Promise<AskedCheckOutcome> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const input = toSingleRequestInput(prepared, request);
    await this.fillItem(request, input, now);
    const held = await store.transitionRequest(
      request.id,
      [request.state],
      requestLifecycle.target('hold'),
      { summary: this.plannedSummary(request, prepared, input, decision.access) },
      now,
    );
    if (!held) return { kind: 'moved', requestId: request.id };
    const submitted = await policy.submit(held);
    if (!submitted.ok) {
      const cancel = requestLifecycle.rule('cancel');
      await store.updateItem(
        request.id,
        0,
        { state: itemLifecycle.target('refuse'), code: 'NOT_SUBMITTED', message: submitted.message },
        itemLifecycle.from('refuse'),
        clock.now(),
      );
      // Only a request that waited for Zoho has a parent message to update; else the answer says it.
      const waited = request.state === 'waiting_for_zoho';
      await store.transitionRequest(
        request.id,
        cancel.from,
        cancel.to,
        undefined,
        clock.now(),
        waited ? ['progress'] : [],
      );
      if (!waited) {
        return {
          kind: 'refused',
          refusal: { ok: false, reason: 'not_submitted', message: submitted.message },
        };
      }
      return { kind: 'failed', requestId: request.id, message: submitted.message };
    }
    // A request that waited for Zoho has its parent message already: it now says "waiting for approval".
    if (request.state === 'waiting_for_zoho') await this.deps.progress.updated(request.id);
    return {
      kind: 'pending_approval',
      requestId: request.id,
      reasons: decision.reasons,
      mention: decision.mention,
    };
  }

  private plannedSummary(
    request: RequestRecord,
    prepared: Extract<SingleChangeResult, { ok: true }>,
    input: ReturnType<typeof toSingleRequestInput>,
    access: Record<string, unknown>,
  ): Record<string, unknown> {
    const recordNames = prepared.record.name ? { [prepared.record.id]: prepared.record.name } : {};
    return { ...request.summary, ...input.summary, recordNames, access, single: true };
  }

  private async fillItem(
    request: RequestRecord,
    input: ReturnType<typeof toSingleRequestInput>,
    now: number,
  ): Promise<void> {
    await this.deps.store.updateItem(
      request.id,
      0,
      {
        territoryIds: input.territoryIds,
        removeTerritoryIds: input.removeTerritoryIds ?? [],
        before: input.before ?? null,
      },
      ['pending'],
      now,
    );
  }

  private async wait(request: RequestRecord, problem: string, err: unknown): Promise<AskedCheckOutcome> {
    const { store, clock, ceilingMs, retry, random, logger } = this.deps;
    const now = clock.now();
    const previous = request.summary.zohoWait as ZohoWait | undefined;
    const since = previous?.since ?? now;
    const giveUpAt = since + ceilingMs;
    if (now >= giveUpAt) {
      const minutes = Math.max(1, Math.round(ceilingMs / 60_000));
      return this.giveUp(
        request,
        `Zoho could not be reached for ${minutes} minute${minutes === 1 ? '' : 's'} (${problem}) Nothing was changed in Zoho: ask again once Zoho is back.`,
        ZOHO_UNAVAILABLE_CODE,
      );
    }
    const attempts = (previous?.attempts ?? 0) + 1;
    const nextAt = Math.min(giveUpAt, now + retryDelayMs(attempts, retry, random));
    const zohoWait: ZohoWait = { since, attempts, nextAt, giveUpAt, problem };
    // The first wait posts the parent message ("waiting for Zoho"); results come in its thread.
    const won = await store.transitionRequest(
      request.id,
      [request.state],
      requestLifecycle.target('wait_for_zoho'),
      { summary: { ...request.summary, zohoWait } },
      now,
      previous ? [] : ['parent'],
    );
    if (!won) return { kind: 'moved', requestId: request.id };
    logger.warn({ err, requestId: request.id, attempts, nextAt }, 'Zoho unavailable; the request waits');
    if (!previous) {
      await store.appendAudit({
        at: now,
        actor: 'system',
        action: 'request.waiting_for_zoho',
        requestId: request.id,
        data: { problem, giveUpAt },
      });
      await this.deps.progress.created(request.id);
    }
    return { kind: 'waiting', requestId: request.id, problem, nextAt, giveUpAt };
  }

  /** A waiting request that will not run: its item fails and the finisher tells the requester. */
  private async giveUp(request: RequestRecord, message: string, code: string): Promise<AskedCheckOutcome> {
    const { store, clock, finisher } = this.deps;
    await store.updateItem(
      request.id,
      0,
      { state: itemLifecycle.target('refuse'), code, message },
      itemLifecycle.from('refuse'),
      clock.now(),
    );
    const finished = await finisher.finishIfComplete(request.id);
    return finished
      ? { kind: 'failed', requestId: request.id, message }
      : { kind: 'moved', requestId: request.id };
  }

  /** Refused while the requester waited for the answer: item failed, request refused. */
  private async end(
    request: RequestRecord,
    event: 'refuse',
    message: string,
    code: string,
  ): Promise<boolean> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const won = await store.transitionRequest(
      request.id,
      [request.state],
      requestLifecycle.target(event),
      undefined,
      now,
    );
    if (!won) return false;
    await store.updateItem(
      request.id,
      0,
      { state: itemLifecycle.target('refuse'), code, message },
      itemLifecycle.from('refuse'),
      now,
    );
    await store.appendAudit({
      at: now,
      actor: 'system',
      action: 'request.refused',
      requestId: request.id,
      data: { code, message },
    });
    return true;
  }
}
