import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { tempDir } from '../helpers/vault.js';
import { launchApp, type LaunchedApp } from './launch-app.js';

const PASS = 'association vault passphrase';
const TRANSFER = 'transfer passphrase 42';
const TITLES = ['GoldBridge fake trading platform', 'Fake courier refund call', 'USDT "mentor" group'];

async function noSeriousA11yViolations(app: LaunchedApp, screen: string) {
  const violations = await app.axe();
  assert.deepEqual(violations, [], `${screen}: ${JSON.stringify(violations, null, 1)}`);
}

/** A fresh vault, unlocked behind the UI's back, then the page reloaded into the case list. */
async function openWithVault(app: LaunchedApp) {
  await app.core.call('vault.create', { passphrase: PASS });
  await app.page.reload();
  await app.page.getByRole('heading', { name: 'Your cases' }).waitFor();
}

async function openAssociation(app: LaunchedApp, tab: 'Statistics' | 'Batch export' | 'Case bundles') {
  await app.page.getByRole('navigation').getByRole('button', { name: 'Association' }).click();
  await app.page.getByRole('heading', { name: 'Association workspace' }).waitFor();
  await app.page.getByRole('tab', { name: tab }).click();
}

describe('association view end to end (Chromium, real vaults)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: LaunchedApp;
  let second: LaunchedApp | null = null;
  const ids: string[] = [];

  before(async () => {
    dir = await tempDir('redress-e2e-assoc-');
    app = await launchApp({ dataDir: join(dir.path, 'a') });
    await openWithVault(app);
    const h = app.core;
    const a = await h.call('cases.create', {
      title: TITLES[0]!,
      incidentType: 'fake-investment',
      status: 'ready',
      startedAt: '2026-09-10T10:00:00+08:00',
      losses: [{ amount: { currency: 'CNY', minor: 500_000 } }, { amount: { currency: 'CNY', minor: 123_456 } }],
      parties: [{ id: 's1', role: 'suspect', name: 'Mentor Li', identifiers: [{ kind: 'phone', value: '+86 138 0013 8000' }, { kind: 'alipay', value: 'goldbridge@example.com' }] }],
    });
    const b = await h.call('cases.create', {
      title: TITLES[1]!,
      incidentType: 'impersonation',
      status: 'ready',
      startedAt: '2026-10-02T09:00:00+08:00',
      losses: [{ amount: { currency: 'CNY', minor: 10_001 } }, { amount: { currency: 'USD', minor: 5_000 } }],
      // the same mobile number written another way: the statistics must see one counterparty
      parties: [{ id: 's1', role: 'suspect', identifiers: [{ kind: 'phone', value: '138-0013-8000' }] }],
    });
    const c = await h.call('cases.create', { title: TITLES[2]!, incidentType: 'fake-investment', status: 'collecting', startedAt: '2026-10-20T20:00:00+08:00', losses: [{ amount: { currency: 'CNY', minor: 200_000 } }] });
    ids.push(a.id, b.id, c.id);
    for (const [i, id] of ids.entries()) {
      await h.call('items.addBytes', { caseId: id, name: `chat-${i}.txt`, data: new TextEncoder().encode(`case ${i}: 对方要求转账\n`), via: 'drop' });
    }
  });
  after(async () => {
    await second?.close();
    await app?.close();
    await dir?.cleanup();
  });

  test('statistics: exact totals and medians per currency, charts with tables, shared counterparties, exports', async () => {
    const { page } = app;
    await openAssociation(app, 'Statistics');
    await page.getByTestId('stats-cases').getByText('3').waitFor();
    // CNY: 5000.00 + 1234.56 + 100.01 + 2000.00; median of the per-case totals 6234.56, 100.01, 2000.00
    const cny = page.getByTestId('loss-CNY');
    assert.deepEqual(await cny.locator('td').allTextContents(), ['CN¥8,334.57', 'CN¥2,000.00', '3']);
    assert.deepEqual(await page.getByTestId('loss-USD').locator('td').allTextContents(), ['$50.00', '$50.00', '1']);

    const byType = page.getByTestId('chart-type');
    assert.equal(await byType.getByRole('img').count(), 1, 'the chart is one labelled image');
    assert.deepEqual(await byType.locator('tbody tr').allTextContents(), ['Fake investment or trading platform2', 'Impersonation of customer service or police1']);
    assert.deepEqual(await page.getByTestId('chart-month').locator('tbody tr').allTextContents(), ['2026-091', '2026-102']);
    assert.deepEqual(await page.getByTestId('chart-platform').locator('tbody tr').allTextContents(), ['Alipay1', 'No platform recorded2']);

    const shared = page.getByTestId('shared-counterparties');
    assert.deepEqual(await shared.locator('tbody th').allTextContents(), ['13800138000']);
    assert.deepEqual((await shared.getByRole('button').allTextContents()).sort(), [TITLES[0], TITLES[1]].sort());
    await noSeriousA11yViolations(app, 'statistics');

    // filters reach the core: only the cases still being collected
    await page.getByLabel('Status').first().selectOption('collecting');
    await page.getByTestId('stats-cases').getByText('1').waitFor();
    assert.deepEqual(await page.getByTestId('loss-CNY').locator('td').allTextContents(), ['CN¥2,000.00', 'CN¥2,000.00', '1']);
    await page.getByLabel('Status').first().selectOption('');
    await page.getByTestId('stats-cases').getByText('3').waitFor();

    // the table and the image are written where the (main-process) save dialog says
    const csv = join(dir.path, 'stats.csv');
    app.setNextSave(csv);
    await page.getByRole('button', { name: 'Table as CSV…' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved stats.csv.' }).waitFor();
    const rows = Papa.parse<string[]>((await readFile(csv, 'utf8')).replace(/^\ufeff/, '')).data;
    assert.ok(rows.some((r) => r.includes('CNY') && r.includes('8334.57') && r.includes('2000.00')), 'the CSV holds the exact CNY figures');
    const png = join(dir.path, 'stats.png');
    app.setNextSave(png);
    await page.getByRole('button', { name: 'Chart as PNG…' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved stats.png.' }).waitFor();
    assert.deepEqual([...(await readFile(png)).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // a cancelled dialog writes nothing and says nothing
    app.setNextSave(null);
    await page.getByRole('button', { name: 'Table as Excel…' }).click();
    await page.waitForTimeout(300);
    assert.equal(await page.getByRole('status').filter({ hasText: '.xlsx' }).count(), 0);
  });

  test('batch export: three packets built with per-case status, summary CSV and XLSX in the chosen folder', async () => {
    const { page } = app;
    await openAssociation(app, 'Batch export');
    await page.getByTestId('batch-matching').getByText('3 matching cases').waitFor();
    await page.getByLabel('Recipient').selectOption('cn-police');
    const out = join(dir.path, 'batch');
    app.setNextFolder(out);
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await page.getByTestId('batch-folder').getByText(out).waitFor();
    await noSeriousA11yViolations(app, 'batch export (ready)');
    // cancel at once (the packet workers are still starting), then resume on the same folder
    await page.getByRole('button', { name: 'Build packets' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('batch-cancelled').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByTestId('batch-done').waitFor({ timeout: 120_000 });
    const done = /(\d) packets? built, (\d) already done, 0 failed/.exec((await page.getByTestId('batch-done').textContent()) ?? '');
    assert.ok(done, 'the resumed batch finishes without failures');
    assert.equal(Number(done[1]) + Number(done[2]), 3);
    for (const id of ids) assert.equal(await page.getByTestId(`batch-case-${id}`).locator('.batch-state').textContent(), 'Done');
    assert.equal(await page.getByRole('progressbar').getAttribute('value'), '3');
    await noSeriousA11yViolations(app, 'batch export (done)');

    const csv = Papa.parse<Record<string, string>>((await readFile(join(out, 'summary.csv'), 'utf8')).replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true }).data;
    assert.deepEqual(csv.map((r) => r['Case id']).sort(), [...ids].sort());
    for (const r of csv) {
      assert.equal(r['Result'], 'done');
      assert.match(r['Packet SHA-256'] ?? '', /^[0-9a-f]{64}$/);
      assert.ok((await stat(join(out, r['Packet file']!))).size > 0);
    }
    assert.equal(csv.find((r) => r['Case id'] === ids[0])!['Loss CNY'], '6234.56');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(out, 'summary.xlsx'));
    assert.equal(book.worksheets[0]!.rowCount, 4);

    // the same folder again resumes: nothing is built twice
    await page.getByRole('button', { name: 'Build packets' }).click();
    await page.getByTestId('batch-done').getByText('0 packets built, 3 already done').waitFor({ timeout: 60_000 });
    for (const id of ids) assert.equal(await page.getByTestId(`batch-case-${id}`).locator('.batch-state').textContent(), 'Already done');
  });

  test('bundle: export a case (passphrase twice), import it into a second vault, again (no change), wrong passphrase refused', async () => {
    const { page } = app;
    await openAssociation(app, 'Case bundles');
    await page.getByRole('combobox', { name: /^Case/ }).selectOption(ids[0]!);
    await page.getByLabel('Transfer passphrase', { exact: true }).fill(TRANSFER);
    await page.getByLabel('Type the transfer passphrase again').fill(TRANSFER + 'x');
    await page.getByRole('button', { name: 'Export bundle…' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two passphrases differ.' }).waitFor();
    await page.getByLabel('Type the transfer passphrase again').fill(TRANSFER);
    const file = join(dir.path, 'goldbridge.redress');
    app.setNextSave(file);
    await page.getByRole('button', { name: 'Export bundle…' }).click();
    const exported = page.getByTestId('bundle-exported');
    await exported.waitFor({ timeout: 60_000 });
    assert.match((await exported.textContent()) ?? '', /Exported “GoldBridge fake trading platform” to goldbridge\.redress: 1 item,/);
    assert.ok((await stat(file)).size > 0);
    await noSeriousA11yViolations(app, 'case bundles');

    // a second volunteer's computer
    second = await launchApp({ dataDir: join(dir.path, 'b') });
    await openWithVault(second);
    const p2 = second.page;
    await openAssociation(second, 'Case bundles');
    second.setNextBundle(file);
    await p2.getByRole('button', { name: 'Choose bundle file…' }).click();
    await p2.getByTestId('bundle-file').getByText('goldbridge.redress').waitFor();

    await p2.getByLabel('Transfer passphrase of the bundle').fill('not the passphrase');
    await p2.getByRole('button', { name: 'Import', exact: true }).click();
    await p2.getByTestId('bundle-refused').getByText('Wrong transfer passphrase for goldbridge.redress').waitFor({ timeout: 30_000 });
    assert.deepEqual(await second.core.call('cases.list', {}), [], 'a refused bundle stores nothing');

    await p2.getByLabel('Transfer passphrase of the bundle').fill(TRANSFER);
    await p2.getByRole('button', { name: 'Import', exact: true }).click();
    const result = p2.getByTestId('bundle-imported');
    await result.waitFor({ timeout: 30_000 });
    assert.equal(await result.getAttribute('data-status'), 'imported');
    assert.match((await result.textContent()) ?? '', /New case imported: “GoldBridge fake trading platform”\. \d+ custody entries and 1 item, all verified\./);
    // signed by the first vault, which the second has not recorded: its fingerprint is shown, and can be recorded
    const { fingerprint } = await app.core.call('vault.key', {});
    const signer = p2.getByTestId('bundle-signer');
    assert.equal(await signer.getAttribute('data-signer'), 'new');
    assert.ok(((await signer.textContent()) ?? '').includes(`Signed by a vault you have not recorded, key fingerprint ${fingerprint}.`));
    assert.equal(await p2.getByTestId('own-fingerprint').textContent(), (await second.core.call('vault.key', {})).fingerprint);
    await p2.getByTestId('known-vaults-empty').waitFor();
    await noSeriousA11yViolations(second, 'case bundles (imported)');
    await p2.getByLabel('Whose vault is it?').fill('Volunteer Li');
    await p2.getByRole('button', { name: 'Record this vault' }).click();
    await p2.locator('[data-testid="bundle-signer"][data-signer="known"]').getByText(`Signed by a vault you recorded: Volunteer Li (${fingerprint}).`).waitFor();
    await p2.getByTestId('known-vaults').getByText('Volunteer Li').waitFor();
    assert.deepEqual(await second.core.call('vault.knownVaults.list', {}), [{ fingerprint, label: 'Volunteer Li', addedAt: (await second.core.call('vault.knownVaults.list', {}))[0]!.addedAt }]);
    // a fingerprint typed wrong is said so in the user's words, and nothing is recorded
    await p2.getByLabel('Key fingerprint').fill('12345');
    await p2.getByLabel('Name', { exact: true }).fill('Someone');
    await p2.getByRole('button', { name: 'Record', exact: true }).click();
    await p2.getByRole('alert').filter({ hasText: 'That is not a key fingerprint' }).waitFor();
    assert.equal((await second.core.call('vault.knownVaults.list', {})).length, 1);
    await noSeriousA11yViolations(second, 'case bundles (vault recorded)');
    const [kase] = await second.core.call('cases.list', {});
    assert.equal(kase!.id, ids[0], 'the case keeps its id across vaults');
    assert.equal(kase!.itemCount, 1);

    await p2.getByRole('button', { name: 'Import', exact: true }).click();
    await p2.getByTestId('bundle-imported').and(p2.locator('[data-status="unchanged"]')).waitFor({ timeout: 30_000 });
    assert.equal(await p2.getByTestId('bundle-signer').getAttribute('data-signer'), 'known', 'the next import knows the vault');
    assert.equal((await second.core.call('cases.list', {})).length, 1, 'importing twice duplicates nothing');

    // the figures on the second computer include the imported case
    await p2.getByRole('tab', { name: 'Statistics' }).click();
    await p2.getByTestId('stats-cases').getByText('1').waitFor();
    assert.deepEqual(await p2.getByTestId('loss-CNY').locator('td').allTextContents(), ['CN¥6,234.56', 'CN¥6,234.56', '1']);
    await p2.getByRole('tab', { name: 'Case bundles' }).click();
    await p2.getByRole('button', { name: 'Open the case' }).click();
    await p2.getByRole('heading', { name: TITLES[0] }).waitFor();
  });

  test('the association screens ran under the CSP without a single violation', () => {
    assert.deepEqual(app.cspViolations, []);
    assert.deepEqual(second?.cspViolations, []);
  });
});
