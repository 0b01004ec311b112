// Hostile and broken input not covered elsewhere: oversize files of the formats that must be read whole, wrong
// encodings, truncated XLSX / JSON, and the SMS traps around references. Every case ends in a result the user can
// trust (exact text, or a warning / partial mark saying it is not) or a clear error, and leaves the vault unchanged.
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { RedressError } from '../../electron/core/errors.js';
import { importFile, previewFile } from '../../electron/core/importers/import-file.js';
import { INVALID_UTF8 } from '../../electron/core/importers/sms-backup-xml.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import { camt053 } from './fixtures/bank.js';
import { alipayCsv, alipayRows, wechatCsv, wechatRows, wechatXlsx } from './fixtures/bills.js';
import { telegramExport } from './fixtures/chats.js';
import { smsBackup, smsElement } from './fixtures/sms.js';
import { importEnv } from './helpers.js';

const isError = (code: string) => (e: unknown) => e instanceof RedressError && e.code === code;

describe('hostile and broken input', () => {
  let env: Awaited<ReturnType<typeof importEnv>>;
  before(async () => (env = await importEnv()));
  after(() => env.cleanup());

  /** the vault's state for this case: items and custody entries, to show a failure changed nothing */
  const snapshot = () => ({ items: env.vault.items.list(env.caseId).length, log: env.vault.log(env.caseId).length });

  it('refuses 2 GiB files of the formats read whole before reading them (no memory spike), storing nothing', async () => {
    const heads: [string, Buffer][] = [
      ['huge-alipay.csv', alipayCsv(alipayRows(3))],
      ['huge-wechat.csv', wechatCsv(wechatRows(3))],
      ['huge-wechat.xlsx', await wechatXlsx(wechatRows(3))],
      ['huge-telegram.json', Buffer.from(telegramExport())],
    ];
    const state = snapshot();
    for (const [name, head] of heads) {
      const path = await env.file(name, head);
      const handle = await open(path, 'r+');
      await handle.truncate(2 * 1024 ** 3); // sparse: the real header, then zeros
      await handle.close();
      const rss = process.memoryUsage().rss;
      const started = Date.now();
      await assert.rejects(importFile(env.vault, env.caseId, path), isError('IMPORT_TOO_LARGE'), name);
      assert.ok(process.memoryUsage().rss - rss < 100 * 1024 * 1024, `${name}: no memory spike`);
      assert.ok(Date.now() - started < 5_000, `${name}: refused without reading`);
    }
    assert.deepEqual(snapshot(), state);
  });

  it('reads re-encoded bills (GBK WeChat, UTF-8 with BOM Alipay) with their Chinese text intact', async () => {
    const rows = wechatRows(6);
    // Excel re-saving a WeChat bill as GBK: "¥" has no GBK code, the full-width "￥" does.
    const gbk = iconv.encode(wechatCsv(rows).toString('utf8').replace(/^\ufeff/, '').replace(/¥/g, '￥'), 'gbk');
    const wechat = await previewFile(await env.file('wechat-gbk.csv', gbk));
    assert.equal(wechat.format, 'wechat-pay-csv');
    assert.equal(wechat.counts.transactions, 6);
    assert.equal(wechat.totalsCheck?.ok, true, JSON.stringify(wechat.totalsCheck?.mismatches));
    assert.deepEqual(
      wechat.sample.map((s) => (s as { counterpartyName?: string }).counterpartyName),
      rows.map((r) => r.counterparty),
    );

    const alipayRowsIn = alipayRows(5);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), alipayCsv(alipayRowsIn, { encoding: 'utf8' })]);
    const alipay = await previewFile(await env.file('alipay-bom.csv', bom));
    assert.equal(alipay.format, 'alipay-csv');
    assert.equal(alipay.totalsCheck?.ok, true);
    assert.equal((alipay.sample[0] as { counterpartyName?: string }).counterpartyName, alipayRowsIn[0]!.counterparty);
  });

  it('an encoding it cannot read (UTF-16, Big5) is refused naming the formats tried, storing nothing', async () => {
    const text = alipayCsv(alipayRows(5), { encoding: 'utf8' }).toString();
    const state = snapshot();
    for (const [name, data] of [
      ['alipay-utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')])],
      ['alipay-big5.csv', iconv.encode(text, 'big5')],
    ] as const) {
      await assert.rejects(importFile(env.vault, env.caseId, await env.file(name, data)), (e: unknown) => isError('IMPORT_FORMAT_UNKNOWN')(e) && /alipay-csv/.test(String((e as RedressError).value.params.tried)), name);
    }
    assert.deepEqual(snapshot(), state);
  });

  it('an SMS backup that is not UTF-8 is read, but never silently: the altered text is flagged', async () => {
    const xml = smsBackup([smsElement({ address: '95588', date: 1706681100000, type: 1, body: '您好，我是客服' })]);
    const preview = await previewFile(await env.file('sms-gbk.xml', iconv.encode(xml, 'gbk')));
    assert.equal(preview.format, 'sms-backup-xml');
    assert.ok(preview.warnings.includes(INVALID_UTF8), JSON.stringify(preview.warnings));
    const clean = await previewFile(await env.file('sms-utf8.xml', xml));
    assert.deepEqual(clean.warnings, [], 'a clean backup has no such warning');
    assert.equal((clean.sample[0] as { body: string }).body, '您好，我是客服');

    const camt = await previewFile(await env.file('camt-latin1.xml', iconv.encode(camt053().replace(/Nm>[^<]*</, 'Nm>Müller Zoë<'), 'latin1')));
    assert.equal(camt.format, 'camt053');
    assert.ok(camt.warnings.some((w) => /not valid UTF-8/.test(w)));
  });

  it('a truncated XLSX or Telegram export is a clear parse error and stores nothing', async () => {
    const xlsx = await wechatXlsx(wechatRows(6));
    const tg = telegramExport();
    const state = snapshot();
    await assert.rejects(importFile(env.vault, env.caseId, await env.file('cut.xlsx', xlsx.subarray(0, Math.floor(xlsx.length / 2))), { format: 'wechat-pay-xlsx' }), isError('IMPORT_PARSE_FAILED'));
    await assert.rejects(importFile(env.vault, env.caseId, await env.file('cut.json', Buffer.from(tg.slice(0, Math.floor(tg.length / 2)))), { format: 'telegram-json' }), isError('IMPORT_PARSE_FAILED'));
    assert.deepEqual(snapshot(), state);
  });

  it('SMS traps: literal "&#55357;" text stays text, a lone surrogate is reported, emoji names and addresses are exact', async () => {
    const specs = [
      { address: '+8613800138000', date: 1706681100000, type: 1 as const, body: 'type &#55357;&#56846; to see 😎', contactName: '王客服😎' },
      { address: '10086', date: 1706681160000, type: 2 as const, body: 'null', contactName: 'null' },
      { address: '95588', date: 1706681220000, type: 1 as const, body: '第一行\n\n第三行\r\n𠀀𪚥 👨‍👩‍👧‍👦 🇨🇳 é (e + U+0301: e\u0301)', contactName: null },
    ];
    const lone = '  <sms protocol="0" address="1" date="1706681280000" type="1" body="before&#55357;after &#10;x" contact_name="null" />\n';
    const path = await env.file('sms-traps.xml', smsBackup([...specs.map(smsElement), lone]));
    const result = await importFile(env.vault, env.caseId, path);
    assert.equal(result.partial, null);
    assert.ok(result.warnings.some((w) => /1 broken emoji reference/.test(w)), JSON.stringify(result.warnings));
    const messages = new RecordRepo(env.vault.context).listMessages(env.caseId).filter((m) => m.source.itemId === result.source.itemId);
    assert.deepEqual(
      messages.map((m) => m.body),
      [...specs.map((s) => s.body), 'before\ufffdafter \nx'],
    );
    assert.equal(messages[0]!.counterpartName, '王客服😎');
    // "null" is the app's word for a missing name, but a body of "null" is what the person wrote
    assert.equal(messages[1]!.counterpartName, undefined);
    assert.equal(messages[1]!.body, 'null');
  });
});
