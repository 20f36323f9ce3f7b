/**
 * The README's bench table, generated from a run's JSON lines: `npm run bench -- --readme`
 * rewrites it at the end of a run, or `tsx bench/readme-table.ts results.jsonl` from saved lines.
 * Only the text between the two markers changes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const START_MARKER = '<!-- bench-table:start -->';
export const END_MARKER = '<!-- bench-table:end -->';

export type Figure = Record<string, unknown> & { name: string; value: number; unit: string };

/** Fields shown beside a value when a figure has them: the naive way, bounds, costs. */
const BESIDE: Array<[key: string, label: string]> = [
  ['p50', 'p50'],
  ['naive', 'naive'],
  ['whole_waves_bound', 'whole-waves bound'],
  ['ratio_to_whole_waves', '× bound'],
  ['polling_calls', 'polling calls'],
  ['naive_fixed_1s_polling_calls', 'fixed 1 s polling (computed)'],
  ['at_peak_heap_total_mb', 'V8 heap at peak MB'],
  ['at_peak_heap_used_mb', 'heap used at peak MB'],
  ['heap_used_mb', 'heap used MB'],
  ['after_start_5s_mb', '5 s after start MB'],
  ['right_after_mb', 'right after the bulks MB'],
  ['rss_at_signal_mb', 'RSS when taken MB'],
  ['heap_used_at_signal_mb', 'heap used (live + garbage) when taken MB'],
  ['boundPerRound', 'bound per round'],
  ['bound', 'bound'],
];

const num = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));

export function parseFigures(text: string): Figure[] {
  return text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Figure)
    .filter((f) => typeof f.name === 'string' && typeof f.value === 'number');
}

export function renderTable(figures: readonly Figure[], runAt: string): string {
  const rows = [
    '| figure | value | target | met | under tsx | beside it |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const f of figures) {
    const target = typeof f.target === 'number' ? f.target : null;
    const met = target === null || Number.isNaN(f.value) ? '' : f.value <= target ? 'yes' : '**no**';
    const tsx = typeof f.tsx === 'number' ? `${num(f.tsx)} ${f.unit}` : '';
    // The plain bound equals the whole-waves one at these sizes: one of them is enough.
    const beside = BESIDE.filter(
      ([k]) => f[k] !== undefined && !(k === 'bound' && f.whole_waves_bound !== undefined),
    )
      .map(([k, label]) => `${label} ${num(f[k])}`)
      .join(', ');
    rows.push(
      `| \`${f.name}\` | ${num(f.value)} ${f.unit} | ${target === null ? '' : `≤ ${num(target)}`} | ${met} | ${tsx} | ${beside} |`,
    );
  }
  return `${rows.join('\n')}\n\nGenerated from \`npm run bench\` on ${runAt} (shared 2-core machine, 50 ms Zoho latency). Figures with a tsx value\nare the production session (\`node dist/main.js\`, doubles and driver in their own processes); the rest run the engine\nor the app in the bench's own process tree as before.\n`;
}

export function replaceTable(readme: string, table: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`README has no ${START_MARKER} … ${END_MARKER} section`);
  return `${readme.slice(0, start + START_MARKER.length)}\n${table}${readme.slice(end)}`;
}

export function updateReadme(
  figures: readonly Figure[],
  file = 'README.md',
  runAt = new Date().toISOString(),
): void {
  writeFileSync(file, replaceTable(readFileSync(file, 'utf8'), renderTable(figures, runAt.slice(0, 10))));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const source = process.argv[2];
  if (!source) {
    console.error('usage: tsx bench/readme-table.ts <results.jsonl>');
    process.exit(2);
  }
  updateReadme(parseFigures(readFileSync(source, 'utf8')));
}
