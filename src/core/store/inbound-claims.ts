/**
 * Inbound claims (Slack deliveries seen, inbound-dedupe.ts) made in one turn of the event loop
 * are written in one statement. Every slash command and event claims its key before any
 * listener runs; one statement each took 0.1 ms of the event loop per command in SQLite, most of
 * it the commit (issue 13, round trip), while 50 commands in flight arrive a handful per turn.
 */

export interface InboundClaim {
  key: string;
  now: number;
}

/** Writes the claims (distinct keys); returns the keys that were new (or seen over keepMs ago). */
export type WriteClaims = (claims: readonly InboundClaim[], keepMs: number) => Promise<Set<string>>;

interface Waiting extends InboundClaim {
  keepMs: number;
  resolve: (first: boolean) => void;
  reject: (err: unknown) => void;
}

/** Bounds one statement's parameters (two per key) far below SQLite's 32,766. */
export const MAX_CLAIMS_PER_STATEMENT = 500;

export class InboundClaims {
  private waiting: Waiting[] = [];

  constructor(private readonly write: WriteClaims) {}

  /** True the first time `key` is claimed within `keepMs`; written with the turn's other claims. */
  claim(key: string, now: number, keepMs: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      // setImmediate runs once the loop has read what arrived in this turn.
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ key, now, keepMs, resolve, reject });
    });
  }

  private flush(): void {
    const waiting = this.waiting;
    this.waiting = [];
    const groups = new Map<number, Waiting[]>();
    for (const w of waiting) {
      const group = groups.get(w.keepMs);
      if (group) group.push(w);
      else groups.set(w.keepMs, [w]);
    }
    for (const [keepMs, group] of groups) {
      for (let i = 0; i < group.length; i += MAX_CLAIMS_PER_STATEMENT)
        void this.writeGroup(group.slice(i, i + MAX_CLAIMS_PER_STATEMENT), keepMs);
    }
  }

  private async writeGroup(group: Waiting[], keepMs: number): Promise<void> {
    // A key twice in one turn (a replay racing its original): the first claims it, the rest are
    // replays. One statement may not touch a row twice (PostgreSQL refuses it).
    const first = new Map<string, Waiting>();
    for (const w of group) if (!first.has(w.key)) first.set(w.key, w);
    try {
      const claimed = await this.write([...first.values()], keepMs);
      for (const w of group) w.resolve(first.get(w.key) === w && claimed.has(w.key));
    } catch (err) {
      for (const w of group) w.reject(err);
    }
  }
}
