/** `/territory show <record>`: territories (manual or by rule), pending jobs, the bot's last change. */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { exampleRef, parseRecordRef } from '../../core/records/index.js';
import { checkMayUseRecords } from '../../core/requests/index.js';
import { recordLinker } from '../../slack/bulk-preview.js';
import { type BotServices, gateDeps } from '../../slack/context.js';
import { replyEphemeral, zohoErrorMessage } from '../../slack/reply.js';
import { buildErrorMessage } from '../../views/errors.js';
import { buildRecordShowMessage } from '../../views/record-show.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export async function showCommand(
  services: BotServices,
  args: CommandArgs,
  recordText: string | null,
): Promise<void> {
  const { ack, respond } = args;
  if (recordText === null) {
    await ack({
      response_type: 'ephemeral',
      text: `Usage: \`/territory show <record>\`, e.g. \`/territory show ${exampleRef('contact')}\` or a Zoho record link.`,
    });
    return;
  }
  const parsed = parseRecordRef(recordText);
  if (!parsed.ok) {
    await ack({
      response_type: 'ephemeral',
      ...buildErrorMessage({
        problem: parsed.reason,
        action: 'Paste the record link from Zoho, or write Module/ID.',
      }),
    });
    return;
  }
  await ack();
  const { module, recordId: id } = parsed.ref;
  try {
    // Records are read for people who may ask, mapped to a Zoho user (DESIGN.md §4).
    const gate = await checkMayUseRecords(gateDeps(services), args.command.user_id);
    if (!gate.ok) {
      await replyEphemeral(
        respond,
        buildErrorMessage({ problem: 'Nothing was read.', action: gate.message }),
      );
      return;
    }
    const [records, pendingJobs, latest, names] = await Promise.all([
      services.zoho.getRecords(module, [id]),
      services.zoho.getPendingJobs(module, [id]),
      services.store.latestItemForRecord(module, id),
      services.catalog.names(),
    ]);
    const record = records[0];
    if (!record) {
      await replyEphemeral(
        respond,
        buildErrorMessage({
          problem: `Zoho has no ${module} record ${id} (or the API user cannot see it).`,
          action: 'Open the record in Zoho and copy its link.',
        }),
      );
      return;
    }
    // The record's own names stand in for territories the catalog snapshot does not know yet
    // (the catalog's map is shared: copied only then).
    const unknown = record.territories.filter((t) => !names.has(t.id));
    const labels =
      unknown.length === 0 ? names : new Map([...names, ...unknown.map((t) => [t.id, t.name] as const)]);
    await replyEphemeral(
      respond,
      buildRecordShowMessage({
        record,
        pendingJobs,
        lastChange: latest
          ? {
              requestId: latest.request.id,
              action: latest.item.action,
              state: latest.item.state,
              requesterId: latest.request.requesterId,
              at: latest.item.updatedAt,
              territoryIds: latest.item.territoryIds,
              message: latest.item.message,
            }
          : null,
        names: labels,
        recordUrl: recordLinker(services),
      }),
    );
  } catch (err) {
    services.logger.warn({ err }, '/territory show failed');
    await replyEphemeral(respond, zohoErrorMessage(err));
  }
}
