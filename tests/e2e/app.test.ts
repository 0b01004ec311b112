import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { tempDir } from '../helpers/vault.js';
import { launchApp, type LaunchedApp } from './launch-app.js';

const PASS = 'my evidence passphrase';
const NEW_PASS = 'a new passphrase after recovery';

async function noSeriousA11yViolations(app: LaunchedApp, screen: string) {
  const violations = await app.axe();
  assert.deepEqual(violations, [], `${screen}: ${JSON.stringify(violations, null, 1)}`);
}

// A suite-wide limit: a page that stops answering must fail the run, not hold it forever.
describe('desktop UI end to end (Chromium, real vault)', { timeout: 180_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: LaunchedApp;
  let files: { png: string; txt: string; pngHash: string; txtHash: string };
  let recoveryCode = '';

  before(async () => {
    dir = await tempDir('redress-e2e-');
    app = await launchApp({ dataDir: dir.path });
    const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    const txt = Buffer.from('Transfer 5000.00 CNY to 6222 0000 1111 2222 at 14:03\n', 'utf8');
    files = { png: join(dir.path, 'transfer-screenshot.png'), txt: join(dir.path, 'bank-sms.txt'), pngHash: sha256(png), txtHash: sha256(txt) };
    await writeFile(files.png, png);
    await writeFile(files.txt, txt);
  });
  after(async () => {
    await app?.close();
    await dir?.cleanup();
  });

  test('first run: passphrase, recovery code shown once, optional profile', async () => {
    const { page } = app;
    await page.getByRole('heading', { name: 'Create your evidence vault' }).waitFor();
    await noSeriousA11yViolations(app, 'first run');
    await page.getByLabel('Choose a passphrase').fill('short');
    await page.getByLabel('Type it again').fill('short');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByRole('alert').filter({ hasText: 'at least 8 characters' }).waitFor();
    await page.getByLabel('Choose a passphrase').fill(PASS);
    await page.getByLabel('Type it again').fill(PASS);
    await page.getByRole('button', { name: 'Create vault' }).click();
    const code = await page.getByTestId('recovery-code').textContent();
    assert.match(code ?? '', /^[A-Z0-9]{2,}(-[A-Z0-9]{2,})+$/);
    recoveryCode = code!;
    await noSeriousA11yViolations(app, 'recovery code');
    const next = page.getByRole('button', { name: 'Continue' });
    assert.equal(await next.isDisabled(), true, 'cannot continue before confirming the code was written down');
    await page.getByLabel('I have written down the recovery code').check();
    await next.click();
    await page.getByLabel('Full name').fill('张三');
    await page.getByLabel('Phone number').fill('13800138000');
    await noSeriousA11yViolations(app, 'victim profile');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Your cases' }).waitFor();
    assert.equal((await app.core.call('profile.get', {})).name, '张三');
    await noSeriousA11yViolations(app, 'case list (empty)');
  });

  test('guided start creates a case and opens its checklist, urgent steps first', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Start a new case' }).click();
    await page.getByRole('heading', { name: 'What happened?' }).waitFor();
    await noSeriousA11yViolations(app, 'guided start (nothing picked)');
    await page.getByLabel('Fake investment or trading platform').check();
    await page.getByRole('heading', { name: 'Your checklist' }).waitFor();
    await noSeriousA11yViolations(app, 'guided start');
    await page.getByLabel('Name this case (optional)').fill('USDT platform "GoldBridge"');
    await page.getByRole('button', { name: 'Create the case and open the checklist' }).click();
    await page.getByRole('heading', { name: 'USDT platform "GoldBridge"' }).waitFor();
    assert.equal(await page.getByRole('tab', { name: 'Checklist' }).getAttribute('aria-selected'), 'true');
    // the checklist renders after the heading: read its steps once they are there (under load they came late)
    await page.locator('.step .step-title').first().waitFor();
    const steps = await page.locator('.step .step-title').allTextContents();
    assert.equal(steps[0], 'Call your bank or payment app to stop the payment');
    assert.ok(steps.includes('The transfer record'));
    await page.getByTestId('step-freeze-payment').getByRole('checkbox').check();
    await page.getByText('1 of').waitFor();
    await noSeriousA11yViolations(app, 'checklist');
  });

  test('adding files through the dialog puts them in the timeline and the gallery', async () => {
    const { page } = app;
    app.setNextFiles([files.png, files.txt]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    await page.getByTestId('add-status').filter({ hasText: 'Added 2 items.' }).waitFor();
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.getByRole('button', { name: 'transfer-screenshot.png' }).waitFor();
    await timeline.getByRole('button', { name: 'bank-sms.txt' }).waitFor();
    await noSeriousA11yViolations(app, 'timeline');
    await page.getByRole('tab', { name: 'Gallery' }).click();
    const img = page.getByTestId('gallery').locator('img');
    await img.waitFor();
    // (the function runs in the page; the cast stands in for the DOM types this file is checked without)
    await page.waitForFunction(() =>
      Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ naturalWidth: number }> } }).document.querySelectorAll('[data-testid=gallery] img')).every((i) => i.naturalWidth === 320),
    );
    await page.getByTestId('gallery').getByRole('button', { name: 'bank-sms.txt' }).waitFor();
    await noSeriousA11yViolations(app, 'gallery');
  });

  test('a pasted image, dropped files and a screen capture go straight into the vault', async () => {
    const { page } = app;
    const caseId = (await app.core.call('cases.list', {}))[0]!.id;
    const before = (await app.core.call('items.list', { caseId })).length;
    // a real paste event carrying an image, as the clipboard delivers it
    // (page scripts as strings: this file is type-checked without the DOM library)
    await page.evaluate(`(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 40;
      canvas.height = 30;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#3a7';
      ctx.fillRect(0, 0, 40, 30);
      const blob = await new Promise((r) => canvas.toBlob(r, 'image/png'));
      const dt = new DataTransfer();
      dt.items.add(new File([blob], 'image.png', { type: 'image/png' }));
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt }));
    })()`);
    await page.getByTestId('add-status').filter({ hasText: 'Added 1 item.' }).waitFor();
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['scammer said: pay the deposit'], 'chat-note.txt', { type: 'text/plain' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
    })()`);
    await page.getByTestId('add-status').filter({ hasText: 'Added 1 item.' }).waitFor();
    await page.getByRole('button', { name: 'Capture screen…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Capture a screen or window' });
    await noSeriousA11yViolations(app, 'capture dialog');
    await dialog.getByRole('button', { name: /Window WeChat/ }).click();
    await dialog.waitFor({ state: 'detached' });
    const items = await app.core.call('items.list', { caseId });
    assert.equal(items.length, before + 3);
    const pasted = items.find((i) => i.source === 'clipboard paste')!;
    assert.equal(pasted.kind, 'screenshot');
    assert.equal(pasted.mediaType, 'image/png');
    assert.ok(items.some((i) => i.source === 'drag and drop' && i.originalName === 'chat-note.txt'));
    const captured = items.find((i) => i.source === 'screen capture')!;
    assert.equal(captured.title, 'WeChat — chat with "Agent Li"');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByTestId('timeline').getByRole('button', { name: 'WeChat — chat with "Agent Li"' }).click();
    await page.getByTestId('capture-info').filter({ hasText: 'Window: WeChat — chat with "Agent Li"' }).waitFor();
    await page.getByTestId('item-detail').getByRole('button', { name: 'Close' }).click();
    await page.getByRole('tab', { name: 'Gallery' }).click();
  });

  test('importing an SMS backup merges its messages into the timeline by time', async () => {
    const { page } = app;
    const xml = join(dir.path, 'sms-backup.xml');
    await writeFile(
      xml,
      `<?xml version="1.0" encoding="UTF-8"?>\n<smses count="2">\n` +
        `<sms protocol="0" address="95188" date="1759471380000" type="1" body="【支付宝】您尾号2222的账户转出5000.00元" readable_date="" contact_name="(Unknown)" />\n` +
        `<sms protocol="0" address="+8617100001234" date="1759471500000" type="2" body="已经转了，什么时候能提现？" readable_date="" contact_name="Mentor Li" />\n</smses>\n`,
    );
    app.setNextFiles([xml]);
    const caseId = (await app.core.call('cases.list', {}))[0]!.id;
    const itemsBefore = (await app.core.call('items.list', { caseId })).length;
    await page.getByRole('button', { name: 'Import messages or statements…' }).click();
    // the header button leads to the same preview as a drop: nothing is stored until the user confirms
    await page.getByRole('tab', { name: 'Messages & transactions', selected: true }).waitFor();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    assert.equal(await page.getByTestId('preview-counts').textContent(), '2 messages · 0 transactions');
    assert.equal((await app.core.call('items.list', { caseId })).length, itemsBefore);
    await preview.getByRole('button', { name: 'Import into this case' }).click();
    await page.getByTestId('import-status').filter({ hasText: '2 messages and 0 transactions added' }).waitFor();
    assert.equal((await app.core.call('items.list', { caseId })).length, itemsBefore + 1);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('已经转了，什么时候能提现？').waitFor();
    // October messages come before the files added today
    const order = await timeline.locator('.tl-source').allTextContents();
    assert.deepEqual(order.slice(0, 2), ['Message', 'Message']);
    await noSeriousA11yViolations(app, 'timeline with messages');
  });

  test('item detail shows the SHA-256 of the original and its custody entry', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Gallery' }).click();
    await page.getByTestId('gallery').getByRole('button', { name: 'transfer-screenshot.png' }).click();
    const dialog = page.getByTestId('item-detail');
    await dialog.getByRole('heading', { name: 'transfer-screenshot.png' }).waitFor();
    assert.equal(await dialog.getByTestId('item-hash').textContent(), files.pngHash);
    await dialog.locator('.custody li').filter({ hasText: /#\d+ Added/ }).waitFor();
    await noSeriousA11yViolations(app, 'item detail');
    await dialog.getByLabel('Notes').fill('Receipt the "mentor" asked me to send');
    await dialog.getByLabel('Tags (comma separated)').fill('payment, 转账');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const caseId = (await app.core.call('cases.list', {}))[0]!.id;
    const stored = (await app.core.call('items.list', { caseId })).find((i) => i.originalName === 'transfer-screenshot.png')!;
    assert.equal(stored.notes, 'Receipt the "mentor" asked me to send');
    assert.deepEqual(stored.tags, ['payment', '转账']);
    await dialog.locator('.custody li').filter({ hasText: /#\d+ Notes or tags changed/ }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  test('keyboard only: arrow keys move between sections, Enter opens an item, Escape closes it', async () => {
    const { page } = app;
    const selected = () => page.locator('[role=tab][aria-selected=true]');
    await selected().focus();
    const start = await selected().textContent();
    await page.keyboard.press('ArrowRight');
    assert.notEqual(await selected().textContent(), start);
    assert.equal(await page.evaluate('document.activeElement.getAttribute("aria-selected")'), 'true', 'focus follows the selected tab');
    for (let i = 0; i < 12 && (await selected().textContent()) !== 'Gallery'; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await selected().textContent(), 'Gallery');
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate('document.activeElement.textContent')) as string;
    assert.match(focused, /\.(png|txt)|WeChat/, `focus moved into the gallery (${focused})`);
    await page.keyboard.press('Enter');
    await page.getByTestId('item-hash').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('item-detail').waitFor({ state: 'detached' });
  });

  test('parties and losses: exact totals', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Parties & losses' }).click();
    await page.getByRole('button', { name: '+ Add a loss' }).click();
    await page.getByLabel('Amount').fill('5000.10');
    await page.getByRole('button', { name: '+ Add a loss' }).click();
    await page.getByLabel('Amount').nth(1).fill('0.20');
    await page.getByTestId('loss-total').filter({ hasText: 'CN¥5,000.30' }).waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await noSeriousA11yViolations(app, 'parties and losses');
  });

  test('verification passes on untouched evidence', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Integrity' }).click();
    await page.getByRole('button', { name: 'Check integrity now' }).click();
    await page.getByTestId('verify-result').filter({ hasText: 'Intact: nothing was changed.' }).waitFor();
    assert.equal(await page.locator('.verify-table tr.bad').count(), 0);
    assert.equal(await page.locator('.verify-table tbody tr.ok').count(), 6);
    await noSeriousA11yViolations(app, 'integrity');
  });

  test('verification flags a stored original altered on disk', async () => {
    const { page } = app;
    const objectsDir = join(dir.path, 'data', 'objects');
    const objects = await listFiles(objectsDir);
    assert.equal(objects.length, 6);
    const victim = objects[0]!;
    const bytes = await readFile(victim);
    bytes[bytes.length - 20]! ^= 0xff;
    await writeFile(victim, bytes);
    await page.getByRole('button', { name: 'Check integrity now' }).click();
    await page.getByTestId('verify-result').filter({ hasText: '1 problem found.' }).waitFor();
    const bad = page.locator('.verify-table tr.bad');
    assert.equal(await bad.count(), 1);
    assert.match((await bad.textContent()) ?? '', /The stored original was altered/);
    // the first row is the problem, and the user is told what to do next
    assert.equal(await page.locator('.verify-table tbody tr').first().getAttribute('class'), 'bad');
    await page.getByTestId('verify-result').filter({ hasText: 'Do not delete anything' }).waitFor();
  });

  test('switching language re-renders the UI in Simplified Chinese and back', async () => {
    const { page } = app;
    await page.getByTestId('language').first().selectOption('zh-CN');
    await page.getByRole('tab', { name: '完整性' }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.lang'), 'zh-CN');
    await page.getByRole('tab', { name: '时间线' }).click();
    await page.getByRole('button', { name: '锁定' }).waitFor();
    await noSeriousA11yViolations(app, 'timeline (zh-CN)');
    assert.equal((await app.core.call('prefs.get', {})).language, 'zh-CN', 'the choice is remembered');
    await page.getByTestId('language').first().selectOption('en');
    await page.getByRole('tab', { name: 'Timeline' }).waitFor();
  });

  test('locking clears the decrypted data from the page and the preview route', async () => {
    const { page } = app;
    const caseId = (await app.core.call('cases.list', {}))[0]!.id;
    const images = (await app.core.call('items.list', { caseId })).filter((i) => i.mediaType === 'image/png').map((i) => i.id);
    assert.equal(images.length, 3);
    const previewStatuses = () => page.evaluate(async (ids) => Promise.all(ids.map(async (id) => (await fetch(`/__item/${id}`)).status)), images);
    // one stored original may be the one altered above: it has no preview, the other two do
    assert.ok((await previewStatuses()).filter((s) => s === 200).length >= 2, 'previews are served while the vault is open');
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock your vault' }).waitFor();
    await assertNothingDecrypted(page, images);
    assert.deepEqual(await previewStatuses(), [404, 404, 404]);
    const listed = (await page.evaluate(`window.redress.invoke('items.list', { caseId: ${JSON.stringify(caseId)} })`)) as { ok: boolean; error?: { code: string } };
    assert.deepEqual([listed.ok, listed.error?.code], [false, 'VAULT_LOCKED'], 'the bridge answers nothing while locked');
    await noSeriousA11yViolations(app, 'unlock');
    await page.getByLabel('Passphrase').fill('wrong passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong passphrase' }).waitFor();
    await page.getByLabel('Passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Your cases' }).waitFor();
  });

  test('forgot the passphrase: the recovery code and a new passphrase typed twice open the vault', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('button', { name: 'Forgot it? Use the recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCode);
    await page.getByLabel('New passphrase').fill(NEW_PASS);
    await page.getByLabel('Type it again').fill(NEW_PASS + ' typo');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal((await app.core.unlocked()), false, 'a mistyped new passphrase is caught before anything changes');
    await noSeriousA11yViolations(app, 'recovery');
    await page.getByLabel('Type it again').fill(NEW_PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Your cases' }).waitFor();
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock your vault' }).waitFor();
    await page.getByLabel('Passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong passphrase' }).waitFor();
    await page.getByLabel('Passphrase').fill(NEW_PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Your cases' }).waitFor();
  });

  test('auto-lock after inactivity returns to the unlock screen and drops what was shown', async () => {
    const { page } = app;
    // the delay is the user's choice, on the "My details" page
    await page.getByRole('button', { name: 'My details' }).click();
    await page.getByLabel('Lock after').selectOption('2');
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal((await app.core.call('prefs.get', {})).autoLockMinutes, 2);
    await noSeriousA11yViolations(app, 'my details and automatic lock');
    await page.getByRole('button', { name: 'Cases', exact: true }).click();
    // the user left the app showing a case and an evidence preview
    await page.getByRole('button', { name: /GoldBridge/ }).click();
    await page.getByRole('tab', { name: 'Gallery' }).click();
    await page.getByTestId('gallery').getByRole('button', { name: 'transfer-screenshot.png' }).click();
    await page.getByTestId('item-hash').filter({ hasText: files.pngHash }).waitFor();
    const ids = (await app.core.call('items.list', { caseId: (await app.core.call('cases.list', {}))[0]!.id })).map((i) => i.id);
    app.core.setAutoLockMs(300);
    app.core.touch();
    await page.getByText('The vault was locked after a period of inactivity.').waitFor({ timeout: 5000 });
    assert.equal((await app.core.unlocked()), false);
    await assertNothingDecrypted(page, ids);
    await noSeriousA11yViolations(app, 'unlock after inactivity');
    app.core.setAutoLockMs(10 * 60_000);
  });

  test('case list: search by text, filter by status and by type', async () => {
    const { page } = app;
    await page.getByLabel('Passphrase').fill(NEW_PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Your cases' }).waitFor();
    await app.core.call('cases.create', { title: 'Courier data leak', incidentType: 'data-leak', status: 'closed' });
    await page.getByRole('button', { name: 'New case', exact: true }).click();
    await page.getByRole('button', { name: 'Cases', exact: true }).click();
    const rows = page.locator('.case-list .case-title');
    await rows.filter({ hasText: 'Courier data leak' }).waitFor();
    assert.equal(await rows.count(), 2);
    await noSeriousA11yViolations(app, 'case list');
    await page.getByLabel('Search').fill('goldbridge');
    await rows.filter({ hasText: 'Courier' }).waitFor({ state: 'detached' });
    assert.deepEqual(await rows.allTextContents(), ['USDT platform "GoldBridge"']);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Status').selectOption('closed');
    await rows.filter({ hasText: 'GoldBridge' }).waitFor({ state: 'detached' });
    assert.deepEqual(await rows.allTextContents(), ['Courier data leak']);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('What happened').selectOption('fake-investment');
    await rows.filter({ hasText: 'Courier' }).waitFor({ state: 'detached' });
    assert.deepEqual(await rows.allTextContents(), ['USDT platform "GoldBridge"']);
    await page.getByLabel('Status').selectOption('closed');
    await page.getByText('No case matches these filters.').waitFor();
  });

  test('the renderer ran under the CSP without a single violation', () => {
    assert.deepEqual(app.cspViolations, []);
  });
});

/** After a lock the page holds no case title, file name, hash, note or preview: only the unlock form. */
async function assertNothingDecrypted(page: LaunchedApp['page'], itemIds: string[]) {
  const html = await page.content();
  for (const secret of ['transfer-screenshot.png', 'bank-sms.txt', 'GoldBridge', '已经转了', '张三', 'Mentor Li', 'Agent Li']) {
    assert.ok(!html.includes(secret), `"${secret}" is still in the DOM after locking`);
  }
  assert.doesNotMatch(html, /[0-9a-f]{64}/, 'no hash left in the DOM');
  for (const id of itemIds) assert.ok(!html.includes(id), `item id ${id} still in the DOM`);
  assert.equal(await page.locator('img').count(), 0, 'no preview image left');
  assert.equal(await page.locator('dialog').count(), 0, 'no item dialog left');
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

async function listFiles(d: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}
