/**
 * Who a Slack user is in Zoho CRM, and back (DESIGN.md §4). A Slack user acts as the active
 * Zoho user with the same email; IDENTITY_OVERRIDES wins over email for people whose emails
 * differ. The reverse (a Zoho territory manager → the Slack user to mention) uses the overrides,
 * then the emails already matched, then Slack's directory.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ZohoUser } from '../zoho/types.js';
import { type IdentityOverrides, NO_OVERRIDES } from './overrides.js';
import type { SlackDirectory, SlackProfiles } from './ports.js';
import { normalizeEmail, type ZohoUserDirectory, type ZohoUserIndex } from './zoho-users.js';

export const DEFAULT_PROFILE_TTL_MS = 5 * 60 * 1000;
export const DEFAULT_REVERSE_TTL_MS = 10 * 60 * 1000;

export type UnmappedReason =
  /** Slack shows no email for the person (or the app lacks users:read.email). */
  | 'no_slack_email'
  /** No active Zoho user has the person's Slack email. */
  | 'no_zoho_user'
  /** Several active Zoho users share the email. */
  | 'ambiguous_email'
  /** The overrides file maps the person to a Zoho user that is not active (or does not exist). */
  | 'override_not_active';

export type Identity =
  | { ok: true; slackUserId: string; zohoUser: ZohoUser; via: 'override' | 'email' }
  | {
      ok: false;
      slackUserId: string;
      reason: UnmappedReason;
      /** The Slack email tried, when there was one. */
      email: string | null;
      /** Why the person cannot act. */
      why: string;
      /** Who can fix it, and how. */
      fix: string;
      /** `why`, what they can still do, and `fix`, as one text for the person. */
      message: string;
    };

export type UnmappedIdentity = Extract<Identity, { ok: false }>;

export interface IdentityMapOptions {
  users: ZohoUserDirectory;
  profiles: SlackProfiles;
  /** For the reverse mapping of people never seen yet; without it only overrides and seen emails map back. */
  directory?: SlackDirectory;
  overrides?: IdentityOverrides;
  clock: Clock;
  /** How long a Slack profile email is reused; default 5 minutes. */
  profileTtlMs?: number;
  /** How long a Zoho → Slack answer (found or not) is reused; default 10 minutes. */
  reverseTtlMs?: number;
  logger?: Logger;
}

interface Timed<T> {
  value: T;
  at: number;
}

export class IdentityMap {
  private readonly users: ZohoUserDirectory;
  private readonly profiles: SlackProfiles;
  private readonly directory: SlackDirectory | null;
  private readonly overrides: IdentityOverrides;
  private readonly clock: Clock;
  private readonly profileTtlMs: number;
  private readonly reverseTtlMs: number;
  private readonly logger: Logger | undefined;
  private readonly emails = new Map<string, Timed<string | null>>();
  private readonly emailReads = new Map<string, Promise<string | null>>();
  /** Zoho user id → Slack user id (or null: nobody in Slack). */
  private readonly reverse = new Map<string, Timed<string | null>>();
  private readonly reverseReads = new Map<string, Promise<string | null>>();

  constructor(options: IdentityMapOptions) {
    this.users = options.users;
    this.profiles = options.profiles;
    this.directory = options.directory ?? null;
    this.overrides = options.overrides ?? NO_OVERRIDES;
    this.clock = options.clock;
    this.profileTtlMs = options.profileTtlMs ?? DEFAULT_PROFILE_TTL_MS;
    this.reverseTtlMs = options.reverseTtlMs ?? DEFAULT_REVERSE_TTL_MS;
    this.logger = options.logger;
  }

  /** The active Zoho user the Slack user acts as, or why there is none and who can fix it. */
  async zohoUserFor(slackUserId: string): Promise<Identity> {
    const override = this.overrides.bySlackUser.get(slackUserId);
    if (override) {
      let index = await this.users.get();
      let user = index.byId(override.zohoUserId);
      if (!user) {
        index = await this.users.afterMiss(index);
        user = index.byId(override.zohoUserId);
      }
      if (user) return { ok: true, slackUserId, zohoUser: user, via: 'override' };
      return unmapped(slackUserId, 'override_not_active', null, {
        zohoUserId: override.zohoUserId,
        file: this.overrides.file,
        line: override.line,
      });
    }

    const email = await this.emailOf(slackUserId);
    if (email === null) return unmapped(slackUserId, 'no_slack_email', null);
    let index: ZohoUserIndex = await this.users.get();
    let matches = index.byEmail(email);
    if (matches.length === 0) {
      index = await this.users.afterMiss(index);
      matches = index.byEmail(email);
    }
    if (matches.length === 0) return unmapped(slackUserId, 'no_zoho_user', email);
    if (matches.length > 1) return unmapped(slackUserId, 'ambiguous_email', email, { count: matches.length });
    const user = matches[0]!;
    // Remember the pair: mentioning this person as a manager later needs no Slack lookup.
    const taken = this.overrides.byZohoUser.get(user.id);
    if (!taken) this.reverse.set(user.id, { value: slackUserId, at: this.clock.now() });
    return { ok: true, slackUserId, zohoUser: user, via: 'email' };
  }

  /**
   * The Slack user who acts as this Zoho user, or null (not active in Zoho, or nobody in Slack):
   * the overrides first, then a Slack user already matched by email, then Slack's directory by
   * the Zoho user's email. A Slack user the overrides map elsewhere is never returned.
   */
  async slackUserFor(zohoUserId: string): Promise<string | null> {
    const override = this.overrides.byZohoUser.get(zohoUserId);
    if (override) return override.slackUserId;
    const known = this.reverse.get(zohoUserId);
    if (known && this.clock.now() - known.at < this.reverseTtlMs) return known.value;
    const running = this.reverseReads.get(zohoUserId);
    if (running) return running;
    const p = this.lookUpSlackUser(zohoUserId).finally(() => this.reverseReads.delete(zohoUserId));
    this.reverseReads.set(zohoUserId, p);
    return p;
  }

  /** `slackUserFor` for many Zoho users at once: the ones that map, by Zoho user id. */
  async slackUsersFor(zohoUserIds: Iterable<string>): Promise<Map<string, string>> {
    const ids = [...new Set(zohoUserIds)];
    const found = await Promise.all(ids.map(async (id) => [id, await this.slackUserFor(id)] as const));
    const out = new Map<string, string>();
    for (const [id, slack] of found) if (slack !== null) out.set(id, slack);
    return out;
  }

  /** Forget cached Slack emails and reverse answers (e.g. after a `user_change` event). */
  forget(slackUserId?: string): void {
    if (slackUserId === undefined) {
      this.emails.clear();
      this.reverse.clear();
      return;
    }
    this.emails.delete(slackUserId);
    for (const [zohoId, entry] of this.reverse) if (entry.value === slackUserId) this.reverse.delete(zohoId);
  }

  private async lookUpSlackUser(zohoUserId: string): Promise<string | null> {
    const index = await this.users.get();
    const user = index.byId(zohoUserId);
    let slackUserId: string | null = null;
    if (user?.email && this.directory) {
      try {
        slackUserId = await this.directory.userByEmail(normalizeEmail(user.email));
      } catch (err) {
        // Not cached: a Slack hiccup must not hide a manager for the next ten minutes. The
        // caller falls back to the admins for this one.
        this.logger?.warn({ err, zohoUserId }, 'slack lookup by email failed');
        return null;
      }
      // That Slack user acts as someone else by the overrides file: not this Zoho user.
      if (slackUserId !== null && this.overrides.bySlackUser.has(slackUserId)) slackUserId = null;
    }
    this.reverse.set(zohoUserId, { value: slackUserId, at: this.clock.now() });
    return slackUserId;
  }

  private async emailOf(slackUserId: string): Promise<string | null> {
    const cached = this.emails.get(slackUserId);
    if (cached && this.clock.now() - cached.at < this.profileTtlMs) return cached.value;
    const running = this.emailReads.get(slackUserId);
    if (running) return running;
    const p = Promise.resolve()
      .then(() => this.profiles.emailOf(slackUserId))
      .then((raw) => {
        const email = raw && raw.trim() !== '' ? normalizeEmail(raw) : null;
        this.emails.set(slackUserId, { value: email, at: this.clock.now() });
        return email;
      })
      .finally(() => this.emailReads.delete(slackUserId));
    this.emailReads.set(slackUserId, p);
    return p;
  }
}

const LIMITS =
  'Until then you can use help, list and requests, but nothing that reads or changes Zoho records.';

function overrideLine(slackUserId: string): string {
  return `\`${slackUserId}: "<your Zoho user id>"\``;
}

/** The words an unmapped person is shown: why they cannot act, and who can fix it. */
export function unmapped(
  slackUserId: string,
  reason: UnmappedReason,
  email: string | null,
  extra: { zohoUserId?: string; file?: string | null; line?: number | null; count?: number } = {},
): UnmappedIdentity {
  const addOverride = `an admin of territory-bot can add the line ${overrideLine(slackUserId)} to the identity overrides file (IDENTITY_OVERRIDES)`;
  let why: string;
  let fix: string;
  switch (reason) {
    case 'no_slack_email':
      why =
        'territory-bot cannot tell who you are in Zoho CRM: your Slack profile shows no email address to match with a Zoho user.';
      fix = `To fix it, add your work email to your Slack profile, or ${addOverride}.`;
      break;
    case 'no_zoho_user':
      why = `territory-bot cannot tell who you are in Zoho CRM: no active Zoho user has your Slack email (${email}).`;
      fix = `To fix it, ask your Zoho CRM admin to give your Zoho user the same email as in Slack, or ${addOverride}.`;
      break;
    case 'ambiguous_email':
      why = `territory-bot cannot tell who you are in Zoho CRM: ${extra.count ?? 'several'} active Zoho users have your Slack email (${email}).`;
      fix = `To fix it, ${addOverride}, or your Zoho CRM admin can give each Zoho user its own email.`;
      break;
    case 'override_not_active': {
      const where = [extra.file, extra.line ? `line ${extra.line}` : null].filter(Boolean).join(', ');
      why =
        `territory-bot cannot tell who you are in Zoho CRM: the identity overrides file${where ? ` (${where})` : ''} ` +
        `maps you to Zoho user ${extra.zohoUserId}, but no active Zoho user has that id (deactivated, or a wrong id).`;
      fix =
        'To fix it, an admin of territory-bot can correct your line in the identity overrides file (IDENTITY_OVERRIDES), ' +
        'or your Zoho CRM admin can reactivate that user.';
      break;
    }
  }
  return {
    ok: false,
    slackUserId,
    reason,
    email,
    why,
    fix,
    message: `${why} ${LIMITS} ${fix}`,
  };
}
