import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Vault } from '../../electron/core/vault/vault.js';
import { alipayCsv, alipayRows, type BillRow } from '../importers/fixtures/bills.js';
import { smsBackup, smsElement } from '../importers/fixtures/sms.js';
import { TEST_KDF, tempDir } from '../helpers/vault.js';
import { dropFile } from './drop-file.js';
import { launchApp, type LaunchedApp } from './launch-app.js';

const PASS = 'records e2e passphrase';

/** "1234567" minor units -> "12,345.67", as en-US prints it: computed from strings so no float touches it. */
function enAmount(minor: number): string {
  const s = String(minor).padStart(3, '0');
  return `${s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${s.slice(-2)}`;
}

function expectedTotals(rows: BillRow[]) {
  const by = new Map<string, { count: number; minor: number }>();
  for (const r of rows) {
    const [w, f = ''] = r.amount.split('.');
    const t = by.get(r.direction) ?? { count: 0, minor: 0 };
    t.count++;
    t.minor += Number(w) * 100 + Number(f.padEnd(2, '0'));
    by.set(r.direction, t);
  }
  return by;
}

describe('import with a preview, then mark records as evidence (Chromium, real vault)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: LaunchedApp;
  let caseId: string;
  const rows = alipayRows(30);
  const alipay = alipayCsv(rows);

  before(async () => {
    dir = await tempDir('redress-e2e-records-');
    const { vault } = await Vault.create(join(dir.path, 'data'), PASS, { actor: 'seed', kdf: TEST_KDF });
    caseId = vault.cases.create({ title: '冒充客服退款', incidentType: 'impersonation' }).id;
    await vault.close();
    app = await launchApp({ dataDir: dir.path });
    const { page } = app;
    await page.getByLabel('Passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('button', { name: /冒充客服退款/ }).click();
    await page.getByRole('tab', { name: 'Messages & transactions' }).click();
  });
  after(async () => {
    await app?.close();
    await dir?.cleanup();
  });

  const log = async () => app.core.call('cases.log', { caseId });
  const items = async () => app.core.call('items.list', { caseId });

  test('a dropped Alipay export is previewed with exact totals, and cancelling stores nothing', async () => {
    const { page } = app;
    const headBefore = (await log()).length;
    await dropFile(page, 'import-drop', '支付宝交易明细(20240101-20240131).csv', alipay);
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    assert.equal(await page.getByTestId('preview-format').textContent(), 'Alipay bill export');
    assert.equal(await page.getByTestId('preview-counts').textContent(), '0 messages · 30 transactions');
    const dates = (await page.getByTestId('preview-dates').textContent()) ?? '';
    assert.match(dates, /^Jan 1, 2024 00:00:00 \(UTC\+08:00\) – Jan 28, 2024 00:00:27 \(UTC\+08:00\)$/);

    const expected = expectedTotals(rows);
    for (const [direction, label] of [['out', '支出'], ['in', '收入'], ['neutral', '不计收支']] as const) {
      const cells = await page.locator(`[data-testid="preview-totals"] tr[data-direction="${direction}"] td`).allTextContents();
      const e = expected.get(label)!;
      assert.equal(cells[0], String(e.count), direction);
      assert.ok(cells[1]!.endsWith(enAmount(e.minor)), `${direction}: ${cells[1]} vs ${enAmount(e.minor)}`);
      assert.match(cells[1]!, /¥/);
    }
    assert.equal(await page.getByTestId('preview-check').textContent(), 'The totals stated in the file match its records.');
    assert.equal(await page.getByTestId('preview-partial').count(), 0);
    assert.deepEqual(await app.axe(), [], 'preview screen');

    // Before confirming nothing is stored: no item, no custody entry.
    assert.equal((await items()).length, 0);
    assert.equal((await log()).length, headBefore);
    await preview.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('import-status').filter({ hasText: 'Cancelled. Nothing was stored.' }).waitFor();
    assert.equal((await items()).length, 0);
    assert.equal((await log()).length, headBefore);
  });

  test('confirming stores the original and its records; a transaction marked as evidence is on the custody log', async () => {
    const { page } = app;
    await dropFile(page, 'import-drop', '支付宝交易明细(20240101-20240131).csv', alipay);
    await page.getByTestId('import-preview').getByRole('button', { name: 'Import into this case' }).click();
    await page.getByTestId('import-status').filter({ hasText: '30 transactions added (0 already in the case)' }).waitFor();

    const stored = await items();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.originalName, '支付宝交易明细(20240101-20240131).csv');
    assert.equal(stored[0]!.kind, 'payment-record');
    const imported = (await log()).filter((e) => e.action === 'records.imported');
    assert.equal(imported.length, 1);
    assert.equal(imported[0]!.payload.sourceSha256, stored[0]!.sha256);

    const list = page.getByTestId('records-transactions');
    await page.locator('[data-testid="records-transactions"][data-total="30"]').waitFor();
    assert.equal(await list.getAttribute('data-total'), '30');
    // row 29 of the export (i = 28): received 1,036.28 on Jan 1 at 00:00:28 China time, shown exactly
    const target = list.getByRole('checkbox', { name: /\+CN¥1,036\.28 .*Jan 1, 2024 00:00:28/ });
    await target.waitFor();
    assert.equal(await target.isChecked(), false);
    await target.check();
    await list.getByRole('listitem').filter({ has: page.getByRole('checkbox', { name: /1,036\.28/, checked: true }) }).waitFor();

    const flaggedEntry = (await log()).at(-1)!;
    assert.equal(flaggedEntry.action, 'records.flagged');
    const flaggedRecords = flaggedEntry.payload.records as { type: string; id: string; source: { itemId: string; sha256: string; locator: string } }[];
    assert.equal(flaggedRecords.length, 1);
    assert.equal(flaggedRecords[0]!.type, 'transaction');
    assert.equal(flaggedRecords[0]!.source.sha256, stored[0]!.sha256);
    const flagged = await app.core.call('records.transactions', { caseId, offset: 0, limit: 10, flagged: true });
    assert.equal(flagged.total, 1);
    assert.equal(flagged.records[0]!.id, flaggedRecords[0]!.id);
    assert.deepEqual(flagged.records[0]!.amount, { currency: 'CNY', minor: 103628 });

    // the "evidence of the fraud" filter shows just that one; unmarking it is logged too
    await page.getByLabel('Filter').selectOption('flagged');
    await page.getByTestId('records-total').filter({ hasText: /^1 transaction$/ }).waitFor();
    assert.deepEqual(await app.axe(), [], 'records list');
    await page.getByLabel('Filter').selectOption('all');
    await list.getByRole('checkbox', { name: /1,036\.28/ }).uncheck();
    for (let i = 0; i < 50 && (await log()).at(-1)!.action !== 'records.unflagged'; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await log()).at(-1)!.action, 'records.unflagged');
    await list.getByRole('checkbox', { name: /1,036\.28/ }).check();
    await list.getByRole('checkbox', { name: /1,036\.28/, checked: true }).waitFor();

    // the same export again adds nothing
    await dropFile(page, 'import-drop', 'again.csv', alipay);
    await page.getByTestId('import-preview').getByRole('button', { name: 'Import into this case' }).click();
    await page.getByTestId('import-status').filter({ hasText: '0 transactions added (30 already in the case)' }).waitFor();
    // the list reloads after an import (its total is unknown meanwhile); what it settles on is still 30
    await page.locator('[data-testid="records-transactions"][data-total="30"]').waitFor();
    assert.equal(await list.getAttribute('data-total'), '30');
  });

  test('an SMS backup keeps emoji, CJK, newlines and "null" exactly; messages list them', async () => {
    const { page } = app;
    const bodies = ['客服：您的账户已冻结 😎🙏 请点击链接', 'line one\nline two', 'null'];
    const xml = smsBackup(bodies.map((body, i) => smsElement({ address: '+8613800138000', date: 1706681100000 + i * 60_000, type: i === 1 ? 2 : 1, body, contactName: i === 0 ? '京东客服' : null })));
    await dropFile(page, 'import-drop', 'sms-20240131.xml', Buffer.from(xml));
    await page.getByTestId('import-preview').waitFor();
    assert.equal(await page.getByTestId('preview-format').textContent(), 'Android SMS backup (SMS Backup & Restore)');
    assert.equal(await page.getByTestId('preview-counts').textContent(), '3 messages · 0 transactions');
    assert.equal(await page.getByTestId('preview-check').count(), 0, 'an SMS backup states no totals');
    await page.getByRole('button', { name: 'Import into this case' }).click();
    await page.getByTestId('import-status').filter({ hasText: '3 messages and 0 transactions added' }).waitFor();

    await page.getByRole('radio', { name: 'Messages' }).check();
    const list = page.getByTestId('records-messages');
    await page.locator('[data-testid="records-messages"][data-total="3"]').waitFor();
    assert.equal(await list.getAttribute('data-total'), '3');
    const shown = await list.locator('.rec-body').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
    assert.deepEqual(shown, bodies);
    await list.getByRole('checkbox', { name: /京东客服/ }).check();
    await list.getByRole('checkbox', { name: /京东客服/, checked: true }).waitFor();
    assert.equal((await log()).at(-1)!.action, 'records.flagged');
  });

  test('a file in no known format is refused with the formats tried, storing nothing', async () => {
    const { page } = app;
    const count = (await items()).length;
    await dropFile(page, 'import-drop', 'notes.txt', Buffer.from('just some notes\nnothing structured\n'));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /alipay|Alipay|SMS/);
    assert.equal((await items()).length, count);
  });

  test('the records section reads in Simplified Chinese', async () => {
    const { page } = app;
    await page.getByTestId('language').first().selectOption('zh-CN');
    await page.getByRole('heading', { name: '导入短信或账单' }).waitFor();
    await page.getByRole('heading', { name: '消息与交易' }).waitFor();
    await page.getByRole('button', { name: '选择文件…' }).waitFor();
    await page.screenshot({ path: join(dir.path, 'records-zh.png') });
    await page.getByTestId('language').first().selectOption('en');
    await page.getByRole('heading', { name: 'Import messages or statements' }).waitFor();
  });
});
