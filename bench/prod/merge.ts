/**
 * One line per figure: the first runtime's figure (node dist/main.js, as production runs it) with
 * the same figure under the other runtime beside it as `<runtime>` (value) and `<runtime>_detail`.
 */
import type { Runtime, SessionFigures } from './session.js';

export type FigureLine = Record<string, unknown> & { name: string; value: number; unit: string };

const LABEL: Record<Runtime, string> = { dist: 'node dist/main.js', tsx: 'node --import tsx src/main.ts' };

export function mergeRuntimes(byRuntime: Partial<Record<Runtime, SessionFigures>>): FigureLine[] {
  const runtimes = Object.keys(byRuntime) as Runtime[];
  const [first, ...others] = runtimes;
  if (!first) return [];
  const lines: FigureLine[] = [];
  for (const [name, figure] of Object.entries(byRuntime[first]!)) {
    const line: FigureLine = { name, unit: String(figure.unit ?? ''), ...figure, runtime: LABEL[first] };
    for (const other of others) {
      const beside = byRuntime[other]?.[name];
      if (!beside) continue;
      line[other] = beside.value;
      const { value: _v, unit: _u, target: _t, note: _n, measured: _m, ...detail } = beside;
      if (Object.keys(detail).length > 0) line[`${other}_detail`] = detail;
    }
    lines.push(line);
  }
  return lines;
}
