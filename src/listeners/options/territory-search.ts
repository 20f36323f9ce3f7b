/** Type-ahead for every territory select (external selects in the assign and bulk modals). */
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { searchTerritories } from '../../core/territories/index.js';
import type { BotServices } from '../../slack/context.js';
import { buildTerritoryOptions } from '../../views/territory-options.js';

export function territorySearch(services: BotServices) {
  return async ({ options, ack }: AllMiddlewareArgs & SlackOptionsMiddlewareArgs): Promise<void> => {
    try {
      const catalog = await services.catalog.get();
      const query = 'value' in options && typeof options.value === 'string' ? options.value : '';
      const matches = searchTerritories(catalog, query).map((m) => ({
        id: m.id,
        name: m.name,
        parentName: catalog.parent(m.id)?.name ?? null,
      }));
      // Bolt types options acks as the intersection of every surface's shape; ours is the block one.
      await ack(buildTerritoryOptions(matches) as never);
    } catch (err) {
      services.logger.warn({ err }, 'territory search failed');
      // An empty list keeps the select usable; Slack shows "no results".
      await ack({ options: [] });
    }
  };
}
