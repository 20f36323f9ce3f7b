/**
 * `/territory undo` through its listener with fakes: who may, what is put back (and how: a
 * Deal moves), what is left alone with the reason; the undo is a draft submitted like any list.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { undoEntries } from '../../../../src/core/requests/index.js';
import type { RequestItemRecord, RequestState } from '../../../../src/core/store/types.js';
import type { ZohoModule } from '../../../../src/core/zoho/types.js';
import { territoryCommand } from '../../../../src/listeners/commands/territory.js';
import { demoTerritories } from '../../territories/fixtures.js';
import { asArgs, commandArgs, type FakeServices, fakeServices, NOW, record } from '../helpers.js';

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
const t = demoTerritories();
const A = '3652397000002000001';
const B = '3652397000002000002';
const D = '3652397000002000003';

function item(
  seq: number,
  module: ZohoModule,
  recordId: string,
  before: string[],
  after: string[],
  state: RequestItemRecord['state'] = 'done',
): RequestItemRecord {
  // What such a request sent: added territories, and removed ones (a move when both).
  const add = after.filter((x) => !before.includes(x));
  const rm = before.filter((x) => !after.includes(x));
  const action = add.length > 0 && rm.length > 0 ? 'move' : rm.length > 0 ? 'remove' : 'assign';
  return {
    requestId: 'r',
    seq,
    lineNo: seq + 1,
    module,
    recordId,
    action,
    territoryIds: action === 'remove' ? rm : add,
    removeTerritoryIds: action === 'move' ? rm : [],
    state,
    jobId: null,
    code: null,
    message: null,
    attempts: 1,
    before,
    after,
    notBefore: null,
    updatedAt: NOW,
    recordName: null,
    warning: null,
    issue: null,
  };
}

describe('undoEntries', () => {
  it('takes back what was added, gives back what was removed, moves a Deal and mixed changes', () => {
    const entries = undoEntries([
      item(0, 'Leads', A, [], [t.usWest.id]),
      item(1, 'Accounts', B, [t.dach.id, t.usWest.id], [t.usWest.id]),
      item(2, 'Deals', D, [t.dach.id], [t.usEast.id]),
      item(3, 'Contacts', '3652397000002000004', [t.dach.id], [t.usEast.id]),
    ]);
    expect(entries.map((e) => [e.entry.ref.recordId, e.action, e.territoryIds, e.expectCurrent])).toEqual([
      [A, 'remove', [t.usWest.id], [t.usWest.id]],
      [B, 'assign', [t.dach.id], [t.usWest.id]],
      [D, 'move', [t.dach.id], [t.usEast.id]],
      ['3652397000002000004', 'move', [t.dach.id], [t.usEast.id]],
    ]);
  });

  it("reverses only the request's own change, not what someone did between its preview and its run", () => {
    // Planned on [] (preview); by the run someone had added DACH; the request added US West.
    const it = { ...item(0, 'Leads', A, [], [t.dach.id, t.usWest.id]), territoryIds: [t.usWest.id] };
    expect(undoEntries([it]).map((e) => [e.action, e.territoryIds])).toEqual([['remove', [t.usWest.id]]]);
  });

  it('leaves out items that changed nothing or were not confirmed', () => {
    expect(
      undoEntries([
        item(0, 'Leads', A, [t.usWest.id], [t.usWest.id]),
        item(1, 'Leads', B, [], [t.usWest.id], 'failed'),
        item(2, 'Leads', D, [], [t.usWest.id], 'unconfirmed'),
        { ...item(3, 'Leads', D, [], []), after: null },
      ]),
    ).toEqual([]);
  });
});

describe('/territory undo (commands listener)', () => {
  let services: FakeServices | undefined;
  afterEach(async () => {
    await services?.store.close();
  });

  async function finished(state: RequestState = 'done'): Promise<string> {
    const s = services as FakeServices;
    await s.store.createRequest(
      {
        id: 'orig-1',
        kind: 'bulk',
        state,
        requesterId: 'UREP',
        originChannelId: 'CSALES',
        reason: 'Q3',
        itemCount: 2,
        summary: {},
        createdAt: NOW,
        expiresAt: null,
      },
      [A, B].map((id, seq) => ({
        seq,
        lineNo: seq + 1,
        module: 'Leads' as const,
        recordId: id,
        action: 'assign' as const,
        territoryIds: [t.usWest.id],
        removeTerritoryIds: [],
        before: [],
      })),
    );
    await s.store.updateItems('orig-1', [0, 1], { state: 'done', after: [t.usWest.id] });
    return 'orig-1';
  }

  async function run(text: string, user = 'UREP') {
    const args = commandArgs(text, user);
    await territoryCommand(services as FakeServices)(asArgs<Args>(args));
    return args;
  }

  const usWestOn = { id: t.usWest.id, name: 'US West', assigned: 'manually' as const };
  const dachOn = { id: t.dach.id, name: 'DACH', assigned: 'manually' as const };

  it('without a request answers how to find one', async () => {
    services = await fakeServices();
    const args = await run('undo');
    expect(JSON.stringify(args.ack.mock.calls[0]![0])).toContain('/territory requests');
  });

  it('refuses someone who is neither the requester nor an admin, storing nothing', async () => {
    services = await fakeServices({
      records: [record('Leads', A, [usWestOn]), record('Leads', B, [usWestOn])],
    });
    await finished();
    const args = await run('undo orig-1', 'UOTHER');
    expect(JSON.stringify(args.respond.mock.calls[0]![0])).toContain('Only the person who asked');
    expect(await services.store.listRequestsByRequester('UOTHER', 5)).toEqual([]);
  });

  it('outside REQUESTER_USERGROUP: refused like assign, before any read or stored draft', async () => {
    services = await fakeServices({
      records: [record('Leads', A, [usWestOn]), record('Leads', B, [usWestOn])],
      policy: { requesterUsergroup: 'SREQ' },
      groups: { SREQ: ['USOMEONEELSE'] },
    });
    await finished();
    const args = await run('undo orig-1');
    expect(JSON.stringify(args.respond.mock.calls[0]![0])).toMatch(/requester user group/);
    expect(services.zohoReads).toEqual([]);
    expect(await services.store.listRequestsByRequester('UREP', 5)).toEqual([
      expect.objectContaining({ id: 'orig-1' }),
    ]);
  });

  it('refuses a request that has not finished', async () => {
    services = await fakeServices();
    await finished('running');
    const args = await run('undo orig-1');
    expect(JSON.stringify(args.respond.mock.calls[0]![0])).toContain('only a finished request can be undone');
  });

  it('an admin undoes it: a new request, the changed record skipped with the reason', async () => {
    services = await fakeServices({
      records: [record('Leads', A, [usWestOn]), record('Leads', B, [usWestOn, dachOn])],
    });
    await finished();
    const args = await run('undo orig-1', 'UMGR');
    const answer = JSON.stringify(args.respond.mock.calls[0]![0]);
    expect(answer).toContain('Undo request');
    expect(answer).toContain('1 record goes back');
    expect(answer).toContain(`Leads/${B}`);
    expect(answer).toContain('Changed since the request: it now has US West, DACH, the request left US West');
    const [undo] = await services.store.listRequestsByRequester('UMGR', 5);
    expect(undo?.summary.undoOf).toBe('orig-1');
    expect(undo?.state).toBe('approved');
    const items = await services.store.listItems(undo!.id);
    expect(items.map((i) => [i.recordId, i.action, i.state, i.territoryIds])).toEqual([
      [A, 'remove', 'pending', [t.usWest.id]],
      [B, 'remove', 'skipped', []],
    ]);
    expect(services.started).toEqual([undo!.id]);
  });
});
