/**
 * The territory list, read once per cache period and shared. Resolving names for a
 * 10,000-line bulk must not read the catalog 10,000 times (the forum sample does, DESIGN.md
 * §9), and concurrent callers share one in-flight read (single flight).
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { SnapshotCache } from '../snapshot-cache.js';
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
  private readonly cache: SnapshotCache<TerritoryIndex>;

  constructor(options: TerritoryCatalogOptions) {
    const { api, logger } = options;
    this.cache = new SnapshotCache(
      options.clock,
      options.ttlMs ?? DEFAULT_CATALOG_TTL_MS,
      async (started) => {
        const list = await api.listTerritories();
        logger?.debug({ territories: list.length }, 'territory catalog loaded');
        return new TerritoryIndex(list, started);
      },
    );
  }

  /** The cached snapshot while fresh; otherwise reads Zoho (once, however many callers wait). */
  get(): Promise<TerritoryIndex> {
    return this.cache.get();
  }

  /**
   * Reads Zoho now, e.g. after INVALID_DATA on a territory id. Joins a read already in
   * flight rather than starting a second one.
   */
  refresh(): Promise<TerritoryIndex> {
    return this.cache.load();
  }

  /** The last snapshot, fresh or not, without reading Zoho (null before the first read). */
  peek(): TerritoryIndex | null {
    return this.cache.peek();
  }

  /**
   * Territory id → name for labels: the last snapshot, fresh or not (read once if there is none;
   * empty when Zoho cannot be read, so a label falls back to the id instead of failing a message).
   */
  async names(): Promise<ReadonlyMap<string, string>> {
    const index = this.cache.peek() ?? (await this.get().catch(() => null));
    return index?.names() ?? new Map();
  }

  /** Makes the next get() read Zoho. */
  invalidate(): void {
    this.cache.invalidate();
  }

  /** Number of catalog reads made so far (for benchmarks and health). */
  get readCount(): number {
    return this.cache.readCount;
  }
}
