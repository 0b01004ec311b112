import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { ZipWriter } from '../../electron/core/packets/zip.js';
import { nativeCrc32 } from '../../electron/core/zip/yazl.js';
import { tempDir } from '../helpers/vault.js';
import { run } from './tools.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('ZIP writer', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => (dir = await tempDir('redress-zip-')));
  after(() => dir.cleanup());

  it("yazl's CRC-32 is zlib's native one and gives the standard values", () => {
    assert.equal(nativeCrc32, typeof (zlib as unknown as { crc32?: unknown }).crc32 === 'function');
    const require = createRequire(import.meta.url);
    const bufferCrc32 = require(require.resolve('buffer-crc32', { paths: [dirname(require.resolve('yazl'))] })) as { unsigned: (b: Buffer, prev?: number) => number };
    assert.equal(bufferCrc32.unsigned(Buffer.from('hello')), 907060870);
    assert.equal(bufferCrc32.unsigned(Buffer.from('123456789')), 0xcbf43926, 'the CRC-32 check value');
    const data = randomBytes(100_000);
    assert.equal(bufferCrc32.unsigned(data.subarray(40_000), bufferCrc32.unsigned(data.subarray(0, 40_000))), bufferCrc32.unsigned(data), 'continues a running CRC');
  });

  it('writes entries given later, as files, bytes, a stream and buffers, in the order they were added; unzip checks every CRC', async () => {
    const files = { a: randomBytes(3_000_000), b: randomBytes(10), c: Buffer.from('文本 text\n'.repeat(1000)), d: randomBytes(2_500_000) };
    const zipPath = join(dir.path, 'mixed.zip');
    const zip = new ZipWriter(zipPath, new Date('2026-11-20T08:00:00Z'));
    const a = zip.addLater('p/originals/a.jpg');
    const b = zip.addLater('p/originals/b.bin');
    const c = zip.addLater('p/notes.txt');
    const pdf = zip.addStream('p/packet.pdf');
    // provided out of order: the ZIP still writes a, b, c, then the stream, then the buffer
    await writeFile(join(dir.path, 'c.txt'), files.c);
    c.file(join(dir.path, 'c.txt'));
    const bTaken = b.bytes(files.b);
    await sleep(20);
    const aTaken = a.bytes(files.a);
    await Promise.all([aTaken, bTaken]);
    for (let o = 0; o < files.d.length; o += 700_000) await pdf.write([files.d.subarray(o, o + 700_000)]);
    pdf.end();
    zip.addBuffer('p/SHA256SUMS', 'sums\n');
    await zip.finish();
    assert.deepEqual(await readdir(dir.path).then((l) => l.filter((f) => f.startsWith('mixed'))), ['mixed.zip.partial'], 'not in place before commit');
    await zip.commit();

    const test = run('unzip', ['-t', zipPath]);
    assert.equal(test.code, 0, test.stdout + test.stderr);
    const listing = run('unzip', ['-Z1', zipPath]).stdout.trim().split('\n');
    assert.deepEqual(listing, ['p/originals/a.jpg', 'p/originals/b.bin', 'p/notes.txt', 'p/packet.pdf', 'p/SHA256SUMS']);
    const out = join(dir.path, 'mixed-out');
    assert.equal(run('unzip', ['-q', zipPath, '-d', out]).code, 0);
    assert.equal(sha256(await readFile(join(out, 'p/originals/a.jpg'))), sha256(files.a));
    assert.equal(sha256(await readFile(join(out, 'p/originals/b.bin'))), sha256(files.b));
    assert.equal(sha256(await readFile(join(out, 'p/notes.txt'))), sha256(files.c));
    assert.equal(sha256(await readFile(join(out, 'p/packet.pdf'))), sha256(files.d));
    assert.equal(await readFile(join(out, 'p/SHA256SUMS'), 'utf8'), 'sums\n');
  });

  it('a stop releases every producer waiting for the ZIP and leaves no partial file', async () => {
    const zipPath = join(dir.path, 'stopped.zip');
    const zip = new ZipWriter(zipPath, new Date());
    const first = zip.addLater('first.bin'); // never provided: everything after it waits
    const second = zip.addLater('second.bin');
    const stream = zip.addStream('third.pdf');
    const waiting = second.bytes(randomBytes(1000));
    const writing = stream.write([randomBytes(8 << 20)]); // more than the entry buffers: waits for the ZIP
    let settled = 0;
    void waiting.catch(() => settled++);
    void writing.catch(() => settled++);
    await sleep(30);
    assert.equal(settled, 0, 'both wait while the first entry is missing');
    zip.stopNow();
    await assert.rejects(waiting);
    await assert.rejects(writing);
    await zip.abort();
    void first;
    assert.deepEqual((await readdir(dir.path)).filter((f) => f.startsWith('stopped')), []);
  });

  it('a source that fails fails the ZIP, which removes its partial file', async () => {
    const zipPath = join(dir.path, 'failed.zip');
    const zip = new ZipWriter(zipPath, new Date());
    zip.addLater('missing.bin').file(join(dir.path, 'does-not-exist'));
    await assert.rejects(zip.finish(), /ENOENT/);
    assert.deepEqual((await readdir(dir.path)).filter((f) => f.startsWith('failed')), []);
  });
});
