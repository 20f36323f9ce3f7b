/**
 * The audit and notice side of ApprovalService, apart from its decisions: every request,
 * decision and refusal goes to the audit log, and a failed Slack notice never undoes a stored
 * transition.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';
import type { RequestRecord, Store } from '../store/types.js';
import { stateRefusal } from './answers.js';
import type { ApprovalRefusal, ApprovalResult } from './service.js';

export const NOT_FOUND = 'This request no longer exists.';

export class ApprovalRecorder {
  constructor(
    private readonly store: Store,
    private readonly notifier: RequestNotifier,
    private readonly clock: Clock,
    private readonly logger: Logger | undefined,
  ) {}

  /** Someone else's transition landed first: report where the request is now. */
  async lost(attempt: string, requestId: string, userId: string): Promise<ApprovalResult> {
    const current = await this.store.getRequest(requestId);
    if (!current) return this.refuse(attempt, requestId, userId, 'not_found', NOT_FOUND, null);
    const r = stateRefusal(current);
    return this.refuse(attempt, requestId, userId, r.reason, r.message, current);
  }

  /** Audits the refusal and returns it as the result. */
  async refuse(
    attempt: string,
    requestId: string,
    userId: string,
    reason: ApprovalRefusal,
    message: string,
    request: RequestRecord | null,
  ): Promise<ApprovalResult> {
    await this.audit(userId, 'request.refused', request ? requestId : null, {
      attempt,
      reason,
      message,
      ...(request ? {} : { requestId }),
    });
    return { ok: false, reason, message, request };
  }

  async audit(actor: string, action: string, requestId: string | null, data: Record<string, unknown>) {
    try {
      await this.store.appendAudit({ at: this.clock.now(), actor, action, requestId, data });
    } catch (err) {
      this.logger?.error({ err, action, requestId }, 'audit write failed');
      throw err;
    }
  }

  /**
   * After a transition that already wrote its notices to the outbox, this is a no-op by key (or
   * coalesces with a pending progress notice) that wakes this process's poster at once.
   */
  async notify(kind: keyof RequestNotifier, requestId: string): Promise<void> {
    try {
      await this.notifier[kind](requestId);
    } catch (err) {
      // Slack being slow or down must not undo a stored decision.
      this.logger?.warn({ err, requestId, kind }, 'request notification failed');
    }
  }
}
