/**
 * Tells the Slack side that a request was created or moved on. A Slack hiccup must never break
 * the money path: failures are logged, not thrown (the final reply has its own resend, see
 * jobs/request-finisher.ts).
 */
import type { Logger } from '../log.js';
import type { RequestNotifier } from '../notify.js';

export class RequestProgress {
  constructor(
    private readonly notifier: RequestNotifier,
    private readonly logger: Logger,
  ) {}

  async created(requestId: string): Promise<void> {
    try {
      await this.notifier.requestCreated(requestId);
    } catch (err) {
      this.logger.warn({ err, requestId }, 'notifier.requestCreated failed');
    }
  }

  async updated(requestId: string): Promise<void> {
    try {
      await this.notifier.requestUpdated(requestId);
    } catch (err) {
      this.logger.warn({ err, requestId }, 'notifier.requestUpdated failed');
    }
  }
}
