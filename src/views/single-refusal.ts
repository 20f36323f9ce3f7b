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
  }
}

function candidateView(c: TerritoryCandidate) {
  // The view shows the ancestors; the candidate's path ends with the territory itself.
  return { id: c.territory.id, name: c.territory.name, path: c.path.split(PATH_SEPARATOR).slice(0, -1) };
}
