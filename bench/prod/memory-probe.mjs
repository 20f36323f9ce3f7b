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
