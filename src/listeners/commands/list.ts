/**
 * `/territory list [filter]`: the territory tree, read fresh from Zoho, with the territories the
 * API user cannot assign to marked and the reason (the monitor's own rule, access.ts). Shown
 * only to the person who asked; big trees are cut within Slack's limits by the view.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { evaluateAccess } from '../../core/monitor/index.js';
import type { BotServices } from '../../slack/context.js';
import { replyEphemeral, zohoErrorMessage } from '../../slack/reply.js';
import { buildTerritoryListMessage } from '../../views/territory-list.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export async function listCommand(services: BotServices, args: CommandArgs, filter: string): Promise<void> {
  const { ack, respond } = args;
  await ack();
  try {
    // Fresh reads: people ask for the list to see the org as it is now (3 calls per 2,000 territories).
    const [index, user] = await Promise.all([services.catalog.refresh(), services.zoho.getCurrentUser()]);
    const memberships = await services.zoho.getUserTerritories(user.id);
    const territories = index.list;
    const verdicts = evaluateAccess(
      territories,
      memberships,
      territories.map((t) => t.id),
    );
    const unusable = new Map<string, string>();
    for (const [id, v] of verdicts) if (!v.usable) unusable.set(id, v.reason ?? v.code);
    await replyEphemeral(respond, buildTerritoryListMessage({ territories, unusable, filter }));
  } catch (err) {
    services.logger.warn({ err }, '/territory list failed');
    await replyEphemeral(respond, zohoErrorMessage(err));
  }
}
