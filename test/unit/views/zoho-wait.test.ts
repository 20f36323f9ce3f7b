/** What people see while Zoho is down (issue 11 items 4 and 6). */
import { describe, expect, it } from 'vitest';
import { progressFromCounts } from '../../../src/views/labels.js';
import { buildRequestMessage } from '../../../src/views/request-message.js';
import { buildZohoWaitMessage, zohoWaitPlainText } from '../../../src/views/zoho-wait.js';

const AT = Date.UTC(2026, 0, 5, 9);
const request = {
  id: 'r1',
  kind: 'assign' as const,
  requesterId: 'U_REP',
  reason: null,
  itemCount: 1,
  createdAt: AT,
  expiresAt: null,
  decidedBy: null,
  decidedAt: null,
  decisionComment: null,
};

describe('waiting for Zoho', () => {
  it('the answer says why, that the request is saved, and until when the bot keeps trying', () => {
    const m = buildZohoWaitMessage({ problem: 'Zoho does not answer.', giveUpAt: AT + 30 * 60_000 });
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('Zoho does not answer.');
    expect(text).toContain('Your request is saved');
    expect(text).toContain('<!date^');
    expect(zohoWaitPlainText({ problem: 'Zoho does not answer.', giveUpAt: AT })).not.toContain('<!date');
  });

  it('the parent message of a waiting request says it waits for Zoho and runs by itself', () => {
    const m = buildRequestMessage({
      request: {
        ...request,
        state: 'waiting_for_zoho',
        summary: { zohoWait: { problem: 'Zoho is throttling the bot.', giveUpAt: AT + 60_000 } },
      },
      records: [{ module: 'Leads', recordId: '3652397000001234567', name: null }],
      territoryIds: [],
      names: new Map(),
    });
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('Waiting for Zoho');
    expect(text).toContain('Zoho is throttling the bot.');
    expect(text).toContain('runs as soon as Zoho answers again');
  });

  it('a running bulk with items held up says they are tried again automatically', () => {
    const m = buildRequestMessage({
      request: { ...request, kind: 'bulk', itemCount: 150, state: 'running' },
      progress: progressFromCounts({ done: 50, retry: 100 }, 150),
      records: [],
      names: new Map(),
    });
    expect(JSON.stringify(m.blocks)).toContain('100 waiting for Zoho to answer');
  });
});
