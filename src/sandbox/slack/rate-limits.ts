/**
 * Optional enforcement of Slack's published rate-limit tiers (per method per workspace: Tier 1 1+/min,
 * Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min; chat.postMessage about 1 message per second per
 * channel with short bursts). Slack publishes floors ("20+"), not exact buckets, so the emulator uses
 * token buckets at those floors: an app that stays within them is safe on real Slack.
 */
import type { Clock } from '../../core/clock.js';

export type Tier = 1 | 2 | 3 | 4;

/** Method tiers (slackapi java-slack-sdk MethodsRateLimits, docs.slack.dev method pages). */
export const METHOD_TIERS: Record<string, Tier> = {
  'auth.test': 4,
  'chat.update': 3,
  'chat.delete': 3,
  'chat.postEphemeral': 4,
  'chat.getPermalink': 4,
  'views.open': 4,
  'views.update': 4,
  'views.push': 4,
  'views.publish': 4,
  'users.info': 4,
  'users.list': 2,
  'users.lookupByEmail': 3,
  'usergroups.list': 2,
  'usergroups.users.list': 2,
  'conversations.info': 3,
  'conversations.members': 4,
  'conversations.open': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.list': 2,
  'conversations.join': 3,
  'files.info': 4,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
};

const PER_MINUTE: Record<Tier, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };

/** chat.postMessage: 1 per second per channel, a burst of a few allowed. */
export const POST_MESSAGE_BURST = 3;

interface Bucket {
  tokens: number;
  at: number;
}

export class TierLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** Takes a token for this call; returns 0 when allowed, else the seconds to wait (Retry-After). */
  take(method: string, args: Record<string, unknown>): number {
    let key: string;
    let capacity: number;
    let perSecond: number;
    if (method === 'chat.postMessage') {
      key = `${method}:${typeof args.channel === 'string' ? args.channel : ''}`;
      capacity = POST_MESSAGE_BURST;
      perSecond = 1;
    } else {
      const tier = METHOD_TIERS[method];
      if (tier === undefined) return 0;
      key = method;
      capacity = PER_MINUTE[tier];
      perSecond = PER_MINUTE[tier] / 60;
    }
    const now = this.clock.now();
    const b = this.buckets.get(key) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }
}
