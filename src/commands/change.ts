/**
 * `/territory assign|remove|move <record> <territory>[, …]`: check against Zoho's rules, then
 * hand the request to the engine, which posts the parent message and threads the result.
 * `assign` without arguments opens the assign modal instead.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ChangeAction } from '../core/assignment/plan.js';
import { type SingleRefusal, type StartSingleDeps, startSingle } from '../core/requests/index.js';
import { PATH_SEPARATOR, type TerritoryCandidate } from '../core/territories/index.js';
import { buildAssignModal } from '../views/assign-modal.js';
import type { SlackMessage } from '../views/blocks.js';
import {
  buildAmbiguousTerritoryMessage,
  buildErrorMessage,
  buildUnknownTerritoryMessage,
} from '../views/errors.js';
import type { BotServices } from './context.js';
import { replyEphemeral, zohoErrorMessage } from './reply.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export async function changeCommand(
  services: BotServices,
  args: CommandArgs,
  parsed: { sub: ChangeAction; record: string | null; territories: string },
): Promise<void> {
  const { command, ack, respond, client } = args;
  if (parsed.record === null) {
    if (parsed.sub === 'assign') {
      // trigger_id lives 3 s: open the modal before any other I/O.
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildAssignModal({ channelId: command.channel_id }),
      });
      return;
    }
    await ack({
      response_type: 'ephemeral',
      text: `Usage: \`/territory ${parsed.sub} <record> <territory>[, <territory>…]\`, e.g. \`/territory ${parsed.sub} Leads/3652397000001234567 US West\`.`,
    });
    return;
  }

  await ack({ response_type: 'ephemeral', text: `Checking ${parsed.record} in Zoho…` });
  try {
    const started = await startSingle(singleDeps(services), {
      action: parsed.sub,
      recordText: parsed.record,
      territories: parsed.territories,
      requesterId: command.user_id,
      originChannelId: command.channel_id,
    });
    if (!started.ok) await replyEphemeral(respond, refusalMessage(started));
  } catch (err) {
    services.logger.warn({ err, sub: parsed.sub }, 'single change failed before reaching the engine');
    await replyEphemeral(respond, zohoErrorMessage(err));
  }
}

/** Why nothing was sent, in the words of src/views. */
export function refusalMessage(result: SingleRefusal): SlackMessage {
  switch (result.reason) {
    case 'territory': {
      const failure = result.failures[0];
      if (failure && result.failures.length === 1 && failure.reason === 'not_found') {
        return buildUnknownTerritoryMessage({
          query: failure.input,
          suggestions: failure.suggestions.map(candidateView),
        });
      }
      if (failure && result.failures.length === 1 && failure.reason === 'ambiguous') {
        return buildAmbiguousTerritoryMessage({
          query: failure.input,
          candidates: failure.candidates.map(candidateView),
        });
      }
      return buildErrorMessage({
        problem: result.message,
        action: 'Check the territory names with `/territory list`.',
      });
    }
    case 'bad_record':
      return buildErrorMessage({
        problem: result.message,
        action: 'Paste the record link from Zoho, or write Module/ID.',
      });
    case 'no_territory':
      return buildErrorMessage({ problem: 'No territory given.', action: result.message });
    case 'not_found':
      return buildErrorMessage({
        problem: result.message,
        action: 'Open the record in Zoho and copy its link.',
      });
    case 'blocked':
      return buildErrorMessage({
        problem: `Nothing was changed on ${result.plan.recordLabel}: Zoho's rules would refuse it.`,
        action: result.message,
      });
    case 'noop':
      return buildErrorMessage({
        problem: `Nothing to change on ${result.plan.recordLabel}.`,
        action: result.message,
      });
  }
}

function candidateView(c: TerritoryCandidate) {
  // The view shows the ancestors; the candidate's path ends with the territory itself.
  return { id: c.territory.id, name: c.territory.name, path: c.path.split(PATH_SEPARATOR).slice(0, -1) };
}

/** What startSingle needs, from the services built in src/bot.ts. */
export function singleDeps(services: BotServices): StartSingleDeps {
  return {
    zoho: services.zoho,
    catalog: services.catalog,
    requests: services.assignment.engine,
    starter: services.starter,
  };
}
