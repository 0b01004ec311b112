import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import sharp from 'sharp';
import { createI18n } from '../../shared/i18n/index.js';
import { computeStats, exportStats, median, normalizeIdentifier } from '../../electron/core/stats/index.js';
import { csvSafe } from '../../electron/core/stats/spreadsheet.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir } from '../helpers/vault.js';

describe('counterparty identifiers compare after normalization', () => {
  it('phones: spaces, dashes, +86/0086 and full-width digits', () => {
    const keys = ['138-0013-8000', '+86 138 0013 8000', '0086 13800138000', '１３８００１３８０００'].map((v) => normalizeIdentifier('phone', v));
    for (const k of keys) assert.deepEqual(k, { family: 'phone', key: '13800138000' });
    // an Alipay login that is a mobile number is the same phone
    assert.deepEqual(normalizeIdentifier('alipay', '138 0013 8000'), { family: 'phone', key: '13800138000' });
  });
  it('accounts: spaces and dashes dropped, case folded', () => {
    assert.deepEqual(normalizeIdentifier('bank-account', '6222 0000 1111 2222'), normalizeIdentifier('bank-account', '6222-0000-1111-2222'));
    assert.deepEqual(normalizeIdentifier('wechat', 'Scam_Helper'), { family: 'account', key: 'scam_helper' });
    assert.notDeepEqual(normalizeIdentifier('bank-account', '6222000011112222'), normalizeIdentifier('bank-account', '6222000011112223'));
  });
});

describe('median of integer minor units', () => {
  it('odd counts take the middle; even counts the mean, half to even', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([100, 200]), 150);
    assert.equal(median([1, 2]), 2); // 1.5 → 2
    assert.equal(median([2, 3]), 2); // 2.5 → 2
    assert.equal(median([9_007_199_254_740_991, 9_007_199_254_740_989]), 9_007_199_254_740_990);
  });
});

describe('formula injection', () => {
  it('cells a spreadsheet would run get a leading apostrophe; numbers do not', () => {
    for (const bad of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx']) assert.equal(csvSafe(bad), `'${bad}`);
    assert.equal(csvSafe('-12.50'), '-12.50');
    assert.equal(csvSafe('张三'), '张三');
    assert.equal(csvSafe(42), 42);
  });
});

describe('computeStats and its exports', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  const ids: string[] = [];
  const hostile = '=HYPERLINK("http://evil.example","click")';

  before(async () => {
    dir = await tempDir();
    vault = (await newVault(join(dir.path, 'v'))).vault;
    const mk = (input: Parameters<Vault['cases']['create']>[0]) => ids.push(vault.cases.create(input).id);
    mk({
      title: 'a',
      incidentType: 'task-scam',
      status: 'ready',
      startedAt: '2026-01-31T20:00:00Z', // 2026-02-01 04:00 in Shanghai
      losses: [{ amount: { currency: 'CNY', minor: 1_000_000_001 } }, { amount: { currency: 'CNY', minor: 99 } }],
      parties: [
        { id: 'p', role: 'platform', name: '支付宝', identifiers: [] },
        { id: 's', role: 'suspect', identifiers: [{ kind: 'phone', value: '138-0013-8000' }, { kind: 'bank-account', value: '6222 0000 1111 2222' }, { kind: 'other', value: hostile }] },
      ],
    });
    mk({
      title: 'b',
      incidentType: 'task-scam',
      startedAt: '2026-04-02T10:00:00+08:00',
      losses: [{ amount: { currency: 'CNY', minor: 50_000 } }, { amount: { currency: 'USD', minor: 1_999 } }],
      parties: [{ id: 's', role: 'counterparty', identifiers: [{ kind: 'alipay', value: '+86 138 0013 8000' }, { kind: 'other', value: hostile }] }],
    });
    mk({
      title: 'c',
      incidentType: 'romance-scam',
      status: 'ready',
      losses: [{ amount: { currency: 'CNY', minor: 300_000 } }],
      parties: [
        { id: 's', role: 'suspect', identifiers: [{ kind: 'bank-account', value: '6222-0000-1111-2222' }] },
        { id: 'w', role: 'witness', identifiers: [{ kind: 'phone', value: '13900000000' }] },
      ],
    });
    mk({ title: 'd', incidentType: 'phishing', parties: [{ id: 'w', role: 'witness', identifiers: [{ kind: 'phone', value: '139 0000 0000' }] }] });
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  it('counts by type, platform and month; exact totals and medians per currency', () => {
    const s = computeStats(vault, {}, { zone: 'Asia/Shanghai' });
    assert.equal(s.cases, 4);
    assert.deepEqual(s.byType, [
      { type: 'task-scam', count: 2 },
      { type: 'phishing', count: 1 },
      { type: 'romance-scam', count: 1 },
    ]);
    assert.deepEqual(s.byPlatform, [{ platform: 'Alipay', count: 2 }]);
    assert.equal(s.casesWithoutPlatform, 2);
    const months = Object.fromEntries(s.byMonth.map((m) => [m.month, m.count]));
    assert.equal(months['2026-02'], 1);
    assert.equal(months['2026-03'], 0); // gaps are listed
    assert.equal(months['2026-04'], 1);
    assert.equal(s.byMonth.reduce((a, m) => a + m.count, 0), 4);
    const cny = s.losses.find((l) => l.currency === 'CNY')!;
    assert.deepEqual(cny.total, { currency: 'CNY', minor: 1_000_000_100 + 50_000 + 300_000 });
    assert.deepEqual(cny.median, { currency: 'CNY', minor: 300_000 });
    assert.equal(cny.cases, 3);
    assert.deepEqual(s.losses.find((l) => l.currency === 'USD')!.total, { currency: 'USD', minor: 1_999 });
  });

  it('lists identifiers seen in several cases, however they were written (witnesses excluded)', () => {
    const s = computeStats(vault);
    const shared = Object.fromEntries(s.sharedCounterparties.map((x) => [x.identifier, x]));
    assert.deepEqual(shared['13800138000']!.caseIds, [ids[0], ids[1]].sort());
    assert.deepEqual(shared['13800138000']!.spellings, ['+86 138 0013 8000', '138-0013-8000']);
    assert.deepEqual(shared['6222000011112222']!.caseIds, [ids[0], ids[2]].sort());
    assert.equal(shared['13900000000'], undefined);
    assert.equal(s.sharedCounterparties.length, 3);
  });

  it('filters by status and type', () => {
    assert.equal(computeStats(vault, { status: 'ready' }).cases, 2);
    assert.equal(computeStats(vault, { incidentType: 'task-scam', status: 'ready' }).cases, 1);
    assert.equal(computeStats(vault, { since: '2999-01-01' }).cases, 0);
  });

  it('exports a CSV safe from formula injection, an XLSX and a chart PNG', async () => {
    const s = computeStats(vault, {}, { zone: 'Asia/Shanghai' });
    const { t } = createI18n('zh-CN');
    const files = { csv: join(dir.path, 's.csv'), xlsx: join(dir.path, 's.xlsx'), png: join(dir.path, 's.png'), svg: join(dir.path, 's.svg') };
    await exportStats(s, files, t, 'zh-CN');
    const csv = (await readFile(files.csv, 'utf8')).replace(/^\ufeff/, '');
    const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
    const flat = rows.flat();
    assert.ok(flat.includes(`'${hostile.toLowerCase()}`), 'the hostile identifier is neutralized');
    assert.ok(!flat.some((c) => /^[=+@]/.test(c)), 'no cell starts a formula');
    assert.ok(flat.includes('1000350100.00') || flat.includes('10003501.00'), 'exact decimal totals');
    assert.ok(flat.includes(t('incidentType.task-scam')), 'labels in the chosen language');

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(files.xlsx);
    assert.equal(book.worksheets.length, 5);
    const losses = book.worksheets[3]!;
    assert.equal(losses.getRow(2).getCell(1).value, 'CNY');
    assert.equal(losses.getRow(2).getCell(2).value, '10003501.00');
    for (const ws of book.worksheets) ws.eachRow((row) => row.eachCell((cell) => assert.equal(cell.formula, undefined)));

    const meta = await sharp(files.png).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, 1200);
    assert.match(await readFile(files.svg, 'utf8'), /按类型/);
  });
});
