import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { BufferPool } from './buffer-pool.js';

/**
 * Encrypted object format (one file per stored original), a STREAM-style construction over AES-256-GCM:
 *
 *   header  = "RDXOBJ1\0" (8) | chunk size, u32 BE (4) | salt (32)
 *   chunk i = AES-256-GCM(fileKey, nonce_i, plaintext_i, aad = header) | tag (16)
 *   fileKey = HKDF-SHA256(objectsKey, salt, "redress/v1/object-file")
 *   nonce_i = u64 BE i | 0x000000 | 0x01 on the last chunk, else 0x00
 *
 * Each file has its own key, so counters never repeat under a key. Chunks stream, so a 2 GiB video
 * never sits in memory. Reordered, dropped or altered chunks fail their tag, and the final-chunk
 * flag makes a file cut at a chunk boundary fail too.
 */
export const MAGIC = Buffer.from('RDXOBJ1\0', 'latin1');
export const HEADER_SIZE = MAGIC.length + 4 + 32;
export const TAG_SIZE = 16;
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
/**
 * Node's cipher.update allocates its output; for inputs much over 64 KiB that allocation dominates (measured here:
 * 2.7 GB/s at 64 KiB against 0.7 GB/s at 1 MiB), so chunks are fed through in slices.
 */
const CRYPTO_SLICE = 64 * 1024;
/** Shared by every writer with the default chunk size (and by ObjectStore's read buffers). */
export const chunkBuffers = new BufferPool(DEFAULT_CHUNK_SIZE + TAG_SIZE, 32);

export class SealedFileError extends Error {
  constructor(
    readonly reason: 'bad-header' | 'truncated' | 'altered',
    message: string,
  ) {
    super(message);
    this.name = 'SealedFileError';
  }
}

export function fileKey(objectsKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', objectsKey, salt, 'redress/v1/object-file', 32));
}

export function nonce(index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(index), 0);
  n[11] = last ? 1 : 0;
  return n;
}

/** A new sealed file's header (with a fresh salt) and the key of its chunks. */
export function newSealedHeader(objectsKey: Buffer, chunkSize = DEFAULT_CHUNK_SIZE): { header: Buffer; key: Buffer } {
  const salt = randomBytes(32);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(chunkSize);
  return { header: Buffer.concat([MAGIC, size, salt]), key: fileKey(objectsKey, salt) };
}

/** Seals chunk `index` of a file into `out` (at least plain.length + TAG_SIZE bytes): ciphertext, then its tag. */
export function sealChunk(key: Buffer, header: Buffer, index: number, last: boolean, plain: Buffer, out: Buffer): void {
  const cipher = createCipheriv('aes-256-gcm', key, nonce(index, last));
  cipher.setAAD(header);
  for (let offset = 0; offset < plain.length; offset += CRYPTO_SLICE) {
    cipher.update(plain.subarray(offset, offset + CRYPTO_SLICE)).copy(out, offset);
  }
  cipher.final();
  cipher.getAuthTag().copy(out, plain.length);
}

/** Writes plaintext as sealed chunks to an open file handle. Call write() any number of times, then finish(). */
export class SealWriter {
  private readonly key: Buffer;
  private readonly header: Buffer;
  private pending: Buffer | null = null;
  private fill: Buffer;
  private fillLength = 0;
  // Two sealed buffers take turns: one is being written to disk while the next chunk is sealed into the other.
  private sealed: [Buffer, Buffer] = [Buffer.alloc(0), Buffer.alloc(0)];
  private turn: 0 | 1 = 0;
  private inFlight: Promise<void> | null = null;
  private index = 0;
  private position = 0;
  bytesIn = 0;

  constructor(
    private readonly handle: FileHandle,
    objectsKey: Buffer,
    private readonly chunkSize = DEFAULT_CHUNK_SIZE,
    /** expected plaintext size: small files then get small buffers (most evidence is screenshots) */
    sizeHint = chunkSize,
  ) {
    ({ header: this.header, key: this.key } = newSealedHeader(objectsKey, chunkSize));
    this.pooled = chunkSize + TAG_SIZE === chunkBuffers.size;
    this.fill = this.pooled ? chunkBuffers.take() : Buffer.allocUnsafe(Math.max(1, Math.min(chunkSize, sizeHint)));
  }

  private readonly pooled: boolean;

  /** Hands the buffers back to the pool; the writer is unusable afterwards. */
  release(): void {
    if (!this.pooled) return;
    chunkBuffers.give(this.fill);
    chunkBuffers.give(this.pending);
    for (const b of this.sealed) chunkBuffers.give(b);
    this.pending = null;
    this.sealed = [Buffer.alloc(0), Buffer.alloc(0)];
    this.fill = Buffer.alloc(0);
  }

  async start(): Promise<void> {
    // In flight while the first chunk is sealed, like every chunk after it.
    const write = this.writeOut(this.header);
    write.catch(() => undefined);
    this.inFlight = write;
  }

  async write(data: Buffer): Promise<void> {
    this.bytesIn += data.length;
    let offset = 0;
    while (offset < data.length) {
      const n = Math.min(this.chunkSize - this.fillLength, data.length - offset);
      if (this.fillLength + n > this.fill.length) this.fill = grow(this.fill, this.fillLength, this.chunkSize);
      data.copy(this.fill, this.fillLength, offset, offset + n);
      this.fillLength += n;
      offset += n;
      if (this.fillLength === this.chunkSize) {
        // A full chunk is only known to be non-final once more data follows it.
        if (this.pending) await this.seal(this.pending.subarray(0, this.chunkSize), false);
        // Two chunk buffers take turns, so a long file allocates nothing per chunk.
        const spare = this.pending ?? (this.pooled ? chunkBuffers.take() : Buffer.allocUnsafe(this.chunkSize));
        this.pending = this.fill;
        this.fill = spare;
        this.fillLength = 0;
      }
    }
  }

  async finish(): Promise<void> {
    if (this.fillLength > 0 || !this.pending) {
      if (this.pending) await this.seal(this.pending.subarray(0, this.chunkSize), false);
      await this.seal(this.fill.subarray(0, this.fillLength), true);
    } else {
      await this.seal(this.pending.subarray(0, this.chunkSize), true);
    }
    this.pending = null;
    await this.settle();
  }

  /** Waits for the write in flight; after a failure, call it before release() so no write still reads a buffer. */
  async settle(): Promise<void> {
    const w = this.inFlight;
    this.inFlight = null;
    await w;
  }

  private async seal(plain: Buffer, last: boolean): Promise<void> {
    const t = this.turn;
    if (this.sealed[t].length < plain.length + TAG_SIZE) this.sealed[t] = this.pooled ? chunkBuffers.take() : Buffer.allocUnsafe(plain.length + TAG_SIZE);
    const out = this.sealed[t];
    // The buffer being sealed into is not the one the write in flight reads: that is the other turn's.
    sealChunk(this.key, this.header, this.index++, last, plain, out);
    await this.settle();
    // Not awaited: the caller reads and hashes the next chunk while this one goes to disk. Chunks are written at
    // their own positions, one at a time, so the file is the same whatever the timing.
    const write = this.writeOut(out.subarray(0, plain.length + TAG_SIZE));
    write.catch(() => undefined); // observed by the next settle(); this only keeps it from being reported unhandled
    this.inFlight = write;
    this.turn = this.turn === 0 ? 1 : 0;
  }

  private async writeOut(buf: Buffer): Promise<void> {
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.handle.write(buf, done, buf.length - done, this.position);
      done += bytesWritten;
      this.position += bytesWritten;
    }
  }
}

function grow(buf: Buffer, used: number, size: number): Buffer {
  const bigger = Buffer.allocUnsafe(size);
  buf.copy(bigger, 0, 0, used);
  return bigger;
}

/** Where the chunks of a sealed file of `size` bytes lie, from its header; throws on a bad header or truncation. */
function chunkLayout(header: Buffer, size: number): { chunkSize: number; sealedChunk: number; chunks: number; lastSealed: number } {
  if (header.length < HEADER_SIZE || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SealedFileError('bad-header', 'not a Redress object (bad header)');
  }
  const chunkSize = header.readUInt32BE(MAGIC.length);
  if (chunkSize < 1024 || chunkSize > 64 * 1024 * 1024) throw new SealedFileError('bad-header', 'bad chunk size');
  const body = size - HEADER_SIZE;
  const sealedChunk = chunkSize + TAG_SIZE;
  // Every sealed file ends with a final chunk of 0..chunkSize plaintext bytes.
  const chunks = Math.max(1, Math.ceil(body / sealedChunk));
  const lastSealed = body - (chunks - 1) * sealedChunk;
  if (body < TAG_SIZE || lastSealed < TAG_SIZE) throw new SealedFileError('truncated', 'sealed file is truncated');
  return { chunkSize, sealedChunk, chunks, lastSealed };
}

/** A chunk that fails authentication: a full-size final chunk that fails is most likely a file cut at a chunk boundary. */
function chunkFailure(index: number, last: boolean, length: number, sealedChunk: number): SealedFileError {
  return new SealedFileError(last && length === sealedChunk ? 'truncated' : 'altered', `chunk ${index} failed authentication`);
}

/**
 * The whole plaintext of a small sealed file (an image, say) in one buffer, every chunk authenticated. Each chunk
 * is decrypted straight into its place: collecting chunks and concatenating them doubled the allocations, and
 * garbage collection was a fifth of a photo packet's originals phase.
 */
export async function readSealedWhole(path: string, objectsKey: Buffer): Promise<Buffer> {
  const handle = await open(path, 'r');
  const header = Buffer.alloc(HEADER_SIZE);
  let buf: Buffer | null = null;
  try {
    const { size } = await handle.stat();
    const { bytesRead } = await handle.read(header, 0, HEADER_SIZE, 0);
    const { sealedChunk, chunks, lastSealed } = chunkLayout(header.subarray(0, bytesRead), size);
    const key = fileKey(objectsKey, header.subarray(MAGIC.length + 4));
    const whole = Buffer.allocUnsafe(size - HEADER_SIZE - chunks * TAG_SIZE);
    // sealed chunks pass through one pooled buffer: reading the whole file first was another copy to collect
    buf = sealedChunk === chunkBuffers.size ? chunkBuffers.take() : Buffer.allocUnsafe(sealedChunk);
    for (let i = 0; i < chunks; i++) {
      const last = i === chunks - 1;
      const length = last ? lastSealed : sealedChunk;
      await readExactly(handle, buf, length, HEADER_SIZE + i * sealedChunk);
      openChunk(key, header, i, last, buf.subarray(0, length), whole.subarray(i * (sealedChunk - TAG_SIZE)), sealedChunk);
    }
    return whole;
  } finally {
    chunkBuffers.give(buf);
    await handle.close();
  }
}

async function readExactly(handle: FileHandle, buf: Buffer, length: number, position: number): Promise<void> {
  let got = 0;
  while (got < length) {
    const r = await handle.read(buf, got, length - got, position + got);
    if (r.bytesRead === 0) throw new SealedFileError('truncated', 'sealed file is truncated');
    got += r.bytesRead;
  }
}

/** Decrypts one sealed chunk (ciphertext | tag) into `plain`, authenticating it. */
function openChunk(key: Buffer, header: Buffer, index: number, last: boolean, sealed: Buffer, plain: Buffer, sealedChunk: number): void {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce(index, last));
  decipher.setAAD(header);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
  const length = sealed.length - TAG_SIZE;
  for (let offset = 0; offset < length; offset += CRYPTO_SLICE) {
    decipher.update(sealed.subarray(offset, Math.min(offset + CRYPTO_SLICE, length))).copy(plain, offset);
  }
  try {
    decipher.final();
  } catch {
    throw chunkFailure(index, last, sealed.length, sealedChunk);
  }
}

/** Yields the plaintext of a sealed file chunk by chunk, authenticating each chunk before it is yielded. */
export async function* readSealed(path: string, objectsKey: Buffer): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  let buf: Buffer | undefined;
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(HEADER_SIZE);
    const { bytesRead } = await handle.read(header, 0, HEADER_SIZE, 0);
    const { sealedChunk, chunks, lastSealed } = chunkLayout(header.subarray(0, bytesRead), size);
    const key = fileKey(objectsKey, header.subarray(MAGIC.length + 4));
    // A one-chunk file (most evidence) gets a buffer of its own size; a chunk-sized buffer per file made verifying
    // 10k screenshots allocate 10 GB, which Node 24 collects late: 4 GB resident and 7x slower, measured.
    const pooled = chunks > 1 && sealedChunk === chunkBuffers.size;
    buf = pooled ? chunkBuffers.take() : Buffer.allocUnsafe(chunks > 1 ? sealedChunk : lastSealed);
    let position = HEADER_SIZE;
    for (let i = 0; i < chunks; i++) {
      const last = i === chunks - 1;
      const length = last ? lastSealed : sealedChunk;
      await readExactly(handle, buf, length, position);
      position += length;
      const plain = Buffer.allocUnsafe(length - TAG_SIZE);
      openChunk(key, header, i, last, buf.subarray(0, length), plain, sealedChunk);
      yield plain;
    }
  } finally {
    await handle.close();
    // no read is pending once the handle is closed, so the buffer can go back
    if (buf?.length === chunkBuffers.size) chunkBuffers.give(buf);
  }
}

/** The plaintext size of a sealed file, from its header and length alone (nothing is decrypted). */
export async function sealedPlaintextSize(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(HEADER_SIZE);
    const { bytesRead } = await handle.read(header, 0, HEADER_SIZE, 0);
    const { chunks } = chunkLayout(header.subarray(0, bytesRead), size);
    return size - HEADER_SIZE - chunks * TAG_SIZE;
  } finally {
    await handle.close();
  }
}
