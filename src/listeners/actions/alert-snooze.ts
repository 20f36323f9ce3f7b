/**
 * The snooze buttons on an ops alert (1 h, 1 day, 1 week). Only OPS_USER_IDS may snooze, judged
 * from the clicking user's id (never from the button); others get the reason, privately. A
 * snooze edits the alert message to say who snoozed it until when (the monitor does the edit).
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { canSnooze } from '../../core/approvals/index.js';
import type { BotServices } from '../../slack/context.js';
import { replyEphemeral } from '../../slack/reply.js';
import { section } from '../../views/blocks.js';
import { buildErrorMessage } from '../../views/errors.js';
import { parseSnoozeValue, SNOOZE_DURATIONS } from '../../views/ids.js';
import { slackDate } from '../../views/text.js';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

export function alertSnooze(services: BotServices) {
  return async ({ ack, body, action, respond }: ActionArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const parsed = action.type === 'button' ? parseSnoozeValue(action.value ?? '') : null;
    try {
      if (!parsed) {
        await replyEphemeral(
          respond,
          buildErrorMessage({
            problem: 'This snooze button is not one the bot made.',
            action: 'Use the buttons on the alert message.',
          }),
        );
        return;
      }
      const isOps = canSnooze(userId, services.policy).ok;
      const result = await services.monitor.snooze(
        parsed.fingerprint,
        userId,
        SNOOZE_DURATIONS[parsed.duration],
        isOps,
      );
      if (!result.ok) {
        await replyEphemeral(
          respond,
          buildErrorMessage({ problem: "You can't snooze this alert.", action: result.reason }),
        );
        return;
      }
      const until = result.alert.snoozedUntil ?? services.clock.now();
      await replyEphemeral(respond, {
        text: `Snoozed: no reminders for this alert until ${new Date(until).toISOString()}.`,
        blocks: [
          section(
            `:zzz: Snoozed: no reminders for this alert until ${slackDate(until)}. It still resolves (and says so) when the cause is fixed.`,
          ),
        ],
      });
    } catch (err) {
      services.logger.warn({ err, userId }, 'snoozing an alert failed');
      await replyEphemeral(
        respond,
        buildErrorMessage({ problem: 'The snooze could not be saved.', action: 'Try again in a minute.' }),
      ).catch(() => {});
    }
  };
}
