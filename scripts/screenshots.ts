// Saves a PNG of every main screen in Simplified Chinese and English to screenshots/<language>/, for review.
// Usage: npm run screenshots   (builds the renderer, then drives it in Chromium against a fresh temporary vault)
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { dropFile } from '../tests/e2e/drop-file.js';
import { launchApp, type LaunchedApp } from '../tests/e2e/launch-app.js';
import { alipayCsv, type BillRow } from '../tests/importers/fixtures/bills.js';
import { tempDir } from '../tests/helpers/vault.js';

process.env.TZ ??= 'Asia/Shanghai';
const root = fileURLToPath(new URL('..', import.meta.url));
const PASS = 'screenshot passphrase';

/** A fake screenshot with readable text, so the gallery and previews look like the real thing. */
async function fakeShot(lines: string[], color: string): Promise<Uint8Array> {
  const text = lines.map((l, i) => `<text x="24" y="${60 + i * 44}" font-size="28" font-family="Noto Sans CJK SC" fill="#222">${l}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="540" height="360"><rect width="540" height="360" fill="#fafafa"/><rect width="540" height="24" fill="${color}"/>${text}</svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}

async function seed(app: LaunchedApp, zh: boolean, dir: string) {
  const h = app.service.handlers;
  const c = await h['cases.create']({ title: zh ? '“金桥”虚假投资平台' : 'Fake trading platform "GoldBridge"', incidentType: 'fake-investment', startedAt: '2026-10-02T10:00:00+08:00' });
  await h['cases.create']({ title: zh ? '冒充客服退款诈骗' : 'Fake customer-service refund', incidentType: 'impersonation', status: 'submitted' });
  await h['cases.create']({ title: zh ? '快递信息泄露' : 'Courier data leak', incidentType: 'data-leak', status: 'closed' });
  const shots = [
    [zh ? ['转账成功', '¥ 5,000.00', '收款方：王某', '6222 **** **** 2222'] : ['Transfer successful', 'CNY 5,000.00', 'To: Wang', '6222 **** **** 2222'], '#1677ff'],
    [zh ? ['导师李老师：', '今天必须加仓，', '否则账户会被冻结'] : ['"Mentor Li":', 'Top up today or', 'your account is frozen'], '#07c160'],
    [zh ? ['金桥 GoldBridge', '账户余额 128,400 USDT', '提现：审核中'] : ['GoldBridge', 'Balance 128,400 USDT', 'Withdrawal: pending'], '#b8860b'],
    [zh ? ['提现需先缴纳', '20% 保证金'] : ['Withdrawal requires', 'a 20% deposit first'], '#c0392b'],
  ] as const;
  const names = ['transfer-receipt.png', 'chat-mentor-li.png', 'platform-balance.png', 'deposit-demand.png'];
  for (const [i, [lines, color]] of shots.entries()) {
    await h['items.addBytes']({ caseId: c.id, name: names[i]!, data: await fakeShot([...lines], color), via: 'drop' });
  }
  await h['items.addBytes']({ caseId: c.id, name: 'bank-statement.csv', data: new TextEncoder().encode('date,amount\n2026-10-03,-5000.00\n'), via: 'drop' });
  await h['capture.take']({ caseId: c.id, sourceId: 'window:42:0' });
  await h['cases.update']({
    caseId: c.id,
    patch: {
      losses: [
        { amount: { currency: 'CNY', minor: 500000 }, occurredAt: '2026-10-03T14:03:00+08:00', description: zh ? '首次“投资”' : 'First "investment"' },
        { amount: { currency: 'CNY', minor: 1280050 }, occurredAt: '2026-10-09T09:12:00+08:00', description: zh ? '“保证金”' : '"Deposit"' },
      ],
      parties: [
        { id: 'p1', role: 'suspect', name: zh ? '李老师' : 'Mentor Li', identifiers: [{ kind: 'wechat', value: 'goldbridge_li' }, { kind: 'phone', value: '+86 171 0000 1234' }] },
        { id: 'p2', role: 'counterparty', name: zh ? '王某' : 'Wang', identifiers: [{ kind: 'bank-account', value: '6222 0000 1111 2222' }] },
      ],
    },
  });
  const sms = join(dir, 'sms-backup.xml');
  const msg = (addr: string, name: string, date: string, type: number, body: string) => `<sms protocol="0" address="${addr}" date="${Date.parse(date)}" type="${type}" body="${body}" readable_date="" contact_name="${name}" />`;
  await writeFile(
    sms,
    `<?xml version="1.0" encoding="UTF-8"?>\n<smses count="4">\n` +
      [
        msg('+8617100001234', zh ? '李老师' : 'Mentor Li', '2026-10-02T10:05:00+08:00', 1, zh ? '您好，我是金桥平台的投资导师，带您稳健获利。' : 'Hello, I am your GoldBridge investment mentor.'),
        msg('+8617100001234', zh ? '李老师' : 'Mentor Li', '2026-10-03T13:55:00+08:00', 1, zh ? '今天行情好，尽快入金 5000。' : 'Good market today, deposit 5000 now.'),
        msg('95188', zh ? '支付宝' : 'Alipay', '2026-10-03T14:03:00+08:00', 1, zh ? '【支付宝】您尾号2222的账户转出5000.00元。' : '[Alipay] 5000.00 CNY left your account ending 2222.'),
        msg('+8617100001234', zh ? '李老师' : 'Mentor Li', '2026-10-09T09:00:00+08:00', 2, zh ? '为什么不能提现？' : 'Why can I not withdraw?'),
      ].join('\n') +
      `\n</smses>\n`,
  );
  await h['profile.set']({ name: zh ? '张三' : 'Zhang San', idNumber: '110101199003071234', phone: '13800138000', cards: [{ bank: zh ? '工商银行' : 'ICBC', number: '6222 0000 1111 2222' }] });
  const items = await h['items.list']({ caseId: c.id });
  await h['checklist.setStep']({ caseId: c.id, stepId: 'freeze-payment', state: { done: true, itemIds: [] } });
  await h['checklist.setStep']({ caseId: c.id, stepId: 'transfer-record', state: { done: true, itemIds: [items[0]!.id] } });
  return { caseId: c.id, sms };
}

/** The Alipay export of the story's transfers, written by the same generator the importer tests use. */
function alipayExport(zh: boolean): Buffer {
  const row = (time: string, direction: BillRow['direction'], amount: string, counterparty: string, goods: string, i: number): BillRow => ({
    time,
    direction,
    amount,
    counterparty,
    account: '138****1234',
    goods,
    method: zh ? '余额宝' : 'Yu E Bao',
    status: zh ? '交易成功' : 'Success',
    txId: `2026100322001${String(i).padStart(12, '0')}`,
    orderId: `M${String(i).padStart(10, '0')}`,
    category: zh ? '转账红包' : 'Transfer',
  });
  return alipayCsv([
    row('2026-10-01 09:12:40', '支出', '38.50', zh ? '某某超市' : 'Corner shop', zh ? '日用品' : 'Groceries', 1),
    row('2026-10-03 14:03:00', '支出', '5000.00', zh ? '王某' : 'Wang', zh ? '投资入金' : 'Investment deposit', 2),
    row('2026-10-05 10:20:00', '收入', '300.00', zh ? '金桥平台' : 'GoldBridge', zh ? '“收益”返还' : '"Profit" paid back', 3),
    row('2026-10-09 09:12:00', '支出', '12800.50', zh ? '王某' : 'Wang', zh ? '提现保证金' : 'Withdrawal deposit', 4),
    row('2026-10-09 18:40:11', '支出', '26.00', zh ? '地铁' : 'Metro', zh ? '交通' : 'Transport', 5),
  ]);
}

async function shoot(page: Page, dir: string, name: string) {
  await page.waitForTimeout(250);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
  console.log(`  ${name}.png`);
}

async function run(lng: 'zh-CN' | 'en') {
  const out = join(root, 'screenshots', lng);
  await mkdir(out, { recursive: true });
  const tmp = await tempDir('redress-shots-');
  const app = await launchApp({ dataDir: tmp.path, locale: lng === 'zh-CN' ? 'zh-CN' : 'en-US' });
  const { page } = app;
  console.log(lng);
  try {
    await shoot(page, out, '01-first-run');
    await page.locator('input[type=password]').nth(0).fill(PASS);
    await page.locator('input[type=password]').nth(1).fill(PASS);
    await page.locator('button[type=submit]').click();
    await page.getByTestId('recovery-code').waitFor();
    await shoot(page, out, '02-recovery-code');
    await page.locator('input[type=checkbox]').check();
    await page.locator('button.primary').click();
    await page.locator('.profile-form').waitFor();
    await shoot(page, out, '03-profile');
    await page.locator('button[type=button]').filter({ hasNotText: /^$/ }).last().click();
    await page.locator('#cases-title').waitFor();
    const zh = lng === 'zh-CN';
    const { caseId, sms } = await seed(app, zh, tmp.path);
    await page.locator('nav button').nth(1).click();
    await page.locator('nav button').nth(0).click();
    await page.locator('.case-row').first().waitFor();
    await shoot(page, out, '04-case-list');
    await page.locator('nav button').nth(1).click();
    await page.locator('input[value=fake-investment]').check();
    await page.locator('.checklist-preview').waitFor();
    await shoot(page, out, '05-guided-start');
    await page.locator('nav button').nth(0).click();
    await page.locator('.case-row').last().click();
    await page.locator('#tab-checklist').click();
    await page.locator('.step').first().waitFor();
    await shoot(page, out, '06-checklist');
    // messages and transactions: a dropped Alipay export is previewed, nothing stored until confirmed
    await page.locator('#tab-records').click();
    await dropFile(page, 'import-drop', zh ? '支付宝交易明细(20261001-20261010).csv' : 'alipay-statement-2026-10.csv', alipayExport(zh));
    await page.getByTestId('import-preview').waitFor();
    await shoot(page, out, '06b-import-preview-alipay');
    await page.getByTestId('import-preview').locator('button.primary').click();
    await page.getByTestId('import-drop').waitFor();
    // the header's import button leads to the same preview
    app.setNextFiles([sms]);
    await page.locator('.add-evidence button').nth(1).click();
    await page.getByTestId('import-preview').waitFor();
    await shoot(page, out, '06c-import-preview-sms');
    await page.getByTestId('import-preview').locator('button.primary').click();
    await page.getByTestId('import-drop').waitFor();
    const txs = page.getByTestId('records-transactions');
    await txs.getByRole('checkbox').nth(1).check();
    await txs.getByRole('checkbox', { checked: true }).waitFor();
    await shoot(page, out, '06d-records-flagged');
    await page.locator('#tab-timeline').click();
    await page.locator('.timeline-row').first().waitFor();
    await shoot(page, out, '07-timeline');
    await page.locator('#tab-gallery').click();
    await page.waitForFunction(() =>
      Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ complete: boolean }> } }).document.querySelectorAll('.gallery img')).every((i) => i.complete),
    );
    await shoot(page, out, '08-gallery');
    await page.locator('.gallery-card button').first().click();
    await page.getByTestId('item-hash').waitFor();
    await shoot(page, out, '09-item-detail');
    // redaction: a box drawn with the mouse over the account number
    const detail = page.getByTestId('item-detail');
    await detail.locator('.item-actions button, button').filter({ hasText: /Redact|遮挡/ }).first().click();
    const stage = detail.getByTestId('redact-stage');
    const img = stage.locator('img');
    await img.waitFor();
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { complete: boolean } | null } }).document.querySelector('[data-testid=redact-stage] img')?.complete === true);
    const box = (await img.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.03, box.y + box.height * 0.46);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.6, { steps: 6 });
    await page.mouse.up();
    await stage.locator('.redact-box').first().waitFor();
    await shoot(page, out, '09a-redact-editor');
    await detail.locator('button.primary').filter({ hasText: /1/ }).click();
    await detail.locator('p.ok-text[role=status]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.page-head button').filter({ hasText: /Capture|截取/ }).click();
    await page.locator('.capture-source').first().waitFor();
    await shoot(page, out, '09b-capture');
    await page.keyboard.press('Escape');
    await page.locator('#tab-parties').click();
    await shoot(page, out, '10-parties-losses');
    // complaint packet: recipient chosen, what leaves the computer listed, then built into a folder
    await page.locator('#tab-packet').click();
    await page.getByTestId('recipient-select').selectOption('cn-alipay');
    await page.getByTestId('disclosure').waitFor();
    await page.getByTestId('disclosure').scrollIntoViewIfNeeded();
    await shoot(page, out, '10b-packet-disclosure');
    const packetOut = join(tmp.path, 'packet-out');
    await mkdir(packetOut);
    app.setNextFolder(packetOut);
    await page.locator('.packet-panel button.primary').click();
    await page.getByTestId('packet-result').waitFor({ timeout: 120_000 });
    await page.getByTestId('packet-result').scrollIntoViewIfNeeded();
    await shoot(page, out, '10c-packet-result');
    await page.locator('#tab-integrity').click();
    await page.locator('.integrity button.primary').click();
    await page.getByTestId('verify-result').waitFor();
    await shoot(page, out, '11-integrity-ok');
    // one stored original altered on disk: the panel names it
    const objects = await listFiles(join(tmp.path, 'data', 'objects'));
    const bytes = await readFile(objects[0]!);
    bytes[bytes.length - 5]! ^= 0xff;
    await writeFile(objects[0]!, bytes);
    await page.locator('.integrity button.primary').click();
    await page.locator('.result.bad').waitFor();
    await shoot(page, out, '12-integrity-tampered');
    await page.locator('nav button').nth(2).click();
    await page.locator('#autolock-title').waitFor();
    await shoot(page, out, '12b-my-details');
    // the association view: statistics across cases, batch export, case bundles
    await page.locator('nav button').nth(3).click();
    await page.locator('#assoc-tab-stats').click();
    await page.getByTestId('stats-losses').waitFor();
    await shoot(page, out, '12c-association-statistics');
    await page.locator('#assoc-tab-batch').click();
    await page.getByTestId('batch-matching').waitFor();
    await page.locator('#batch-recipient').selectOption('cn-police');
    app.setNextFolder(join(tmp.path, 'batch-out'));
    await page.locator('#assoc-panel-batch button').filter({ hasText: /folder|文件夹/ }).first().click();
    await page.getByTestId('batch-folder').filter({ hasText: 'batch-out' }).waitFor();
    await shoot(page, out, '12d-association-batch');
    await page.locator('#assoc-tab-bundles').click();
    await page.locator('#assoc-panel-bundles select').first().waitFor();
    await shoot(page, out, '12e-association-bundles');
    await page.locator('button.lock').click();
    await page.locator('#unlock-title').waitFor();
    await shoot(page, out, '13-unlock');
    await page.locator('#unlock-title ~ .row button.link, form .row button.link').first().click();
    await page.locator('input[autocomplete=new-password]').first().waitFor();
    await shoot(page, out, '14-recover');
    void caseId;
    if (app.cspViolations.length) console.warn('CSP violations:', app.cspViolations);
  } finally {
    await app.close();
    await tmp.cleanup();
  }
}

async function listFiles(d: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out.sort();
}

process.env.REDRESS_TEST_KDF = '1';
for (const lng of ['zh-CN', 'en'] as const) await run(lng);
console.log(`saved to ${join(root, 'screenshots')}`);
