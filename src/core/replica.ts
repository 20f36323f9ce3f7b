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
