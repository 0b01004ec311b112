// Shared by the kill tests: a child process to SIGKILL, a scan for plaintext left on disk, an AppService like the host's.
import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch } from '../../electron/core/app-service/dispatch.js';
import { AppService } from '../../electron/core/app-service/service.js';
import type { Result } from '../../shared/ipc/contract.js';
import { TEST_KDF } from '../helpers/vault.js';

export const KILL_CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url));

export interface Child {
  process: ChildProcess;
  /** every line the child wrote to stdout so far */
  lines: string[];
  /** when each line came (Date.now()) */
  times: number[];
  /** resolves with the first line that starts with `prefix`; rejects if the child exits first */
  waitFor(prefix: string, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  stderr(): string;
  kill(): Promise<void>;
}

/** Spawns tests/integration/kill-child.ts (through tsx) with the given mode and arguments. */
export function spawnChild(args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', KILL_CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines: string[] = [];
  const times: number[] = [];
  let stderr = '';
  let buffered = '';
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      times.push(Date.now());
      for (const w of [...waiters]) {
        if (line.startsWith(w.prefix)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    lines,
    times,
    exited,
    stderr: () => stderr,
    waitFor(prefix, timeoutMs = 120_000) {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child did not print "${prefix}" in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
        waiters.push({
          prefix,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`child exited (${code}) before printing "${prefix}": ${stderr.slice(-2000)}`));
        });
      });
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Every regular file under `root` (links are not followed) that holds any of `needles`; [] when there is none. */
export async function filesHolding(root: string, needles: readonly Buffer[]): Promise<string[]> {
  const found: string[] = [];
  const longest = Math.max(...needles.map((n) => n.length));
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && (await holds(path, needles, longest))) found.push(path);
    }
  };
  const info = await lstat(root).catch(() => null);
  if (info?.isDirectory()) await walk(root);
  return found;
}

async function holds(path: string, needles: readonly Buffer[], overlap: number): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const buf = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, position);
      if (bytesRead === 0) return false;
      position += bytesRead;
      const window = Buffer.concat([carry, buf.subarray(0, bytesRead)]);
      if (needles.some((n) => window.includes(n))) return true;
      carry = window.subarray(Math.max(0, window.length - overlap));
    }
  } finally {
    await handle.close();
  }
}

/** Every folder and file under `root` whose mode is wider than 0700 (folders) or 0600 (files). */
export async function widerThanPrivate(root: string): Promise<string[]> {
  const wide: string[] = [];
  const check = async (path: string): Promise<void> => {
    const info = await lstat(path);
    const mode = info.mode & 0o777;
    if (info.isDirectory()) {
      if (mode & 0o077) wide.push(`${path} ${mode.toString(8)}`);
      for (const name of await readdir(path)) await check(join(path, name));
    } else if (mode & 0o077) wide.push(`${path} ${mode.toString(8)}`);
  };
  await check(root);
  return wide;
}

/** An AppService as the desktop host builds it, with no windows; `call` goes through dispatch like IPC. */
export function appService(dataDir: string, prefsFile: string) {
  const service = new AppService({
    dataDir,
    prefsFile,
    actor: 'kill test',
    kdf: TEST_KDF,
    pickFiles: async () => [],
    capturer: null,
    previewUrl: (id) => `redress-item://item/${id}`,
    emit: () => undefined,
  });
  const value = async <T = Record<string, unknown>>(channel: string, request: unknown = {}): Promise<T> => {
    const r = (await dispatch(service.handlers, channel, request)) as Result<T>;
    if (!r.ok) throw new Error(`${channel} failed: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  return { service, value };
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Uniformly random in [0, max). */
export const randomMs = (max: number) => Math.floor(Math.random() * Math.max(1, max));

/** Counts of what each kill found, for the test's note: "20 kills: 12 before commit, 8 after; 0 half-states". */
export class Outcomes {
  private readonly counts = new Map<string, number>();
  add(outcome: string): void {
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
  }
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  toString(): string {
    return [...this.counts].map(([k, n]) => `${n} ${k}`).join(', ');
  }
}
