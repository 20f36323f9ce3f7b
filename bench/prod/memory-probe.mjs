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
