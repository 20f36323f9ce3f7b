/** Slack user groups as core's GroupDirectory (usergroups.users.list needs usergroups:read). */
import type { WebClient } from '@slack/web-api';
import type { GroupDirectory } from '../core/approvals/index.js';

export class SlackGroupDirectory implements GroupDirectory {
  constructor(private readonly client: WebClient) {}

  async members(groupId: string): Promise<string[]> {
    const res = await this.client.usergroups.users.list({ usergroup: groupId });
    return res.users ?? [];
  }
}
