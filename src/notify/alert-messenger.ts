/**
 * The Slack side of the monitor's alerts (DESIGN.md §5), behind `SlackNotifier.alert`:
 * firing → a new message in OPS_CHANNEL (its {channel, ts} goes back to the core, which stores
 * it on the alert row); changed → that message is edited (no ping); reminder → a reply in its
 * thread; resolved → the message is edited to "resolved" and a reply closes the thread.
 *
 * A failure throws: the core then keeps the alert's previous state and retries on the next run
 * (alerts.ts), so nothing is lost and nothing is posted twice.
 */
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import type { AlertEvent } from '../core/notify.js';
import type { AlertRecord, MessageRef, Store } from '../core/store/types.js';
import { buildAlertMessage, buildAlertReminderReply, buildAlertResolvedReply } from '../views/alerts.js';
import { SlackPoster } from './slack-poster.js';

export interface AlertMessengerOptions {
  client: WebClient;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** OPS_CHANNEL; without it alerts cannot be posted (each attempt fails and is retried). */
  opsChannel: string | null;
  /** Territory id → name, for territories an alert names by id only. */
  names: () => Promise<ReadonlyMap<string, string>>;
}

export class AlertMessenger {
  private readonly poster: SlackPoster;
  private readonly logger: Logger;

  constructor(private readonly options: AlertMessengerOptions) {
    this.logger = options.logger.child({ component: 'alert-messenger' });
    this.poster = new SlackPoster(options.client, options.store, this.logger);
  }

  async alert(event: AlertEvent): Promise<MessageRef | null> {
    const { alert } = event;
    const now = this.options.clock.now();
    switch (event.type) {
      case 'firing': {
        const channel = this.options.opsChannel;
        if (!channel) throw new Error('OPS_CHANNEL is not set: territory alerts have nowhere to go');
        const message = buildAlertMessage({ alert, names: await this.options.names(), now });
        return this.poster.post(channel, message);
      }
      case 'changed': {
        const ref = refOf(alert);
        if (!ref) return this.missing(alert, event.type);
        await this.poster.update(ref, buildAlertMessage({ alert, names: await this.options.names(), now }));
        return ref;
      }
      case 'reminder': {
        const ref = refOf(alert);
        if (!ref) return this.missing(alert, event.type);
        await this.poster.reply(ref, buildAlertReminderReply({ alert, now }));
        return ref;
      }
      case 'resolved': {
        const ref = refOf(alert);
        if (!ref) return this.missing(alert, event.type);
        // Edit first: if the reply then fails, the retry edits again (harmless) and replies once.
        await this.poster.update(ref, buildAlertMessage({ alert, names: await this.options.names(), now }));
        await this.poster.reply(ref, buildAlertResolvedReply({ alert }));
        return ref;
      }
    }
  }

  /** A row posted by a version that kept no ref: nothing to edit; say so rather than fail forever. */
  private missing(alert: AlertRecord, type: AlertEvent['type']): null {
    this.logger.warn({ fingerprint: alert.fingerprint, type }, 'alert has no Slack message to update');
    return null;
  }
}

function refOf(alert: AlertRecord): MessageRef | null {
  return alert.channel && alert.ts ? { channel: alert.channel, ts: alert.ts } : null;
}
