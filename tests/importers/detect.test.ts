import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RedressError } from '../../electron/core/errors.js';
import { detectFormat } from '../../electron/core/importers/detect.js';
import { BANK_PROFILE, bankCsv, camt053, ofxSgml, ofxXml } from './fixtures/bank.js';
import { alipayCsv, alipayRows, alipayWebCsv, wechatCsv, wechatRows, wechatXlsx } from './fixtures/bills.js';
import { telegramExport, WHATSAPP_ANDROID_DMY, WHATSAPP_IOS_MDY, WHATSAPP_ZH } from './fixtures/chats.js';
import { jpegWithExif, plainPng } from './fixtures/images.js';
import { makeSmsDb } from './fixtures/ios.js';
import { smsBackup, smsElement, sampleSms } from './fixtures/sms.js';
import { importEnv } from './helpers.js';
import { previewFile } from '../../electron/core/importers/import-file.js';

describe('format detection', () => {
  let env: Awaited<ReturnType<typeof importEnv>>;
  before(async () => (env = await importEnv()));
  after(() => env.cleanup());

  it('recognises every format from its content, whatever the file is called', async () => {
    const db = join(env.dir, 'Manifest-less');
    makeSmsDb(db);
    const cases: [string, string | Buffer, string][] = [
      ['a.bin', smsBackup([smsElement(sampleSms(1))]), 'sms-backup-xml'],
      ['b.bin', alipayCsv(alipayRows(3)), 'alipay-csv'],
      ['c.bin', alipayWebCsv(alipayRows(3)), 'alipay-csv'],
      ['d.bin', wechatCsv(wechatRows(3)), 'wechat-pay-csv'],
      ['e.xlsx', await wechatXlsx(wechatRows(3)), 'wechat-pay-xlsx'],
      ['f.bin', ofxSgml(), 'ofx'],
      ['g.bin', ofxXml(), 'ofx'],
      ['h.bin', camt053(), 'camt053'],
      ['i.bin', WHATSAPP_ANDROID_DMY, 'whatsapp'],
      ['j.bin', WHATSAPP_IOS_MDY, 'whatsapp'],
      ['k.bin', WHATSAPP_ZH, 'whatsapp'],
      ['l.bin', telegramExport(), 'telegram-json'],
      ['m.bin', await jpegWithExif(), 'image'],
      ['n.bin', await plainPng(), 'image'],
    ];
    for (const [name, data, format] of cases) assert.equal(await detectFormat(await env.file(name, data)), format, name);
    assert.equal(await detectFormat(db), 'ios-sms-db');
    assert.equal(await detectFormat(await env.file('bank.csv', bankCsv()), { hasBankProfile: true }), 'bank-csv');
    assert.equal((await previewFile(await env.file('bank2.csv', bankCsv()), { profile: BANK_PROFILE })).format, 'bank-csv');
  });

  it('names the formats it tried when nothing matches', async () => {
    const path = await env.file('notes.txt', 'just some notes\nnothing to see\n');
    await assert.rejects(detectFormat(path), (e: unknown) => {
      assert.ok(e instanceof RedressError);
      assert.equal(e.code, 'IMPORT_FORMAT_UNKNOWN');
      assert.match(String(e.value.params.tried), /sms-backup-xml, ios-sms-db, alipay-csv, .*telegram-json, image/);
      return true;
    });
    await assert.rejects(detectFormat(join(env.dir, 'missing')), (e: unknown) => e instanceof RedressError && e.code === 'FILE_UNREADABLE');
  });
});
