import type { ActionsBlock, Button } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { RequestState } from '../../../src/core/store/types.js';
import { ACTION } from '../../../src/views/ids.js';
import { progressFromCounts } from '../../../src/views/labels.js';
import { assertBlockKitLimits } from '../../../src/views/limits.js';
import { buildRequestMessage } from '../../../src/views/request-message.js';
import { summarizeItems } from '../../../src/views/summary.js';
import {
  BULK_REPORT_PROBLEMS,
  buildBulkFinalReply,
  buildRecordDoneReply,
  buildRecordFailedReply,
  buildRecordUnconfirmedReply,
} from '../../../src/views/thread-replies.js';
import {
  hostileName,
  item,
  moduleOf,
  namesOf,
  noRawInjection,
  recordId,
  request,
  T0,
  territoryId,
  territoryTree,
} from './fixtures.js';

const names = namesOf(territoryTree(50));
const linker = (m: string, id: string) =>
  `https://crm.zoho.eu/crm/org555/tab/${m === 'Deals' ? 'Potentials' : m}/${id}`;
const ALL_STATES: RequestState[] = [
  'draft',
  'pending_approval',
  'approved',
  'running',
  'done',
  'failed',
  'rejected',
  'expired',
  'cancelled',
];

function cancelButton(blocks: unknown[]): Button | undefined {
  const a = blocks.find((b) => (b as ActionsBlock).type === 'actions') as ActionsBlock | undefined;
  return a?.elements.find((e) => e.action_id === ACTION.requestCancel) as Button | undefined;
}

describe('request parent message', () => {
  it('single assign: who, what, link, state; Cancel only while pending', () => {
    for (const state of ALL_STATES) {
      const m = buildRequestMessage({
        request: request({
          kind: 'assign',
          state,
          itemCount: 1,
          decidedBy: 'U0MANAGER',
          decidedAt: T0 + 1000,
        }),
        records: [{ module: 'Deals', recordId: recordId(1), name: 'Acme renewal' }],
        territoryIds: [territoryId(3)],
        names,
        recordUrl: linker,
        progress: progressFromCounts({ done: 1 }),
      });
      assertBlockKitLimits(m);
      const json = JSON.stringify(m.blocks);
      expect(json).toContain('<@U0REQUEST> asked to assign *Territory 3* to');
      expect(json).toContain(
        `<https://crm.zoho.eu/crm/org555/tab/Potentials/${recordId(1)}|Deals/${recordId(1)}>`,
      );
      const cancel = cancelButton(m.blocks);
      if (state === 'pending_approval') expect(cancel?.value).toBe('req_01');
      else expect(cancel).toBeUndefined();
    }
  });

  it('shows badges and running n/N progress', () => {
    const running = buildRequestMessage({
      request: request({ state: 'running', itemCount: 10_000 }),
      records: [],
      names,
      progress: progressFromCounts({ done: 2400, failed: 100, scheduled: 7500 }, 10_000),
    });
    assertBlockKitLimits(running);
    expect(running.text).toBe('Bulk assign request for 10,000 records: running 2,500/10,000');
    expect(JSON.stringify(running.blocks)).toContain('Running 2,500/10,000');
    expect(JSON.stringify(running.blocks)).toContain('25%');

    const rejected = buildRequestMessage({
      request: request({
        state: 'rejected',
        decidedBy: 'U0MANAGER',
        decidedAt: T0,
        decisionComment: 'Not now <!here>',
      }),
      records: [],
      names,
    });
    const json = JSON.stringify(rejected.blocks);
    expect(json).toContain('Rejected* by <@U0MANAGER>');
    expect(json).toContain('Not now &lt;!here&gt;');

    const done = buildRequestMessage({
      request: request({ state: 'done' }),
      records: [],
      names,
      progress: progressFromCounts({ done: 8, failed: 2 }),
    });
    expect(JSON.stringify(done.blocks)).toContain('Done with problems (8 done, 2 failed)');
    expect(
      JSON.stringify(
        buildRequestMessage({ request: request({ state: 'expired' }), records: [], names }).blocks,
      ),
    ).toContain('Expired');
  });

  it('bulk with 10,000 records, hostile names and 2,000 territories stays within limits', () => {
    const bigNames = namesOf(territoryTree(2000, (i) => hostileName(i)));
    const items = Array.from({ length: 10_000 }, (_, i) =>
      item(i, { territoryIds: [territoryId(i % 2000)] }),
    );
    for (const state of ALL_STATES) {
      const m = buildRequestMessage({
        request: request({
          state,
          itemCount: 10_000,
          reason: hostileName(1, 3000),
          decisionComment: hostileName(2, 3000),
          decidedBy: 'U0MANAGER',
          decidedAt: T0,
        }),
        records: items
          .slice(0, 50)
          .map((x) => ({ module: x.module, recordId: x.recordId, name: hostileName(x.seq) })),
        summary: summarizeItems(items),
        names: bigNames,
        recordUrl: linker,
        progress: progressFromCounts({ done: 5000, failed: 5000 }),
      });
      assertBlockKitLimits(m);
      expect(noRawInjection(m)).toBe(true);
      expect(JSON.stringify(m.blocks)).toContain('…and 9,995 more records');
    }
  });
});

describe('thread replies', () => {
  it('done: mentions the requester and lists territories after the change', () => {
    const m = buildRecordDoneReply({
      requesterId: 'U0REQUEST',
      action: 'assign',
      record: {
        module: 'Leads',
        id: recordId(1),
        name: 'Jane Doe',
        territories: [
          { id: territoryId(1), name: 'North', assigned: 'manually' },
          { id: territoryId(2), name: 'West', assigned: 'automatically' },
        ],
      },
      territoryIds: [territoryId(1)],
      names: new Map([[territoryId(1), 'North']]),
    });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('<@U0REQUEST> :white_check_mark: Done: assigned *North* to');
    expect(json).toContain('Its territories now: *North* (manual), *West* (by rule)');
  });

  it('failed and unconfirmed: reason and what to check', () => {
    const record = { module: 'Accounts' as const, recordId: recordId(2) };
    const failed = buildRecordFailedReply({
      requesterId: 'U0REQUEST',
      action: 'remove',
      record,
      territoryIds: [territoryId(1)],
      names,
      reason: 'Rule-assigned territories cannot be removed',
      code: 'NOT_ALLOWED',
    });
    assertBlockKitLimits(failed);
    expect(JSON.stringify(failed.blocks)).toContain(
      '*Reason:* Rule-assigned territories cannot be removed (`NOT_ALLOWED`)',
    );
    const unconfirmed = buildRecordUnconfirmedReply({
      requesterId: 'U0REQUEST',
      action: 'assign',
      record,
      territoryIds: [territoryId(1)],
      names,
      jobId: '3652397000000999999',
      waitedMs: 30 * 60_000,
    });
    assertBlockKitLimits(unconfirmed);
    const json = JSON.stringify(unconfirmed.blocks);
    expect(json).toContain('not confirmed within 30 min');
    expect(json).toContain(`/territory show Accounts/${recordId(2)}`);
  });

  it('hostile single-record replies stay within limits', () => {
    const bigNames = namesOf(territoryTree(2000, (i) => hostileName(i)));
    const ids = Array.from({ length: 2000 }, (_, i) => territoryId(i));
    const record = { module: 'Deals' as const, recordId: recordId(3), name: hostileName(3) };
    const replies = [
      buildRecordDoneReply({
        requesterId: 'U0REQUEST',
        action: 'move',
        record: {
          module: 'Deals',
          id: recordId(3),
          name: hostileName(3),
          territories: ids.map((id) => ({ id, name: hostileName(1), assigned: 'manually' as const })),
        },
        territoryIds: ids,
        names: bigNames,
      }),
      buildRecordFailedReply({
        requesterId: 'U0REQUEST',
        action: 'assign',
        record,
        territoryIds: ids,
        names: bigNames,
        reason: hostileName(9, 10_000),
        code: hostileName(8),
      }),
      buildRecordUnconfirmedReply({
        requesterId: 'U0REQUEST',
        action: 'move',
        record,
        territoryIds: ids,
        names: bigNames,
        jobId: hostileName(4),
        waitedMs: 3 * 86_400_000,
      }),
    ];
    for (const m of replies) {
      assertBlockKitLimits(m);
      expect(noRawInjection(m)).toBe(true);
    }
  });

  it('bulk final: counts and every failure within limits for 10,000 items', () => {
    const problems = Array.from({ length: 10_000 }, (_, i) => ({
      lineNo: i + 2,
      module: moduleOf(i),
      recordId: recordId(i),
      recordName: i % 2 ? hostileName(i) : null,
      state: (i % 10 === 0 ? 'unconfirmed' : 'failed') as 'failed' | 'unconfirmed',
      reason: i % 3 ? hostileName(i, 500) : 'LIMIT_EXCEEDED: record at 10 territories',
    }));
    const m = buildBulkFinalReply({
      requesterId: 'U0REQUEST',
      requestId: 'req_01',
      progress: progressFromCounts({ failed: 9000, unconfirmed: 1000 }),
      problems,
    });
    assertBlockKitLimits(m);
    expect(noRawInjection(m)).toBe(true);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    const json = JSON.stringify(m.blocks);
    expect(json).toMatch(/…and [\d,]+ more \(see \/territory requests\)/);
    expect(m.text).toBe('Bulk request finished: 0 done, 9,000 failed, 1,000 unconfirmed, 0 skipped');
  });

  it('bulk final: given only the problems it can show, it counts them all from the progress', () => {
    // The notifier reads at most BULK_REPORT_PROBLEMS of each kind, never all 10,000 items.
    const problems = Array.from({ length: BULK_REPORT_PROBLEMS }, (_, i) => ({
      lineNo: i + 2,
      module: moduleOf(i),
      recordId: recordId(i),
      state: 'failed' as const,
      reason: 'LIMIT_EXCEEDED: record at 10 territories',
    }));
    const m = buildBulkFinalReply({
      requesterId: 'U0REQUEST',
      requestId: 'req_01',
      progress: progressFromCounts({ done: 1_000, failed: 9_000 }),
      problems,
    });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('*Failed (9,000)*');
    const more = json.match(/…and ([\d,]+) more/);
    expect(Number(more?.[1]?.replace(/,/g, ''))).toBeGreaterThan(9_000 - BULK_REPORT_PROBLEMS);
  });

  it('bulk final: a few failures are all listed, with reasons', () => {
    const m = buildBulkFinalReply({
      requesterId: 'U0REQUEST',
      requestId: 'req_01',
      progress: progressFromCounts({ done: 97, failed: 2, skipped: 1 }),
      problems: [
        {
          lineNo: 4,
          module: 'Deals',
          recordId: recordId(4),
          state: 'failed',
          reason: 'Deal already has a territory',
        },
        { lineNo: 9, module: 'Leads', recordId: recordId(9), state: 'failed', reason: 'Record not found' },
      ],
    });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain(`• Line 4 · \`Deals/${recordId(4)}\`: Deal already has a territory`);
    expect(json).toContain(`• Line 9 · \`Leads/${recordId(9)}\`: Record not found`);
    expect(json).not.toContain('more (see');
    expect(json).toContain('*Done*\\n97');
  });
});
