/** The bench's pure helpers: README table generation, runtime merging, heap snapshot summary. */
import { describe, expect, it } from 'vitest';
import { summariseHeapSnapshot } from '../../../bench/prod/heap-summary.js';
import { mergeRuntimes } from '../../../bench/prod/merge.js';
import {
  END_MARKER,
  parseFigures,
  renderTable,
  replaceTable,
  START_MARKER,
} from '../../../bench/readme-table.js';

describe('README bench table', () => {
  const lines = [
    'not json: npm noise',
    JSON.stringify({ name: 'idle_rss', value: 123, unit: 'MB', target: 100, tsx: 160 }),
    JSON.stringify({
      name: 'bulk_2000_send_wall_time',
      value: 240,
      unit: 'ms',
      target: 250,
      whole_waves_bound: 200,
      bound: 200,
      ratio_to_whole_waves: 1.2,
    }),
    JSON.stringify({ name: 'naive_bulk_250_zoho_calls', value: 500, unit: 'calls' }),
  ].join('\n');

  it('keeps only figure lines and marks each target met or missed', () => {
    const figures = parseFigures(lines);
    expect(figures.map((f) => f.name)).toEqual([
      'idle_rss',
      'bulk_2000_send_wall_time',
      'naive_bulk_250_zoho_calls',
    ]);
    const table = renderTable(figures, '2026-12-06');
    expect(table).toContain('| `idle_rss` | 123 MB | ≤ 100 | **no** | 160 MB |  |');
    expect(table).toContain(
      '| `bulk_2000_send_wall_time` | 240 ms | ≤ 250 | yes |  | whole-waves bound 200, × bound 1.2 |',
    );
    expect(table).toContain('| `naive_bulk_250_zoho_calls` | 500 calls |  |  |  |  |');
    expect(table).toContain('2026-12-06');
  });

  it('replaces only the text between the markers', () => {
    const readme = `# x\nbefore\n${START_MARKER}\nold table\n${END_MARKER}\nafter\n`;
    const out = replaceTable(readme, 'NEW\n');
    expect(out).toBe(`# x\nbefore\n${START_MARKER}\nNEW\n${END_MARKER}\nafter\n`);
    expect(() => replaceTable('# no markers\n', 'NEW\n')).toThrow(/bench-table:start/);
  });
});

describe('mergeRuntimes', () => {
  it('puts the tsx value and its details beside the dist figure', () => {
    const merged = mergeRuntimes({
      dist: { idle_rss: { value: 120, unit: 'MB', target: 100, hwm_mb: 150 } },
      tsx: { idle_rss: { value: 170, unit: 'MB', target: 100, hwm_mb: 190, note: 'x' } },
    });
    expect(merged).toEqual([
      {
        name: 'idle_rss',
        value: 120,
        unit: 'MB',
        target: 100,
        hwm_mb: 150,
        runtime: 'node dist/main.js',
        tsx: 170,
        tsx_detail: { hwm_mb: 190 },
      },
    ]);
  });
});

describe('summariseHeapSnapshot', () => {
  it('groups self sizes by constructor, strings by type, largest first', () => {
    const summary = summariseHeapSnapshot({
      snapshot: {
        meta: {
          node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
          node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure']],
        },
      },
      // type, name, id, self_size, edge_count
      nodes: [3, 0, 1, 100, 0, 3, 0, 3, 50, 0, 2, 1, 5, 400, 0, 3, 2, 7, 10, 0, 5, 3, 9, 20, 0],
      strings: ['Item', 'some long text', 'Map', 'run'],
    });
    expect(summary.totalBytes).toBe(580);
    expect(summary.nodeCount).toBe(5);
    expect(summary.topConstructors.map((g) => [g.name, g.count, g.selfBytes])).toEqual([
      ['(string)', 1, 400],
      ['Item', 2, 150],
      ['run', 1, 20],
      ['Map', 1, 10],
    ]);
    expect(summary.byType[0]).toEqual({ type: 'string', count: 1, selfBytes: 400 });
    expect(summary.largestObjects[0]).toEqual({ name: 'some long text', type: 'string', selfBytes: 400 });
  });
});
