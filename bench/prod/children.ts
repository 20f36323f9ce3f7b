/**
 * The processes of the production bench: each double, the app and the driver run in a child of
 * their own, talking JSON lines; the app's memory is read from /proc, from outside.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface LineChild {
  child: ChildProcess;
  /** The next stdout line not taken by a request. */
  nextLine(timeoutMs?: number): Promise<string>;
  /** Sends `{id, ...msg}` and resolves with the line answering that id (throws on `ok: false`). */
  request<T = Record<string, unknown>>(msg: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** `node [flags] script`, stdin/stdout as JSON lines, stderr through. */
export function startLineChild(args: string[], env: NodeJS.ProcessEnv = process.env): LineChild {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], env });
  const queued: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let seq = 0;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{"id":')) {
      const msg = JSON.parse(line) as { id: number; ok: boolean; error?: string };
      const p = pending.get(msg.id);
      if (p) {
        pending.delete(msg.id);
        if (msg.ok) p.resolve(msg);
        else p.reject(new Error(msg.error));
        return;
      }
    }
    const w = waiting.shift();
    if (w) w(line);
    else queued.push(line);
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`${args.join(' ')} exited with ${code}`));
    pending.clear();
  });
  return {
    child,
    nextLine(timeoutMs = 120_000) {
      const line = queued.shift();
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no output from ${args.join(' ')}`)), timeoutMs);
        waiting.push((l) => {
          clearTimeout(timer);
          resolve(l);
        });
      });
    },
    request<T>(msg: Record<string, unknown>): Promise<T> {
      seq += 1;
      const id = seq;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.stdin!.write(`${JSON.stringify({ id, ...msg })}\n`);
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}

/** VmRSS and VmHWM (peak RSS so far) of a process, MB; null once it is gone. */
export function readRss(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped: the peak and when it was reached. */
export function sampleRss(pid: number, everyMs = 20) {
  let peakMb = 0;
  let peakAt = 0;
  let hwmMb = 0;
  let samples = 0;
  const tick = () => {
    const r = readRss(pid);
    if (!r) return;
    samples += 1;
    hwmMb = r.hwmMb;
    if (r.rssMb > peakMb) {
      peakMb = r.rssMb;
      peakAt = Date.now();
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { peakMb, peakAt, hwmMb, samples };
    },
  };
}

/**
 * CPU time (user + system) a process has used so far, ms: on a shared, loaded machine the app's
 * own work is steadier than wall time.
 */
export function readCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}
