import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { buildPacket, verifyPacket, type BuildPacketResult } from '../../electron/core/packets/index.js';
import { newVault, tempDir } from '../helpers/vault.js';
import { run } from './tools.js';

/** A photo that JPEG cannot shrink much (noise), of about `mb` megabytes. */
async function heavyPhoto(seed: number): Promise<Buffer> {
  const width = 2400;
  const height = 1800;
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 100 + seed, sigma: 40 } } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

describe('packets split into volumes under an attachment limit', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let result: BuildPacketResult;
  let photoBytes = 0;

  before(async () => {
    dir = await tempDir('redress-volumes-');
    const { vault } = await newVault(join(dir.path, 'vault'));
    try {
      const kase = vault.cases.create({ title: 'Volume split', incidentType: 'task-scam', losses: [{ amount: { currency: 'CNY', minor: 500_00 } }] });
      for (let i = 0; i < 5; i++) {
        const data = await heavyPhoto(i);
        photoBytes += data.length;
        await vault.items.addBuffer(kase.id, data, { name: `photo-${i}.jpg`, kind: 'photo' });
      }
      result = await buildPacket(vault, { caseId: kase.id, recipientId: 'cn-alipay', outDir: join(dir.path, 'out') });
    } finally {
      await vault.close();
    }
  });
  after(() => dir.cleanup());

  it('each volume is under Alipay’s 10 MB limit and the PDF carries page-sized copies', async () => {
    assert.ok(photoBytes > 10_000_000, `fixture too small: ${photoBytes}`);
    assert.ok(result.volumes.length >= 2, `expected several volumes, got ${result.volumes.length}`);
    for (const v of result.volumes) {
      assert.ok(v.bytes <= 10_000_000, `${v.path} is ${v.bytes} bytes`);
      assert.match(v.path, /\.part\d+of\d+\.zip$/);
    }
    assert.ok((await stat(result.pdfPath)).size < 5_000_000, 'PDF copies are downscaled for a recipient with a limit');
    assert.deepEqual(result.oversized, []);
  });

  it('every volume verifies on its own, and together they rebuild the whole packet', async () => {
    const together = join(dir.path, 'together');
    await mkdir(together);
    for (const v of result.volumes) {
      const report = await verifyPacket(v.path);
      assert.equal(report.partial, true);
      assert.equal(report.ok, true, JSON.stringify(report.files.filter((f) => f.status !== 'intact' && f.status !== 'missing')));
      assert.ok(report.files.some((f) => f.status === 'intact' && f.path.startsWith('originals/')));
      assert.equal(run('unzip', ['-q', '-o', v.path, '-d', together]).code, 0);
    }
    const folder = join(together, result.dir.split('/').pop()!);
    const check = run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: folder });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.equal((await verifyPacket(folder)).ok, true);
  });
});
