import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withJsRows } from '../../../src/core/store/sqlite-rows.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function db() {
  const d = new Database(':memory:');
  open.push(d);
  d.exec(`create table t (id integer primary key, name text, score real, data blob, note text);
    insert into t values (1, 'a', 1.5, x'0102', null), (2, 'b', -2, null, 'x''y');`);
  return d;
}

describe('rows built in JavaScript (sqlite-rows.ts)', () => {
  it('gives the same rows as better-sqlite3 for every column type, in order', () => {
    const d = db();
    const text = 'select * from t where id >= ? order by id';
    const native = d.prepare(text).all(1);
    const ours = withJsRows(d.prepare(text)).all([1]);
    expect(ours).toEqual(native);
    expect(Object.keys(ours[0] as object)).toEqual(['id', 'name', 'score', 'data', 'note']);
  });

  it('keeps the later of two columns of one name, as better-sqlite3 does', () => {
    const d = db();
    const text = "select id, name, 'other' as name from t where id = ?";
    expect(withJsRows(d.prepare(text)).all([1])).toEqual(d.prepare(text).all(1));
    expect(withJsRows(d.prepare(text)).all([1])).toEqual([{ id: 1, name: 'other' }]);
  });

  it('iterates rows as objects, and RETURNING statements read rows too', () => {
    const d = db();
    expect([...withJsRows(d.prepare('select id from t order by id')).iterate([])]).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
    const insert = withJsRows(d.prepare('insert into t (id, name) values (?, ?) returning id, name'));
    expect(insert.reader).toBe(true);
    expect(insert.all([3, 'c'])).toEqual([{ id: 3, name: 'c' }]);
  });

  it('leaves statements that return no rows as they are', () => {
    const d = db();
    const update = d.prepare('update t set name = ? where id = ?');
    const wrapped = withJsRows(update);
    expect(wrapped).toBe(update);
    expect(wrapped.run(['z', 1]).changes).toBe(1);
  });
});
