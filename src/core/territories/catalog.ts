/**
 * The territory list, read once per cache period and shared. Resolving names for a
 * 10,000-line bulk must not read the catalog 10,000 times (the forum sample does, DESIGN.md
 * §9), and concurrent callers share one in-flight read (single flight).
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ZohoApi } from '../zoho/types.js';
import { TerritoryIndex } from './hierarchy.js';

export const DEFAULT_CATALOG_TTL_MS = 10 * 60 * 1000;

export interface TerritoryCatalogOptions {
  api: Pick<ZohoApi, 'listTerritories'>;
  clock: Clock;
  /** How long a read stays fresh; default 10 minutes. */
  ttlMs?: number;
  logger?: Logger;
}

export class TerritoryCatalog {
  private readonly api: Pick<ZohoApi, 'listTerritories'>;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly logger: Logger | undefined;
  private snapshot: TerritoryIndex | null = null;
  /** The snapshot is served until this time (epoch ms). */
  private freshUntil = Number.NEGATIVE_INFINITY;
  private inflight: Promise<TerritoryIndex> | null = null;
  private reads = 0;

  constructor(options: TerritoryCatalogOptions) {
    this.api = options.api;
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? DEFAULT_CATALOG_TTL_MS;
    this.logger = options.logger;
  }

  /** The cached snapshot while fresh; otherwise reads Zoho (once, however many callers wait). */
  async get(): Promise<TerritoryIndex> {
    const s = this.snapshot;
    if (s && this.clock.now() < this.freshUntil) return s;
    return this.load();
  }

  /**
   * Reads Zoho now, e.g. after INVALID_DATA on a territory id. Joins a read already in
   * flight rather than starting a second one.
   */
  refresh(): Promise<TerritoryIndex> {
    return this.load();
  }

  /** The last snapshot, fresh or not, without reading Zoho (null before the first read). */
  peek(): TerritoryIndex | null {
    return this.snapshot;
  }

  /**
   * Territory id → name for labels: the last snapshot, fresh or not (read once if there is none;
   * empty when Zoho cannot be read, so a label falls back to the id instead of failing a message).
   */
  async names(): Promise<Map<string, string>> {
    const index = this.snapshot ?? (await this.get().catch(() => null));
    return new Map((index?.list ?? []).map((t) => [t.id, t.name]));
  }

  /** Makes the next get() read Zoho. */
  invalidate(): void {
    this.freshUntil = Number.NEGATIVE_INFINITY;
  }

  /** Number of catalog reads made so far (for benchmarks and health). */
  get readCount(): number {
    return this.reads;
  }

  private load(): Promise<TerritoryIndex> {
    if (this.inflight) return this.inflight;
    const started = this.clock.now();
    this.reads++;
    const p = Promise.resolve()
      .then(() => this.api.listTerritories())
      .then((list) => {
        const index = new TerritoryIndex(list, started);
        this.snapshot = index;
        this.freshUntil = started + this.ttlMs;
        this.logger?.debug({ territories: list.length }, 'territory catalog loaded');
        return index;
      })
      .finally(() => {
        // A failed read is not cached: the next caller tries again.
        if (this.inflight === p) this.inflight = null;
      });
    this.inflight = p;
    return p;
  }
}
