import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { openStore } from '../../../src/core/store/index.js';
import { newItems, newRequest, T0 } from './fixtures.js';
import { runReplicas } from './replicas.js';
import { CLOCK_NOW, defineStoreSuite } from './store-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'territory-bot-store-'));
let n = 0;
let current = '';

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = (path: string) => openStore(`sqlite:${path}`, { clock: new ManualClock(CLOCK_NOW) });

defineStoreSuite('sqlite file', () => ({
  fresh: () => {
    n += 1;
    current = join(dir, `db-${n}`, 'store.db');
    return open(current);
  },
  again: () => open(current),
}));

describe('SQLite file store', () => {
  it('creates the parent directory, runs in WAL mode with foreign keys and a busy timeout', async () => {
    const path = join(dir, 'nested', 'deeper', 'bot.db');
    const store = await open(path);
    try {
      expect(existsSync(path)).toBe(true);
      const db = store.kysely;
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
      const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
      expect(busy.rows[0]?.timeout).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('reopens a closed file with its data and applies no migration twice', async () => {
    const path = join(dir, 'reopen', 'bot.db');
    const first = await open(path);
    await first.createRequest(newRequest('keep', { itemCount: 3 }), newItems(3));
    await first.appendAudit({ at: 1, actor: 'U1', action: 'request.created', requestId: 'keep', data: {} });
    await first.close();

    const second = await open(path);
    try {
      expect((await second.getRequest('keep'))?.itemCount).toBe(3);
      expect(await second.countItemsByState('keep')).toEqual({ pending: 3 });
      expect(await second.listAudit({ requestId: 'keep' })).toHaveLength(1);
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        second.kysely,
      );
      expect(applied.rows.map((r) => r.name)).toEqual([
        '0001_initial',
        '0002_items_by_record',
        '0004_outbox',
        '0005_audit_retention',
        '0006_home_openers',
        '0007_items_same_record',
        '0008_item_display',
        '0009_items_by_record_id',
      ]);
    } finally {
      await second.close();
    }
  });

  it('lets several connections open (and migrate) a new file at once', async () => {
    const path = join(dir, 'together', 'bot.db');
    const stores = await Promise.all([open(path), open(path), open(path)]);
    try {
      await stores[0]!.setSetting('k', 'v');
      expect(await stores[2]!.getSetting('k')).toBe('v');
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(
        stores[1]!.kysely,
      );
      expect(applied.rows.map((r) => r.name)).toEqual([
        '0001_initial',
        '0002_items_by_record',
        '0004_outbox',
        '0005_audit_retention',
        '0006_home_openers',
        '0007_items_same_record',
        '0008_item_display',
        '0009_items_by_record_id',
      ]);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('lets replica processes race to migrate a new file and take the lease: one wins', async () => {
    const path = join(dir, 'processes', 'bot.db');
    // Two processes: each costs a tsx start-up, and two already race (in-process openers are
    // serialized by the store, so only separate processes exercise SQLite's own locking).
    const answers = await runReplicas(`sqlite:${path}`, 2, T0);
    expect(answers.filter((a) => a.won)).toHaveLength(1);
    const store = await open(path);
    try {
      expect(await store.listAudit({ action: 'replica.started' })).toHaveLength(2);
      const winner = answers.find((a) => a.won)!.holder;
      expect(await store.acquireLease('monitor', winner, 60_000, T0 + 1)).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000); // spawns tsx processes: slow to start on a loaded 2-core machine

  it('accepts sqlite:/// absolute URLs', async () => {
    const path = join(dir, 'abs', 'bot.db');
    const store = await openStore(`sqlite://${path}`);
    await store.close();
    expect(existsSync(path)).toBe(true);
  });
});
