// Preloaded into the measured app (node --import): every 50 ms one CSV line
// `time,rss,heapTotal,heapUsed,external,arrayBuffers,<space>=<bytes>...` (ms, bytes) to BENCH_MEMORY_PROBE, so the
// bench can say whether a peak is V8 heap (live or garbage), native memory, or buffers.
// Plain JS so it loads the same under node dist/main.js and tsx; its timer never holds the app up.
import { openSync, readFileSync, writeSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const file = process.env.BENCH_MEMORY_PROBE;
if (file) {
  const fd = openSync(file, 'a');
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    // Then each heap space's committed size (name=bytes): is the heap young or old generation?
    const spaces = getHeapSpaceStatistics()
      .map((s) => `${s.space_name}=${s.physical_space_size}`)
      .join(',');
    // And the kernel's split of RSS: anonymous (heap, malloc) against file-backed (binary, libraries).
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
    writeSync(
      fd,
      `${Date.now()},${m.rss},${m.heapTotal},${m.heapUsed},${m.external},${m.arrayBuffers},${spaces},` +
        `RssAnon=${kb('RssAnon')},RssFile=${kb('RssFile')}\n`,
    );
  }, 50);
  timer.unref();
}

// BENCH_ALLOC_PROF=file: every allocation site, garbage included (V8's sampling heap profiler
// keeping objects later collected), written when the app exits: what the peak's garbage is.
const allocFile = process.env.BENCH_ALLOC_PROF;
if (allocFile) {
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const start = () =>
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 32768,
      includeObjectsCollectedByMajorGC: true,
      // BENCH_ALLOC_PROMOTED=1 leaves out what a scavenge collected: what is left was promoted
      // to the old generation (or is still live), the garbage a full collection has to find.
      includeObjectsCollectedByMinorGC: !process.env.BENCH_ALLOC_PROMOTED,
    });
  // BENCH_ALLOC_FROM_APPROVAL: sampling starts when the bench writes <file>.start (at the approval).
  if (!process.env.BENCH_ALLOC_FROM_APPROVAL) start();
  else {
    const { existsSync } = await import('node:fs');
    const wait = setInterval(() => {
      if (!existsSync(`${allocFile}.start`)) return;
      clearInterval(wait);
      start();
    }, 20);
    wait.unref();
  }
  const write = () =>
    session.post('HeapProfiler.stopSampling', (err, res) => {
      if (!err) writeFileSync(allocFile, JSON.stringify(res.profile));
    });
  process.once('SIGTERM', () => {
    write();
    process.exit(0);
  });
}

// BENCH_GC_LOG=file: one line per garbage collection `time,kind,durationMs,heapUsedAfter`, to
// tell whether a peak is V8 postponing full collections (kind 2: mark-compact) or live memory.
const gcFile = process.env.BENCH_GC_LOG;
if (gcFile) {
  const { PerformanceObserver, constants } = await import('node:perf_hooks');
  const fd = openSync(gcFile, 'a');
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = kinds[e.detail?.kind] ?? String(e.detail?.kind);
      writeSync(fd, `${Date.now()},${kind},${e.duration.toFixed(1)},${process.memoryUsage().heapUsed}\n`);
    }
  }).observe({ entryTypes: ['gc'] });
}
