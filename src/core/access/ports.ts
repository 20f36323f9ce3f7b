/**
 * What the access module needs from Slack, as ports so core stays Slack-free (DESIGN.md §7).
 * Implemented on the Slack side; both need the bot scope `users:read.email`.
 */

export interface SlackProfiles {
  /**
   * The email on the person's Slack profile (`users.info` → `user.profile.email`), or null
   * when Slack shows none (bots, guests without one, or the scope is missing).
   */
  emailOf(slackUserId: string): Promise<string | null>;
}

export interface SlackDirectory {
  /**
   * The Slack user with this email (`users.lookupByEmail`, Tier 3), or null when Slack answers
   * `users_not_found`. Used to mention Zoho territory managers in Slack.
   */
  userByEmail(email: string): Promise<string | null>;
}
