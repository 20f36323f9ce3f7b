import { describe, expect, it } from 'vitest';
import { IdentityMap } from '../../../src/core/access/identity.js';
import { parseIdentityOverrides } from '../../../src/core/access/overrides.js';
import { ZohoUserDirectory } from '../../../src/core/access/zoho-users.js';
import { ManualClock } from '../../../src/core/clock.js';
import { FakeSlack, FakeUsersApi, zid, zohoUser } from './fakes.js';

const MIN = 60_000;

function setup(
  opts: { overrides?: string; emails?: Record<string, string | null>; directory?: boolean } = {},
) {
  const clock = new ManualClock();
  const api = new FakeUsersApi([
    zohoUser(1, 'ana@acme.test'),
    zohoUser(2, 'Ben@Acme.test'),
    zohoUser(3, 'carl.old@acme.test'),
    zohoUser(4, 'gone@acme.test', { status: 'inactive' }),
    zohoUser(5, 'twin@acme.test'),
    zohoUser(6, 'twin@acme.test'),
    zohoUser(7, 'dora@acme.test'),
  ]);
  const slack = new FakeSlack(
    opts.emails ?? {
      UANA: 'ana@acme.test',
      UBEN: 'ben@acme.test',
      UCARL: 'carl@acme.test',
      UNOMAIL: null,
      UGONE: 'gone@acme.test',
      UTWIN: 'twin@acme.test',
      UDORA: 'dora@acme.test',
    },
  );
  const users = new ZohoUserDirectory({ api, clock });
  const overrides = opts.overrides ? parseIdentityOverrides(opts.overrides, 'identity.yml') : undefined;
  const map = new IdentityMap({
    users,
    profiles: slack,
    ...(opts.directory === false ? {} : { directory: slack }),
    ...(overrides ? { overrides } : {}),
    clock,
  });
  return { clock, api, slack, users, map };
}

describe('IdentityMap.zohoUserFor', () => {
  it('maps a Slack user to the active Zoho user with the same email, case-insensitively', async () => {
    const { map } = setup();
    const r = await map.zohoUserFor('UBEN');
    expect(r).toMatchObject({ ok: true, via: 'email', slackUserId: 'UBEN' });
    expect(r.ok && r.zohoUser.id).toBe(zid(2));
  });

  it('reads Zoho users once per period and each Slack profile once per period', async () => {
    const { map, api, slack, clock } = setup();
    await Promise.all([map.zohoUserFor('UANA'), map.zohoUserFor('UANA'), map.zohoUserFor('UBEN')]);
    await map.zohoUserFor('UANA');
    expect(api.calls).toBe(1);
    expect(slack.profileCalls).toEqual(['UANA', 'UBEN']);
    clock.advance(6 * MIN);
    await map.zohoUserFor('UANA');
    expect(slack.profileCalls).toEqual(['UANA', 'UBEN', 'UANA']);
    expect(api.calls).toBe(1);
    clock.advance(5 * MIN);
    await map.zohoUserFor('UANA');
    expect(api.calls).toBe(2);
  });

  it('the overrides file wins over email', async () => {
    const { map, slack } = setup({ overrides: `UCARL: "${zid(3)}"\nUANA: "${zid(7)}"\n` });
    const carl = await map.zohoUserFor('UCARL');
    expect(carl.ok && [carl.zohoUser.id, carl.via]).toEqual([zid(3), 'override']);
    const ana = await map.zohoUserFor('UANA');
    expect(ana.ok && ana.zohoUser.id).toBe(zid(7));
    expect(slack.profileCalls).toEqual([]);
  });

  it.each([
    {
      who: 'UNOMAIL',
      reason: 'no_slack_email',
      says: ['your Slack profile shows no email', 'IDENTITY_OVERRIDES', '`UNOMAIL: "<your Zoho user id>"`'],
    },
    {
      who: 'UCARL',
      reason: 'no_zoho_user',
      says: [
        'no active Zoho user has your Slack email (carl@acme.test)',
        'same email as in Slack',
        'IDENTITY_OVERRIDES',
      ],
    },
    {
      who: 'UGONE',
      reason: 'no_zoho_user',
      says: ['no active Zoho user has your Slack email (gone@acme.test)'],
    },
    {
      who: 'UTWIN',
      reason: 'ambiguous_email',
      says: ['2 active Zoho users have your Slack email (twin@acme.test)', 'IDENTITY_OVERRIDES'],
    },
    { who: 'UNKNOWN1', reason: 'no_slack_email', says: ['no email'] },
  ])('$who is not mapped ($reason) and is told why and who can fix it', async ({ who, reason, says }) => {
    const { map } = setup();
    const r = await map.zohoUserFor(who);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    for (const s of says) expect(r.message).toContain(s);
    expect(r.message).toContain('you can use help, list and requests');
    expect(r.message.startsWith(r.why)).toBe(true);
    expect(r.message.endsWith(r.fix)).toBe(true);
  });

  it('an override to a Zoho user that is not active names the file, line and id', async () => {
    const { map } = setup({ overrides: `UANA: "${zid(1)}"\nUCARL: "${zid(4)}"\n` });
    const r = await map.zohoUserFor('UCARL');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('override_not_active');
    expect(r.message).toContain(`(identity.yml, line 2) maps you to Zoho user ${zid(4)}`);
    expect(r.fix).toContain('correct your line');
  });

  it('a miss re-reads Zoho (a new hire) at most once a minute', async () => {
    const { map, api, clock } = setup();
    expect((await map.zohoUserFor('UCARL')).ok).toBe(false);
    expect(api.calls).toBe(1);
    api.users.push(zohoUser(8, 'carl@acme.test'));
    clock.advance(30_000);
    expect((await map.zohoUserFor('UCARL')).ok).toBe(false);
    expect(api.calls).toBe(1);
    clock.advance(31_000);
    const r = await map.zohoUserFor('UCARL');
    expect(r.ok && r.zohoUser.id).toBe(zid(8));
    expect(api.calls).toBe(2);
  });

  it('a failed Zoho read is not cached: the next call reads again', async () => {
    const { map, api } = setup();
    api.failNext = true;
    await expect(map.zohoUserFor('UANA')).rejects.toThrow('zoho down');
    expect((await map.zohoUserFor('UANA')).ok).toBe(true);
    expect(api.calls).toBe(2);
  });
});

describe('IdentityMap.slackUserFor (mentioning Zoho managers)', () => {
  it('uses the overrides file first, without asking Slack', async () => {
    const { map, slack } = setup({ overrides: `UCARL: "${zid(3)}"\n` });
    expect(await map.slackUserFor(zid(3))).toBe('UCARL');
    expect(slack.lookupCalls).toEqual([]);
  });

  it('reuses a Slack user already matched by email', async () => {
    const { map, slack } = setup();
    await map.zohoUserFor('UDORA');
    expect(await map.slackUserFor(zid(7))).toBe('UDORA');
    expect(slack.lookupCalls).toEqual([]);
  });

  it("otherwise looks the Zoho user's email up in Slack, once per period (found or not)", async () => {
    const { map, slack, clock } = setup();
    expect(await map.slackUserFor(zid(2))).toBe('UBEN');
    expect(await map.slackUserFor(zid(3))).toBeNull();
    expect(await map.slackUserFor(zid(2))).toBe('UBEN');
    expect(await map.slackUserFor(zid(3))).toBeNull();
    expect(slack.lookupCalls).toEqual(['ben@acme.test', 'carl.old@acme.test']);
    clock.advance(11 * MIN);
    await map.slackUserFor(zid(3));
    expect(slack.lookupCalls).toHaveLength(3);
  });

  it('never returns a Slack user the overrides map to someone else', async () => {
    // UANA's email matches Zoho user 1, but the file says UANA acts as Zoho user 7.
    const { map } = setup({ overrides: `UANA: "${zid(7)}"\n` });
    expect(await map.slackUserFor(zid(1))).toBeNull();
    expect(await map.slackUserFor(zid(7))).toBe('UANA');
  });

  it('a Zoho user who is not active, or unknown, maps to nobody', async () => {
    const { map, slack } = setup();
    expect(await map.slackUserFor(zid(4))).toBeNull();
    expect(await map.slackUserFor('999')).toBeNull();
    expect(slack.lookupCalls).toEqual([]);
  });

  it('without a Slack directory only overrides and seen emails map back', async () => {
    const { map } = setup({ directory: false });
    expect(await map.slackUserFor(zid(2))).toBeNull();
    await map.zohoUserFor('UBEN');
    // The earlier "nobody" is cached; forget() drops it.
    map.forget();
    await map.zohoUserFor('UBEN');
    expect(await map.slackUserFor(zid(2))).toBe('UBEN');
  });

  it('a Slack lookup failure answers null for now and is not cached', async () => {
    const { map, slack } = setup();
    slack.lookupFails = true;
    expect(await map.slackUserFor(zid(2))).toBeNull();
    slack.lookupFails = false;
    expect(await map.slackUserFor(zid(2))).toBe('UBEN');
  });

  it('slackUsersFor maps many at once and leaves out the ones nobody is', async () => {
    const { map } = setup({ overrides: `UCARL: "${zid(3)}"\n` });
    const m = await map.slackUsersFor([zid(1), zid(3), zid(4), zid(1)]);
    expect(Object.fromEntries(m)).toEqual({ [zid(1)]: 'UANA', [zid(3)]: 'UCARL' });
  });

  it('forget(slackUserId) drops that person’s email and reverse entry', async () => {
    const { map, slack } = setup();
    await map.zohoUserFor('UDORA');
    map.forget('UDORA');
    slack.emails.UDORA = 'dora.new@acme.test';
    const r = await map.zohoUserFor('UDORA');
    expect(r.ok).toBe(false);
    expect(await map.slackUserFor(zid(7))).toBeNull();
  });
});
