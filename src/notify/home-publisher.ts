/**
 * Keeps App Home current: when something a Home shows changes (a request's state or progress,
 * an approval waiting or decided, an alert), republishes the Home of the people it concerns —
 * only those who opened Home (the store remembers them), at most once per interval per person
 * (views.publish is Tier 4, but a bulk's progress would otherwise publish on every batch).
 */
import type { WebClient } from '@slack/web-api';
import { requestAccessOf } from '../core/access/index.js';
import type { ApprovalRoles, GroupDirectory } from '../core/approvals/index.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import { isAdmin, isOps, loadHome } from '../core/requests/index.js';
import type { Store } from '../core/store/types.js';
import { buildAppHome } from '../views/app-home.js';
import { UpdateThrottle } from './slack-poster.js';

export interface HomePublisherOptions {
  client: Pick<WebClient, 'views'>;
  store: Store;
  policy: Pick<ApprovalRoles, 'approverUserIds' | 'approverUsergroup' | 'opsUserIds'>;
  directory: GroupDirectory;
  clock: Clock;
  logger: Logger;
  /** Minimum time between two publishes of one person's Home. */
  intervalMs?: number;
}

export class HomePublisher {
  private readonly throttle: UpdateThrottle;

  constructor(private readonly options: HomePublisherOptions) {
    this.throttle = new UpdateThrottle(
      options.intervalMs ?? 2_000,
      () => options.clock.now(),
      (err, key) => options.logger.warn({ err, key }, 'publishing App Home failed'),
    );
  }

  /** Renders and publishes one person's Home now. */
  async publish(userId: string): Promise<void> {
    const data = await loadHome(this.options, userId);
    await this.options.client.views.publish({
      user_id: userId,
      view: buildAppHome({ ...data, now: this.options.clock.now() }),
    });
  }

  /**
   * A request changed: its requester's Home, and the Homes of those who may decide it (admins,
   * and the territory managers its approval card asked).
   */
  async requestChanged(requestId: string): Promise<void> {
    const request = await this.options.store.getRequest(requestId);
    if (!request) return;
    const asked = requestAccessOf(request.summary)?.mention ?? [];
    const openers = await this.options.store.listHomeOpeners();
    const targets: string[] = [];
    for (const { userId } of openers) {
      if (userId === request.requesterId || asked.includes(userId) || (await isAdmin(this.options, userId)))
        targets.push(userId);
    }
    this.schedule(targets);
  }

  /** An alert changed: the Homes of ops who opened theirs. */
  async alertsChanged(): Promise<void> {
    const openers = await this.options.store.listHomeOpeners(this.options.policy.opsUserIds);
    this.schedule(openers.map((o) => o.userId).filter((u) => isOps(this.options, u)));
  }

  stop(): void {
    this.throttle.stop();
  }

  private schedule(userIds: readonly string[]): void {
    for (const userId of new Set(userIds))
      this.throttle.schedule(`home:${userId}`, () => this.publish(userId));
  }
}
