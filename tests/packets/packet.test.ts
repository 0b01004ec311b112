import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import exifr from 'exifr';
import sharp from 'sharp';
import { formatMoney } from '../../shared/format.js';
import { canonicalJson } from '../../electron/core/custody/entry.js';
import { buildPacket, previewDisclosure, redactImage, verifyPacket, type BuildPacketResult, type PacketProgress } from '../../electron/core/packets/index.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir } from '../helpers/vault.js';
import { PROFILE, seedCase, seedRecords } from './fixtures.js';
import { pdfPages, pdfText, run } from './tools.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

describe('complaint packets', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  let seeded: Awaited<ReturnType<typeof seedCase>>;
  let redacted: Awaited<ReturnType<typeof redactImage>>;
  const packets: Record<string, BuildPacketResult> = {};

  before(async () => {
    dir = await tempDir('redress-packet-');
    vault = (await newVault(join(dir.path, 'vault'))).vault;
    seeded = await seedCase(vault);
    seedRecords(vault, seeded.kase.id, { itemId: seeded.items.chat.id, sha256: seeded.items.chat.sha256 }, 40, 12);
    redacted = await redactImage(vault, seeded.items.shot.id, [{ x: 180, y: 240, w: 520, h: 90 }]);
    packets.zh = await buildPacket(vault, { caseId: seeded.kase.id, recipientId: 'cn-police', outDir: join(dir.path, 'out-zh') });
    packets.en = await buildPacket(vault, { caseId: seeded.kase.id, recipientId: 'us-ic3', lang: 'en', outDir: join(dir.path, 'out-en') });
    packets.alipay = await buildPacket(vault, { caseId: seeded.kase.id, recipientId: 'cn-alipay', outDir: join(dir.path, 'out-alipay') });
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  for (const [key, lang] of [
    ['zh', 'zh-CN'],
    ['en', 'en'],
  ] as const) {
    it(`${lang} packet.pdf: qpdf --check is clean and pdffonts shows every font embedded`, () => {
      const pdf = packets[key]!.pdfPath;
      const check = run('qpdf', ['--check', pdf]);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /No syntax or stream encoding errors found/);
      const fonts = run('pdffonts', [pdf]);
      assert.equal(fonts.code, 0);
      const rows = fonts.stdout.trim().split('\n').slice(2);
      assert.ok(rows.length >= 2, fonts.stdout);
      for (const row of rows) assert.match(row, /\s(yes)\s+(yes|no)\s+(yes)\s/, `font not embedded or without ToUnicode: ${row}`);
      assert.doesNotMatch(fonts.stderr, /Mismatch/);
    });

    it(`${lang} packet.pdf: pdftotext finds the case title, every item's SHA-256 and the exact totals`, () => {
      const text = pdfText(packets[key]!.pdfPath);
      assert.ok(text.includes('冒充京东客服退款诈骗'), 'case title');
      for (const item of packets[key]!.disclosure.items) assert.ok(text.includes(item.sha256), `sha256 of ${item.title}`);
      assert.ok(text.includes(formatMoney({ currency: 'CNY', minor: 6999950 }, lang)), `total ${formatMoney({ currency: 'CNY', minor: 6999950 }, lang)}`);
      assert.ok(text.includes(lang === 'zh-CN' ? '证据目录' : 'Evidence index'));
      assert.ok(text.includes('certutil -hashfile'), 'no ligature breaks commands');
      // the integrity page says what its signature cannot show (whose key it is), and how to confirm it
      assert.match(text.replace(/\s+/g, ''), lang === 'zh-CN' ? /签名：.*通过其他途径.*核对指纹.*自证材料/ : /Signed:.*confirmthefingerprintwiththesenderanotherway.*self-attested/);
      // message transcript and transaction table come from the imported records
      assert.ok(text.includes('wxid_kefu8888'));
      assert.ok(text.includes('2026112022001'));
    });

    it(`${lang} packet.pdf: pdftoppm renders every page with no error or warning`, async () => {
      const out = join(dir.path, `render-${key}`);
      const pages = pdfPages(packets[key]!.pdfPath);
      assert.equal(pages, packets[key]!.pages);
      const r = run('pdftoppm', ['-r', '20', '-png', packets[key]!.pdfPath, join(await mk(out), 'p')]);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
      assert.equal((await readdir(out)).filter((f) => f.endsWith('.png')).length, pages);
    });

    it(`${lang} packet: sha256sum -c SHA256SUMS passes, and fails once a file is altered`, async () => {
      const ok = run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: packets[key]!.dir });
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      const copy = join(dir.path, `altered-${key}`);
      await cp(packets[key]!.dir, copy, { recursive: true });
      const target = join(copy, 'originals', (await readdir(join(copy, 'originals')))[0]!);
      const bytes = await readFile(target);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
      await writeFile(target, bytes);
      const bad = run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: copy });
      assert.notEqual(bad.code, 0);
      assert.match(bad.stdout, /FAILED/);
    });
  }

  it('PDF metadata, outline and page numbers are present', () => {
    const info = run('pdfinfo', [packets.en!.pdfPath]).stdout;
    assert.match(info, /Title:\s+Complaint packet: 冒充京东客服退款诈骗/);
    assert.match(info, /Author:\s+张三/);
    assert.match(info, /Creator:\s+Redress/);
    assert.match(info, /CreationDate:/);
    const text = pdfText(packets.en!.pdfPath);
    assert.ok(text.includes(`1 / ${packets.en!.pages}`) && text.includes(`${packets.en!.pages} / ${packets.en!.pages}`));
    const qpdfJson = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', packets.en!.pdfPath]).stdout) as { outlines: { title: string }[] };
    const titles = qpdfJson.outlines.map((o) => o.title);
    for (const t of ['Summary', 'Timeline', 'Evidence index', 'Integrity', 'Declaration']) assert.ok(titles.includes(t), `outline has ${t}: ${titles}`);
  });

  it('manifest.json is RFC 8785 canonical, lists every file and carries custody entries that recompute', async () => {
    const text = await readFile(join(packets.zh!.dir, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(text);
    assert.equal(canonicalJson(manifest), text);
    assert.equal(manifest.format, 'redress-packet/2');
    assert.equal(manifest.items.length, 4);
    const sums = await readFile(join(packets.zh!.dir, 'SHA256SUMS'), 'utf8');
    for (const f of manifest.files) assert.ok(sums.includes(`${f.sha256}  ${f.path}\n`), f.path);
    // the whole chain, each entry's hash recomputed from what the packet carries (packet-custody.test.ts goes further)
    const entries = manifest.custody.entries as { seq: number; hash: string; committed: { action: string; prev: string }; disclosed: Record<string, { value: unknown }> }[];
    assert.ok(entries.some((e) => e.committed.action === 'item.added' && e.disclosed.itemId?.value === redacted.id));
    for (const e of entries) assert.equal(createHash('sha256').update(e.committed.prev + canonicalJson(e.committed)).digest('hex'), e.hash);
  });

  it('location data is stripped from images for every recipient; other originals keep their exact bytes', async () => {
    for (const p of Object.values(packets)) {
      const files = await readdir(join(p.dir, 'originals'));
      const gpsFile = files.find((f) => f.includes('IMG_0001'))!;
      const stripped = await readFile(join(p.dir, 'originals', gpsFile));
      assert.equal(await exifr.gps(stripped).catch(() => undefined), undefined);
      assert.notEqual(sha256(stripped), seeded.items.gps.sha256);
      const plain = await readFile(join(p.dir, 'originals', files.find((f) => f.includes('receipt'))!));
      assert.equal(sha256(plain), seeded.items.plain.sha256, 'unchanged original is byte-identical');
      // the photo's pixels are untouched: EXIF removal is lossless
      const [a, b] = await Promise.all([sharp(stripped).raw().toBuffer(), sharp(await vaultBytes(vault, seeded.items.gps.id)).raw().toBuffer()]);
      assert.ok(a.equals(b));
    }
    assert.ok(packets.zh!.disclosure.items.find((i) => i.itemId === seeded.items.gps.id)!.locationStripped);
  });

  it('images that travel as they are are listed as not checked for personal data, in the preview and on the integrity page; a redacted copy is not', async () => {
    const unchecked = (p: BuildPacketResult) => p.disclosure.items.filter((i) => i.unchecked).map((i) => i.itemId).sort();
    // the GPS photo and the receipt photo travel as they are; the screenshot travels as its redacted copy
    assert.deepEqual(unchecked(packets.alipay!), [seeded.items.gps.id, seeded.items.plain.id].sort());
    const preview = await previewDisclosure(vault, { caseId: seeded.kase.id, recipientId: 'cn-alipay' });
    assert.deepEqual(preview.items.filter((i) => i.unchecked).map((i) => i.itemId).sort(), unchecked(packets.alipay!));
    assert.equal(preview.recipient.photoMetadata, 'none');
    const text = pdfText(packets.alipay!.pdfPath).replace(/\s+/g, '');
    assert.match(text, /未经个人信息检查的图片.*上述遮挡规则只作用于文字.*现场照片（含位置）.*转账回单/);
    assert.ok(!/未经个人信息检查的图片[^声]*微信聊天截图/.test(text), 'the redacted screenshot is not listed');
  });

  it('the police keep a photo\'s capture time and device, without its location; a platform gets neither', async () => {
    const original = await exifr.parse(await vaultBytes(vault, seeded.items.gps.id), { tiff: true, exif: true, gps: true });
    assert.ok(original.DateTimeOriginal && original.latitude, 'the fixture has a capture time and a location');
    const gpsPhoto = async (p: BuildPacketResult) => readFile(join(p.dir, 'originals', (await readdir(join(p.dir, 'originals'))).find((f) => f.includes('IMG_0001'))!));
    for (const key of ['zh', 'en']) {
      const kept = await exifr.parse(await gpsPhoto(packets[key]!), { tiff: true, exif: true, gps: true, xmp: true });
      assert.equal(kept.Make, 'TestPhone', key);
      assert.equal(kept.Model, 'X1', key);
      assert.equal(kept.DateTimeOriginal?.toISOString(), original.DateTimeOriginal.toISOString(), key);
      assert.equal(kept.OffsetTimeOriginal, '+08:00', key);
      assert.equal(kept.latitude, undefined, key);
      assert.equal(kept.GPSLatitude, undefined, key);
      assert.equal(kept.BodySerialNumber, undefined, `${key}: only the capture time and the device travel`);
    }
    const platform = await exifr.parse(await gpsPhoto(packets.alipay!), { tiff: true, exif: true, gps: true }).catch(() => undefined);
    assert.equal(platform?.DateTimeOriginal, undefined);
    assert.equal(platform?.Make, undefined);
    const manifest = JSON.parse(await readFile(join(packets.zh!.dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.items.find((i: { itemId: string }) => i.itemId === seeded.items.gps.id).transform, 'gps-removed');
  });

  it('the ZIP (written alongside the build) holds exactly the folder\'s files, and unzip checks every CRC', async () => {
    for (const key of ['zh', 'en', 'alipay']) {
      const p = packets[key]!;
      for (const v of p.volumes) assert.equal(run('unzip', ['-tq', v.path]).code, 0, v.path);
      if (p.volumes.length !== 1) continue; // volumes are checked in volumes.test.ts
      const out = await mk(join(dir.path, `unzipped-${key}`));
      assert.equal(run('unzip', ['-q', p.zipPath, '-d', out]).code, 0);
      const name = (await readdir(out))[0]!;
      const listed = (await readFile(join(p.dir, 'SHA256SUMS'), 'utf8')).trim().split('\n').map((l) => l.slice(66));
      for (const path of [...listed, 'SHA256SUMS', 'SHA256SUMS.sig']) assert.ok((await readFile(join(out, name, path))).equals(await readFile(join(p.dir, path))), `${key}: ${path}`);
      const entries = run('unzip', ['-Z1', p.zipPath]).stdout.trim().split('\n');
      assert.equal(entries.length, listed.length + 2, 'nothing else in the ZIP');
    }
  });

  it('the GPS photo goes into the PDF as its stripped copy, byte for byte: no location, no re-encoding', async () => {
    const out = await mk(join(dir.path, 'pdfimages-zh'));
    assert.equal(run('pdfimages', ['-j', packets.zh!.pdfPath, join(out, 'img')]).code, 0);
    const extracted = await Promise.all((await readdir(out)).filter((f) => f.endsWith('.jpg')).map((f) => readFile(join(out, f))));
    const gpsFile = (await readdir(join(packets.zh!.dir, 'originals'))).find((f) => f.includes('IMG_0001'))!;
    const stripped = await readFile(join(packets.zh!.dir, 'originals', gpsFile));
    assert.ok(extracted.some((b) => b.equals(stripped)), 'the stripped original is embedded as it is');
    for (const b of extracted) assert.equal(await exifr.gps(b).catch(() => undefined), undefined, 'no picture in the PDF carries a location');
  });

  it('each page names each font once in its resources', async () => {
    const { PDFDocument, PDFDict, PDFName } = await import('pdf-lib');
    const doc = await PDFDocument.load(await readFile(packets.zh!.pdfPath), { updateMetadata: false });
    for (const page of doc.getPages()) {
      const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
      assert.ok(!fonts || fonts.keys().length <= 2, `page has ${fonts?.keys().length} font entries`);
    }
  });

  it('masks the ID number and card numbers for a platform, keeps them for the police', () => {
    const police = pdfText(packets.zh!.pdfPath);
    assert.ok(police.includes(PROFILE.idNumber));
    const alipay = pdfText(packets.alipay!.pdfPath);
    assert.ok(!alipay.includes(PROFILE.idNumber), 'full ID number leaked to a platform');
    assert.ok(!alipay.includes(PROFILE.cards[0]!.number), 'full card number leaked to a platform (narrative or messages)');
    assert.ok(alipay.includes('**************1234'));
    assert.ok(alipay.includes('************7890'));
    const fields = Object.fromEntries(packets.alipay!.disclosure.fields.map((f) => [f.field, f.rule]));
    assert.equal(fields.idNumber, 'last4');
    assert.equal(fields.cardNumbers, 'last4');
    assert.equal(fields.address, 'omit');
    assert.ok(!alipay.includes(PROFILE.address));
  });

  it('a platform packet (PDF, README, verify.html, manifest) holds none of the victim\'s numbers typed with spaces, dashes, full-width digits or a line break, in titles too', async () => {
    const kase = vault.cases.create({
      // titles are the victim's free text too: the PDF prints the case title on every page
      title: '冒充客服（我的手机 138 0013 8000）',
      incidentType: 'impersonation',
      narrative: '对方让我报身份证 110101 19900307 1234，又让我念卡号 ６２２２ ０２１２ ３４５６ ７８９０。\n我的手机 +86 138-0013-8000 收到验证码，卡号也写作 6222-0212-\n3456-7890。对方电话 139 1234 5678。',
      losses: [{ amount: { currency: 'CNY', minor: 100_00 }, occurredAt: '2026-11-20T15:10:00+08:00', description: '从 6222.0212.3456.7890 转出，短信发到 138 0013 8000' }],
    });
    await vault.items.addBuffer(kase.id, Buffer.from('我: 卡号 6222 0212 3456 7890，身份证 110101-19900307-1234\n'), { name: 'chat.txt', title: '聊天记录（卡号6222021234567890）', kind: 'chat-export', mediaType: 'text/plain' });
    const packet = await buildPacket(vault, { caseId: kase.id, recipientId: 'cn-alipay', outDir: join(dir.path, 'out-typed') });
    const text = pdfText(packet.pdfPath) + (await readFile(join(packet.dir, 'README.txt'), 'utf8')) + (await readFile(join(packet.dir, 'verify.html'), 'utf8')) + (await readFile(join(packet.dir, 'manifest.json'), 'utf8'));
    // every separator and line break gone, full-width folded: the number as a reader would piece it together
    const compact = text.normalize('NFKC').replace(/[\s\-.·]/g, '');
    for (const secret of [PROFILE.idNumber, PROFILE.cards[0]!.number, PROFILE.phone]) assert.ok(!compact.includes(secret), `${secret} is readable in the platform's PDF`);
    assert.ok(compact.includes('****************7890'.slice(-8)), 'the masked card is still there, last four shown');
    assert.ok(compact.includes('13912345678'), "the caller's number is evidence and stays");
  });

  it('a redacted copy travels instead of the original; the PDF names the original hash', async () => {
    const items = packets.zh!.disclosure.items;
    assert.ok(!items.some((i) => i.itemId === seeded.items.shot.id), 'unredacted original must not be sent');
    const copy = items.find((i) => i.itemId === redacted.id)!;
    assert.deepEqual(copy.redactedFrom, { itemId: seeded.items.shot.id, sha256: seeded.items.shot.sha256 });
    assert.ok(pdfText(packets.zh!.pdfPath).includes(seeded.items.shot.sha256));
    // the box is burnt into the pixels
    const file = (await readdir(join(packets.zh!.dir, 'originals'))).find((f) => f.includes('redacted'))!;
    const { data, info } = await sharp(join(packets.zh!.dir, 'originals', file)).extract({ left: 300, top: 260, width: 40, height: 40 }).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.width, 40);
    assert.ok(data.every((v, i) => (info.channels === 4 && i % 4 === 3) || v === 0), 'redacted area is black');
  });

  it('the export is recorded on the custody chain with the packet hash, and the chain still verifies', async () => {
    const exports = vault.log(seeded.kase.id).filter((e) => e.action === 'packet.exported');
    assert.equal(exports.length, 3);
    const last = exports.at(-1)!;
    assert.equal(last.payload.recipientId, 'cn-alipay');
    assert.equal(last.payload.packetSha256, packets.alipay!.packetSha256);
    assert.equal(sha256(await readFile(join(packets.alipay!.dir, 'SHA256SUMS'))), packets.alipay!.packetSha256);
    assert.deepEqual(
      (last.payload.items as { itemId: string }[]).map((i) => i.itemId).sort(),
      packets.alipay!.disclosure.items.map((i) => i.itemId).sort(),
    );
    assert.equal((await vault.verify(seeded.kase.id)).ok, true);
  });

  it('verifyPacket checks a folder and a ZIP without a vault, and reports an altered file', async () => {
    const folder = await verifyPacket(packets.en!.dir);
    assert.equal(folder.ok, true);
    assert.equal(folder.kind, 'folder');
    assert.equal(folder.packetSha256, packets.en!.packetSha256);
    assert.ok(folder.files.every((f) => f.status === 'intact'));
    const zip = await verifyPacket(packets.en!.zipPath);
    assert.equal(zip.ok, true, JSON.stringify(zip.files.filter((f) => f.status !== 'intact')));
    assert.equal(zip.kind, 'zip');
    assert.equal(zip.checked, folder.checked);
    const copy = join(dir.path, 'altered-verify');
    await cp(packets.en!.dir, copy, { recursive: true });
    await writeFile(join(copy, 'README.txt'), 'changed');
    const bad = await verifyPacket(copy);
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.files.filter((f) => f.status !== 'intact').map((f) => [f.path, f.status]), [['README.txt', 'altered']]);
  });

  it('verifyPacket: a file planted in the packet fails it; what a file manager leaves (.DS_Store, Thumbs.db, __MACOSX/) is named and ignored', async () => {
    const copy = join(dir.path, 'planted-verify');
    await cp(packets.en!.dir, copy, { recursive: true });
    const intact = await verifyPacket(copy);
    assert.equal(intact.attestation, 'signed', 'signed, by a key the recipient has not confirmed: the report says so');
    await writeFile(join(copy, '.DS_Store'), 'finder');
    await mkdir(join(copy, '__MACOSX', 'originals'), { recursive: true });
    await writeFile(join(copy, '__MACOSX', 'originals', '._E1.jpg'), 'resource fork');
    await writeFile(join(copy, 'originals', 'Thumbs.db'), 'explorer');
    const litter = await verifyPacket(copy);
    assert.equal(litter.ok, true, JSON.stringify(litter.files.filter((f) => f.status !== 'intact')));
    assert.deepEqual(litter.files.filter((f) => f.status !== 'intact').map((f) => [f.path, f.status]).sort(), [
      ['.DS_Store', 'ignored'],
      ['__MACOSX/originals/._E1.jpg', 'ignored'],
      ['originals/Thumbs.db', 'ignored'],
    ]);
    await writeFile(join(copy, 'originals', 'E9 bank-statement.pdf'), 'planted');
    // __MACOSX/ holds Finder's "._" companions only: any other file there was put there
    await writeFile(join(copy, '__MACOSX', 'originals', 'E9 receipt.jpg'), 'planted');
    const planted = await verifyPacket(copy);
    assert.equal(planted.ok, false);
    assert.deepEqual(planted.files.filter((f) => f.status === 'extra').map((f) => f.path).sort(), ['__MACOSX/originals/E9 receipt.jpg', 'originals/E9 bank-statement.pdf']);
  });

  it('previewDisclosure says what leaves and to whom before anything is written', async () => {
    const preview = await previewDisclosure(vault, { caseId: seeded.kase.id, recipientId: 'cn-wechat-pay' });
    assert.equal(preview.recipient.kind, 'platform');
    const rules = Object.fromEntries(preview.fields.map((f) => [f.field, f]));
    assert.equal(rules.idNumber!.shown, '**************1234');
    assert.equal(rules.email!.rule, 'omit');
    assert.equal(rules.email!.shown, undefined);
    assert.ok(preview.items.find((i) => i.itemId === seeded.items.gps.id)!.locationStripped);
    assert.ok(!preview.items.find((i) => i.itemId === seeded.items.plain.id)!.locationStripped);
    assert.equal(preview.items.find((i) => i.itemId === redacted.id)!.redactedFrom!.sha256, seeded.items.shot.sha256);
    assert.equal(preview.messages, 0, 'WeChat Pay does not get the chat transcript');
    assert.equal(preview.transactions, 12);
  });

  it('--items limits the packet; an unknown recipient is a typed error', async () => {
    const r = await buildPacket(vault, { caseId: seeded.kase.id, recipientId: 'uk-action-fraud', itemIds: [seeded.items.plain.id.slice(0, 8)], outDir: join(dir.path, 'out-one') });
    assert.deepEqual(r.disclosure.items.map((i) => i.itemId), [seeded.items.plain.id]);
    assert.deepEqual(
      (await readdir(join(r.dir, 'originals'))).map((f) => f.replace(/^E\d+-/, '')),
      ['receipt.jpg'],
    );
    await assert.rejects(buildPacket(vault, { caseId: seeded.kase.id, recipientId: 'nobody', outDir: dir.path }), (err: { code?: string }) => err.code === 'RECIPIENT_NOT_FOUND');
  });

  // Cancelled once the PDF is under way, and while originals are still being written and zipped.
  for (const [i, [label, stopAt]] of ([
    ['a cancelled build leaves no packet folder or ZIP behind', (p: PacketProgress) => p.phase === 'pdf'],
    ['a build cancelled while originals are still being written and zipped leaves nothing behind', (p: PacketProgress) => p.phase === 'originals' && p.done === 1],
  ] as const).entries()) {
    it(label, async () => {
      const outDir = await mk(join(dir.path, `out-cancel-${i}`));
      const controller = new AbortController();
      const promise = buildPacket(vault, {
        caseId: seeded.kase.id,
        recipientId: 'cn-police',
        outDir,
        signal: controller.signal,
        onProgress: (p) => {
          if (stopAt(p)) controller.abort();
        },
      });
      await assert.rejects(promise, (err: { code?: string }) => err.code === 'CANCELLED');
      assert.deepEqual(await readdir(outDir), []);
    });
  }

  it('a damaged stored original fails the build with VAULT_CORRUPT, leaves nothing behind and does not hang', async () => {
    const own = await newVault(join(dir.path, 'vault-damaged'));
    try {
      const kase = own.vault.cases.create({ title: '损坏测试', incidentType: 'fake-investment' });
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push((await own.vault.items.addBuffer(kase.id, await photo(i), { name: `p${i}.jpg`, kind: 'photo' })).item.id);
      // The first photo's object loses a byte. The worker on the second photo, started alongside it, waits for the ZIP
      // to take its bytes, which the ZIP cannot do before the first entry: the failure must release it.
      const row = own.vault.context.db.prepare('SELECT object_name FROM items WHERE id = ?').get(ids[0]) as { object_name: string };
      const objectPath = own.vault.context.objects.pathOf(row.object_name);
      const raw = await readFile(objectPath);
      raw[200]! ^= 1;
      await writeFile(objectPath, raw);
      const outDir = await mk(join(dir.path, 'out-damaged'));
      await assert.rejects(buildPacket(own.vault, { caseId: kase.id, recipientId: 'cn-police', outDir }), (err: { code?: string }) => err.code === 'VAULT_CORRUPT');
      assert.deepEqual(await readdir(outDir), []);
    } finally {
      await own.vault.close();
    }
  });
});

/** A distinct small photo. */
async function photo(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: (seed * 40) % 255, g: 90, b: 160 } } }).jpeg({ quality: 80 }).toBuffer();
}

async function mk(path: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path, { recursive: true });
  return path;
}

async function vaultBytes(vault: Vault, itemId: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of vault.items.read(itemId)) chunks.push(c);
  return Buffer.concat(chunks);
}
