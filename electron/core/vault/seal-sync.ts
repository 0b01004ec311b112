import { createHash, createHmac, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, unlinkSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { chunkBuffers, DEFAULT_CHUNK_SIZE, newSealedHeader, sealChunk, TAG_SIZE } from './sealed-file.js';

/**
 * One small original sealed into the store from start to finish with blocking calls (ObjectStore.sealHere says why).
 * The same steps and file format as ObjectStore's streaming ingest: temp file, fsync, rename, fsync of the folder.
 */
export interface SealJob {
  /** read from this file, or seal these bytes */
  source: { path: string } | { data: Uint8Array };
  storeAs?: string;
  /**
   * The head of a one-chunk file may be the read buffer itself rather than a copy (a megabyte of garbage per
   * screenshot otherwise): that pooled buffer is then lent with it (SealDone.lent) and must be given back.
   */
  lendHead?: boolean;
}

export interface SealDone {
  sha256: string;
  size: number;
  objectName: string;
  written: boolean;
  /** of a file source: its modification time (ms) and its first chunk, for sniffing the media type */
  modifiedMs?: number;
  head?: Uint8Array;
  /** the pooled buffer lent with the head (SealJob.lendHead): give it back to chunkBuffers once the head is used */
  lent?: Buffer;
}

/** Where a failure happened decides what the user is told: their file could not be read, or the vault could not write. */
export class SealFailure extends Error {
  constructor(
    readonly where: 'source' | 'store',
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface SealStore {
  objectsDir: string;
  tmpDir: string;
  objectsKey: Buffer;
  namesKey: Buffer;
  /** shard folders known to exist (a cache; rename says when it is wrong) */
  shards: Set<string>;
}

const CHUNK = DEFAULT_CHUNK_SIZE;

export function sealSync(store: SealStore, job: SealJob, onBytes?: (n: number) => void): SealDone {
  let source: number | null = null;
  let modifiedMs: number | undefined;
  if ('path' in job.source) {
    try {
      source = openSync(job.source.path, constants.O_RDONLY);
      const info = fstatSync(source);
      if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
      modifiedMs = info.mtimeMs;
    } catch (err) {
      if (source !== null) closeSync(source);
      throw asFailure('source', err);
    }
  }
  const tmpPath = join(store.tmpDir, `${randomBytes(12).toString('hex')}.part`);
  let out: number | null = null;
  let committed = false;
  // Pooled buffers (sealed-file.ts), as the streaming path uses: fresh 1 MiB buffers per file kept the garbage
  // collector busy for a sixth of a screenshot's ingest, and this thread never idles for it to catch up.
  const read = [chunkBuffers.take(), chunkBuffers.take()];
  const sealed = chunkBuffers.take();
  let lent: Buffer | undefined;
  try {
    try {
      out = openSync(tmpPath, 'wx', 0o600);
    } catch (err) {
      throw asFailure('store', err);
    }
    const { header, key } = newSealedHeader(store.objectsKey, CHUNK);
    const hash = createHash('sha256');
    const chunks = chunkReader(job.source, source, read);
    let head: Uint8Array | undefined;
    let position = 0;
    let index = 0;
    let size = 0;
    // A chunk is final only once the next read comes back empty or short: one chunk is held back.
    let current = chunks.next();
    for (;;) {
      const next = current.length === CHUNK ? chunks.next() : Buffer.alloc(0);
      const last = next.length === 0;
      // A copy unless lent: the buffer is read into again (by the next chunk, or the next job).
      if (index === 0 && source !== null) {
        head = last && job.lendHead ? current : new Uint8Array(current);
        if (head === current) lent = read[0];
      }
      hash.update(current);
      sealChunk(key, header, index, last, current, sealed);
      const parts = index === 0 ? [header, sealed.subarray(0, current.length + TAG_SIZE)] : [sealed.subarray(0, current.length + TAG_SIZE)];
      position += writeAll(out, parts, position);
      size += current.length;
      index++;
      if (current.length) onBytes?.(current.length);
      if (last) break;
      current = next;
    }
    let sha256: string;
    try {
      fsyncSync(out);
      closeSync(out);
      out = null;
      sha256 = hash.digest('hex');
    } catch (err) {
      throw asFailure('store', err);
    }
    const objectName = job.storeAs ?? createHmac('sha256', store.namesKey).update(sha256).digest('hex');
    const done = { sha256, size, objectName, ...(modifiedMs === undefined ? {} : { modifiedMs }), ...(head ? { head } : {}), ...(lent ? { lent } : {}) };
    try {
      const shard = join(store.objectsDir, objectName.slice(0, 2));
      const finalPath = join(shard, objectName);
      if (exists(finalPath)) {
        unlinkSync(tmpPath);
        committed = true;
        return { ...done, written: false };
      }
      let shardIsNew = false;
      if (!store.shards.has(shard)) shardIsNew = makeShard(store, shard);
      try {
        renameSync(tmpPath, finalPath);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !exists(tmpPath)) throw err;
        store.shards.delete(shard);
        shardIsNew = makeShard(store, shard);
        renameSync(tmpPath, finalPath);
      }
      committed = true;
      fsyncDirSync(shard);
      if (shardIsNew) fsyncDirSync(store.objectsDir);
      return { ...done, written: true };
    } catch (err) {
      throw asFailure('store', err);
    }
  } finally {
    chunkBuffers.give(sealed);
    for (const b of read) if (b !== lent || !committed) chunkBuffers.give(b);
    if (source !== null) closeSync(source);
    if (out !== null) closeSync(out);
    if (!committed) rmSync(tmpPath, { force: true });
  }
}

/** Chunks of the source, CHUNK bytes each but the last. */
function chunkReader(source: SealJob['source'], fd: number | null, pool: Buffer[]): { next(): Buffer } {
  if (fd === null) {
    const bytes = 'data' in source ? source.data : new Uint8Array(0);
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let offset = 0;
    return {
      next: () => {
        const part = data.subarray(offset, Math.min(offset + CHUNK, data.length));
        offset += part.length;
        return part;
      },
    };
  }
  // Two buffers take turns: at most two chunks are alive (the one being sealed and the one read after it).
  let turn = 0;
  let position = 0;
  let ended = false;
  return {
    next: () => {
      if (ended) return Buffer.alloc(0);
      const buf = pool[turn]!.subarray(0, CHUNK);
      turn ^= 1;
      let got = 0;
      try {
        // A short read of a regular file is its end: asking again only to hear "0 bytes" is one more call per file.
        while (got < CHUNK) {
          const n = readSync(fd, buf, got, CHUNK - got, position + got);
          if (n === 0) break;
          got += n;
          if (got < CHUNK) break;
        }
      } catch (err) {
        throw asFailure('source', err);
      }
      position += got;
      if (got < CHUNK) ended = true;
      return buf.subarray(0, got);
    },
  };
}

function writeAll(fd: number, parts: Buffer[], position: number): number {
  const total = parts.reduce((n, p) => n + p.length, 0);
  let done = 0;
  while (done < total) {
    let skip = done;
    const rest: Buffer[] = [];
    for (const p of parts) {
      if (skip >= p.length) {
        skip -= p.length;
        continue;
      }
      rest.push(skip ? p.subarray(skip) : p);
      skip = 0;
    }
    try {
      done += writevSync(fd, rest, position + done);
    } catch (err) {
      throw asFailure('store', err);
    }
  }
  return total;
}

function makeShard(store: SealStore, shard: string): boolean {
  const created = mkdirSync(shard, { recursive: true, mode: 0o700 }) !== undefined;
  store.shards.add(shard);
  return created;
}

function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}

function fsyncDirSync(path: string): void {
  // Directory fsync makes the rename durable; Windows cannot open directories, where NTFS journals renames.
  if (process.platform === 'win32') return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function asFailure(where: 'source' | 'store', err: unknown): SealFailure {
  if (err instanceof SealFailure) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new SealFailure(where, code, err instanceof Error ? err.message : String(err));
}
