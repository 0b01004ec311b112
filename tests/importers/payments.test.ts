import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { RedressError } from '../../electron/core/errors.js';
import { importFile, previewFile } from '../../electron/core/importers/import-file.js';
import { parseAmount } from '../../electron/core/importers/money.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import { alipayCsv, alipayRows, alipayWebCsv, wechatCsv, wechatRows, wechatXlsx } from './fixtures/bills.js';
import { importEnv } from './helpers.js';

describe('money parsing', () => {
  it('parses printed amounts to integer minor units without floats', () => {
    assert.equal(parseAmount('¥1,234.50', 'CNY'), 123450);
    assert.equal(parseAmount(' 0.1 ', 'CNY'), 10);
    assert.equal(parseAmount('-12.3', 'CNY'), -1230);
    assert.equal(parseAmount('￥28.16', 'CNY'), 2816);
    assert.equal(parseAmount('1000', 'JPY'), 1000);
    assert.equal(parseAmount('1.234', 'KWD'), 1234);
    assert.equal(parseAmount('1.005', 'CNY'), null, 'more decimals than the currency has');
    assert.equal(parseAmount('1.50', 'JPY'), null);
    assert.equal(parseAmount('1.00', 'JPY'), 1);
    assert.equal(parseAmount('1.234,56', 'EUR', { decimalComma: true }), 123456);
    assert.equal(parseAmount('90071992547409.93', 'CNY'), null, 'beyond exact integers');
    assert.equal(parseAmount('abc', 'CNY'), null);
    assert.equal(parseAmount('0.07', 'CNY')! + parseAmount('0.1', 'CNY')!, 17);
  });
});

describe('Alipay and WeChat Pay bills', () => {
  let env: Awaited<ReturnType<typeof importEnv>>;
  let repo: RecordRepo;
  before(async () => {
    env = await importEnv();
    repo = new RecordRepo(env.vault.context);
  });
  after(() => env.cleanup());

  it('imports a GBK Alipay export: exact amounts, China time kept, stated totals match', async () => {
    const rows = alipayRows(30);
    const path = await env.file('支付宝交易明细.csv', alipayCsv(rows));
    const preview = await previewFile(path);
    assert.equal(preview.format, 'alipay-csv');
    assert.equal(preview.counts.transactions, 30);
    assert.equal(preview.totalsCheck?.ok, true, JSON.stringify(preview.totalsCheck?.mismatches));
    assert.equal(env.vault.items.list(env.caseId).length, 0, 'preview stores nothing');
    const result = await importFile(env.vault, env.caseId, path);
    assert.equal(result.counts.transactions.added, 30);
    assert.equal(env.vault.items.get(result.source.itemId).kind, 'payment-record');
    const txs = repo.listTransactions(env.caseId);
    const first = txs.find((t) => t.platformTxId === rows[1]!.txId)!;
    assert.equal(first.amount.minor, 3701);
    assert.equal(first.amount.currency, 'CNY');
    assert.equal(first.direction, 'in');
    assert.equal(first.time.zone, 'Asia/Shanghai');
    assert.equal(first.time.offsetMinutes, 480);
    assert.equal(first.time.instant, '2024-01-01T16:00:01.000Z', '2024-01-02 00:00:01 in Beijing');
    assert.equal(first.counterpartyName, '某某商城', 'padding trimmed');
    assert.equal(first.merchantOrderId, 'M0000000001', 'tab trimmed');
    assert.equal(first.note, '商品说明 1, 含逗号');
    assert.equal(first.source.locator, 'row 19');
    const out = result.totals.find((t) => t.direction === 'out')!;
    assert.equal(out.count, 10);
    assert.equal(out.minor, rows.filter((r) => r.direction === '支出').reduce((s, r) => s + parseAmount(r.amount, 'CNY')!, 0));
    const entry = env.vault.log(env.caseId).at(-1)!;
    assert.equal(entry.action, 'records.imported');
    assert.equal((entry.payload as { sourceSha256: string }).sourceSha256, result.source.sha256);
  });

  it('reports a mismatch between the stated totals and the rows', async () => {
    const path = await env.file('alipay-edited.csv', alipayCsv(alipayRows(6), { declared: { out: '99999.99' } }));
    const preview = await previewFile(path);
    assert.equal(preview.totalsCheck?.ok, false);
    assert.deepEqual(preview.totalsCheck!.mismatches, [{ kind: 'total', direction: 'out', currency: 'CNY', declaredCount: 2, declaredMinor: 9_999_999, actualCount: 2, actualMinor: 0 + 11103 }]);
  });

  it('maps columns by header name when the order is unexpected (UTF-8 file)', async () => {
    const rows = alipayRows(4);
    const columns = ['交易订单号', '金额', '收/支', '交易时间', '交易对方', '商品说明', '交易状态', '商家订单号', '备注', '交易分类', '对方账号', '收/付款方式'];
    const preview = await previewFile(await env.file('alipay-reordered.csv', alipayCsv(rows, { columns, encoding: 'utf8' })));
    assert.equal(preview.counts.transactions, 4);
    assert.equal(preview.totalsCheck?.ok, true);
    const s = preview.sample[2] as { amount: { minor: number }; direction: string; platformTxId: string };
    assert.equal(s.amount.minor, parseAmount(rows[2]!.amount, 'CNY'));
    assert.equal(s.direction, 'neutral');
    assert.equal(s.platformTxId, rows[2]!.txId);
  });

  it('a truncated Alipay export is partial and its totals mismatch is reported', async () => {
    const full = alipayCsv(alipayRows(10), { encoding: 'utf8' }).toString();
    const cut = full.slice(0, full.lastIndexOf('交易成功'));
    const preview = await previewFile(await env.file('alipay-cut.csv', Buffer.from(cut)), { format: 'alipay-csv' });
    assert.ok(preview.partial);
    assert.equal(preview.counts.transactions, 9);
    assert.equal(preview.totalsCheck?.ok, false);
  });

  it('reads the older Alipay web export with its footer count', async () => {
    const rows = alipayRows(5);
    const preview = await previewFile(await env.file('alipay_record_old.csv', alipayWebCsv(rows)));
    assert.equal(preview.format, 'alipay-csv');
    assert.equal(preview.facts.variant, 'web');
    assert.equal(preview.counts.transactions, 5);
    assert.equal(preview.totalsCheck?.ok, true);
    assert.equal((preview.sample[0] as { platformTxId: string }).platformTxId, rows[0]!.txId);
  });

  it('imports a WeChat Pay CSV (¥ amounts, "/" neutral, BOM) and dedupes an overlapping export by transaction id', async () => {
    const rows = wechatRows(12);
    const first = await importFile(env.vault, env.caseId, await env.file('微信支付账单.csv', wechatCsv(rows.slice(0, 8))));
    assert.equal(first.format, 'wechat-pay-csv');
    assert.equal(first.totalsCheck?.ok, true, JSON.stringify(first.totalsCheck?.mismatches));
    assert.equal(first.counts.transactions.added, 8);
    const second = await importFile(env.vault, env.caseId, await env.file('微信支付账单-2.csv', wechatCsv(rows.slice(4))));
    assert.equal(second.counts.transactions.added, 4);
    assert.equal(second.counts.transactions.duplicate, 4);
    const tx = repo.listTransactions(env.caseId).find((t) => t.platformTxId === rows[1]!.txId)!;
    assert.equal(tx.amount.minor, 1307);
    assert.equal(tx.direction, 'in');
    assert.equal(tx.platform, 'wechat-pay');
    const neutral = repo.listTransactions(env.caseId).find((t) => t.platformTxId === rows[2]!.txId)!;
    assert.equal(neutral.direction, 'neutral');
    assert.equal(repo.listTransactions(env.caseId).find((t) => t.platformTxId === rows[0]!.txId)!.note, '外卖订单 | 服务费¥0.10');
  });

  it('imports a WeChat Pay XLSX export the same way', async () => {
    const rows = wechatRows(9);
    const preview = await previewFile(await env.file('微信支付账单.xlsx', await wechatXlsx(rows)));
    assert.equal(preview.format, 'wechat-pay-xlsx');
    assert.equal(preview.counts.transactions, 9);
    assert.equal(preview.totalsCheck?.ok, true, JSON.stringify(preview.totalsCheck?.mismatches));
    assert.equal((preview.sample[0] as { source?: unknown; locator: string }).locator, 'sheet 1 row 18');
  });

  it('refuses a zip bomb disguised as XLSX before exceljs sees it, storing nothing', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('<?xml version="1.0"?><Types/>'), '[Content_Types].xml');
    zip.addBuffer(Buffer.alloc(300 * 1024 * 1024, 0x41), 'xl/worksheets/sheet1.xml', { compress: true });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const bomb = Buffer.concat(chunks);
    assert.ok(bomb.length < 2 * 1024 * 1024, 'small on disk');
    const items = env.vault.items.list(env.caseId).length;
    await assert.rejects(importFile(env.vault, env.caseId, await env.file('bomb.xlsx', bomb)), (e: unknown) => e instanceof RedressError && e.code === 'IMPORT_LIMIT' && e.value.params.limit === 'unzippedBytes');
    assert.equal(env.vault.items.list(env.caseId).length, items);
  });

  it('flags records as evidence, with a custody entry naming them and their source', async () => {
    const [a, b] = repo.listTransactions(env.caseId);
    assert.equal(repo.setFlagged(env.caseId, [a!.id, b!.id], true), 2);
    assert.equal(repo.setFlagged(env.caseId, [a!.id], true), 0, 'no change, no entry');
    const entry = env.vault.log(env.caseId).at(-1)!;
    assert.equal(entry.action, 'records.flagged');
    const records = (entry.payload as { records: { id: string; source: { sha256: string } }[] }).records;
    assert.deepEqual(records.map((r) => r.id), [a!.id, b!.id]);
    assert.equal(records[0]!.source.sha256, a!.source.sha256);
    assert.deepEqual(repo.listTransactions(env.caseId, { flagged: true }).map((t) => t.id), [a!.id, b!.id]);
    repo.setFlagged(env.caseId, [b!.id], false);
    assert.equal(env.vault.log(env.caseId).at(-1)!.action, 'records.unflagged');
    assert.equal(repo.count(env.caseId).flaggedTransactions, 1);
    assert.throws(() => repo.setFlagged(env.caseId, ['nope'], true), (e: unknown) => e instanceof RedressError && e.code === 'RECORD_NOT_FOUND');
    const report = await env.vault.verify(env.caseId);
    assert.equal(report.ok, true);
  });
});
