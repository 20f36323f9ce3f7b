import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { territoryCommand } from '../../../../src/listeners/commands/territory.js';
import { demoTerritories, territory } from '../../territories/fixtures.js';
import { asArgs, commandArgs, type FakeServices, fakeServices, REC, record } from '../helpers.js';

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

describe('/territory (commands listener)', () => {
  let services: FakeServices | undefined;
  const svc = () => services as FakeServices;
  afterEach(async () => {
    await services?.store.close();
  });

  async function run(text: string, opts: Parameters<typeof fakeServices>[0] = {}) {
    services = await fakeServices(opts);
    const args = commandArgs(text);
    await territoryCommand(services)(asArgs<Args>(args));
    return args;
  }

  it('help answers in the ack, ephemeral', async () => {
    const args = await run('help');
    expect(args.ack).toHaveBeenCalledTimes(1);
    const reply = args.ack.mock.calls[0]![0] as { response_type: string; text: string };
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/territory/i);
  });

  it('an unknown word is named back with the way to help', async () => {
    const args = await run('asign Leads/1 West');
    expect(JSON.stringify(args.ack.mock.calls[0]![0])).toContain('asign');
  });

  it('assign: one use case checks, stores and starts the request; the engine is handed its id', async () => {
    const { usWest } = demoTerritories();
    const args = await run(`assign Leads/${REC} US West`, { records: [record('Leads', REC)] });
    expect(args.ack.mock.calls[0]![0]).toMatchObject({ text: expect.stringContaining('Checking') });
    expect(svc().singles).toEqual([
      expect.objectContaining({
        action: 'assign',
        module: 'Leads',
        recordId: REC,
        territoryIds: [usWest.id],
      }),
    ]);
    expect(svc().started).toEqual(['single-1']);
    expect(args.respond).not.toHaveBeenCalled();
  });

  it('assign: a territory name holding a comma matches as a whole', async () => {
    const global = demoTerritories().global;
    const odd = territory('Retail, North', global.id, { id: '3652397000000199999' });
    await run(`assign Leads/${REC} Retail, North`, {
      records: [record('Leads', REC)],
      territories: [...demoTerritories().all, odd],
    });
    expect(svc().singles[0]?.territoryIds).toEqual([odd.id]);
  });

  it('assign: an unknown territory is refused, named back, and nothing is planned or started (kept as refused)', async () => {
    const args = await run(`assign Leads/${REC} US Wset`, { records: [record('Leads', REC)] });
    expect(svc().singles).toEqual([]);
    expect(svc().started).toEqual([]);
    expect(JSON.stringify(args.respond.mock.calls[0]![0])).toContain('US Wset');
  });

  it('assign without arguments opens the assign modal with the trigger id', async () => {
    const args = await run('assign');
    expect(args.client.views.open).toHaveBeenCalledWith(expect.objectContaining({ trigger_id: 'T-1' }));
  });

  it('bulk opens the bulk modal', async () => {
    const args = await run('bulk');
    expect(args.ack).toHaveBeenCalledWith();
    expect(args.client.views.open).toHaveBeenCalledTimes(1);
  });

  it('show names a territory the catalog does not know yet from the record, leaving the catalog’s names as they were', async () => {
    const { usWest } = demoTerritories();
    const newer = { id: '3652397000000188888', name: 'Brand New Territory' };
    const args = await run(`show Leads/${REC}`, {
      records: [
        record('Leads', REC, [
          { id: usWest.id, name: usWest.name },
          { id: newer.id, name: newer.name },
        ] as never),
      ],
    });
    const shown = JSON.stringify(args.respond.mock.calls.at(-1)![0]);
    expect(shown).toContain('US West');
    expect(shown).toContain('Brand New Territory');
    expect((await svc().catalog.names()).has(newer.id)).toBe(false);
  });

  it('requests lists the caller’s requests ephemerally', async () => {
    const args = await run('requests');
    expect(args.ack).toHaveBeenCalled();
    const replies = [...args.ack.mock.calls.map((c) => c[0]), ...args.respond.mock.calls.map((c) => c[0])];
    expect(JSON.stringify(replies)).toMatch(/request/i);
  });

  it('outside REQUESTER_USERGROUP: assign, bulk and show are refused before any Zoho read; help and list stay open', async () => {
    const group = { policy: { requesterUsergroup: 'SREQ' }, groups: { SREQ: ['USOMEONEELSE'] } };
    for (const text of [`assign Leads/${REC} US West`, 'bulk', `show Leads/${REC}`, 'assign']) {
      const args = await run(text, { records: [record('Leads', REC)], ...group });
      const said = JSON.stringify([...args.ack.mock.calls, ...args.respond.mock.calls]);
      expect(said, text).toMatch(/requester user group/);
      expect(args.client.views.open, text).not.toHaveBeenCalled();
      expect(svc().zohoReads, text).toEqual([]);
      expect(svc().singles, text).toEqual([]);
      await svc().store.close();
    }
    const help = await run('help', group);
    expect(JSON.stringify(help.ack.mock.calls[0]![0])).toMatch(/territory/i);
  });
});
