/**
 * `/territory health`: acks at once (the checks take several Zoho calls), runs the monitor now
 * and shows the result only to the person who asked: each check, the last completed run and the
 * open alerts. Holding the lease, the run also updates the ops channel, so both agree.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { accessModeNotice } from '../../core/access/index.js';
import type { BotServices } from '../../slack/context.js';
import { replyEphemeral, zohoErrorMessage } from '../../slack/reply.js';
import { buildHealthMessage, healthChecks } from '../../views/health.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export async function healthCommand(services: BotServices, args: CommandArgs): Promise<void> {
  const { ack, respond } = args;
  await ack();
  try {
    const run = await services.monitor.runNow();
    const [lastRun, open] = await Promise.all([
      services.store.lastMonitorRun(),
      services.store.listAlerts({ states: ['firing'] }),
    ]);
    await replyEphemeral(
      respond,
      buildHealthMessage({
        checks: healthChecks(run),
        lastRun,
        openAlerts: open.sort((a, b) => a.startsAt - b.startsAt),
        note: run.note,
        now: services.clock.now(),
        accessMode: accessModeNotice(services.access.settings),
      }),
    );
  } catch (err) {
    services.logger.warn({ err }, '/territory health failed');
    await replyEphemeral(respond, zohoErrorMessage(err));
  }
}
