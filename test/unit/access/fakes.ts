/** Test doubles for the access module's ports: scripted Zoho users and Slack profiles/directory. */
import type { SlackDirectory, SlackProfiles } from '../../../src/core/access/ports.js';
import type { ZohoUser, ZohoUsersApi } from '../../../src/core/zoho/types.js';

export const zid = (n: number) => `36523970000002${String(n).padStart(5, '0')}`;

export function zohoUser(n: number, email: string | null, extra: Partial<ZohoUser> = {}): ZohoUser {
  return {
    id: zid(n),
    fullName: `Person ${n}`,
    email,
    status: 'active',
    zuid: null,
    roleName: null,
    profileName: null,
    ...extra,
  };
}

export class FakeUsersApi implements ZohoUsersApi {
  calls = 0;
  failNext = false;
  constructor(public users: ZohoUser[]) {}
  async listActiveUsers(): Promise<ZohoUser[]> {
    this.calls++;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('zoho down');
    }
    return [...this.users];
  }
}

export class FakeSlack implements SlackProfiles, SlackDirectory {
  profileCalls: string[] = [];
  lookupCalls: string[] = [];
  lookupFails = false;
  /** Slack user id → profile email. */
  constructor(public emails: Record<string, string | null>) {}
  async emailOf(slackUserId: string): Promise<string | null> {
    this.profileCalls.push(slackUserId);
    return this.emails[slackUserId] ?? null;
  }
  async userByEmail(email: string): Promise<string | null> {
    this.lookupCalls.push(email);
    if (this.lookupFails) throw new Error('slack down');
    const hit = Object.entries(this.emails).find(([, e]) => e?.toLowerCase() === email.toLowerCase());
    return hit?.[0] ?? null;
  }
}
