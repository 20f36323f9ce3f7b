// Preloaded into the measured app (node --import): every 50 ms one CSV line
// `time,rss,heapTotal,heapUsed,external,arrayBuffers` (ms, bytes) to BENCH_MEMORY_PROBE, so the
// bench can say whether a peak is V8 heap (live or garbage), native memory, or buffers.
// Plain JS so it loads the same under node dist/main.js and tsx; its timer never holds the app up.
import { openSync, writeSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_PROBE;
if (file) {
  const fd = openSync(file, 'a');
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    writeSync(fd, `${Date.now()},${m.rss},${m.heapTotal},${m.heapUsed},${m.external},${m.arrayBuffers}\n`);
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
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 32768,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
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
