/**
 * Summarises a .cpuprofile (node --cpu-prof; the bench passes it to the app with BENCH_CPU_PROF=dir):
 * self time per function and per package/file, for the note on where the time goes.
 *   tsx bench/prod/cpu-summary.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';

interface CpuNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/prod/cpu-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const src = /\/(dist|src)\/(.*)$/.exec(url);
  return src ? `${src[1]}/${src[2]}` : url || '(native)';
};
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  const place = where(n.callFrame.url);
  const key = `${n.callFrame.functionName || '(anonymous)'} ${place}:${n.callFrame.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  pkg.set(place, (pkg.get(place) ?? 0) + us);
}
// Library and native time charged to the nearest frame of the app's own code (dist/ or src/ outside
// sandbox) on the same synchronous stack; work resumed after an await has no app frame above it.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const appFrame = (id: number): string => {
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    if (/\/(dist|src)\//.test(f.url) && !/node_modules|\/sandbox\//.test(f.url))
      return `${f.functionName || '(anonymous)'} ${where(f.url)}:${f.lineNumber + 1}`;
  }
  return '(outside the app)';
};
const app = new Map<string, number>();
for (const [id, us] of selfUs) {
  const name = byId.get(id)!.callFrame.functionName;
  if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') continue;
  const key = appFrame(id);
  app.set(key, (app.get(key) ?? 0) + us);
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const show = (title: string, m: Map<string, number>) => {
  console.log(title);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`,
    );
};
console.log(
  `profile ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, samples ${(total / 1e6).toFixed(1)} s`,
);
show('self time by package / file:', pkg);
show('self time by function:', fn);
show('time charged to the nearest app frame:', app);
