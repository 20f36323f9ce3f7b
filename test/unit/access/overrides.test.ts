import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IdentityOverridesError,
  loadIdentityOverrides,
  NO_OVERRIDES,
  parseIdentityOverrides,
} from '../../../src/core/access/overrides.js';

function problem(text: string): IdentityOverridesError {
  try {
    parseIdentityOverrides(text, 'identity.yml');
  } catch (err) {
    if (err instanceof IdentityOverridesError) return err;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('parseIdentityOverrides', () => {
  it('reads Slack user id → quoted Zoho user id lines, both ways, with their lines', () => {
    const o = parseIdentityOverrides(
      '# people whose emails differ\nU0123ABCD: "3652397000000281001"\n\nW0456EFGH: \'3652397000000281002\'\n',
      'identity.yml',
    );
    expect(o.file).toBe('identity.yml');
    expect([...o.bySlackUser.values()]).toEqual([
      { slackUserId: 'U0123ABCD', zohoUserId: '3652397000000281001', line: 2 },
      { slackUserId: 'W0456EFGH', zohoUserId: '3652397000000281002', line: 4 },
    ]);
    expect(o.byZohoUser.get('3652397000000281002')?.slackUserId).toBe('W0456EFGH');
  });

  it('an empty file or one with comments only maps nobody', () => {
    expect(parseIdentityOverrides('', 'f').bySlackUser.size).toBe(0);
    expect(parseIdentityOverrides('# nobody yet\n', 'f').bySlackUser.size).toBe(0);
  });

  it.each([
    {
      what: 'an unquoted 19-digit id (YAML would round it)',
      text: 'U0123ABCD: "1"\nU0999ZZZZ: 3652397000000281001\n',
      line: 2,
      says: [
        'unquoted number',
        'would become 3652397000000281000',
        'Quote the id: U0999ZZZZ: "3652397000000281001"',
      ],
    },
    {
      what: 'a Slack user listed twice',
      text: 'U0123ABCD: "1"\nU0123ABCD: "2"\n',
      line: 2,
      says: ['listed twice'],
    },
    {
      what: 'a key that is not a Slack user id',
      text: 'U0123ABCD: "1"\nalice@example.com: "2"\n',
      line: 2,
      says: ['"alice@example.com" does not look like a Slack user id', 'Copy member ID'],
    },
    {
      what: 'a lower-case id',
      text: 'u0123abcd: "1"\n',
      line: 1,
      says: ['does not look like a Slack user id'],
    },
    { what: 'a number as key', text: '12345: "1"\n', line: 1, says: ['starts with a Slack user id'] },
    { what: 'a missing value', text: 'U0123ABCD:\n', line: 1, says: ['U0123ABCD has no Zoho user id'] },
    {
      what: 'a value that is not digits',
      text: 'U0123ABCD: "alice"\n',
      line: 1,
      says: ['"alice" is not a Zoho user id'],
    },
    {
      what: 'a nested mapping',
      text: 'U0123ABCD:\n  zoho: "1"\n',
      line: 1,
      says: ['maps to a list or a mapping'],
    },
    { what: 'a list instead of a mapping', text: '- U0123ABCD\n', line: 1, says: ['must be a list of'] },
    {
      what: 'one Zoho user mapped from two Slack users',
      text: 'U0123ABCD: "7"\nU0456EFGH: "7"\n',
      line: 2,
      says: ['Zoho user 7 is already mapped from U0123ABCD (line 1)'],
    },
    { what: 'broken YAML', text: 'U0123ABCD: "1\n', line: null, says: ['not valid YAML'] },
  ])('refuses $what, naming file, line and fix', ({ text, line, says }) => {
    const err = problem(text);
    expect(err.file).toBe('identity.yml');
    if (line !== null) {
      expect(err.line).toBe(line);
      expect(err.message).toContain(`identity.yml (line ${line})`);
    } else {
      expect(err.line).not.toBeNull();
    }
    for (const s of says) expect(err.message).toContain(s);
    expect(err.message).toContain('Expected shape:');
  });
});

describe('loadIdentityOverrides', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'overrides-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('no path: no overrides', async () => {
    expect(await loadIdentityOverrides(null)).toBe(NO_OVERRIDES);
    expect(await loadIdentityOverrides('')).toBe(NO_OVERRIDES);
  });

  it('reads a file', async () => {
    const file = path.join(dir, 'ok.yml');
    await writeFile(file, 'U0123ABCD: "3652397000000281001"\n');
    const o = await loadIdentityOverrides(file);
    expect(o.bySlackUser.get('U0123ABCD')?.zohoUserId).toBe('3652397000000281001');
  });

  it('a missing file stops the start naming the file and the setting', async () => {
    const file = path.join(dir, 'absent.yml');
    const err = (await loadIdentityOverrides(file).catch((e: unknown) => e)) as IdentityOverridesError;
    expect(err).toBeInstanceOf(IdentityOverridesError);
    expect(err.message).toContain(`${file}: the file does not exist`);
    expect(err.message).toContain('IDENTITY_OVERRIDES');
  });

  it('a directory is refused', async () => {
    const err = (await loadIdentityOverrides(dir).catch((e: unknown) => e)) as IdentityOverridesError;
    expect(err.message).toContain('this is a directory');
  });
});
