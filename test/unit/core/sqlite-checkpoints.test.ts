import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Checkpointer,
  idleCheckpoints,
  WAL_CEILING_PAGES,
} from '../../../src/core/store/sqlite-checkpoints.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

/** A WAL database file and its checkpointer, whose timer never fires during a test. */
function open(): { db: Database.Database; file: string; checkpoints: Checkpointer } {
  const dir = mkdtempSync(join(tmpdir(), 'territory-checkpoints-'));
  const file = join(dir, 'bot.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const checkpoints = idleCheckpoints(db, 3_600_000);
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanup.push(() => db.close());
  cleanup.push(() => checkpoints.stop());
  db.exec('create table t (id integer primary key, body text)');
  return { db, file, checkpoints };
}

/** ~100 pages of rows: in the WAL until a checkpoint copies them into the database file. */
function write(db: Database.Database): void {
  const insert = db.prepare('insert into t (body) values (?)');
  db.transaction(() => {
    for (let i = 0; i < 400; i++) insert.run('x'.repeat(1_000));
  })();
}

const fileBytes = (file: string) => statSync(file).size;

describe('WAL checkpoints when writes pause (sqlite-checkpoints.ts)', () => {
  it('leaves the commit-time checkpoint to a log far longer than a bulk', () => {
    const { db } = open();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_CEILING_PAGES);
  });

  it('checkpoints only after a whole interval with no writes', () => {
    const { db, file, checkpoints } = open();
    checkpoints.tick();
    const before = fileBytes(file);
    write(db);
    // Writes since the last tick: still busy, nothing copied yet.
    checkpoints.tick();
    expect(fileBytes(file)).toBe(before);
    // A quiet interval: the log goes into the database file.
    checkpoints.tick();
    expect(fileBytes(file)).toBeGreaterThan(before + 300_000);
    expect(db.prepare('select count(*) as n from t').pluck().get()).toBe(400);
  });

  it('does not checkpoint again while nothing new was written', () => {
    const { db, file, checkpoints } = open();
    write(db);
    checkpoints.tick();
    checkpoints.tick();
    const after = fileBytes(file);
    // Reads are not writes.
    db.prepare('select count(*) from t').get();
    checkpoints.tick();
    checkpoints.tick();
    expect(fileBytes(file)).toBe(after);
  });
});
