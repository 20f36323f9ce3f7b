import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import { openStore } from '../../../src/core/store/index.js';
import { INBOUND_KEEP_MS, inboundDedupe, inboundKey } from '../../../src/slack/inbound-dedupe.js';

describe('inbound dedupe', () => {
  it('keys events by event_id and slash commands by trigger_id; nothing else', () => {
    expect(inboundKey({ event_id: 'Ev1', event: { type: 'app_home_opened' } })).toBe('event:Ev1');
    expect(inboundKey({ command: '/territory', text: 'help', trigger_id: '123.456.abc' })).toBe(
      'command:123.456.abc',
    );
    expect(inboundKey({ type: 'block_actions', trigger_id: '1.2.x' })).toBeNull();
    expect(inboundKey({ type: 'view_submission' })).toBeNull();
  });

  it('runs the listeners for the first delivery only, and acks the repeat', async () => {
    const clock = new ManualClock();
    const store = await openStore('sqlite::memory:', { clock });
    try {
      const mw = inboundDedupe({ store, clock, logger: createLogger('silent') });
      let handled = 0;
      let acks = 0;
      const deliver = (retryNum?: number) =>
        mw({
          body: { command: '/territory', text: 'assign Leads/1 x', trigger_id: 'T-1' },
          context: { retryNum },
          ack: async () => {
            acks += 1;
          },
          next: async () => {
            handled += 1;
          },
        } as never);
      await deliver();
      await deliver();
      clock.advance(60_000);
      await deliver(1);
      expect(handled).toBe(1);
      expect(acks).toBe(2);
      // Long after Slack's retries and the replay window, the key is forgotten.
      clock.advance(INBOUND_KEEP_MS + 1);
      await deliver();
      expect(handled).toBe(2);
    } finally {
      await store.close();
    }
  });
});
