import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { territorySearch } from '../../../../src/listeners/options/territory-search.js';
import { demoTerritories } from '../../territories/fixtures.js';
import { asArgs, type FakeServices, fakeServices, fakeSlack } from '../helpers.js';

type Args = AllMiddlewareArgs & SlackOptionsMiddlewareArgs;

describe('territorySearch (options listener)', () => {
  let services: FakeServices | undefined;
  afterEach(async () => {
    await services?.store.close();
  });

  it('answers the type-ahead with matching territories from the catalog', async () => {
    services = await fakeServices();
    const slack = fakeSlack();
    await territorySearch(services)(asArgs<Args>({ ...slack, options: { value: 'us we' } }));
    const answer = slack.ack.mock.calls[0]![0] as { options: Array<{ value: string }> };
    expect(answer.options.map((o) => o.value)).toContain(demoTerritories().usWest.id);
  });

  it('answers an empty list when the catalog cannot be read', async () => {
    services = await fakeServices();
    services.catalog.get = async () => Promise.reject(new Error('Zoho is down'));
    const slack = fakeSlack();
    await territorySearch(services)(asArgs<Args>({ ...slack, options: { value: 'us' } }));
    expect(slack.ack).toHaveBeenCalledWith({ options: [] });
  });
});
