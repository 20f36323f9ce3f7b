/**
 * `app_home_opened` (Home tab): remembers that this person opened Home (so changes republish it
 * later, src/notify/home-publisher.ts), reads what concerns them (core/requests loadHome) and
 * publishes the view. Events are acked by Bolt; the Messages tab opening is ignored.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { loadHome } from '../../core/requests/index.js';
import type { BotServices } from '../../slack/context.js';
import { buildAppHome } from '../../views/app-home.js';

type EventArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>;

export function appHomeOpened(services: BotServices) {
  return async ({ event, client }: EventArgs): Promise<void> => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    const userId = event.user;
    try {
      await services.store.recordHomeOpened(userId, services.clock.now());
      const data = await loadHome(
        { store: services.store, policy: services.policy, directory: services.directory },
        userId,
      );
      await client.views.publish({
        user_id: userId,
        view: buildAppHome({ ...data, now: services.clock.now() }),
      });
    } catch (err) {
      services.logger.error({ err, userId }, 'publishing App Home failed');
    }
  };
}
