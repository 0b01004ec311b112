import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importFile, previewFile } from '../../electron/core/importers/import-file.js';
import { appleDateToMs, textFromAttributedBody } from '../../electron/core/importers/ios-sms-db.js';
import type { MessageDraft } from '../../electron/core/importers/types.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import { jpegWithExif } from './fixtures/images.js';
import { attributedBody, makeSmsDb } from './fixtures/ios.js';
import { importEnv } from './helpers.js';

describe('iOS sms.db and images', () => {
  let env: Awaited<ReturnType<typeof importEnv>>;
  before(async () => (env = await importEnv()));
  after(() => env.cleanup());

  it('converts Apple dates in seconds and in nanoseconds since 2001', () => {
    assert.equal(new Date(appleDateToMs('473299200')!).toISOString(), '2016-01-01T00:00:00.000Z');
    assert.equal(new Date(appleDateToMs('728373900000000000')!).toISOString(), '2024-01-31T06:05:00.000Z');
    assert.equal(textFromAttributedBody(attributedBody('x'.repeat(300))), 'x'.repeat(300));
    assert.equal(textFromAttributedBody(Buffer.from('garbage')), null);
  });

  it('reads sms.db read-only, with bodies from attributedBody, and leaves the file unchanged', async () => {
    const path = join(env.dir, '3d0d7e5fb2ce288813306e4d4636395e047a3d28');
    makeSmsDb(path);
    const result = await importFile(env.vault, env.caseId, path);
    assert.equal(result.format, 'ios-sms-db');
    assert.equal(result.counts.messages.added, 3);
    assert.match(result.warnings.join(), /1 attachment/);
    const m = new RecordRepo(env.vault.context).listMessages(env.caseId);
    assert.deepEqual(m.map((x) => [x.time.instant, x.direction, x.channel, x.counterpartAddress, x.body]), [
      ['2016-01-01T00:00:00.000Z', 'in', 'sms', '+8613912345678', '您的快递已到，请点击链接领取'],
      ['2024-01-31T06:05:00.000Z', 'out', 'sms', '+8613912345678', 'OK I sent it 👍'],
      ['2024-01-31T06:06:00.000Z', 'in', 'imessage', 'scammer@icloud.invalid', 'Pay the unlock fee now: 解冻费 💰'],
    ]);
    assert.equal(m[0]!.source.locator, 'message ROWID 1');
    const report = await env.vault.verify(env.caseId);
    assert.equal(report.ok, true, 'the stored original still hashes the same');
  });

  it('keeps EXIF time with its offset and device on the chain, and GPS only as present', async () => {
    const file = await jpegWithExif({ gps: true, offset: '+08:00' });
    const path = await env.file('IMG_0042.jpg', file);
    const preview = await previewFile(path);
    assert.equal(preview.image?.gps?.sensitive, true);
    assert.ok(Math.abs(preview.image!.gps!.latitude - (31 + 14 / 60 + 24 / 3600)) < 1e-6);
    assert.ok(Math.abs(preview.image!.gps!.longitude - (121 + 28 / 60 + 12 / 3600)) < 1e-6);
    const result = await importFile(env.vault, env.caseId, path);
    assert.equal(result.format, 'image');
    assert.equal(env.vault.items.get(result.source.itemId).kind, 'photo');
    const entry = env.vault.log(env.caseId).at(-1)!;
    const image = (entry.payload as { image: { takenAt: unknown; make: string; model: string; gps: unknown } }).image;
    assert.deepEqual(image.takenAt, { instant: '2024-01-31T06:05:09.000Z', offsetMinutes: 480, zone: '+08:00' });
    assert.equal(image.make, 'Apple');
    assert.equal(image.model, 'iPhone 13');
    assert.equal(image.gps, 'present (sensitive)', 'coordinates are not copied onto the chain');
    const tables = env.vault.context.db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('image_meta', 'thumbnails')`).all();
    assert.deepEqual(tables, [], 'no second copy of the metadata or a thumbnail is kept');
    assert.equal((await env.vault.verify(env.caseId)).ok, true);
  });

  it('an image without EXIF offset reads its time in the given zone', async () => {
    const p = await previewFile(await env.file('photo.jpg', await jpegWithExif()), { zone: 'Asia/Shanghai' });
    assert.deepEqual(p.image?.takenAt, { instant: '2024-01-31T06:05:09.000Z', offsetMinutes: 480, zone: 'Asia/Shanghai' });
    assert.equal(p.image?.gps, undefined);
    assert.equal((p.sample as MessageDraft[]).length, 0);
  });
});
