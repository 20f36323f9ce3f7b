import { describe, expect, it } from 'vitest';
import { TerritoryIndex } from '../../../src/core/territories/index.js';
import { demoTerritories, territory } from './fixtures.js';

describe('TerritoryIndex', () => {
  const t = demoTerritories();
  const index = new TerritoryIndex(t.all, 123);

  it('looks territories up by id and keeps loadedAt', () => {
    expect(index.byId(t.usWest.id)).toBe(t.usWest);
    expect(index.byId('3652397000000199999')).toBeUndefined();
    expect(index.has(t.global.id)).toBe(true);
    expect(index.size).toBe(12);
    expect(index.loadedAt).toBe(123);
  });

  it('lists roots and children sorted by name', () => {
    expect(index.roots().map((x) => x.name)).toEqual(['Global']);
    expect(index.children(t.global.id).map((x) => x.name)).toEqual(['Americas', 'APAC', 'EMEA']);
    expect(index.children(t.americas.id).map((x) => x.name)).toEqual(['LATAM', 'US East', 'US West', 'West']);
    expect(index.children(t.usWest.id)).toEqual([]);
  });

  it('gives ancestors parent first, paths root first', () => {
    expect(index.ancestors(t.saoPaulo.id).map((x) => x.name)).toEqual(['LATAM', 'Americas', 'Global']);
    expect(index.ancestors(t.global.id)).toEqual([]);
    expect(index.path(t.usWest.id)).toBe('Global › Americas › US West');
    expect(index.path(t.tokyo.id)).toBe('Global › APAC › 東京');
    expect(index.path('3652397000000199999')).toBe('3652397000000199999');
    expect(index.parent(t.usWest.id)).toBe(t.americas);
  });

  it('knows descendants and containment', () => {
    expect(index.descendants(t.americas.id).map((x) => x.name)).toEqual([
      'LATAM',
      'São Paulo',
      'US East',
      'US West',
      'West',
    ]);
    expect(index.isWithin(t.saoPaulo.id, t.americas.id)).toBe(true);
    expect(index.isWithin(t.americas.id, t.americas.id)).toBe(true);
    expect(index.isWithin(t.dach.id, t.americas.id)).toBe(false);
  });

  it('builds the display tree and its flattened lines', () => {
    const tree = index.tree();
    expect(tree).toHaveLength(1);
    expect(tree[0]!.children.map((n) => n.territory.name)).toEqual(['Americas', 'APAC', 'EMEA']);
    const lines = index.lines();
    expect(lines).toHaveLength(12);
    expect(lines.slice(0, 4).map((l) => [l.depth, l.territory.name])).toEqual([
      [0, 'Global'],
      [1, 'Americas'],
      [2, 'LATAM'],
      [3, 'São Paulo'],
    ]);
    expect(lines[3]!.path).toBe('Global › Americas › LATAM › São Paulo');
  });

  it('treats a child whose parent is missing as a root', () => {
    const orphan = territory('Orphan', '3652397000000188888');
    const i = new TerritoryIndex([...t.all, orphan]);
    expect(i.roots().map((x) => x.name)).toEqual(['Global', 'Orphan']);
    expect(i.path(orphan.id)).toBe('Orphan');
    expect(i.lines()).toHaveLength(13);
  });

  it('never loops on a parent cycle and still shows every territory', () => {
    const a = territory('A', '3652397000000177002', { id: '3652397000000177001' });
    const b = territory('B', a.id, { id: '3652397000000177002' });
    const self = territory('Self', '3652397000000177003', { id: '3652397000000177003' });
    const i = new TerritoryIndex([a, b, self]);
    expect(i.ancestors(a.id).map((x) => x.name)).toEqual(['B']);
    expect(i.path(b.id)).toBe('A › B');
    expect(
      i
        .lines()
        .map((l) => l.territory.name)
        .sort(),
    ).toEqual(['A', 'B', 'Self']);
    expect(i.lines().map((l) => l.path)).toEqual(['Self', 'A', 'A › B']);
    expect(i.descendants(a.id).map((x) => x.name)).toEqual(['B']);
  });

  it('finds the membership that grants write access (read-only path)', () => {
    // Member of Americas (read_write_delete): writes to São Paulo through it.
    expect(index.writableVia([t.americas.id], t.saoPaulo.id)).toBe(t.americas);
    // Member of EMEA, which is read_only: no write path to DACH.
    expect(index.writableVia([t.emea.id], t.dach.id)).toBeNull();
    // Direct membership of DACH (read_write_delete) works.
    expect(index.writableVia([t.emea.id, t.dach.id], t.dach.id)).toBe(t.dach);
    expect(index.writableVia([t.global.id], '3652397000000199999')).toBeNull();
    expect(index.writableVia([], t.usWest.id)).toBeNull();
  });
});

describe('TerritoryIndex with repeated items', () => {
  it('keeps the first of a repeated id (paged reads can overlap)', () => {
    const t = demoTerritories();
    const again = { ...t.usWest, name: 'US West (dup)' };
    const i = new TerritoryIndex([...t.all, again]);
    expect(i.size).toBe(12);
    expect(i.byId(t.usWest.id)!.name).toBe('US West');
    expect(i.children(t.americas.id).filter((x) => x.id === t.usWest.id)).toHaveLength(1);
  });
});
