import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPacket, redactImage, type BuildPacketResult } from '../../electron/core/packets/index.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir } from '../helpers/vault.js';
import { seedCase, seedRecords } from './fixtures.js';
import { pdfText } from './tools.js';

/** What a reader of the PDF sees: times as the user entered them, a letter date, names in the packet's language. */
describe('packet presentation', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  let zh: BuildPacketResult;
  let en: BuildPacketResult;
  let copyTitle: string;
  const zoneBefore = process.env.TZ;

  before(async () => {
    // a machine far from where the case happened: entered times must not move to its zone
    process.env.TZ = 'America/New_York';
    assert.equal(Intl.DateTimeFormat().resolvedOptions().timeZone, 'America/New_York');
    dir = await tempDir('redress-packet-look-');
    vault = (await newVault(join(dir.path, 'vault'))).vault;
    const seeded = await seedCase(vault);
    seedRecords(vault, seeded.kase.id, { itemId: seeded.items.chat.id, sha256: seeded.items.chat.sha256 }, 4, 3);
    copyTitle = (await redactImage(vault, seeded.items.shot.id, [{ x: 180, y: 240, w: 520, h: 90 }], { title: '微信聊天截图（已遮挡）' })).title;
    zh = await buildPacket(vault, { caseId: seeded.kase.id, recipientId: 'cn-police', outDir: join(dir.path, 'zh') });
    en = await buildPacket(vault, { caseId: seeded.kase.id, recipientId: 'us-ftc', lang: 'en', outDir: join(dir.path, 'en') });
  });
  after(async () => {
    process.env.TZ = zoneBefore;
    await vault.close();
    await dir.cleanup();
  });

  it('a redacted copy can be named in the user language', () => {
    assert.equal(copyTitle, '微信聊天截图（已遮挡）');
    assert.ok(pdfText(zh.pdfPath).includes('微信聊天截图（已遮挡）'));
  });

  it('times the user entered keep their offset, whatever the zone of the machine that builds the packet', () => {
    for (const p of [zh, en]) {
      const text = pdfText(p.pdfPath);
      // startedAt was entered as 14:05 +08:00; losses at 15:10 and 15:42 +08:00
      assert.ok(text.includes('2026-11-20 14:05:00 (UTC+08:00)'), 'case start');
      assert.ok(text.includes('2026-11-20 15:10:00 (UTC+08:00)'), 'first loss');
      assert.ok(text.includes('2026-11-20 18:30:00 (UTC+08:00)'), 'discovered');
    }
  });

  it('the letter carries a plain date in the packet language', () => {
    assert.match(pdfText(zh.pdfPath), /日期\s+\d{4}年\d{1,2}月\d{1,2}日/);
    assert.match(pdfText(en.pdfPath), /Date\s+\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}/);
  });

  it('a redacted copy whose original stays home is marked without a dangling reference', () => {
    const text = pdfText(zh.pdfPath);
    assert.ok(text.includes('已遮挡处理的副本'));
    assert.doesNotMatch(text, /原件\s+SHA-256|（原件 [0-9a-f]{8}）/);
    assert.doesNotMatch(pdfText(en.pdfPath), /original: [0-9a-f]{8}\)|copy of ,/);
  });

  it('an appendix caption gives the hash of the file it names, also when location data was removed from it', async () => {
    const text = pdfText(zh.pdfPath);
    const located = zh.files.find((f) => f.path.startsWith('originals/E01-'))!;
    const vaultHash = zh.disclosure.items[0]!.sha256;
    assert.notEqual(located.sha256, vaultHash, 'E01 had GPS removed');
    assert.match(text, new RegExp(`originals/E01-[^\\n]*\\nSHA-256 ${located.sha256}`));
  });

  it('payment platforms are named in the packet language in the transaction table', () => {
    const text = pdfText(zh.pdfPath);
    assert.match(text, /支付宝\s*2026112022001/);
    assert.doesNotMatch(text, /alipay\s*2026112022001/);
  });
});
