/**
 * Slack's people as core/access's ports (DESIGN.md §4): a person's profile email
 * (`users.info`) and the Slack user with an email (`users.lookupByEmail`). Both need the bot
 * scope `users:read.email`; without it Slack shows no email, and the person stays unmapped.
 */
import type { WebClient } from '@slack/web-api';
import type { SlackDirectory, SlackProfiles } from '../core/access/index.js';

function slackErrorCode(err: unknown): string | undefined {
  return (err as { data?: { error?: string } }).data?.error;
}

export class SlackPeople implements SlackProfiles, SlackDirectory {
  constructor(private readonly client: WebClient) {}

  async emailOf(slackUserId: string): Promise<string | null> {
    try {
      const res = await this.client.users.info({ user: slackUserId });
      if (res.user?.is_bot || res.user?.deleted) return null;
      const email = res.user?.profile?.email;
      return typeof email === 'string' && email.trim() !== '' ? email : null;
    } catch (err) {
      // A user Slack does not know has no email; anything else (rate limit, outage) is thrown.
      if (slackErrorCode(err) === 'user_not_found') return null;
      throw err;
    }
  }

  async userByEmail(email: string): Promise<string | null> {
    try {
      const res = await this.client.users.lookupByEmail({ email });
      if (!res.user?.id || res.user.deleted) return null;
      return res.user.id;
    } catch (err) {
      if (slackErrorCode(err) === 'users_not_found') return null;
      throw err;
    }
  }
}
