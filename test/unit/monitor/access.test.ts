import { describe, expect, it } from 'vitest';
import { evaluateAccess, territoryPath } from '../../../src/core/monitor/access.js';
import type { UserTerritory } from '../../../src/core/zoho/types.js';
import { FakeZoho, ID } from '../helpers/fake-zoho.js';

const member = (zoho: FakeZoho, ...ids: string[]): UserTerritory[] =>
  ids.map((id) => {
    const t = zoho.territories.find((x) => x.id === id)!;
    return { id, name: t.name, parentId: t.parentId, managerId: null };
  });

describe('evaluateAccess', () => {
  it('a read_write_delete membership covers the territory and everything below it', () => {
    const zoho = new FakeZoho();
    const v = evaluateAccess(zoho.territories, member(zoho, ID.us), [
      ID.us,
      ID.california,
      ID.germany,
      ID.root,
    ]);
    expect(v.get(ID.us)).toEqual({ usable: true, code: 'ok', via: ID.us });
    expect(v.get(ID.california)).toEqual({ usable: true, code: 'ok', via: ID.us });
    expect(v.get(ID.germany)).toMatchObject({ usable: false, code: 'not_member' });
    expect(v.get(ID.root)).toMatchObject({ usable: false, code: 'not_member' });
  });

  it('a read_only path only reads; a writable membership further up still wins', () => {
    const zoho = new FakeZoho();
    zoho.setPermission(ID.usWest, 'read_only');
    const onlyReadOnly = evaluateAccess(zoho.territories, member(zoho, ID.usWest), [ID.usWest, ID.oregon]);
    expect(onlyReadOnly.get(ID.oregon)).toMatchObject({ usable: false, code: 'read_only', via: ID.usWest });
    expect(onlyReadOnly.get(ID.oregon)?.reason).toContain('only through "US West"');
    expect(onlyReadOnly.get(ID.usWest)?.reason).toContain('membership in "US West" is read-only');

    const alsoRoot = evaluateAccess(zoho.territories, member(zoho, ID.usWest, ID.root), [ID.oregon]);
    expect(alsoRoot.get(ID.oregon)).toEqual({ usable: true, code: 'ok', via: ID.root });
  });

  it('marks ids that are not in the list and survives a parent cycle', () => {
    const zoho = new FakeZoho();
    const cyclic = zoho.territories.map((t) => (t.id === ID.root ? { ...t, parentId: ID.germany } : t));
    const v = evaluateAccess(cyclic, [], [ID.germany, '3652397000000999999']);
    expect(v.get(ID.germany)).toMatchObject({ usable: false, code: 'not_member' });
    expect(v.get('3652397000000999999')).toMatchObject({ usable: false, code: 'unknown_territory' });
  });

  it('territoryPath lists root to leaf', () => {
    const zoho = new FakeZoho();
    expect(territoryPath(zoho.territories, ID.california).map((t) => t.name)).toEqual([
      'Zylker',
      'US',
      'US West',
      'California',
    ]);
    expect(territoryPath(zoho.territories, 'nope')).toEqual([]);
  });

  it('handles a 1,000-territory tree', () => {
    const zoho = new FakeZoho();
    const many = [...zoho.territories];
    for (let i = 0; i < 1000; i++) {
      const id = `36523970000010${String(i).padStart(5, '0')}`;
      many.push({ ...many[1]!, id, name: `T${i}`, parentId: i === 0 ? ID.emea : many[many.length - 1]!.id });
    }
    const v = evaluateAccess(
      many,
      member(zoho, ID.emea),
      many.map((t) => t.id),
    );
    expect([...v.values()].filter((x) => x.usable)).toHaveLength(1002);
  });
});
