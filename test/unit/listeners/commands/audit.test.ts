import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { territoryCommand } from '../../../../src/listeners/commands/territory.js';
import { asArgs, commandArgs, type FakeServices, fakeServices, NOW, REC } from '../helpers.js';

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

describe('/territory audit (commands listener)', () => {
  let services: FakeServices | undefined;
  afterEach(async () => {
    await services?.store.close();
  });

  async function run(text: string, user: string) {
    services = await fakeServices();
    await services.store.createRequest(
      {
        id: 'req-1',
        kind: 'assign',
        state: 'done',
        requesterId: 'UREP',
        originChannelId: 'CSALES',
        reason: null,
        itemCount: 1,
        summary: {},
        createdAt: NOW - 1_000,
        expiresAt: null,
      },
      [
        {
          seq: 0,
          lineNo: null,
          module: 'Leads',
          recordId: REC,
          action: 'assign',
          territoryIds: ['1'],
          removeTerritoryIds: [],
          before: [],
        },
      ],
    );
    const args = commandArgs(text, user);
    await territoryCommand(services)(asArgs<Args>(args));
    return args;
  }

  it('acks at once, uploads the CSV into the DM, and answers where it went', async () => {
    const args = await run(`audit Leads/${REC}`, 'UMGR');
    expect(args.ack).toHaveBeenCalledTimes(1);
    expect(args.client.conversations.open).toHaveBeenCalledWith({ users: 'UMGR' });
    const upload = args.client.filesUploadV2.mock.calls[0]![0] as {
      channel_id: string;
      file: Buffer;
      filename: string;
    };
    expect(upload.channel_id).toBe('D-DM');
    expect(upload.filename).toMatch(/\.csv$/);
    expect(upload.file.toString('utf8')).toContain(`Leads/${REC}`);
    expect(JSON.stringify(args.respond.mock.calls[0]![0])).toContain('1 row');
  });

  it('a bad filter gets the problem back and no upload', async () => {
    const args = await run('audit since someday', 'UREP');
    expect(args.client.filesUploadV2).not.toHaveBeenCalled();
    expect(JSON.stringify(args.respond.mock.calls[0]![0])).toContain('is not a date');
  });

  it('an upload Slack refuses is reported, not thrown', async () => {
    services = await fakeServices();
    await services.store.createRequest(
      {
        id: 'req-2',
        kind: 'assign',
        state: 'done',
        requesterId: 'UREP',
        originChannelId: null,
        reason: null,
        itemCount: 1,
        summary: {},
        createdAt: NOW,
        expiresAt: null,
      },
      [
        {
          seq: 0,
          lineNo: null,
          module: 'Leads',
          recordId: REC,
          action: 'assign',
          territoryIds: ['1'],
          removeTerritoryIds: [],
          before: [],
        },
      ],
    );
    const args = commandArgs('audit', 'UREP');
    args.client.filesUploadV2.mockRejectedValueOnce(new Error('missing_scope'));
    await territoryCommand(services)(asArgs<Args>(args));
    expect(JSON.stringify(args.respond.mock.calls[0]![0])).toContain('could not be made or sent');
  });
});
