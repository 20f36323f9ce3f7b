/** An AlertNotifier that records every event and answers like Slack would (channel + ts). */
import type { AlertEvent, AlertNotifier } from '../../../src/core/notify.js';
import type { MessageRef } from '../../../src/core/store/types.js';

export interface RecordedEvent {
  type: AlertEvent['type'];
  fingerprint: string;
  ts: string | null;
  event: AlertEvent;
}

export class RecordingNotifier implements AlertNotifier {
  events: RecordedEvent[] = [];
  /** Throw on the next n calls (Slack down). */
  failNext = 0;
  private seq = 0;

  async alert(event: AlertEvent): Promise<MessageRef | null> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('slack unavailable');
    }
    this.events.push({ type: event.type, fingerprint: event.alert.fingerprint, ts: event.alert.ts, event });
    if (event.type !== 'firing') return null;
    this.seq++;
    return { channel: 'COPS', ts: `1767225600.${String(this.seq).padStart(6, '0')}` };
  }

  /** "type fingerprint" lines, for compact assertions. */
  take(): string[] {
    const out = this.events.map((e) => `${e.type} ${e.fingerprint}`);
    this.events = [];
    return out;
  }
}
