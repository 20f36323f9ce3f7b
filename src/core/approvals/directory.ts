/**
 * Slack user-group membership, behind a port so core stays Slack-free. The cache keeps
 * approval clicks fast and spares `usergroups.users.list` (Tier 2, ~20 calls/min).
 */
import type { Clock } from '../clock.js';

export interface GroupDirectory {
  /** User ids in the group. */
  members(groupId: string): Promise<string[]>;
}

export interface CachedGroupDirectoryOptions {
  source: GroupDirectory;
  clock: Clock;
  /** How long a lookup is reused; default 60 s (short: removing an approver should bite soon). */
  ttlMs?: number;
  /** When the source fails, an older answer is still used up to this age; default 15 min. */
  staleMs?: number;
}

interface Entry {
  members: string[];
  at: number;
}

export class CachedGroupDirectory implements GroupDirectory {
  private readonly source: GroupDirectory;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly staleMs: number;
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<string[]>>();

  constructor(options: CachedGroupDirectoryOptions) {
    this.source = options.source;
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.staleMs = options.staleMs ?? 15 * 60_000;
  }

  async members(groupId: string): Promise<string[]> {
    const cached = this.entries.get(groupId);
    if (cached && this.clock.now() - cached.at < this.ttlMs) return [...cached.members];
    const running = this.inflight.get(groupId);
    if (running) return running;
    const p = Promise.resolve()
      .then(() => this.source.members(groupId))
      .then(
        (members) => {
          this.entries.set(groupId, { members: [...members], at: this.clock.now() });
          return [...members];
        },
        (err: unknown) => {
          const old = this.entries.get(groupId);
          if (old && this.clock.now() - old.at < this.staleMs) return [...old.members];
          throw err;
        },
      )
      .finally(() => this.inflight.delete(groupId));
    this.inflight.set(groupId, p);
    return p;
  }

  /** Forget one group (or all), e.g. after a `subteam_members_changed` event. */
  invalidate(groupId?: string): void {
    if (groupId === undefined) this.entries.clear();
    else this.entries.delete(groupId);
  }
}
