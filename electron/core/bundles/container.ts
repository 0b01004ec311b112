import { createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../custody/entry.js';
import { RedressError } from '../errors.js';
import { deriveKek, type KdfParams } from '../vault/keys.js';
import { fileKey, HEADER_SIZE, MAGIC as SEALED_MAGIC, nonce, SealWriter, TAG_SIZE } from '../vault/sealed-file.js';
import { bundleKdfProblem, limitExceeded } from './limits.js';

/**
 * The encrypted envelope of a `.redress` exchange bundle:
 *
 *   "RDXBNDL1" (8) | header length, u32 BE (4) | header = RFC 8785 JSON {format, v, kdf, salt, check}
 *   sealed stream  = the vault's STREAM construction (sealed-file.ts) over the plaintext (a ZIP, see format.ts)
 *
 *   kek        = scrypt(transfer passphrase, salt, kdf)          (the vault's own deriveKek)
 *   check      = HMAC-SHA256(kek, "redress/v1/bundle-check")[0..16]
 *   stream key = HKDF-SHA256(kek, SHA-256(magic | length | header), "redress/v1/bundle")
 *
 * Every byte is authenticated: the stream key depends on the whole header, so a changed header fails the first
 * chunk; each chunk carries its GCM tag, its index and a final-chunk flag, so a changed, reordered or cut-off
 * chunk fails too. `check` only lets a wrong passphrase be told apart from a damaged file; it tells a guesser
 * nothing the first chunk's tag would not.
 */
const MAGIC = Buffer.from('RDXBNDL1', 'latin1');
const MAX_HEADER = 4096;
const CHECK_INFO = 'redress/v1/bundle-check';

const BundleHeader = z.strictObject({
  format: z.literal('redress-bundle'),
  v: z.literal(1),
  // Its cost is bounded separately (bundleKdfProblem), before anything is derived.
  kdf: z.strictObject({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int() }),
  salt: z.string().regex(/^[A-Za-z0-9+/]{22}==$/),
  check: z.string().regex(/^[A-Za-z0-9+/]{22}==$/),
});
type BundleHeader = z.infer<typeof BundleHeader>;

function checkValue(kek: Buffer): Buffer {
  return createHmac('sha256', kek).update(CHECK_INFO).digest().subarray(0, 16);
}

function streamKey(kek: Buffer, prefix: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', kek, createHash('sha256').update(prefix).digest(), 'redress/v1/bundle', 32));
}

/** Writes an encrypted bundle from a plaintext stream. The caller writes to a temporary path and renames it. */
export async function writeSealedBundle(path: string, passphrase: string, kdf: KdfParams, plaintext: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<{ bytes: number; sha256: string }> {
  // never write a bundle that an importer would refuse
  const problem = bundleKdfProblem(kdf);
  if (problem) throw new RedressError('INTERNAL', { detail: `bundle key derivation out of bounds: ${problem}` });
  const salt = randomBytes(16);
  const kek = await deriveKek(passphrase, salt, kdf);
  const header: BundleHeader = { format: 'redress-bundle', v: 1, kdf: { name: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p }, salt: salt.toString('base64'), check: checkValue(kek).toString('base64') };
  const headerBytes = Buffer.from(canonicalJson(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length);
  const prefix = Buffer.concat([MAGIC, length, headerBytes]);
  const key = streamKey(kek, prefix);
  kek.fill(0);
  const handle = await open(path, 'wx', 0o600);
  const fileHash = createHash('sha256');
  let bytes = 0;
  try {
    await handle.write(prefix, 0, prefix.length, 0);
    fileHash.update(prefix);
    bytes += prefix.length;
    // SealWriter writes from position 0 of the handle it is given: shift its writes past the prefix, and hash
    // what goes to disk so the caller learns the file's SHA-256 without reading it back.
    const shifted = {
      write: async (buf: Buffer, offset: number, len: number, position: number) => {
        const r = await handle.write(buf, offset, len, position + prefix.length);
        fileHash.update(buf.subarray(offset, offset + r.bytesWritten));
        bytes += r.bytesWritten;
        return r;
      },
    } as unknown as FileHandle;
    const writer = new SealWriter(shifted, key);
    await writer.start();
    try {
      for await (const chunk of plaintext) {
        if (signal?.aborted) throw new RedressError('CANCELLED');
        await writer.write(chunk);
      }
    } catch (err) {
      await writer.settle().catch(() => undefined); // the write in flight lands before the file is closed
      throw err;
    }
    await writer.finish();
    await handle.sync();
  } finally {
    key.fill(0);
    await handle.close();
  }
  return { bytes, sha256: fileHash.digest('hex') };
}

/**
 * Random access to the plaintext of a bundle (the ZIP reader needs it), one authenticated chunk at a time.
 * Nothing unauthenticated is ever returned. `authenticateAll` checks every chunk once up front, so a change
 * anywhere in the file is found before any of it is used.
 */
export class BundleReader {
  readonly plaintextSize: number;
  private readonly cache = new Map<number, Buffer>();

  private constructor(
    private readonly handle: FileHandle,
    private readonly file: string,
    private readonly key: Buffer,
    private readonly sealedHeader: Buffer,
    private readonly base: number,
    private readonly chunkSize: number,
    private readonly chunks: number,
    private readonly lastSealed: number,
    readonly fileSize: number,
  ) {
    this.plaintextSize = (chunks - 1) * chunkSize + lastSealed - TAG_SIZE;
  }

  static async open(path: string, passphrase: string): Promise<BundleReader> {
    const file = basename(path);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw new RedressError('FILE_UNREADABLE', { file: path, reason: (err as NodeJS.ErrnoException).code ?? String(err) }, { cause: err });
    }
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(MAGIC.length + 4);
      await readFully(handle, head, 0, file);
      if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new RedressError('BUNDLE_INVALID', { file, detail: 'not a Redress bundle' });
      const headerLength = head.readUInt32BE(MAGIC.length);
      if (headerLength > MAX_HEADER) throw new RedressError('BUNDLE_INVALID', { file, detail: 'header too large' });
      const headerBytes = Buffer.alloc(headerLength);
      await readFully(handle, headerBytes, head.length, file);
      const header = parseHeader(headerBytes, file);
      // A hostile header must not make us allocate gigabytes or spin for minutes before the passphrase is checked.
      const costly = bundleKdfProblem(header.kdf);
      if (costly) throw limitExceeded(file, 'kdf', costly);
      const prefix = Buffer.concat([head, headerBytes]);
      const kek = await deriveKek(passphrase, Buffer.from(header.salt, 'base64'), header.kdf);
      const expected = Buffer.from(header.check, 'base64');
      if (!timingSafeEqual(checkValue(kek), expected)) throw new RedressError('BUNDLE_WRONG_PASSPHRASE', { file });
      const outerKey = streamKey(kek, prefix);
      kek.fill(0);
      const base = prefix.length;
      const sealedHeader = Buffer.alloc(HEADER_SIZE);
      await readFully(handle, sealedHeader, base, file);
      if (!sealedHeader.subarray(0, SEALED_MAGIC.length).equals(SEALED_MAGIC)) throw new RedressError('BUNDLE_DAMAGED', { file, detail: 'bad stream header' });
      const chunkSize = sealedHeader.readUInt32BE(SEALED_MAGIC.length);
      if (chunkSize < 1024 || chunkSize > 64 * 1024 * 1024) throw new RedressError('BUNDLE_DAMAGED', { file, detail: 'bad chunk size' });
      const key = fileKey(outerKey, sealedHeader.subarray(SEALED_MAGIC.length + 4));
      outerKey.fill(0);
      const body = size - base - HEADER_SIZE;
      const sealedChunk = chunkSize + TAG_SIZE;
      const chunks = Math.max(1, Math.ceil(body / sealedChunk));
      const lastSealed = body - (chunks - 1) * sealedChunk;
      if (body < TAG_SIZE || lastSealed < TAG_SIZE) throw new RedressError('BUNDLE_DAMAGED', { file, detail: 'the file is cut short' });
      return new BundleReader(handle, file, key, sealedHeader, base + HEADER_SIZE, chunkSize, chunks, lastSealed, size);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Decrypts and authenticates chunk i (the last one must carry the final flag, so a cut-off file fails). */
  async chunk(i: number): Promise<Buffer> {
    const hit = this.cache.get(i);
    if (hit) return hit;
    const last = i === this.chunks - 1;
    const sealedLength = last ? this.lastSealed : this.chunkSize + TAG_SIZE;
    const sealed = Buffer.alloc(sealedLength);
    await readFully(this.handle, sealed, this.base + i * (this.chunkSize + TAG_SIZE), this.file);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce(i, last));
    decipher.setAAD(this.sealedHeader);
    decipher.setAuthTag(sealed.subarray(sealedLength - TAG_SIZE));
    const plain = decipher.update(sealed.subarray(0, sealedLength - TAG_SIZE));
    try {
      decipher.final();
    } catch {
      const cut = last && sealedLength === this.chunkSize + TAG_SIZE;
      throw new RedressError('BUNDLE_DAMAGED', { file: this.file, detail: cut ? 'the file is cut short' : `block ${i} fails authentication` });
    }
    // The ZIP reader walks forward with small reads around the current chunk: two cached chunks suffice.
    if (this.cache.size >= 2) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(i, plain);
    return plain;
  }

  /** Plaintext bytes [start, end), chunk by chunk. */
  async *range(start: number, end: number): AsyncGenerator<Buffer> {
    if (start < 0 || end > this.plaintextSize || start > end) throw new RedressError('BUNDLE_INVALID', { file: this.file, detail: 'a member points outside the bundle' });
    let position = start;
    while (position < end) {
      const index = Math.floor(position / this.chunkSize);
      const plain = await this.chunk(index);
      const from = position - index * this.chunkSize;
      const to = Math.min(plain.length, end - index * this.chunkSize);
      yield Buffer.from(plain.subarray(from, to));
      position += to - from;
    }
  }

  /** Authenticates every chunk in order; returns the SHA-256 of the whole file (recorded with the transfer). */
  async authenticateAll(options: { signal?: AbortSignal; onBytes?: (done: number, total: number) => void } = {}): Promise<string> {
    const hash = createHash('sha256');
    const prefix = Buffer.alloc(this.base);
    await readFully(this.handle, prefix, 0, this.file);
    hash.update(prefix);
    for (let i = 0; i < this.chunks; i++) {
      if (options.signal?.aborted) throw new RedressError('CANCELLED');
      const last = i === this.chunks - 1;
      const sealed = Buffer.alloc(last ? this.lastSealed : this.chunkSize + TAG_SIZE);
      await readFully(this.handle, sealed, this.base + i * (this.chunkSize + TAG_SIZE), this.file);
      hash.update(sealed);
      const decipher = createDecipheriv('aes-256-gcm', this.key, nonce(i, last));
      decipher.setAAD(this.sealedHeader);
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
      // Only the tag matters here; decrypt in 64 KiB slices so no chunk-sized plaintext is allocated.
      for (let off = 0; off < sealed.length - TAG_SIZE; off += 65536) decipher.update(sealed.subarray(off, Math.min(off + 65536, sealed.length - TAG_SIZE)));
      try {
        decipher.final();
      } catch {
        const cut = last && sealed.length === this.chunkSize + TAG_SIZE;
        throw new RedressError('BUNDLE_DAMAGED', { file: this.file, detail: cut ? 'the file is cut short' : `block ${i} fails authentication` });
      }
      options.onBytes?.(Math.min((i + 1) * this.chunkSize, this.plaintextSize), this.plaintextSize);
    }
    return hash.digest('hex');
  }

  async close(): Promise<void> {
    this.key.fill(0);
    this.cache.clear();
    await this.handle.close();
  }
}

function parseHeader(bytes: Buffer, file: string): BundleHeader {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RedressError('BUNDLE_INVALID', { file, detail: 'unreadable header' });
  }
  const parsed = BundleHeader.safeParse(json);
  if (!parsed.success) {
    const v = (json as { v?: unknown } | null)?.v;
    throw new RedressError('BUNDLE_INVALID', { file, detail: typeof v === 'number' && v > 1 ? `made by a newer Redress (format ${v})` : 'unrecognised header' });
  }
  return parsed.data;
}

async function readFully(handle: FileHandle, buf: Buffer, position: number, file: string): Promise<void> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await handle.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) throw new RedressError('BUNDLE_DAMAGED', { file, detail: 'the file is cut short' });
    got += bytesRead;
  }
}
