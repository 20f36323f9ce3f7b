/** SlackPeople (src/notify) against the emulator: profile email and lookup by email, with and without users:read.email. */
import { afterEach, describe, expect, it } from 'vitest';
import { SlackPeople } from '../../../src/notify/slack-people.js';
import { DEMO_IDS, type SlackEmulator, startSlackEmulator } from '../../../src/sandbox/slack/index.js';
import { webClient } from './harness.js';

describe('SlackPeople against the emulator', () => {
  let emulator: SlackEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('reads profile.email with users.info and finds people with users.lookupByEmail', async () => {
    emulator = await startSlackEmulator();
    const people = new SlackPeople(webClient(emulator));
    const email = await people.emailOf(DEMO_IDS.rep);
    expect(email).toMatch(/@/);
    expect(await people.userByEmail(email!.toUpperCase())).toBe(DEMO_IDS.rep);
    expect(await people.userByEmail('nobody-here@example.com')).toBeNull();
    expect(await people.emailOf('U0NOBODY99')).toBeNull();
  });

  it('without users:read.email: no email on the profile, lookupByEmail answers missing_scope', async () => {
    emulator = await startSlackEmulator({ missingScopes: ['users:read.email'] });
    const client = webClient(emulator);
    const people = new SlackPeople(client);
    expect(await people.emailOf(DEMO_IDS.rep)).toBeNull();
    const err = await client.users.lookupByEmail({ email: 'x@example.com' }).catch((e: unknown) => e);
    expect((err as { data?: { error?: string; needed?: string } }).data).toMatchObject({
      error: 'missing_scope',
      needed: 'users:read.email',
    });
    await expect(people.userByEmail('x@example.com')).rejects.toThrow();
  });
});
