import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, parseDatabaseUrl, redactUrl } from '../../../src/core/store/index.js';

describe('parseDatabaseUrl', () => {
  it('reads the SQLite spellings', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('sqlite:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('sqlite:./data/territory-bot.db')).toEqual({
      dialect: 'sqlite',
      path: resolve('data/territory-bot.db'),
    });
    expect(parseDatabaseUrl('sqlite:/var/lib/bot/x.db')).toEqual({
      dialect: 'sqlite',
      path: '/var/lib/bot/x.db',
    });
    expect(parseDatabaseUrl('sqlite:///var/lib/bot/x.db')).toEqual({
      dialect: 'sqlite',
      path: '/var/lib/bot/x.db',
    });
    expect(parseDatabaseUrl(' SQLITE:rel.db ')).toEqual({ dialect: 'sqlite', path: resolve('rel.db') });
  });

  it('reads PostgreSQL URLs as they are', () => {
    for (const url of ['postgres://u:p@db:5432/bot', 'postgresql://db/bot?sslmode=require']) {
      expect(parseDatabaseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
    }
  });

  it('rejects anything else without echoing a password', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/bot')).toThrow(
      /mysql:\/\/root:\[Redacted\]@db\/bot/,
    );
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/bot')).not.toThrow(/hunter2/);
    expect(() => parseDatabaseUrl('./bot.db')).toThrow(/expected sqlite:<path>/);
  });

  it('redacts passwords only', () => {
    expect(redactUrl('postgres://bot:s3cr%40t@db:5432/bot')).toBe('postgres://bot:[Redacted]@db:5432/bot');
    expect(redactUrl('postgres://bot@db/bot')).toBe('postgres://bot@db/bot');
    expect(redactUrl('sqlite:./x.db')).toBe('sqlite:./x.db');
  });
});

describe('openStore failures', () => {
  it('names the target, without the password, when PostgreSQL cannot be reached', async () => {
    const err = await openStore('postgres://bot:hunter2@127.0.0.1:1/bot?connect_timeout=2').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^Cannot open store at postgres:\/\/bot:\[Redacted\]@127\.0\.0\.1:1\/bot/,
    );
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('opens sqlite::memory: as SQLite', async () => {
    const store = await openStore('sqlite::memory:');
    expect(store.dialect).toBe('sqlite');
    await store.close();
    await store.close(); // closing twice is harmless
  });
});
