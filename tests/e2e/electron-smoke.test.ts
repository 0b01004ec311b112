import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';
import { tempDir } from '../helpers/vault.js';
import { alipayCsv, alipayRows } from '../importers/fixtures/bills.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The Electron binary, when one was downloaded at install (not on machines with ELECTRON_SKIP_BINARY_DOWNLOAD). */
function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

// Runs against the unpackaged build: packaged builds turn the EnableNodeCliInspectArguments fuse off, which
// Playwright's _electron needs.
test('Electron smoke: launch, first run, create a case, import an Alipay bill, build a packet, lock', async (t) => {
  const binary = electronBinary();
  if (!binary) return t.skip('no Electron binary installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); run where Electron is installed');
  if (!existsSync(join(root, 'dist/electron/host/main.js')) || !existsSync(join(root, 'renderer/dist/index.html'))) {
    return t.skip('the app is not built: run "npm run build" first');
  }
  const dir = await tempDir('redress-electron-');
  const app = await _electron.launch({
    executablePath: binary,
    args: [root],
    env: { ...process.env, REDRESS_DATA_DIR: join(dir.path, 'data'), REDRESS_TEST_KDF: '1', LANG: 'en_US.UTF-8' },
  });
  try {
    const page = await app.firstWindow();
    assert.equal(await page.evaluate('typeof process'), 'undefined', 'sandboxed: no process object in the page');
    assert.equal(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined', 'no Node in the renderer');
    await page.getByLabel('Choose a passphrase').fill('electron smoke pass');
    await page.getByLabel('Type it again').fill('electron smoke pass');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByLabel('I have written down the recovery code').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await page.getByRole('heading', { name: 'Your cases' }).waitFor();
    await page.getByRole('button', { name: 'Start a new case' }).click();
    await page.getByLabel('Phishing').check();
    await page.getByRole('button', { name: 'Create the case and open the checklist' }).click();
    await page.getByRole('tab', { name: 'Checklist' }).waitFor();

    // The main process's dialogs answer as the user would: the bill, then the packet's folder.
    const bill = join(dir.path, '支付宝交易明细(20240101-20240131).csv');
    writeFileSync(bill, alipayCsv(alipayRows(5)));
    const out = join(dir.path, 'out');
    mkdirSync(out);
    await app.evaluate(({ dialog }, picks) => {
      const answer = async (options: { properties?: string[] }) => ({ canceled: false, filePaths: [options.properties?.includes('openDirectory') ? picks.out : picks.bill] });
      dialog.showOpenDialog = ((a: unknown, b?: unknown) => answer((b ?? a) as { properties?: string[] })) as typeof dialog.showOpenDialog;
    }, { bill, out });
    await page.getByRole('tab', { name: 'Messages & transactions' }).click();
    await page.getByRole('button', { name: 'Choose a file…' }).click();
    await page.getByTestId('import-preview').getByRole('button', { name: 'Import into this case' }).click();
    await page.getByTestId('import-status').filter({ hasText: '5 transactions added (0 already in the case)' }).waitFor({ timeout: 30_000 });

    await page.getByRole('tab', { name: 'Complaint packet' }).click();
    await page.getByTestId('recipient-select').selectOption('cn-police');
    await page.getByRole('button', { name: 'Choose folder and build packet…' }).click();
    await page.getByTestId('packet-result').waitFor({ timeout: 60_000 });
    const built = readdirSync(out);
    assert.ok(built.some((f) => f.endsWith('.zip')), built.join(', '));

    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByLabel('Passphrase').waitFor();
  } finally {
    await app.close();
    await dir.cleanup();
  }
});
