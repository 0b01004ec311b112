import { spawnSync } from 'node:child_process';

/** Runs a command-line tool and returns its output; the tests use poppler, qpdf and coreutils as a recipient would. */
export function run(command: string, args: string[], options: { cwd?: string } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function pdfText(path: string): string {
  const r = run('pdftotext', ['-enc', 'UTF-8', path, '-']);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout;
}

export function pdfPages(path: string): number {
  const m = /^Pages:\s+(\d+)/m.exec(run('pdfinfo', [path]).stdout);
  return Number(m?.[1] ?? 0);
}
