/**
 * The active Zoho users, read once per cache period and shared (as TerritoryCatalog does for
 * territories): mapping a Slack user on every click must not list Zoho's users every time.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { SnapshotCache } from '../snapshot-cache.js';
import type { ZohoUser, ZohoUsersApi } from '../zoho/types.js';

export const DEFAULT_USERS_TTL_MS = 10 * 60 * 1000;
/** A lookup that misses may read Zoho again (a new hire), but not more often than this. */
export const DEFAULT_MISS_REFRESH_MS = 60 * 1000;

/** Emails compare case-insensitively: Slack and Zoho may store them differently cased. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** `GET /users?type=ActiveUsers` should hold active users only; any other status is left out. */
const isActive = (u: ZohoUser): boolean => u.status === 'active' || u.status === 'unknown';

/** An immutable snapshot of the active users with lookups by id and by email. */
export class ZohoUserIndex {
  readonly list: readonly ZohoUser[];
  /** When the snapshot was read from Zoho (epoch ms). */
  readonly loadedAt: number;
  private readonly ids = new Map<string, ZohoUser>();
  private readonly emails = new Map<string, ZohoUser[]>();

  constructor(users: readonly ZohoUser[], loadedAt = 0) {
    this.loadedAt = loadedAt;
    for (const u of users) {
      // Paged reads can repeat a user when the list changes between pages: keep the first.
      if (!isActive(u) || this.ids.has(u.id)) continue;
      this.ids.set(u.id, u);
      if (u.email) {
        const key = normalizeEmail(u.email);
        this.emails.set(key, [...(this.emails.get(key) ?? []), u]);
      }
    }
    this.list = [...this.ids.values()];
  }

  get size(): number {
    return this.list.length;
  }

  byId(id: string): ZohoUser | undefined {
    return this.ids.get(id);
  }

  /** Every active user with this email (Zoho keeps emails unique, so normally one). */
  byEmail(email: string): ZohoUser[] {
    return [...(this.emails.get(normalizeEmail(email)) ?? [])];
  }
}

export interface ZohoUserDirectoryOptions {
  api: ZohoUsersApi;
  clock: Clock;
  /** How long a read stays fresh; default 10 minutes. */
  ttlMs?: number;
  /** Minimum age of the snapshot before a miss reads Zoho again; default 60 s. */
  missRefreshMs?: number;
  logger?: Logger;
}

export class ZohoUserDirectory {
  private readonly clock: Clock;
  private readonly missRefreshMs: number;
  private readonly cache: SnapshotCache<ZohoUserIndex>;

  constructor(options: ZohoUserDirectoryOptions) {
    const { api, logger } = options;
    this.clock = options.clock;
    this.missRefreshMs = options.missRefreshMs ?? DEFAULT_MISS_REFRESH_MS;
    this.cache = new SnapshotCache(options.clock, options.ttlMs ?? DEFAULT_USERS_TTL_MS, async (started) => {
      const index = new ZohoUserIndex(await api.listActiveUsers(), started);
      logger?.debug({ users: index.size }, 'zoho users loaded');
      return index;
    });
  }

  /** The cached snapshot while fresh; otherwise reads Zoho (once, however many callers wait). */
  get(): Promise<ZohoUserIndex> {
    return this.cache.get();
  }

  /**
   * After a lookup missed in `index`: a newer snapshot when that one is old enough to be worth
   * re-reading (someone added in Zoho a minute ago), else `index` itself. Bounds how often
   * people who are not in Zoho at all make us list the users.
   */
  async afterMiss(index: ZohoUserIndex): Promise<ZohoUserIndex> {
    if (this.clock.now() - index.loadedAt < this.missRefreshMs) return index;
    const latest = this.cache.peek();
    if (latest && latest !== index) return latest;
    return this.cache.load();
  }

  refresh(): Promise<ZohoUserIndex> {
    return this.cache.load();
  }

  /** The last snapshot, fresh or not, without reading Zoho (null before the first read). */
  peek(): ZohoUserIndex | null {
    return this.cache.peek();
  }

  invalidate(): void {
    this.cache.invalidate();
  }

  /** Number of reads made so far (for benchmarks and health). */
  get readCount(): number {
    return this.cache.readCount;
  }
}
