import { describe, expect, it } from 'vitest';
import {
  describeTerritory,
  resolveTerritories,
  resolveTerritory,
  searchTerritories,
  splitTerritoryList,
  TerritoryIndex,
} from '../../../src/core/territories/index.js';
import { demoTerritories, territory } from './fixtures.js';

const t = demoTerritories();
const index = new TerritoryIndex(t.all);

function resolved(input: string) {
  const r = resolveTerritory(index, input);
  if (!r.ok) throw new Error(r.message);
  return r;
}

function failed(input: string) {
  const r = resolveTerritory(index, input);
  if (r.ok) throw new Error(`expected failure for ${input}`);
  return r;
}

describe('resolveTerritory', () => {
  it('resolves an exact id (19 digits, as a string)', () => {
    const r = resolved('3652397000000100003');
    expect(r.territory).toBe(t.usWest);
    expect(r.matchedBy).toBe('id');
  });

  it('resolves names case- and spacing-insensitively', () => {
    for (const input of [
      'US West',
      'us west',
      '  US   WEST ',
      '"US West"',
      '“US West”',
      '`US West`',
      '*US West*',
      'ｕｓ ｗｅｓｔ',
    ]) {
      expect(resolved(input).territory).toBe(t.usWest);
    }
    expect(resolved('us west').matchedBy).toBe('name');
  });

  it('resolves unicode names', () => {
    expect(resolved('東京').territory).toBe(t.tokyo);
    expect(resolved('são paulo').territory).toBe(t.saoPaulo);
    expect(resolved('SÃO PAULO').territory).toBe(t.saoPaulo);
  });

  it('resolves api_name', () => {
    const r = resolved('west_emea');
    expect(r.territory).toBe(t.westEmea);
    expect(r.matchedBy).toBe('api_name');
    expect(resolved('Tokyo').territory).toBe(t.tokyo);
  });

  it('lists candidates with paths for an ambiguous name', () => {
    const r = failed('west');
    expect(r.reason).toBe('ambiguous');
    expect(r.candidates.map((c) => c.path)).toEqual(['Global › Americas › West', 'Global › EMEA › West']);
    expect(r.message).toBe(
      '"west" matches 2 territories: Global › Americas › West (id 3652397000000100005); ' +
        'Global › EMEA › West (id 3652397000000100009). Give the id or the path, e.g. "Americas › West".',
    );
  });

  it('resolves a path to pick one of an ambiguous name', () => {
    for (const input of ['Americas › West', 'americas > west', 'Global/EMEA/West', 'EMEA / West']) {
      const r = resolved(input);
      expect(r.matchedBy).toBe('path');
    }
    expect(resolved('Americas › West').territory).toBe(t.westAm);
    expect(resolved('EMEA/West').territory).toBe(t.westEmea);
    expect(failed('APAC › West').reason).toBe('not_found');
  });

  it('prefers a name containing a slash over a path', () => {
    const slashy = territory('North/South', t.global.id, { id: '3652397000000100099' });
    const i = new TerritoryIndex([...t.all, slashy]);
    const r = resolveTerritory(i, 'north/south');
    expect(r.ok && r.territory.id).toBe(slashy.id);
  });

  it('suggests close names for typos, at most three', () => {
    const r = failed('US Wst');
    expect(r.reason).toBe('not_found');
    expect(r.suggestions[0]!.territory).toBe(t.usWest);
    expect(r.suggestions.length).toBeLessThanOrEqual(3);
    expect(r.message).toMatch(
      /^No territory is called "US Wst"\. Did you mean US West \(Global › Americas › US West\)/,
    );
  });

  it('suggests West for a transposed typo (Wset), and the names holding that word', () => {
    const r = failed('Wset');
    const names = r.suggestions.map((s) => s.territory);
    expect(names.slice(0, 2)).toEqual(expect.arrayContaining([t.westAm, t.westEmea]));
    expect(names).toHaveLength(3);
    expect(names[2]).toBe(t.usWest);
    expect(r.message).toMatch(/Did you mean West \(/);
  });

  it('suggests by prefix and substring', () => {
    expect(failed('Ameri').suggestions[0]!.territory).toBe(t.americas);
    expect(failed('LAT').suggestions.map((s) => s.territory)).toContain(t.latam);
    expect(failed('US').suggestions.map((s) => s.territory.name)).toEqual(['US East', 'US West']);
  });

  it('suggests the accented name for an unaccented input instead of guessing', () => {
    const r = failed('Sao Paulo');
    expect(r.suggestions[0]!.territory).toBe(t.saoPaulo);
    expect(r.message).toMatch(/Did you mean São Paulo/);
  });

  it('says so when nothing is close', () => {
    const r = failed('Zanzibar Outer Rim');
    expect(r.suggestions).toEqual([]);
    expect(r.message).toMatch(/No territory is called "Zanzibar Outer Rim"\. Check the spelling/);
  });

  it('reports an unknown id clearly', () => {
    const r = failed('3652397000000199999');
    expect(r.message).toBe('No territory has the id 3652397000000199999; it may have been deleted.');
  });

  it('refuses empty input', () => {
    expect(failed('  ').reason).toBe('empty');
  });

  it('works on a plain array too', () => {
    const r = resolveTerritory(t.all, 'dach');
    expect(r.ok && r.territory.id).toBe(t.dach.id);
  });
});

describe('resolveTerritories', () => {
  it('resolves a comma-separated list, each once, in order', () => {
    const r = resolveTerritories(index, 'US West, emea; US West ,Tokyo');
    expect(r.ok).toBe(true);
    expect(r.territories.map((x) => x.name)).toEqual(['US West', 'EMEA', '東京']);
    expect(r.message).toBeNull();
  });

  it('collects every failure with its message', () => {
    const r = resolveTerritories(index, ['US West', 'Nowhere', 'west']);
    expect(r.ok).toBe(false);
    expect(r.territories.map((x) => x.name)).toEqual(['US West']);
    expect(r.failures.map((f) => f.reason)).toEqual(['not_found', 'ambiguous']);
    expect(r.message!.split('\n')).toHaveLength(2);
  });

  it('resolves a name that itself contains a comma', () => {
    const comma = territory('Americas, North', t.americas.id, { id: '3652397000000100098' });
    const i = new TerritoryIndex([...t.all, comma]);
    const r = resolveTerritories(i, 'Americas, North');
    expect(r.territories.map((x) => x.id)).toEqual([comma.id]);
  });

  it('refuses an empty list', () => {
    const r = resolveTerritories(index, ' , ');
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/No territory given/);
  });

  it('splitTerritoryList splits on commas and semicolons', () => {
    expect(splitTerritoryList(' a, b;c ,, ')).toEqual(['a', 'b', 'c']);
  });
});

describe('searchTerritories', () => {
  it('ranks exact, prefix, word prefix, substring, then typos', () => {
    const names = (q: string) => searchTerritories(index, q, 10).map((o) => o.name);
    expect(names('west')[0]).toBe('West');
    expect(names('west')).toEqual(['West', 'West', 'US West']);
    expect(names('us')).toEqual(['US East', 'US West']);
    expect(names('ast')).toEqual(['US East']);
    expect(names('amercas')).toEqual(['Americas']);
    expect(names('sao')).toEqual(['São Paulo']);
    expect(names('東')).toEqual(['東京']);
  });

  it('finds by id and by path', () => {
    expect(searchTerritories(index, t.dach.id)[0]!.id).toBe(t.dach.id);
    // West's api_name West_EMEA contains the query, DACH only its path.
    expect(searchTerritories(index, 'emea').map((o) => o.name)).toEqual(['EMEA', 'West', 'DACH']);
  });

  it('lists the tree for an empty query and honours the limit', () => {
    expect(
      searchTerritories(index, '')
        .map((o) => o.name)
        .slice(0, 3),
    ).toEqual(['Global', 'Americas', 'LATAM']);
    expect(searchTerritories(index, '', 2)).toHaveLength(2);
  });

  it('never returns more than 100 options or labels over 75 characters', () => {
    const many = [t.global];
    let parent = t.global.id;
    for (let i = 0; i < 300; i++) {
      const x = territory(
        `Region ${i} ${'with a very long descriptive name '.repeat(i % 4)}`.trim(),
        parent,
        {
          id: String(3652397000001000000n + BigInt(i)),
        },
      );
      many.push(x);
      if (i % 50 === 0) parent = x.id;
    }
    const big = new TerritoryIndex(many);
    for (const q of ['', 'region', 'Region 1', 'zzz', 'long']) {
      const options = searchTerritories(big, q, 500);
      expect(options.length).toBeLessThanOrEqual(100);
      for (const o of options) expect(o.label.length).toBeLessThanOrEqual(75);
    }
    expect(searchTerritories(big, 'region').length).toBe(100);
    // Deep path, short name: the end of the path is kept.
    const deep = searchTerritories(big, 'Region 296')[0]!;
    expect(deep.name).toBe('Region 296');
    expect(deep.label.startsWith('…')).toBe(true);
    expect(deep.label.endsWith(' › Region 296')).toBe(true);
    // A name too long by itself is clipped at the end.
    const long = searchTerritories(big, 'Region 299')[0]!;
    expect(long.label.endsWith('…')).toBe(true);
    expect(long.label.startsWith('Region 299 with')).toBe(true);
  });

  it('clips labels without splitting emoji', () => {
    const e = territory('🌍'.repeat(60), t.global.id, { id: '3652397000000100097' });
    const options = searchTerritories(new TerritoryIndex([t.global, e]), '🌍');
    const label = options[0]!.label;
    expect(label.length).toBeLessThanOrEqual(75);
    expect(label.endsWith('…')).toBe(true);
    expect(label).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('describeTerritory', () => {
  it('adds the path below the top', () => {
    expect(describeTerritory(index, t.usWest)).toBe('US West (Global › Americas › US West)');
    expect(describeTerritory(index, t.global)).toBe('Global');
  });
});
