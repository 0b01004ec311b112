import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface HashedFile {
  /** path inside the packet, forward slashes */
  path: string;
  sha256: string;
  size: number;
}

export async function hashFile(path: string, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { signal, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * The coreutils format `sha256sum -c` reads: "<hash>  <path>" (two spaces: text mode). Packet paths never contain
 * newlines or backslashes (names are sanitised), so no escaping is needed.
 */
export function formatSha256Sums(files: HashedFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

export function parseSha256Sums(text: string): { path: string; sha256: string }[] {
  const out: { path: string; sha256: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.replace(/\r$/, ''));
    if (m) out.push({ sha256: m[1]!.toLowerCase(), path: m[2]! });
  }
  return out;
}
