/**
 * An immutable snapshot of the territory hierarchy (`reporting_to` links) with the lookups
 * the app needs: by id, children, ancestors, the display path and the tree. Zoho's data is
 * trusted to be a tree, but a parent missing from the list (deleted, or not visible to the
 * API user) makes the child a root, and a cycle never loops.
 */
import type { Territory } from '../zoho/types.js';

export const PATH_SEPARATOR = ' › ';

export interface TerritoryTreeNode {
  territory: Territory;
  depth: number;
  children: TerritoryTreeNode[];
}

export interface TerritoryLine {
  territory: Territory;
  depth: number;
  path: string;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const byName = (a: Territory, b: Territory) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);

export class TerritoryIndex {
  readonly list: readonly Territory[];
  /** When the snapshot was read from Zoho (epoch ms). */
  readonly loadedAt: number;
  private readonly ids = new Map<string, Territory>();
  private readonly kids = new Map<string | null, Territory[]>();
  private readonly paths = new Map<string, string>();
  private cachedLines: TerritoryLine[] | null = null;
  private cachedNames: ReadonlyMap<string, string> | null = null;

  constructor(territories: readonly Territory[], loadedAt = 0) {
    this.loadedAt = loadedAt;
    // Paged reads can repeat an item when the list changes between pages: keep the first.
    for (const t of territories) if (!this.ids.has(t.id)) this.ids.set(t.id, t);
    this.list = this.ids.size === territories.length ? territories : [...this.ids.values()];
    for (const t of this.list) {
      const parent = this.effectiveParentId(t);
      const siblings = this.kids.get(parent);
      if (siblings) siblings.push(t);
      else this.kids.set(parent, [t]);
    }
    for (const siblings of this.kids.values()) siblings.sort(byName);
  }

  get size(): number {
    return this.list.length;
  }

  byId(id: string): Territory | undefined {
    return this.ids.get(id);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Top-level territories: no parent, or a parent not in the snapshot. */
  roots(): Territory[] {
    const roots = [...(this.kids.get(null) ?? [])];
    // Members of a parent cycle have no root above them; show them at the top rather than lose them.
    const reachable = new Set<string>();
    const visit = (t: Territory) => {
      if (reachable.has(t.id)) return;
      reachable.add(t.id);
      for (const c of this.kids.get(t.id) ?? []) visit(c);
    };
    roots.forEach(visit);
    if (reachable.size < this.list.length) {
      for (const t of [...this.list].sort(byName)) {
        if (!reachable.has(t.id)) {
          roots.push(t);
          visit(t);
        }
      }
    }
    return roots;
  }

  children(id: string): Territory[] {
    return [...(this.kids.get(id) ?? [])];
  }

  parent(id: string): Territory | undefined {
    const t = this.ids.get(id);
    return t?.parentId ? this.ids.get(t.parentId) : undefined;
  }

  /** Parent first, root last. */
  ancestors(id: string): Territory[] {
    const out: Territory[] = [];
    const seen = new Set<string>([id]);
    let current = this.parent(id);
    while (current && !seen.has(current.id)) {
      out.push(current);
      seen.add(current.id);
      current = this.parent(current.id);
    }
    return out;
  }

  /** Every territory below `id`, depth first. */
  descendants(id: string): Territory[] {
    const out: Territory[] = [];
    const seen = new Set<string>([id]);
    const walk = (pid: string) => {
      for (const c of this.kids.get(pid) ?? []) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        out.push(c);
        walk(c.id);
      }
    };
    walk(id);
    return out;
  }

  /** Whether `id` is `ancestorId` or lies below it. */
  isWithin(id: string, ancestorId: string): boolean {
    return id === ancestorId || this.ancestors(id).some((a) => a.id === ancestorId);
  }

  /** Names from the root down to the territory. */
  pathNames(id: string): string[] {
    const t = this.ids.get(id);
    if (!t) return [];
    return [
      ...this.ancestors(id)
        .map((a) => a.name)
        .reverse(),
      t.name,
    ];
  }

  /** "Global › Americas › US West"; the id itself when unknown. */
  path(id: string): string {
    const cached = this.paths.get(id);
    if (cached !== undefined) return cached;
    const names = this.pathNames(id);
    const path = names.length > 0 ? names.join(PATH_SEPARATOR) : id;
    if (this.ids.has(id)) this.paths.set(id, path);
    return path;
  }

  /** The hierarchy for display, siblings sorted by name. */
  tree(): TerritoryTreeNode[] {
    const seen = new Set<string>();
    const build = (t: Territory, depth: number): TerritoryTreeNode => {
      seen.add(t.id);
      const children = (this.kids.get(t.id) ?? [])
        .filter((c) => !seen.has(c.id))
        .map((c) => build(c, depth + 1));
      return { territory: t, depth, children };
    };
    const out: TerritoryTreeNode[] = [];
    for (const r of this.roots()) if (!seen.has(r.id)) out.push(build(r, 0));
    return out;
  }

  /** Id → name, for labels; built once per snapshot (every `show` and message label asks). */
  names(): ReadonlyMap<string, string> {
    this.cachedNames ??= new Map(this.list.map((t) => [t.id, t.name]));
    return this.cachedNames;
  }

  /** The tree flattened depth first: one line per territory with its depth and path. */
  lines(): TerritoryLine[] {
    if (this.cachedLines) return this.cachedLines;
    const out: TerritoryLine[] = [];
    const walk = (nodes: TerritoryTreeNode[], parentPath: string | null) => {
      for (const n of nodes) {
        // Built from the parent's path; a cycle member shown as a root starts its own path.
        const path = parentPath === null ? n.territory.name : parentPath + PATH_SEPARATOR + n.territory.name;
        this.paths.set(n.territory.id, path);
        out.push({ territory: n.territory, depth: n.depth, path });
        walk(n.children, path);
      }
    };
    walk(this.tree(), null);
    this.cachedLines = out;
    return out;
  }

  /**
   * The membership that lets a user write to `targetId`, if any: membership of the territory
   * or an ancestor whose permission_type is read_write_delete (TEAM.md "read-only path").
   */
  writableVia(memberTerritoryIds: Iterable<string>, targetId: string): Territory | null {
    const members = new Set(memberTerritoryIds);
    const target = this.ids.get(targetId);
    if (!target) return null;
    for (const t of [target, ...this.ancestors(targetId)]) {
      if (members.has(t.id) && t.permissionType === 'read_write_delete') return t;
    }
    return null;
  }

  private effectiveParentId(t: Territory): string | null {
    return t.parentId && t.parentId !== t.id && this.ids.has(t.parentId) ? t.parentId : null;
  }
}
