/**
 * `/territory requests`: the person's recent requests and where each stands and, for approvers
 * and the territory managers a card asked, the requests waiting for their decision with a
 * Review button. Ephemeral.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { hasStarted } from '../../core/approvals/index.js';
import { requestsWaitingFor } from '../../core/requests/index.js';
import type { BotServices } from '../../slack/context.js';
import { replyEphemeral } from '../../slack/reply.js';
import { progressFromCounts } from '../../views/labels.js';
import { buildRequestsList } from '../../views/requests-list.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

const MINE = 20;
const WAITING = 50;

export async function requestsCommand(services: BotServices, args: CommandArgs): Promise<void> {
  await args.ack();
  const userId = args.command.user_id;
  const { store, policy } = services;
  try {
    const mine = await store.listRequestsByRequester(userId, MINE);
    const withProgress = await Promise.all(
      mine.map(async (request) => ({
        request,
        progress: hasStarted(request.state)
          ? progressFromCounts(await store.countItemsByState(request.id), request.itemCount)
          : null,
      })),
    );
    // The same query as App Home's "waiting for your decision" (core/requests/people.ts).
    const waiting = await requestsWaitingFor(
      { store, policy, directory: services.directory },
      userId,
      WAITING,
    );
    await replyEphemeral(
      args.respond,
      buildRequestsList({ mine: withProgress, awaitingMe: waiting.requests, isApprover: waiting.canDecide }),
    );
  } catch (err) {
    services.logger.error({ err, userId }, '/territory requests failed');
    await args.respond({
      response_type: 'ephemeral',
      text: 'Your requests could not be read just now; try again.',
    });
  }
}
