/** The one place a request is started in the background (single changes, approvals, run now). */
import type { Logger } from '../log.js';
import type { RequestRunner, RequestStarter } from './ports.js';

export class BackgroundStarter implements RequestStarter {
  constructor(
    private readonly runner: RequestRunner,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  /** Returns once the run is scheduled; its failure is logged (the engine's sweep resumes it). */
  async start(requestId: string): Promise<void> {
    void this.runner
      .run(requestId)
      .catch((err: unknown) => this.logger.error({ err, requestId }, 'running a request failed'));
  }
}
