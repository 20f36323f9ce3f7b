/** Starts replica-child.ts in several processes at once and collects their answers. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./replica-child.ts', import.meta.url));

export interface ReplicaAnswer {
  holder: string;
  won: boolean;
}

function runReplica(url: string, holder: string, now: number): Promise<ReplicaAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, holder, String(now)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`replica ${holder} exited with ${code}: ${err.trim()}`));
      else resolve(JSON.parse(out.trim()) as ReplicaAnswer);
    });
  });
}

export function runReplicas(url: string, count: number, now: number): Promise<ReplicaAnswer[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => runReplica(url, `replica-${i}`, now)));
}
