import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RedressError } from '../../electron/core/errors.js';
import { ObjectStore } from '../../electron/core/vault/object-store.js';
import { DEFAULT_CHUNK_SIZE, HEADER_SIZE, readSealed, TAG_SIZE } from '../../electron/core/vault/sealed-file.js';
import { tempDir } from '../helpers/vault.js';

const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function unseal(store: ObjectStore, name: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of store.read(name)) parts.push(p);
  return Buffer.concat(parts);
}

// Small originals are sealed with blocking calls on the calling thread, bigger ones streamed (object-store.ts): both
// must store exactly the bytes of the file, in the one sealed format, under the one content name.
describe('object store: every size of original is stored whole, the same way whichever path seals it', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: ObjectStore;
  const objectsKey = randomBytes(32);
  before(async () => {
    dir = await tempDir();
    store = new ObjectStore(join(dir.path, 'vault'), objectsKey, randomBytes(32));
    await store.init();
    await mkdir(join(dir.path, 'src'));
  });
  after(() => dir.cleanup());

  const C = DEFAULT_CHUNK_SIZE;
  for (const size of [0, 1, 4100, C - 1, C, C + 1, 3 * C, 8 * MiB, 8 * MiB + 1, 20 * MiB + 7]) {
    it(`a file of ${size} bytes: stored, read back identical, the sealed size its chunks make, mode 0600`, async () => {
      const data = randomBytes(size);
      const path = join(dir.path, 'src', `f${size}.bin`);
      await writeFile(path, data);
      let head: Buffer | undefined;
      let told = 0;
      const stored = await store.ingestFile(path, { onHead: (h) => void (head = Buffer.from(h)), onBytes: (n) => (told += n) });
      assert.equal(stored.size, size);
      assert.equal(stored.sha256, sha(data));
      assert.equal(stored.objectName, store.nameFor(stored.sha256));
      assert.equal(stored.written, true);
      assert.ok(stored.modifiedAt.getTime() > 0);
      assert.deepEqual(head, data.subarray(0, Math.min(size, C)), 'onHead sees the first chunk');
      assert.equal(told, size, 'progress adds up to the file');
      const back = await unseal(store, stored.objectName);
      assert.equal(back.length, size);
      assert.ok(back.equals(data), 'the plaintext read back is the file');
      // a full last chunk is the final one: no empty chunk after it
      const chunks = Math.max(1, Math.ceil(size / C));
      const info = await stat(store.pathOf(stored.objectName));
      assert.equal(info.size, HEADER_SIZE + size + chunks * TAG_SIZE);
      assert.equal(info.mode & 0o777, 0o600);
      // the same bytes again: the same object, not written twice
      const again = await store.ingestFile(path);
      assert.deepEqual({ ...again, modifiedAt: 0 }, { ...stored, written: false, modifiedAt: 0 });
      const fromMemory = await store.ingestBuffer(data);
      assert.deepEqual(fromMemory, { sha256: stored.sha256, size, objectName: stored.objectName, written: false });
      assert.deepEqual(await readdir(store.tmpDir), [], 'no temp file left behind');
    });
  }

  it('bytes from memory of every size are stored whole too (captures and pastes)', async () => {
    for (const size of [0, 17, C, C + 1, 8 * MiB + 3]) {
      const data = randomBytes(size);
      const stored = await store.ingestBuffer(data);
      assert.equal(stored.sha256, sha(data));
      assert.ok((await unseal(store, stored.objectName)).equals(data), `${size} bytes`);
    }
    // a view into a larger buffer stores only its own bytes
    const big = randomBytes(3 * C);
    const view = big.subarray(C + 5, 2 * C + 9);
    const stored = await store.ingestBuffer(view);
    assert.ok((await unseal(store, stored.objectName)).equals(view));
  });

  it('many small files at once, with slow sniffing: each one gets its own head and its own bytes', async () => {
    const files = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const data = randomBytes(1000 + i * 37_000);
        const path = join(dir.path, 'src', `c${i}.png`);
        await writeFile(path, data);
        return { data, path };
      }),
    );
    const results = await Promise.all(
      files.map(async ({ path }, i) => {
        let head: Buffer | undefined;
        const stored = await store.ingestFile(path, {
          // The head is a lent buffer until this settles: others seal meanwhile.
          onHead: async (h) => {
            await new Promise((r) => setTimeout(r, (i * 7) % 11));
            head = Buffer.from(h);
          },
        });
        return { stored, head };
      }),
    );
    for (const [i, { stored, head }] of results.entries()) {
      assert.ok(head?.equals(files[i]!.data), `file ${i}: its own head`);
      assert.equal(stored.sha256, sha(files[i]!.data));
      assert.ok((await unseal(store, stored.objectName)).equals(files[i]!.data), `file ${i}: its own bytes`);
    }
  });

  it('a file that cannot be read is FILE_UNREADABLE with the reason, and leaves nothing behind', { timeout: 20_000 }, async () => {
    const cases: [string, RegExp][] = [
      [join(dir.path, 'src', 'missing.png'), /no such file/],
      [join(dir.path, 'src'), /is a folder/],
    ];
    if (process.platform !== 'win32') {
      // a named pipe would block the thread that opened it until a writer came: refused without opening it
      const fifo = join(dir.path, 'src', 'pipe.png');
      execFileSync('mkfifo', [fifo]);
      cases.push([fifo, /not a regular file/]);
    }
    if (process.getuid?.() !== 0) {
      const locked = join(dir.path, 'src', 'locked.png');
      await writeFile(locked, 'x');
      await chmod(locked, 0o000);
      cases.push([locked, /permission denied/]);
    }
    for (const [path, reason] of cases) {
      await assert.rejects(store.ingestFile(path), (err: unknown) => {
        assert.ok(err instanceof RedressError, String(err));
        assert.equal(err.code, 'FILE_UNREADABLE');
        assert.match(String(err.value.params?.reason), reason);
        assert.equal(err.value.params?.file, path);
        return true;
      });
    }
    assert.deepEqual(await readdir(store.tmpDir), []);
  });

  it("the vault's own disk failing is not blamed on the user's file, and no half-written object appears", async () => {
    const path = join(dir.path, 'src', 'ok.png');
    const data = randomBytes(5000);
    await writeFile(path, data);
    const before = await countObjects(store);
    await rm(store.tmpDir, { recursive: true });
    try {
      for (const attempt of [() => store.ingestFile(path), () => store.ingestBuffer(data)]) {
        await assert.rejects(attempt(), (err: unknown) => {
          assert.ok(!(err instanceof RedressError && err.code === 'FILE_UNREADABLE'), 'not the file: the vault');
          assert.equal((err as NodeJS.ErrnoException).code, 'ENOENT');
          return true;
        });
      }
    } finally {
      await mkdir(store.tmpDir, { mode: 0o700 });
    }
    assert.equal(await countObjects(store), before);
  });

  it('a cancelled ingest of a small file stores nothing', async () => {
    const path = join(dir.path, 'src', 'cancel.png');
    await writeFile(path, randomBytes(3000));
    const controller = new AbortController();
    controller.abort();
    const before = await countObjects(store);
    await assert.rejects(store.ingestFile(path, { signal: controller.signal }), (err: unknown) => err instanceof RedressError && err.code === 'CANCELLED');
    assert.equal(await countObjects(store), before);
    assert.deepEqual(await readdir(store.tmpDir), []);
  });

  it('a new store makes its 256 shard folders once; a store opened again makes none', async () => {
    const shards = await readdir(store.objectsDir);
    assert.equal(shards.length, 256);
    assert.ok(shards.every((s) => /^[0-9a-f]{2}$/.test(s)));
    const reopened = new ObjectStore(join(dir.path, 'vault'), objectsKey, randomBytes(32));
    await reopened.init();
    assert.equal((await readdir(store.objectsDir)).length, 256);
  });

  it('the sealed format is the streaming one: readSealed authenticates a small inline-sealed file', async () => {
    const data = randomBytes(777);
    const stored = await store.ingestBuffer(data);
    const parts: Buffer[] = [];
    for await (const p of readSealed(store.pathOf(stored.objectName), objectsKey)) parts.push(p);
    assert.ok(Buffer.concat(parts).equals(data));
    await assert.rejects(async () => {
      for await (const _ of readSealed(store.pathOf(stored.objectName), randomBytes(32))) void _;
    });
  });
});

async function countObjects(store: ObjectStore): Promise<number> {
  return (await store.listObjectNames()).length;
}
