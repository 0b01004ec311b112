// An image that cannot be decoded (a PNG cut short, a JPEG cut short, bytes that only claim to be an image) must not
// stop the packet: it becomes a file card in the PDF saying it could not be rendered, with a warning, and the
// original file is in originals/ as it is. Built through the real buildPacket and read back with pdftotext.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { buildPacket, type BuildPacketResult } from '../../electron/core/packets/index.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir } from '../helpers/vault.js';
import { PROFILE } from './fixtures.js';
import { ProfileRepo } from '../../electron/core/profile/profile-repo.js';
import { pdfText, run } from './tools.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('an image that cannot be decoded does not stop the packet', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  let caseId: string;
  const originals: Record<string, Buffer> = {};
  const packets: Record<string, BuildPacketResult> = {};

  before(async () => {
    dir = await tempDir('redress-unrenderable-');
    vault = (await newVault(join(dir.path, 'vault'))).vault;
    new ProfileRepo(vault.context).set(PROFILE);
    caseId = vault.cases.create({ title: '截图损坏的案件', incidentType: 'impersonation' }).id;
    // a real PNG (noise, so that it does not compress to nothing) and a real JPEG, both cut in half
    const noise = Buffer.alloc(600 * 400 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const png = await sharp(noise, { raw: { width: 600, height: 400, channels: 3 } }).png().toBuffer();
    const jpeg = await sharp(noise, { raw: { width: 600, height: 400, channels: 3 } }).jpeg().toBuffer();
    originals.good = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3366cc' } }).png().toBuffer();
    originals.cutPng = png.subarray(0, Math.floor(png.length / 2));
    originals.cutJpeg = jpeg.subarray(0, Math.floor(jpeg.length / 2));
    originals.fake = Buffer.concat([png.subarray(0, 33), Buffer.from('not really an image')]);
    for (const [key, data, name] of [
      ['good', originals.good, '正常截图.png'],
      ['cutPng', originals.cutPng, '转账截图.png'],
      ['cutJpeg', originals.cutJpeg, '收款码.jpg'],
      ['fake', originals.fake, '假图片.png'],
    ] as const) {
      await vault.items.addBuffer(caseId, data, { name, title: key, kind: 'screenshot', mediaType: name.endsWith('.jpg') ? 'image/jpeg' : 'image/png' });
    }
    // and a file whose name hides its extension behind a right-to-left override
    await vault.items.addBuffer(caseId, Buffer.from('MZ fake executable'), { name: 'invoice\u202Efdp.exe', title: '发票\u202Efdp.exe', kind: 'other', mediaType: 'application/octet-stream' });
    packets.police = await buildPacket(vault, { caseId, recipientId: 'cn-police', outDir: join(dir.path, 'out') });
    // compact copies (a recipient with an upload limit) take another path through sharp
    packets.compact = await buildPacket(vault, { caseId, recipientId: 'cn-alipay', outDir: join(dir.path, 'out-compact') });
    packets.en = await buildPacket(vault, { caseId, recipientId: 'us-ic3', lang: 'en', outDir: join(dir.path, 'out-en') });
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  for (const key of ['police', 'compact', 'en']) {
    it(`${key}: the packet builds, names every image it could not render, and its PDF is sound`, () => {
      const p = packets[key]!;
      assert.deepEqual(p.unrendered, ['originals/E02-转账截图.png', 'originals/E03-收款码.jpg', 'originals/E04-假图片.png']);
      const check = run('qpdf', ['--check', p.pdfPath]);
      assert.equal(check.code, 0, check.stdout + check.stderr);
    });

    it(`${key}: each such image is a file card saying it could not be rendered, with why; the good one is a picture`, () => {
      const images = run('pdfimages', ['-list', packets[key]!.pdfPath]).stdout.trim().split('\n').slice(2);
      assert.equal(images.length, 1, 'one picture: the good PNG');
      const text = pdfText(packets[key]!.pdfPath).replace(/\s+/g, '');
      const card = key === 'en' ? 'couldnotberendered' : '无法显示';
      assert.equal(text.split(card).length - 1, 3, `three "${card}" cards`);
      // which part could not be read: the pixels of the two cut files, the header of the fake one
      const why = key === 'en' ? ['picturedataisdamaged', 'headercannotberead'] : ['图像数据已损坏或不完整', '文件头无法读取'];
      assert.deepEqual(why.map((w) => text.split(w).length - 1), [2, 1], text.split(card).slice(1).map((t) => t.slice(0, 60)).join(' | '));
      for (const name of ['E02-转账截图.png', 'E03-收款码.jpg', 'E04-假图片.png']) assert.ok(text.includes(name), name);
    });

    it(`${key}: a right-to-left override in a name reaches no file name, SHA256SUMS line or ZIP entry`, async () => {
      const p = packets[key]!;
      const bidi = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
      assert.ok(p.files.some((f) => f.path === 'originals/E05-invoicefdp.exe'), JSON.stringify(p.files.map((f) => f.path)));
      for (const f of p.files) assert.doesNotMatch(f.path, bidi);
      assert.doesNotMatch(await readFile(join(p.dir, 'SHA256SUMS'), 'utf8'), bidi);
      for (const v of p.volumes) {
        const entries = run('unzip', ['-Z1', v.path]);
        assert.equal(entries.code, 0, entries.stderr);
        assert.doesNotMatch(entries.stdout, bidi);
      }
    });

    it(`${key}: the originals are in the packet byte for byte, and sha256sum -c passes`, async () => {
      const p = packets[key]!;
      for (const [file, data] of [
        ['originals/E02-转账截图.png', originals.cutPng!],
        ['originals/E03-收款码.jpg', originals.cutJpeg!],
        ['originals/E04-假图片.png', originals.fake!],
      ] as const) {
        const got = await readFile(join(p.dir, file));
        assert.equal(sha256(got), sha256(data), file);
      }
      const sums = run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: p.dir });
      assert.equal(sums.code, 0, sums.stdout + sums.stderr);
    });
  }
});
