/**
 * The access checks a use case calls (DESIGN.md §4), with their inputs gathered: the
 * requester's identity and Zoho territories, the territory hierarchy, the hourly count. The
 * rules themselves are the pure functions of policy.ts and approvers.ts.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import type { TerritoryIndex } from '../territories/hierarchy.js';
import type { ZohoApi } from '../zoho/types.js';
import {
  type ApprovalRoute,
  canDecideAccess,
  coveringManagers,
  type DecideQuestion,
  type DecideResult,
  routeApproval,
} from './approvers.js';
import type { Identity, IdentityMap, UnmappedIdentity } from './identity.js';
import { type AccessChange, type AccessDecision, type AccessRequester, decideAccess } from './policy.js';
import { directChangesLastHour } from './rate.js';
import type { AccessSettings } from './settings.js';

export const DEFAULT_MEMBERSHIP_TTL_MS = 10 * 60 * 1000;

export interface AccessServiceOptions {
  settings: AccessSettings;
  identity: IdentityMap;
  /** The territory hierarchy with managers (TerritoryCatalog). */
  catalog: { get(): Promise<TerritoryIndex> };
  /** `GET /users/{id}/territories`: the territories a Zoho user is a member of. */
  zoho: Pick<ZohoApi, 'getUserTerritories'>;
  store: Pick<Store, 'countDirectItemsSince'>;
  clock: Clock;
  /** How long a person's Zoho territories are reused; default 10 minutes. */
  membershipTtlMs?: number;
  logger?: Logger;
}

export interface AccessCheck {
  /** `refused` only in ACCESS_MODE=zoho for someone with no Zoho user (then `unmapped` says why). */
  decision: AccessDecision;
  /** Who the requester is in Zoho; null in open mode (not looked up) or when unmapped. */
  requester: AccessRequester | null;
  unmapped: UnmappedIdentity | null;
}

export class AccessService {
  readonly settings: AccessSettings;
  private readonly identity: IdentityMap;
  private readonly catalog: { get(): Promise<TerritoryIndex> };
  private readonly zoho: Pick<ZohoApi, 'getUserTerritories'>;
  private readonly store: Pick<Store, 'countDirectItemsSince'>;
  private readonly clock: Clock;
  private readonly membershipTtlMs: number;
  private readonly memberships = new Map<string, { ids: string[]; at: number }>();
  private readonly membershipReads = new Map<string, Promise<string[]>>();

  constructor(options: AccessServiceOptions) {
    this.settings = options.settings;
    this.identity = options.identity;
    this.catalog = options.catalog;
    this.zoho = options.zoho;
    this.store = options.store;
    this.clock = options.clock;
    this.membershipTtlMs = options.membershipTtlMs ?? DEFAULT_MEMBERSHIP_TTL_MS;
  }

  /** Who the Slack user is in Zoho (or why nobody, in words). */
  identify(slackUserId: string): Promise<Identity> {
    return this.identity.zohoUserFor(slackUserId);
  }

  /**
   * Whether `changes` asked by `slackUserId` run directly, need approval (and why), or are
   * refused (no Zoho user in ACCESS_MODE=zoho). Reads no record: the caller passes each
   * record's Owner and territories as read for the preview.
   */
  async check(slackUserId: string, changes: readonly AccessChange[]): Promise<AccessCheck> {
    const territories = await this.catalog.get();
    const base = {
      changes,
      territories,
      maxDirectChangesPerHour: this.settings.maxDirectChangesPerHour,
      approvalThreshold: this.settings.approvalThreshold,
    };
    if (this.settings.mode === 'open') {
      // Today's behaviour: nobody is looked up, and the hourly limit does not apply.
      const decision = decideAccess({ ...base, mode: 'open', requester: null, directChangesLastHour: 0 });
      return { decision, requester: null, unmapped: null };
    }
    const who = await this.identity.zohoUserFor(slackUserId);
    if (!who.ok) {
      const decision = decideAccess({ ...base, mode: 'zoho', requester: null, directChangesLastHour: 0 });
      return { decision, requester: null, unmapped: who };
    }
    const [memberOf, changed] = await Promise.all([
      this.memberOf(who.zohoUser.id),
      directChangesLastHour(this.store, slackUserId, this.clock.now()),
    ]);
    const requester: AccessRequester = { zohoUserId: who.zohoUser.id, memberOf };
    const decision = decideAccess({
      ...base,
      mode: 'zoho',
      requester,
      directChangesLastHour: changed,
    });
    return { decision, requester, unmapped: null };
  }

  /** Whom a request's approval card mentions: the nearest managers mapped to Slack, or the admins. */
  async route(request: {
    requesterSlackUserId: string;
    requesterZohoUserId: string | null;
    touchedTerritoryIds: readonly string[];
  }): Promise<ApprovalRoute> {
    const territories = await this.catalog.get();
    const managers =
      this.settings.mode === 'zoho'
        ? coveringManagers(territories, request.touchedTerritoryIds, request.requesterZohoUserId)
        : [];
    const slackByZohoUser = await this.identity.slackUsersFor(managers.map((m) => m.zohoUserId));
    return routeApproval({
      mode: this.settings.mode,
      territories,
      touchedTerritoryIds: request.touchedTerritoryIds,
      requesterSlackUserId: request.requesterSlackUserId,
      requesterZohoUserId: request.requesterZohoUserId,
      slackByZohoUser,
    });
  }

  /**
   * Whether the clicking user may approve or reject. `clickerIsAdmin` comes from
   * approvals/policy.ts `isApprover` (APPROVER_USER_IDS / APPROVER_USERGROUP).
   */
  async canDecide(request: {
    clickerSlackUserId: string;
    clickerIsAdmin: boolean;
    requesterSlackUserId: string;
    requesterZohoUserId: string | null;
    touchedTerritoryIds: readonly string[];
  }): Promise<DecideResult> {
    const territories = await this.catalog.get();
    let clickerZohoUserId: string | null = null;
    // The clicker's Zoho user makes them a manager, and spots the requester under another
    // Slack account; open mode has no managers and looks nobody up.
    if (this.settings.mode === 'zoho') {
      const who = await this.identity.zohoUserFor(request.clickerSlackUserId);
      clickerZohoUserId = who.ok ? who.zohoUser.id : null;
    }
    const q: DecideQuestion = {
      mode: this.settings.mode,
      clickerSlackUserId: request.clickerSlackUserId,
      clickerZohoUserId,
      clickerIsAdmin: request.clickerIsAdmin,
      requesterSlackUserId: request.requesterSlackUserId,
      requesterZohoUserId: request.requesterZohoUserId,
      territories,
      touchedTerritoryIds: request.touchedTerritoryIds,
    };
    return canDecideAccess(q);
  }

  /** The territories a Zoho user is a member of, cached per person. */
  async memberOf(zohoUserId: string): Promise<string[]> {
    const cached = this.memberships.get(zohoUserId);
    if (cached && this.clock.now() - cached.at < this.membershipTtlMs) return [...cached.ids];
    const running = this.membershipReads.get(zohoUserId);
    if (running) return running;
    const p = Promise.resolve()
      .then(() => this.zoho.getUserTerritories(zohoUserId))
      .then((list) => {
        const ids = list.map((t) => t.id);
        this.memberships.set(zohoUserId, { ids, at: this.clock.now() });
        return [...ids];
      })
      .finally(() => this.membershipReads.delete(zohoUserId));
    this.membershipReads.set(zohoUserId, p);
    return p;
  }

  /** Forget cached memberships (one Zoho user or all). */
  forgetMemberships(zohoUserId?: string): void {
    if (zohoUserId === undefined) this.memberships.clear();
    else this.memberships.delete(zohoUserId);
  }
}
