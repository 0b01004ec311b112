import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { tempDir } from '../helpers/vault.js';
import { launchApp, type LaunchedApp } from './launch-app.js';

const run = promisify(execFile);
const PASS = 'my evidence passphrase';
const ID_NUMBER = '110101199003071234';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** screenshots for a person to look at, only when asked for */
const snap = async (app: LaunchedApp, name: string) => {
  if (process.env.REDRESS_SCREENSHOTS) await app.page.screenshot({ path: join(process.env.REDRESS_SCREENSHOTS, `${name}.png`) });
};

describe('complaint packet and redaction in the UI (Chromium, real vault)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: LaunchedApp;
  let shot: { path: string; hash: string };
  let caseId: string;

  before(async () => {
    dir = await tempDir('redress-e2e-packet-');
    app = await launchApp({ dataDir: dir.path });
    // a white screenshot with a red band where the "ID number" sits
    const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#ffffff' } })
      .composite([{ input: await sharp({ create: { width: 200, height: 40, channels: 3, background: '#d01010' } }).png().toBuffer(), left: 40, top: 40 }])
      .png()
      .toBuffer();
    shot = { path: join(dir.path, 'alipay-transfer.png'), hash: sha256(png) };
    await writeFile(shot.path, png);
  });
  after(async () => {
    await app?.close();
    await dir?.cleanup();
  });

  test('set up: vault, profile with an ID number, a case with a screenshot', async () => {
    const { page } = app;
    await page.getByLabel('Choose a passphrase').fill(PASS);
    await page.getByLabel('Type it again').fill(PASS);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByLabel('I have written down the recovery code').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Full name').fill('张三');
    await page.getByLabel('ID card number').fill(ID_NUMBER);
    await page.getByLabel('Phone number').fill('13800138000');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Start a new case' }).click();
    await page.getByLabel('Fake investment or trading platform').check();
    await page.getByLabel('Name this case (optional)').fill('GoldBridge transfer');
    await page.getByRole('button', { name: 'Create the case and open the checklist' }).click();
    await page.getByRole('heading', { name: 'GoldBridge transfer' }).waitFor();
    app.setNextFiles([shot.path]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    await page.getByTestId('add-status').filter({ hasText: 'Added 1 item.' }).waitFor();
    caseId = (await app.core.call('cases.list', {}))[0]!.id;
  });

  test('redaction: boxes drawn with the mouse and typed as numbers are burnt into a derived copy', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Gallery' }).click();
    await page.getByTestId('gallery').getByRole('button', { name: 'alipay-transfer.png' }).click();
    const dialog = page.getByTestId('item-detail');
    await dialog.getByRole('button', { name: 'Redact…' }).click();
    const stage = dialog.getByTestId('redact-stage');
    await dialog.getByText('Image size: 400 × 300 pixels.').waitFor();
    // drag over the red band, in screen coordinates of however large the preview is shown
    const box = (await stage.locator('img').boundingBox())!;
    const at = (x: number, y: number) => [box.x + (x / 400) * box.width, box.y + (y / 300) * box.height] as const;
    await page.mouse.move(...at(36, 36));
    await page.mouse.down();
    await page.mouse.move(...at(150, 60), { steps: 4 });
    await page.mouse.move(...at(244, 84), { steps: 4 });
    await page.mouse.up();
    // the keyboard path: a second box typed in pixels
    await dialog.getByLabel('Left (px)').fill('300');
    await dialog.getByLabel('Top (px)').fill('200');
    await dialog.getByLabel('Width (px)').fill('50');
    await dialog.getByLabel('Height (px)').fill('50');
    await dialog.getByRole('button', { name: 'Add box' }).click();
    assert.equal(await stage.locator('.redact-box').count(), 2);
    await snap(app, 'redact-editor');
    const violations = await app.axe();
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
    await dialog.getByRole('button', { name: 'Save redacted copy (2 boxes)' }).click();
    await dialog.getByText('Redacted copy saved as a new item.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    const items = await app.core.call('items.list', { caseId });
    const original = items.find((i) => i.sha256 === shot.hash)!;
    const copy = items.find((i) => i.derivedFrom === original.id)!;
    assert.ok(copy, 'a derived item exists');
    assert.ok(copy.tags.includes('redacted'));
    // the copy's custody entry names the original's hash and the boxes
    const { custody } = await app.core.call('items.get', { itemId: copy.id });
    const redaction = (custody[0]!.payload.capture as { redaction: { originalSha256: string; boxes: unknown[] } }).redaction;
    assert.equal(redaction.originalSha256, shot.hash);
    assert.equal(redaction.boxes.length, 2);
    // the pixels under both boxes are black; the rest of the image is untouched
    const preview = (await app.core.readPreview(copy.id))!;
    const { data, info } = await sharp(preview.data).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    assert.deepEqual([info.width, info.height], [400, 300]);
    for (const [x, y] of [[40, 40], [239, 79], [140, 60], [320, 220]] as const) assert.deepEqual(px(x, y), [0, 0, 0], `(${x}, ${y}) is blacked out`);
    assert.deepEqual(px(10, 10), [255, 255, 255]);
    assert.deepEqual(px(260, 60), [255, 255, 255]);
    // the original stays as it was
    assert.equal(sha256((await app.core.readPreview(original.id))!.data), shot.hash);

    // redacting the copy again starts from the original with the copy's two boxes; the new copy supersedes it
    await page.getByTestId('gallery').getByRole('button', { name: 'alipay-transfer.png (redacted)' }).click();
    await dialog.getByTestId('redacted-from').filter({ hasText: shot.hash }).waitFor();
    await dialog.getByRole('button', { name: 'Redact…' }).click();
    await dialog.getByText('Image size: 400 × 300 pixels.').waitFor();
    await stage.locator('.redact-box').nth(1).waitFor();
    assert.equal(await stage.locator('.redact-box').count(), 2);
    await dialog.getByLabel('Left (px)').fill('0');
    await dialog.getByLabel('Top (px)').fill('280');
    await dialog.getByLabel('Width (px)').fill('400');
    await dialog.getByLabel('Height (px)').fill('20');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Save redacted copy (3 boxes)' }).click();
    await dialog.getByText('Redacted copy saved as a new item.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    const copies = (await app.core.call('items.list', { caseId })).filter((i) => i.derivedFrom === original.id);
    assert.equal(copies.length, 2);
    const { custody: again } = await app.core.call('items.get', { itemId: copies[1]!.id });
    assert.equal((again[0]!.payload.capture as { redaction: { boxes: unknown[] } }).redaction.boxes.length, 3);
  });

  test('packet: the disclosure shows the ID number masked for a platform, then a build with a verifiable result', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Complaint packet' }).click();
    await page.getByTestId('recipient-select').selectOption('cn-alipay');
    await page.getByTestId('recipient-card').getByText('Platform').waitFor();
    const disclosure = page.getByTestId('disclosure');
    await disclosure.getByRole('heading', { name: 'What Alipay (customer service and risk team) will receive' }).waitFor();
    const idRow = disclosure.getByTestId('disclosed-idNumber');
    assert.equal(await idRow.locator('th').textContent(), 'ID number');
    assert.equal(await idRow.locator('td').first().textContent(), 'Masked, last 4 kept');
    assert.equal(await idRow.locator('td').nth(1).textContent(), '**************1234');
    assert.doesNotMatch((await disclosure.textContent())!, new RegExp(ID_NUMBER));
    await disclosure.getByTestId('disclosed-redacted').filter({ hasText: 'alipay-transfer.png (redacted)' }).waitFor();
    await disclosure.getByTestId('disclosed-items').filter({ hasText: '1 file leaves' }).waitFor();
    // for the police the same field is sent in full
    await page.getByTestId('recipient-select').selectOption('cn-police');
    await disclosure.getByTestId('disclosed-idNumber').filter({ hasText: ID_NUMBER }).waitFor();
    await page.getByTestId('recipient-select').selectOption('cn-alipay');
    await disclosure.getByTestId('disclosed-idNumber').filter({ hasText: '**************1234' }).waitFor();
    const violations = await app.axe();
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
    await snap(app, 'packet-disclosure');

    // a cancelled folder dialog writes nothing
    app.setNextFolder(null);
    await page.getByRole('button', { name: 'Choose folder and build packet…' }).click();
    await page.getByText('No folder chosen: nothing was written.').waitFor();

    const out = join(dir.path, 'out');
    await (await import('node:fs/promises')).mkdir(out);
    app.setNextFolder(out);
    await page.getByRole('button', { name: 'Choose folder and build packet…' }).click();
    const result = page.getByTestId('packet-result');
    await result.waitFor({ timeout: 60_000 });
    const packetDir = (await result.getByTestId('packet-dir').textContent())!;
    const shownHash = (await result.getByTestId('packet-hash').textContent())!;
    assert.ok(packetDir.startsWith(out));
    for (const f of ['packet.pdf', 'SHA256SUMS', 'manifest.json', 'verify.html', 'README.txt']) assert.ok((await stat(join(packetDir, f))).size > 0, f);
    const originals = await readdir(join(packetDir, 'originals'));
    assert.equal(originals.length, 1);
    const sent = await readFile(join(packetDir, 'originals', originals[0]!));
    const items = await app.core.call('items.list', { caseId });
    assert.equal(sha256(sent), items.filter((i) => i.tags.includes('redacted')).at(-1)!.sha256, 'the newest redacted copy travels, not the original or an older copy');
    assert.notEqual(sha256(sent), shot.hash);
    const sums = await readFile(join(packetDir, 'SHA256SUMS'));
    assert.equal(sha256(sums), shownHash, 'the hash shown is that of SHA256SUMS');
    const check = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: packetDir });
    assert.match(check.stdout, /packet\.pdf: OK/);
    assert.doesNotMatch(check.stdout, /FAILED/);
    const zips = (await readdir(out)).filter((f) => f.endsWith('.zip'));
    assert.equal(zips.length, await result.getByTestId('packet-volumes').locator('li').count());
    // the export is on the custody chain with the packet's own hash
    const log = await app.core.call('cases.log', { caseId });
    const exported = log.find((e) => e.action === 'packet.exported')!;
    assert.equal(exported.payload.packetSha256, shownHash);
    assert.equal(exported.payload.recipientId, 'cn-alipay');
    const violationsAfter = await app.axe();
    assert.deepEqual(violationsAfter, [], JSON.stringify(violationsAfter, null, 1));
    await snap(app, 'packet-result');

    // the same panel in Chinese: recipient names, rules and fields in the UI language
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '支付宝（客服及风险处理）将收到的内容' }).waitFor();
    await page.getByTestId('disclosed-idNumber').filter({ hasText: '遮挡，仅保留后四位' }).waitFor();
    const zhViolations = await app.axe();
    assert.deepEqual(zhViolations, [], JSON.stringify(zhViolations, null, 1));
    await snap(app, 'packet-zh');
    await page.getByTestId('language').selectOption('en');
  });

  test('a build can be cancelled and leaves no packet behind', async () => {
    const out = join(dir.path, 'out-cancel');
    await (await import('node:fs/promises')).mkdir(out);
    const h = app.core;
    const setNext = app.setNextFolder;
    setNext(out);
    const { jobId } = await h.call('packets.start', { caseId, recipientId: 'cn-police', lang: 'zh-CN' });
    assert.ok(jobId);
    await h.call('packets.cancel', { jobId });
    let job = await h.call('packets.status', { jobId });
    for (let i = 0; i < 200 && job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      job = await h.call('packets.status', { jobId });
    }
    assert.equal(job.state, 'cancelled');
    assert.equal(job.error?.code, 'CANCELLED');
    assert.deepEqual(await readdir(out), []);
  });
});
