/** Why a single change was not sent (core/requests startSingle's refusals), as a message. */
import type { SingleRefusal } from '../core/requests/index.js';
import { PATH_SEPARATOR, type TerritoryCandidate } from '../core/territories/index.js';
import type { SlackMessage } from './blocks.js';
import { buildAmbiguousTerritoryMessage, buildErrorMessage, buildUnknownTerritoryMessage } from './errors.js';

/** Why nothing was sent, in the words of the other views. */
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
    case 'not_mapped':
      // The words say why and who can fix it (core/access identity.ts).
      return buildErrorMessage({ problem: 'Nothing was changed.', action: result.message });
    case 'not_requester':
    case 'unavailable':
      return buildErrorMessage({ problem: 'Nothing was changed.', action: result.message });
    case 'not_submitted':
      return buildErrorMessage({
        problem: 'This change needs approval, and it could not be sent for approval.',
        action: result.message,
      });
  }
}

/** The requester's answer when a single change was sent for approval: why, and who decides. */
export function pendingApprovalMessage(input: {
  reasons: readonly string[];
  mention: readonly string[];
}): SlackMessage {
  const who =
    input.mention.length > 0
      ? `${input.mention.map((id) => `<@${id}>`).join(', ')} (the territory manager${input.mention.length === 1 ? '' : 's'}) or an approver will decide`
      : 'An approver will decide';
  const why = input.reasons.length > 0 ? input.reasons.join('; ') : 'it needs approval';
  const text = `Sent for approval: ${why}. ${who}; you will hear in the request's thread.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

function candidateView(c: TerritoryCandidate) {
  // The view shows the ancestors; the candidate's path ends with the territory itself.
  return { id: c.territory.id, name: c.territory.name, path: c.path.split(PATH_SEPARATOR).slice(0, -1) };
}
