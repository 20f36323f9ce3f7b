import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadRoutingConfig,
  parseRoutingConfig,
  RoutingConfigError,
  resolveRouting,
} from '../../../src/core/monitor/routing.js';
import { FakeZoho, ID } from '../helpers/fake-zoho.js';

function errorOf(text: string): RoutingConfigError {
  try {
    parseRoutingConfig(text, 'routing.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(RoutingConfigError);
    return err as RoutingConfigError;
  }
  throw new Error('expected the file to be refused');
}

describe('parseRoutingConfig', () => {
  it('reads names, quoted ids and modules (aliases normalised)', () => {
    const cfg = parseRoutingConfig(
      'territories:\n  - name: US West\n    modules: [Leads, deals, Potentials]\n  - id: "3652397000000123456"\n',
      'routing.yaml',
    );
    expect(cfg.file).toBe('routing.yaml');
    expect(cfg.entries).toEqual([
      { index: 0, line: 2, id: null, name: 'US West', modules: ['Leads', 'Deals'] },
      { index: 1, line: 4, id: '3652397000000123456', name: null, modules: [] },
    ]);
  });

  it('refuses an unquoted id and explains the 19-digit corruption', () => {
    const err = errorOf('territories:\n  - name: US West\n  - id: 3652397000000123456\n');
    expect(err.line).toBe(3);
    expect(err.field).toBe('territories[1].id');
    expect(err.message).toContain('routing.yaml');
    expect(err.message).toContain('unquoted number');
    expect(err.message).toContain('3652397000000123400');
    expect(err.message).toContain('id: "3652397000000123456"');
  });

  it('refuses bad YAML with the line', () => {
    const err = errorOf('territories:\n  - name: "US West\n');
    expect(err.message).toMatch(/routing\.yaml \(line \d+\): not valid YAML/);
    expect(err.line).not.toBeNull();
  });

  it('names the field and line of a wrong shape', () => {
    const unknownKey = errorOf('territories:\n  - name: US West\n    modles: [Leads]\n');
    expect(unknownKey.field).toBe('territories[0].modles');
    expect(unknownKey.line).toBe(3);
    expect(unknownKey.message).toContain('modles');

    const badModule = errorOf('territories:\n  - name: US West\n    modules: [Leads, Tasks]\n');
    expect(badModule.field).toBe('territories[0].modules[1]');
    expect(badModule.line).toBe(3);
    expect(badModule.message).toContain('"Tasks" is not a module');

    const neither = errorOf('territories:\n  - modules: [Leads]\n');
    expect(neither.message).toContain('needs an id (quoted) or a name');

    const notList = errorOf('territories: US West\n');
    expect(notList.field).toBe('territories');
    expect(notList.message).toContain('must be a list');

    const badId = errorOf('territories:\n  - id: "US-123"\n');
    expect(badId.field).toBe('territories[0].id');
    expect(badId.message).toContain('up to 19 digits');
  });

  it('refuses an empty file, an empty list and duplicates', () => {
    expect(errorOf('').message).toContain('empty');
    expect(errorOf('territories: []\n').message).toContain('lists nothing');
    const dup = errorOf('territories:\n  - name: US West\n  - name: us west\n');
    expect(dup.message).toContain('listed twice (also line 2)');
    expect(dup.line).toBe(3);
  });

  it('says when the file cannot be read', async () => {
    await expect(loadRoutingConfig('/nonexistent/routing.yaml')).rejects.toThrow(
      /Routing file \/nonexistent\/routing\.yaml: the file does not exist/,
    );
    expect(await loadRoutingConfig(null)).toBeNull();
    const dir = await mkdtemp(join(tmpdir(), 'routing-'));
    const path = join(dir, 'routing.yaml');
    await writeFile(path, 'territories:\n  - id: "3652397000000100003"\n');
    expect((await loadRoutingConfig(path))?.entries[0]?.id).toBe('3652397000000100003');
    await expect(loadRoutingConfig(dir)).rejects.toThrow(/directory/);
  });
});

describe('resolveRouting', () => {
  const zoho = new FakeZoho();

  it('watches every territory without a file', () => {
    const r = resolveRouting(null, zoho.territories);
    expect(r.watched.map((w) => w.id)).toEqual(zoho.territories.map((t) => t.id));
    expect(r.problems).toEqual([]);
  });

  it('resolves names case-insensitively and reports missing ids, unknown and ambiguous names', () => {
    const cfg = parseRoutingConfig(
      [
        'territories:',
        '  - name: us  west',
        '    modules: [Leads]',
        `  - id: "${ID.germany}"`,
        '  - id: "3652397000000999999"',
        '  - name: Californa',
        '  - name: Twin',
      ].join('\n'),
      'r.yaml',
    );
    const territories = [
      ...zoho.territories,
      { ...zoho.territories[1]!, id: '3652397000000100098', name: 'Twin' },
      { ...zoho.territories[1]!, id: '3652397000000100099', name: 'twin' },
    ];
    const r = resolveRouting(cfg, territories);
    expect(r.watched.map((w) => [w.id, w.name, w.modules])).toEqual([
      [ID.usWest, 'US West', ['Leads']],
      [ID.germany, 'Germany', []],
    ]);
    expect(r.problems.map((p) => p.kind)).toEqual(['missing_id', 'unmatched_name', 'ambiguous_name']);
    const unmatched = r.problems[1]!;
    expect(unmatched.kind === 'unmatched_name' && unmatched.suggestions).toContain('California');
  });

  it('explains a name that stopped matching from the previous run', () => {
    const cfg = parseRoutingConfig('territories:\n  - name: US West\n', 'r.yaml');
    const renamed = zoho.territories.map((t) => (t.id === ID.usWest ? { ...t, name: 'Pacific' } : t));
    const r = resolveRouting(cfg, renamed, { [ID.usWest]: 'US West' });
    expect(r.problems).toEqual([
      expect.objectContaining({
        kind: 'unmatched_name',
        previous: { id: ID.usWest, currentName: 'Pacific' },
      }),
    ]);
  });
});
