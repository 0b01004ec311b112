import { createHash, createHmac, randomBytes } from 'node:crypto';
import { constants, statSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { RedressError } from '../errors.js';
import { sealSync, SealFailure, type SealDone, type SealJob, type SealStore } from './seal-sync.js';
import { chunkBuffers, readSealed, readSealedWhole, SealWriter } from './sealed-file.js';

export interface StoredObject {
  sha256: string;
  size: number;
  objectName: string;
  /** false when identical bytes were already stored (content addressing deduplicates them) */
  written: boolean;
}

export interface IngestOptions {
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
  sizeHint?: number;
  /**
   * Given the file's first chunk (1 MiB, or all of a smaller file) once it is stored, and awaited: sniffing the media
   * type from it saves opening and reading the file a second time, a sixth of a small file's ingest.
   */
  onHead?: (head: Buffer) => Promise<void> | void;
  /**
   * Store under this name instead of the one this vault's key gives the content: a case imported from another vault
   * keeps the object names its custody chain recorded (see bundles/import.ts).
   */
  storeAs?: string;
}

/** ingest()'s temporary names: 12 random bytes in hex. */
const PART_NAME = /^[0-9a-f]{24}\.part$/;
/** Originals up to this size are sealed on the calling thread (sealHere); bigger ones are streamed (streamFile). */
const INLINE_MAX = 8 * 1024 * 1024;
const READ_SIZE = 1024 * 1024;

/**
 * Content-addressed store of encrypted originals. A file is named by an HMAC of its plaintext SHA-256,
 * so equal files are stored once, yet a name reveals nothing about the content to someone without the key.
 *
 * Crash safety: bytes go to tmp/*.part, are fsynced, then renamed into objects/ and the directory is
 * fsynced. Only then may the database reference the object, so a committed item always has its file. A
 * crash leaves at worst a .part file or an unreferenced object; neither is deleted on the next open: see
 * quarantine.ts for what is done with them instead.
 */
export class ObjectStore {
  readonly objectsDir: string;
  readonly tmpDir: string;
  private readonly shards = new Set<string>();
  private readonly here: SealStore;

  constructor(
    dataDir: string,
    private readonly objectsKey: Buffer,
    private readonly namesKey: Buffer,
  ) {
    this.objectsDir = join(dataDir, 'objects');
    this.tmpDir = join(dataDir, 'tmp');
    this.here = { objectsDir: this.objectsDir, tmpDir: this.tmpDir, objectsKey, namesKey, shards: this.shards };
  }

  async init(): Promise<void> {
    await mkdir(this.objectsDir, { recursive: true, mode: 0o700 });
    await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    // All 256 shard folders, made once: otherwise a new vault's first few hundred originals each paid a mkdir and a
    // second folder fsync (a tenth of a screenshot's ingest), and every ingest a check that its shard exists.
    const present = new Set(await readdir(this.objectsDir));
    let made = false;
    for (let i = 0; i < 256; i++) {
      const name = i.toString(16).padStart(2, '0');
      if (!present.has(name)) made = (await this.makeShard(join(this.objectsDir, name))) || made;
      else this.shards.add(join(this.objectsDir, name));
    }
    if (made) await fsyncDir(this.objectsDir);
  }

  nameFor(sha256: string): string {
    return createHmac('sha256', this.namesKey).update(sha256).digest('hex');
  }

  pathOf(objectName: string): string {
    return join(this.objectsDir, objectName.slice(0, 2), objectName);
  }

  /**
   * Seals a file from disk into the store; the file is read once, and its first chunk is given to onHead. A small file
   * (most evidence) is sealed right here with blocking calls (sealHere); a bigger one is streamed.
   */
  async ingestFile(path: string, options: IngestOptions = {}): Promise<StoredObject & { modifiedAt: Date }> {
    const info = statSync(path, { throwIfNoEntry: false });
    // Refused before it is opened: opening a named pipe would block until a writer came, here on the core's thread.
    if (info && !info.isFile()) throw new RedressError('FILE_UNREADABLE', { file: path, reason: describeFsError({ code: info.isDirectory() ? 'EISDIR' : 'ENOTFILE' }) });
    if (!info || info.size > INLINE_MAX) return this.streamFile(path, options);
    const { head, modifiedMs, lent, ...stored } = this.sealHere({ source: { path }, ...(options.storeAs ? { storeAs: options.storeAs } : {}), lendHead: true }, options);
    try {
      await options.onHead?.(head ? Buffer.from(head.buffer, head.byteOffset, head.byteLength) : Buffer.alloc(0));
    } finally {
      chunkBuffers.give(lent);
    }
    return { ...stored, modifiedAt: new Date(modifiedMs ?? 0) };
  }

  /** A bigger file, streamed: read, hashed and sealed chunk by chunk with the reads and writes overlapped. */
  private async streamFile(path: string, options: IngestOptions): Promise<StoredObject & { modifiedAt: Date }> {
    let source;
    try {
      source = await open(path, constants.O_RDONLY);
    } catch (err) {
      throw new RedressError('FILE_UNREADABLE', { file: path, reason: describeFsError(err) }, { cause: err });
    }
    try {
      const info = await source.stat();
      if (!info.isFile()) throw new RedressError('FILE_UNREADABLE', { file: path, reason: 'not a regular file' });
      // Two buffers alternate: ingest() reads the next one while sealing the current one. A file that changes
      // while it is read is still hashed exactly as it was read, since the hash sees the same bytes as the cipher.
      const buffers = [chunkBuffers.take(), chunkBuffers.take()];
      try {
      const stored = await this.ingest(async function* () {
        let position = 0;
        for (let turn = 0; ; turn ^= 1) {
          const buf = buffers[turn]!.subarray(0, READ_SIZE);
          const { bytesRead } = await source.read(buf, 0, buf.length, position);
          if (position === 0) await options.onHead?.(buf.subarray(0, bytesRead));
          if (bytesRead === 0) return;
          position += bytesRead;
          yield buf.subarray(0, bytesRead);
          // A short read of a regular file is its end: most evidence fits one read, and asking again only to hear
          // "0 bytes" is one more wait on the disk per file.
          if (bytesRead < buf.length) return;
        }
      }, { ...options, sizeHint: info.size });
      return { ...stored, modifiedAt: info.mtime };
      } finally {
        // ingest() has finished with both buffers by the time it settles.
        for (const b of buffers) chunkBuffers.give(b);
      }
    } finally {
      await source.close();
    }
  }

  async ingestBuffer(data: Buffer, options: IngestOptions = {}): Promise<StoredObject> {
    if (data.length <= INLINE_MAX) {
      const { head: _head, modifiedMs: _mtime, ...stored } = this.sealHere({ source: { data }, ...(options.storeAs ? { storeAs: options.storeAs } : {}) }, options);
      return stored;
    }
    return this.ingest(async function* () {
      yield data;
    }, { ...options, sizeHint: data.length });
  }

  /**
   * One small original (a screenshot, a capture, a paste) sealed on this thread with blocking calls and no wait: through
   * the asynchronous calls, each of some fifteen round trips to libuv's thread pool cost this machine 0.3 ms, which made
   * a screenshot's ingest 2.5x what sha256sum needs to read it. Sealing threads of their own (tried) cost a hop each
   * way and 60-100 MB of memory per thread. The core runs on a thread of its own in the app, so a few milliseconds of
   * blocking reach no window; a file over INLINE_MAX is streamed instead, so nothing blocks for long.
   */
  private sealHere(job: SealJob, options: IngestOptions): SealDone {
    if (options.signal?.aborted) throw new RedressError('CANCELLED');
    try {
      return sealSync(this.here, job, options.onBytes);
    } catch (err) {
      throw err instanceof SealFailure ? sealError(err, 'path' in job.source ? job.source.path : undefined) : err;
    }
  }

  /** Streams any source (an entry read from an exchange bundle) into the store. */
  async ingestStream(source: AsyncIterable<Buffer>, options: IngestOptions = {}): Promise<StoredObject> {
    return this.ingest(async function* () {
      for await (const chunk of source) yield chunk;
    }, options);
  }

  private async ingest(chunks: () => AsyncGenerator<Buffer>, options: IngestOptions): Promise<StoredObject> {
    const tmpPath = join(this.tmpDir, `${randomBytes(12).toString('hex')}.part`);
    const handle = await open(tmpPath, 'wx', 0o600);
    let committed = false;
    try {
      const hash = createHash('sha256');
      const writer = new SealWriter(handle, this.objectsKey, undefined, options.sizeHint);
      await writer.start();
      // Overlap reading the next chunk with sealing and writing this one.
      const it = chunks();
      let next = it.next();
      try {
        for (;;) {
          const { value, done } = await next;
          if (done) break;
          if (options.signal?.aborted) throw new RedressError('CANCELLED');
          next = it.next();
          hash.update(value);
          await writer.write(value);
          options.onBytes?.(value.length);
        }
      } catch (err) {
        // A read may still be filling a pooled buffer, and a write still reading a sealed one; both must land
        // before the buffers go back or the file is closed.
        await next.catch(() => undefined);
        await writer.settle().catch(() => undefined);
        throw err;
      }
      await writer.finish();
      writer.release();
      await handle.sync();
      await handle.close();
      const sha256 = hash.digest('hex');
      const objectName = options.storeAs ?? this.nameFor(sha256);
      const finalPath = this.pathOf(objectName);
      if (await exists(finalPath)) {
        await unlink(tmpPath);
        committed = true;
        return { sha256, size: writer.bytesIn, objectName, written: false };
      }
      const shard = join(this.objectsDir, objectName.slice(0, 2));
      let shardIsNew = false;
      // mkdir costs a small file a tenth of its ingest; a shard once seen is assumed to stay (rename says if not).
      if (!this.shards.has(shard)) shardIsNew = await this.makeShard(shard);
      try {
        await rename(tmpPath, finalPath);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !(await exists(tmpPath))) throw err;
        this.shards.delete(shard);
        shardIsNew = await this.makeShard(shard);
        await rename(tmpPath, finalPath);
      }
      await fsyncDir(shard);
      if (shardIsNew) await fsyncDir(this.objectsDir);
      committed = true;
      return { sha256, size: writer.bytesIn, objectName, written: true };
    } finally {
      if (!committed) {
        await handle.close().catch(() => undefined);
        await rm(tmpPath, { force: true });
      }
    }
  }

  /** Whether it created the shard. recursive: concurrent ingests may race to create it; undefined if it existed. */
  private async makeShard(shard: string): Promise<boolean> {
    const created = (await mkdir(shard, { recursive: true, mode: 0o700 })) !== undefined;
    this.shards.add(shard);
    return created;
  }

  read(objectName: string): AsyncGenerator<Buffer> {
    return readSealed(this.pathOf(objectName), this.objectsKey);
  }

  /** The whole original in memory: for images and other small files only. */
  readAll(objectName: string): Promise<Buffer> {
    return readSealedWhole(this.pathOf(objectName), this.objectsKey);
  }

  /** SHA-256 of the decrypted original; throws SealedFileError if any chunk fails authentication. */
  async hash(objectName: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const part of this.read(objectName)) hash.update(part);
    return hash.digest('hex');
  }

  async has(objectName: string): Promise<boolean> {
    return exists(this.pathOf(objectName));
  }

  /**
   * The partial writes this store leaves in tmp/ when a process dies mid-ingest: regular files named as ingest() names
   * them. Anything else in tmp/ (another feature's staging, a folder, a link) is not this store's to judge.
   */
  async tempParts(): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await readdir(this.tmpDir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isFile() && PART_NAME.test(entry.name)) out.push(join(this.tmpDir, entry.name));
    }
    return out;
  }

  /** The plaintext of any sealed file under this vault's key (a partial write, a quarantined original). */
  readPath(path: string): AsyncGenerator<Buffer> {
    return readSealed(path, this.objectsKey);
  }

  /** SHA-256 and size of a sealed file's plaintext; throws SealedFileError if it is incomplete or altered. */
  async hashPath(path: string): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const part of this.readPath(path)) {
      hash.update(part);
      size += part.length;
    }
    return { sha256: hash.digest('hex'), size };
  }

  /** Moves a sealed file (on the same disk) into objects/ under `objectName`, durably; false if that name is taken. */
  async adopt(path: string, objectName: string): Promise<boolean> {
    const finalPath = this.pathOf(objectName);
    if (await exists(finalPath)) return false;
    const shard = join(this.objectsDir, objectName.slice(0, 2));
    const shardIsNew = await this.makeShard(shard);
    await rename(path, finalPath);
    await fsyncDir(shard);
    if (shardIsNew) await fsyncDir(this.objectsDir);
    return true;
  }

  async listObjectNames(): Promise<string[]> {
    const out: string[] = [];
    for (const shard of await readdir(this.objectsDir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(this.objectsDir, shard))) if (/^[0-9a-f]{64}$/.test(name)) out.push(name);
    }
    return out;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function fsyncDir(path: string): Promise<void> {
  // Directory fsync makes the rename durable; Windows cannot open directories, where NTFS journals renames.
  if (process.platform === 'win32') return;
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ENOTFILE':
      return 'not a regular file';
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}

/** A failed seal as the caller sees it: their file could not be read, or the vault's disk failed. */
function sealError(failed: SealFailure, path: string | undefined): Error {
  if (failed.where === 'source') return new RedressError('FILE_UNREADABLE', { file: path ?? '', reason: describeFsError(failed) }, { cause: failed });
  // The vault's own disk (full, read-only, gone): the same error the streaming path raises, with its code.
  return Object.assign(new Error(failed.message, { cause: failed }), failed.code ? { code: failed.code } : {});
}
