/**
 * How replicas sharing one store tell each other apart and hand work over (DESIGN.md §9).
 * A lease names its holder; a live holder renews it every LEASE_RENEW_MS, so a replica killed
 * mid-bulk frees its work within LEASE_TTL_MS, and the others look for freed work every
 * LEASE_RENEW_MS: takeover within TTL + one renew period + the checks before resending (~11 s, under the 15 s bar).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process. The host name alone is not enough: two processes on one host (or containers
 * sharing a host name and pid 1) would each take the other's lease for their own.
 */
export const REPLICA_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/** How long a lease lasts without renewal. Three renewals fit in it: one missed is no loss. */
export const LEASE_TTL_MS = 8_000;

/** How often a holder renews, and how often replicas look for work a dead one left. */
export const LEASE_RENEW_MS = 2_500;

/** A renewal this recent is not written again before the next step that needs the lease. */
export const LEASE_RECHECK_MS = 1_000;

/**
 * One holder's renewals of one lease. `held()` writes the lease only once the last successful
 * renewal is LEASE_RECHECK_MS old (the TTL is far longer): work that checks before every step
 * (a Zoho call, a notice) costs a write a second, not one per step.
 */
export class LeaseRenewal {
  private renewedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly acquire: (now: number) => Promise<boolean>,
    private readonly now: () => number,
  ) {}

  /** Writes the lease now. */
  async renew(): Promise<boolean> {
    const now = this.now();
    const held = await this.acquire(now);
    this.renewedAt = held ? now : Number.NEGATIVE_INFINITY;
    return held;
  }

  /** Whether the lease is still ours, renewing it when the last renewal is not recent. */
  async held(): Promise<boolean> {
    return this.now() - this.renewedAt < LEASE_RECHECK_MS || this.renew();
  }

  /** After a release: the next check writes. */
  forget(): void {
    this.renewedAt = Number.NEGATIVE_INFINITY;
  }
}
