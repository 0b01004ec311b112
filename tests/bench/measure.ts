import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Samples this process's RSS while work runs; returns wall time and peak RSS. */
export async function measure<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMB: number; startRssMB: number }> {
  globalThis.gc?.();
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, seconds, peakRssMB: peak / 1024 / 1024, startRssMB: startRss / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/** Wall time of an external command (the baseline tools: sha256sum, img2pdf). */
export function timeCommand(command: string, args: string[], options: { cwd?: string } = {}): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30, ...options });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr?.toString()}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function writeResults(name: string, results: unknown): Promise<string> {
  const dir = join(process.cwd(), 'bench-results');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, ...(results as object) }, null, 2) + '\n');
  return path;
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
