import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { open, readFile, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CHUNK_SIZE, HEADER_SIZE, readSealed, readSealedWhole, SealedFileError, SealWriter, TAG_SIZE } from '../../electron/core/vault/sealed-file.js';
import { tempDir } from '../helpers/vault.js';

const KEY = randomBytes(32);
const CHUNK = 1024;

async function seal(path: string, data: Buffer, pieces = 7): Promise<void> {
  const handle = await open(path, 'w');
  const writer = new SealWriter(handle, KEY, CHUNK);
  await writer.start();
  const step = Math.ceil(data.length / pieces) || 1;
  for (let i = 0; i < data.length; i += step) await writer.write(data.subarray(i, i + step));
  await writer.finish();
  await handle.close();
}

async function unseal(path: string, key = KEY): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of readSealed(path, key)) parts.push(p);
  return Buffer.concat(parts);
}

// Both readers must agree: the streamed one (large originals) and the whole-file one (images for packets).
const readers: [string, (path: string, key?: typeof KEY) => Promise<Buffer>][] = [
  ['streamed', unseal],
  ['whole', (path, key = KEY) => readSealedWhole(path, key)],
];

for (const [reader, read] of readers)
describe(`sealed files (chunked AES-256-GCM), ${reader} read`, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => (dir = await tempDir()));
  after(() => dir.cleanup());

  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 10_007]) {
    it(`round-trips ${size} bytes written in uneven pieces`, async () => {
      const data = randomBytes(size);
      const path = join(dir.path, `rt-${size}`);
      await seal(path, data);
      assert.deepEqual(await read(path), data);
      const chunks = Math.max(1, Math.ceil(size / CHUNK));
      assert.equal((await stat(path)).size, HEADER_SIZE + size + chunks * TAG_SIZE);
    });
  }

  it('writers with the default chunk size reuse pooled buffers without mixing files', async () => {
    // Several writers at once and one after another, as concurrent ingests run: each file must come back as itself.
    const sizes = [DEFAULT_CHUNK_SIZE, 2 * DEFAULT_CHUNK_SIZE + 17, 5, DEFAULT_CHUNK_SIZE - 1, 0, 3 * DEFAULT_CHUNK_SIZE];
    for (let round = 0; round < 2; round++) {
      const datas = sizes.map((n) => randomBytes(n));
      await Promise.all(
        datas.map(async (data, i) => {
          const handle = await open(join(dir.path, `pool-${round}-${i}`), 'w');
          const writer = new SealWriter(handle, KEY);
          await writer.start();
          for (let o = 0; o < data.length; o += 300_001) await writer.write(data.subarray(o, o + 300_001));
          await writer.finish();
          writer.release();
          await handle.close();
        }),
      );
      for (const [i, data] of datas.entries()) {
        const path = join(dir.path, `pool-${round}-${i}`);
        assert.deepEqual(await read(path), data);
        const chunks = Math.max(1, Math.ceil(data.length / DEFAULT_CHUNK_SIZE));
        assert.equal((await stat(path)).size, HEADER_SIZE + data.length + chunks * TAG_SIZE);
      }
    }
  });

  it('does not contain the plaintext', async () => {
    const data = Buffer.from('身份证号 110101199003078888 '.repeat(200));
    const path = join(dir.path, 'plain');
    await seal(path, data);
    const raw = await readFile(path);
    assert.equal(raw.includes(Buffer.from('110101199003078888')), false);
  });

  it('rejects one flipped byte in any chunk', async () => {
    const data = randomBytes(3 * CHUNK + 10);
    const path = join(dir.path, 'flip');
    await seal(path, data);
    const raw = await readFile(path);
    raw[HEADER_SIZE + 2 * (CHUNK + TAG_SIZE) + 5]! ^= 1;
    await writeFile(path, raw);
    await assert.rejects(read(path), (e: unknown) => e instanceof SealedFileError && e.reason === 'altered');
  });

  it('rejects a file cut at a chunk boundary', async () => {
    const path = join(dir.path, 'cut');
    await seal(path, randomBytes(3 * CHUNK + 10));
    await truncate(path, HEADER_SIZE + 2 * (CHUNK + TAG_SIZE));
    await assert.rejects(read(path), SealedFileError);
  });

  it('rejects swapped chunks', async () => {
    const path = join(dir.path, 'swap');
    await seal(path, randomBytes(3 * CHUNK + 10));
    const raw = await readFile(path);
    const a = HEADER_SIZE;
    const b = HEADER_SIZE + CHUNK + TAG_SIZE;
    const first = Buffer.from(raw.subarray(a, b));
    raw.copy(raw, a, b, b + CHUNK + TAG_SIZE);
    first.copy(raw, b);
    await writeFile(path, raw);
    await assert.rejects(read(path), (e: unknown) => e instanceof SealedFileError && e.reason === 'altered');
  });

  it('rejects the wrong key', async () => {
    const path = join(dir.path, 'key');
    await seal(path, randomBytes(100));
    await assert.rejects(read(path, randomBytes(32)), SealedFileError);
  });
});

describe('a sealed file written while the next chunk is sealed', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => (dir = await tempDir()));
  after(() => dir.cleanup());

  it('writes are slow and finish out of step with sealing: the file is still exact', async () => {
    const path = join(dir.path, 'slow');
    const handle = await open(path, 'w');
    let inFlight = 0;
    let most = 0;
    const slow = {
      write: async (buf: Buffer, offset: number, length: number, position: number) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        // the bytes are read when the write runs, so a buffer reused too early would show here
        const r = await handle.write(Buffer.from(buf.subarray(offset, offset + length)), 0, length, position);
        inFlight--;
        return r;
      },
    } as unknown as FileHandle;
    const data = randomBytes(CHUNK * 9 + 17);
    const writer = new SealWriter(slow, KEY, CHUNK);
    await writer.start();
    for (let i = 0; i < data.length; i += 300) await writer.write(data.subarray(i, i + 300));
    await writer.finish();
    await handle.close();
    assert.equal(most, 1, 'one write at a time, in order');
    assert.deepEqual(await unseal(path), data);
  });

  it('a write that fails is reported by the next call, never lost or left unhandled', async () => {
    const handle = await open(join(dir.path, 'failing'), 'w');
    let calls = 0;
    const failing = {
      write: async (buf: Buffer, offset: number, length: number, position: number) => {
        if (++calls === 3) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        return handle.write(buf, offset, length, position);
      },
    } as unknown as FileHandle;
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const writer = new SealWriter(failing, KEY, CHUNK);
      await writer.start();
      await assert.rejects(async () => {
        for (let i = 0; i < 20; i++) await writer.write(randomBytes(CHUNK));
        await writer.finish();
      }, /ENOSPC|no space/);
      await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await handle.close();
    }
  });
});
