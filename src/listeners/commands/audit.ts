/**
 * `/territory audit [<record> | @user | since <date>]`: the audit trail as a CSV file in the
 * person's DM with the bot; the ephemeral answer says what was sent (DESIGN.md §2, §4).
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isApprover } from '../../core/approvals/index.js';
import { type AuditExportDeps, exportAudit } from '../../core/audit/index.js';
import { slackAuditFiles } from '../../slack/audit-file.js';
import type { BotServices } from '../../slack/context.js';
import { replyEphemeral } from '../../slack/reply.js';
import { buildAuditExportMessage } from '../../views/audit-export.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export async function auditCommand(services: BotServices, args: CommandArgs, filter: string): Promise<void> {
  await args.ack();
  const userId = args.command.user_id;
  try {
    const result = await exportAudit(auditDeps(services, args), { userId, text: filter });
    await replyEphemeral(args.respond, buildAuditExportMessage(result));
  } catch (err) {
    services.logger.error({ err, userId }, '/territory audit failed');
    await args.respond({
      response_type: 'ephemeral',
      text: 'The audit file could not be made or sent just now; try again in a minute.',
    });
  }
}

function auditDeps(services: BotServices, args: CommandArgs): AuditExportDeps {
  const { policy, directory } = services;
  return {
    store: services.store,
    clock: services.clock,
    // Admins are the approvers named by APPROVER_USER_IDS / APPROVER_USERGROUP (DESIGN.md §4).
    isAdmin: async (userId) => {
      if (policy.approverUserIds.includes(userId)) return true;
      if (!policy.approverUsergroup) return false;
      const members = await directory.members(policy.approverUsergroup).catch(() => null);
      return isApprover(userId, policy, members);
    },
    territoryNames: () => services.catalog.names(),
    files: slackAuditFiles(args.client),
  };
}
