/**
 * `/territory requests`: the person's recent requests and where each stands and, for approvers
 * and the territory managers a card asked, the requests waiting for their decision with a
 * Review button. Ephemeral.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { requestAccessOf } from '../../core/access/index.js';
import { hasStarted, isApprover } from '../../core/approvals/index.js';
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
    let members: string[] | null = null;
    if (!policy.approverUserIds.includes(userId) && policy.approverUsergroup) {
      members = await services.directory.members(policy.approverUsergroup).catch(() => null);
    }
    const approver = isApprover(userId, policy, members);
    // Admins see every pending request; a territory manager, those whose card asked them.
    const awaitingMe = (await store.listRequestsByState(['pending_approval'], WAITING)).filter(
      (r) =>
        r.requesterId !== userId &&
        (approver || (requestAccessOf(r.summary)?.mention ?? []).includes(userId)),
    );
    await replyEphemeral(
      args.respond,
      buildRequestsList({ mine: withProgress, awaitingMe, isApprover: approver || awaitingMe.length > 0 }),
    );
  } catch (err) {
    services.logger.error({ err, userId }, '/territory requests failed');
    await args.respond({
      response_type: 'ephemeral',
      text: 'Your requests could not be read just now; try again.',
    });
  }
}
