import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import Database from 'better-sqlite3-multiple-ciphers';
import { importFile, previewFile } from '../../electron/core/importers/index.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { jpegWithExif } from '../importers/fixtures/images.js';
import { makeSmsDb } from '../importers/fixtures/ios.js';
import { mmsElement, sampleSms, smsBackup, smsElement } from '../importers/fixtures/sms.js';
import { newVault, openVault, tempDir } from '../helpers/vault.js';

/**
 * Issue 13: "In 10 of 25 kills during an SMS import the backup was stored without its messages." An import is one
 * unit: the original's item row, its attachments' rows, every record and their custody entries commit together or
 * not at all. (The sealed original may be on disk before: an unreferenced object, set aside on the next open.)
 */
describe('an import is one unit', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  let caseId: string;
  let backup: string;

  before(async () => {
    dir = await tempDir('redress-import-unit-');
    vault = (await newVault(join(dir.path, 'vault'))).vault;
    caseId = vault.cases.create({ title: 'Import unit', incidentType: 'impersonation' }).id;
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    const elements = Array.from({ length: 200 }, (_, i) => smsElement(sampleSms(i)));
    elements.push(mmsElement({ address: '+8617100001234', date: 1706700000000, box: 1, text: 'see the picture', image: { data: png, name: 'proof.png', ct: 'image/png' } }));
    backup = join(dir.path, 'sms.xml');
    await writeFile(backup, smsBackup(elements));
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  const actions = () => vault.log(caseId).map((e) => e.action);

  it('when the records cannot be stored, neither the original nor its attachments are recorded', async () => {
    const original = RecordRepo.prototype.insertImport;
    RecordRepo.prototype.insertImport = function () {
      throw new Error('disk full while storing the records');
    };
    try {
      await assert.rejects(importFile(vault, caseId, backup), /disk full/);
    } finally {
      RecordRepo.prototype.insertImport = original;
    }
    assert.deepEqual(vault.items.list(caseId), [], 'no item without its records');
    assert.deepEqual(actions(), ['case.created'], 'no custody entry either');
    const report = await vault.verify(caseId);
    assert.equal(report.ok, true, JSON.stringify(report.cases[0]?.problems));
  });

  it('the same import then goes in whole: original, attachment, records and entries together', async () => {
    const r = await importFile(vault, caseId, backup);
    assert.equal(r.counts.messages.added, 201);
    assert.equal(r.attachmentItemIds.length, 1);
    assert.equal(vault.items.list(caseId).length, 2);
    assert.deepEqual(actions(), ['case.created', 'item.added', 'item.added', 'records.imported']);
    const attachment = vault.items.get(r.attachmentItemIds[0]!);
    assert.equal(attachment.derivedFrom, r.source.itemId);
    const withPicture = new RecordRepo(vault.context).listMessages(caseId).find((m) => m.attachments.length > 0);
    assert.deepEqual(withPicture?.attachments, [r.attachmentItemIds[0]]);
    const report = await vault.verify(caseId);
    assert.equal(report.ok, true, JSON.stringify(report.cases[0]?.problems));
  });

  it('after an import that failed, the next open sets its sealed original aside rather than keeping it referenced or deleting it', async () => {
    const other = vault.cases.create({ title: 'Import unit 2', incidentType: 'impersonation' }).id;
    const cut = join(dir.path, 'other.xml');
    await writeFile(cut, smsBackup(Array.from({ length: 30 }, (_, i) => smsElement(sampleSms(5000 + i)))));
    const original = RecordRepo.prototype.insertImport;
    RecordRepo.prototype.insertImport = function () {
      throw new Error('killed here');
    };
    try {
      await assert.rejects(importFile(vault, other, cut));
    } finally {
      RecordRepo.prototype.insertImport = original;
    }
    assert.equal(vault.items.list(other).length, 0);
    const dataDir = vault.dataDir;
    await vault.close();
    vault = await openVault(dataDir);
    assert.ok(vault.recovery.quarantined.count >= 1, 'the unreferenced original is quarantined, not deleted');
    assert.equal((await vault.verify()).ok, true);
  });
});

/**
 * A dropped file is never written to disk to be read back (issue 13): the importers read its bytes in memory. What
 * they find, and the original stored, must be exactly what the same file on disk gives, for the formats whose
 * libraries open files themselves: SQLite (an iOS sms.db, which iOS writes in WAL mode), exifr and sharp (photos).
 */
describe('bytes held in memory import exactly as the file on disk', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;

  before(async () => {
    dir = await tempDir('redress-import-memory-');
    vault = (await newVault(join(dir.path, 'vault'))).vault;
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  const cases = [
    [
      'iOS sms.db (WAL)',
      'sms.db',
      async (path: string) => {
        makeSmsDb(path);
        const db = new Database(path);
        db.pragma('journal_mode = WAL');
        db.close();
      },
    ],
    ['JPEG with EXIF and GPS', 'IMG_0042.jpg', async (path: string) => writeFile(path, await jpegWithExif({ gps: true, offset: '+08:00' }))],
    ['SMS backup', 'sms.xml', async (path: string) => writeFile(path, smsBackup(Array.from({ length: 50 }, (_, i) => smsElement(sampleSms(900 + i)))))],
  ] as const;

  for (const [label, name, make] of cases) {
    it(label, async () => {
      const path = join(dir.path, name);
      await make(path);
      const data = await readFile(path);
      const copy = Buffer.from(data);
      if (name === 'sms.db') assert.deepEqual([data[18], data[19]], [2, 2], 'the header says WAL, as iOS writes it');
      const fromDisk = await previewFile(path, { zone: 'Asia/Shanghai' });
      const fromMemory = await previewFile(name, { zone: 'Asia/Shanghai', data });
      assert.deepEqual({ ...fromMemory, file: '' }, { ...fromDisk, file: '' });
      assert.deepEqual(data, copy, 'the bytes are not changed by reading them');

      const diskCase = vault.cases.create({ title: `${label} from disk`, incidentType: 'other' }).id;
      const memoryCase = vault.cases.create({ title: `${label} from memory`, incidentType: 'other' }).id;
      const a = await importFile(vault, diskCase, path, { zone: 'Asia/Shanghai' });
      const b = await importFile(vault, memoryCase, name, { zone: 'Asia/Shanghai', data });
      assert.equal(b.source.sha256, a.source.sha256, 'the same original is stored');
      assert.deepEqual(b.counts, a.counts);
      const stored = vault.items.get(b.source.itemId);
      assert.equal(stored.originalName, name);
      assert.equal(stored.mediaType, vault.items.get(a.source.itemId).mediaType);
      assert.deepEqual(await vault.items.readAll(b.source.itemId), copy);
    });
  }
});
