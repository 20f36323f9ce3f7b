/** `/territory …`: routes each subcommand to its handler (DESIGN.md §2). */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { buildErrorMessage } from '../../views/errors.js';
import { buildHelpMessage } from '../../views/help.js';
import { parseCommandText } from './args.js';
import { auditCommand } from './audit.js';
import { bulkCommand } from './bulk.js';
import { changeCommand } from './change.js';
import { healthCommand } from './health.js';
import { listCommand } from './list.js';
import { requestsCommand } from './requests.js';
import { showCommand } from './show.js';
import { undoCommand } from './undo.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export function territoryCommand(services: BotServices) {
  return async (args: CommandArgs): Promise<void> => {
    const parsed = parseCommandText(args.command.text ?? '');
    try {
      switch (parsed.sub) {
        case 'help':
          await args.ack({ response_type: 'ephemeral', ...buildHelpMessage() });
          return;
        case 'assign':
        case 'remove':
        case 'move':
          await changeCommand(services, args, parsed);
          return;
        case 'bulk':
          await bulkCommand(services, args);
          return;
        case 'requests':
          await requestsCommand(services, args);
          return;
        case 'show':
          await showCommand(services, args, parsed.record);
          return;
        case 'health':
          await healthCommand(services, args);
          return;
        case 'list':
          await listCommand(services, args, parsed.filter);
          return;
        case 'audit':
          await auditCommand(services, args, parsed.filter);
          return;
        case 'undo':
          await undoCommand(services, args, parsed.request);
          return;
        case 'unknown': {
          const msg = buildErrorMessage({
            problem: `"${parsed.word}" is not a /territory command.`,
            action: 'Type `/territory help` to see what it can do.',
          });
          await args.ack({ response_type: 'ephemeral', ...msg });
          return;
        }
      }
    } catch (err) {
      services.logger.error({ err, sub: parsed.sub }, '/territory failed');
    }
  };
}
