import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { tempDir } from '../helpers/vault.js';
import { RENDERER_DIST, launchApp, type LaunchedApp } from './launch-app.js';

/** two Latin words in a row: an English phrase (a lone example such as “qwerty” or “aaa” inside a Chinese sentence is fine) */
const ENGLISH = /[A-Za-z]{2,}[\s,.;:!?'-]+[A-Za-z]{2,}/;

const STRONG = 'plaza tumble oyster quantum';
const NEXT = 'uncover gravy stiffen oxidant';
const ZH_STRONG = '外婆家门口的老槐树开花了';

async function noSeriousA11yViolations(app: LaunchedApp, screen: string) {
  const violations = await app.axe();
  assert.deepEqual(violations, [], `${screen}: ${JSON.stringify(violations, null, 1)}`);
}

/** the meter under the field with this id (each passphrase field has its own) */
const meter = (page: Page, id: string) => page.locator(`#${id}`);
const meterLevel = (page: Page, id: string, valuetext: string) => meter(page, id).locator(`[role=meter][aria-valuetext="${valuetext}"]`).waitFor();

describe('passphrase strength in the UI (Chromium, real core)', { timeout: 240_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => (dir = await tempDir('redress-e2e-pass-')));
  after(() => dir?.cleanup());

  test('the estimator and its dictionaries are not in the main bundle', async () => {
    const html = await readFile(join(RENDERER_DIST, 'index.html'), 'utf8');
    const entry = /src="\.\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(entry, 'the entry script');
    const main = await readFile(join(RENDERER_DIST, entry), 'utf8');
    const mainBytes = Buffer.byteLength(main);
    for (const word of ['diceware', 'commonWords', 'qwertyuiop', 'woaini1314']) assert.equal(main.includes(word), false, `${word} in ${entry}`);
    const chunks = (await readdir(join(RENDERER_DIST, 'assets'))).filter((f) => f.endsWith('.js') && `assets/${f}` !== entry);
    let lazy = 0;
    for (const f of chunks) lazy += (await readFile(join(RENDERER_DIST, 'assets', f))).length;
    console.log(`renderer: main ${mainBytes} bytes; lazily loaded chunks ${lazy} bytes (${chunks.length} files)`);
    assert.ok(lazy > 1_000_000, 'the dictionaries are in chunks of their own');
  });

  test('en: first run shows the meter as you type, refuses a weak passphrase, accepts a strong one; typing is not blocked', async () => {
    const app = await launchApp({ dataDir: join(dir.path, 'en') });
    try {
      const { page } = app;
      await page.getByRole('heading', { name: 'Create your evidence vault' }).waitFor();
      const pass = page.getByLabel('Choose a passphrase');
      const repeat = page.getByLabel('Type it again');

      await pass.fill('password');
      await meterLevel(page, 'pass-meter', 'Very easy to guess');
      await meter(page, 'pass-meter').getByText('This is one of the ten most used passwords.').waitFor();
      await noSeriousA11yViolations(app, 'first run with the meter');
      await repeat.fill('password');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByRole('alert').filter({ hasText: 'This passphrase is too easy to guess. It is one of the most used passwords' }).waitFor();

      for (const [weak, why] of [
        ['12345678', 'It is one of the most used passwords'],
        ['        ', 'Someone with a copy of the file could find it'],
        ['zhangwei1990', 'Someone with a copy of the file could find it'],
      ] as const) {
        await pass.fill(weak);
        await repeat.fill(weak);
        await page.getByRole('button', { name: 'Create vault' }).click();
        await page.getByRole('alert').filter({ hasText: why }).waitFor();
      }
      await pass.fill('        ');
      await meter(page, 'pass-meter').getByText('Repeated characters (like aaa, or only spaces) are easy to guess.').waitFor();
      assert.deepEqual(await app.core.call('vault.status', {}), { exists: false, unlocked: false }, 'nothing was created');

      // typed key by key, as a person types: the meter follows
      await pass.fill('');
      await pass.pressSequentially('plaza tumble oyster quantum 42');
      await meterLevel(page, 'pass-meter', 'Strong');
      await meter(page, 'pass-meter').getByText('An ordinary laptop would need more than a hundred years to guess it.').waitFor();

      await pass.fill(STRONG);
      await repeat.fill(STRONG);
      await meterLevel(page, 'pass-meter', 'Strong');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByTestId('recovery-code').waitFor();
      await page.getByLabel('I have written down the recovery code').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Skip for now' }).click();
      await page.getByRole('heading', { name: 'Your cases' }).waitFor();

      // settings: change the passphrase (current typed again, new one estimated and typed twice)
      await page.getByRole('navigation').getByRole('button', { name: 'My details' }).click();
      const section = page.getByRole('region', { name: 'Change passphrase' });
      await section.waitFor();
      const current = section.getByLabel('Current passphrase');
      const next = section.getByLabel('New passphrase', { exact: true });
      const again = section.getByLabel('Type the new passphrase again');
      await current.fill('not the passphrase');
      await next.fill(NEXT);
      await again.fill(NEXT);
      await section.getByRole('button', { name: 'Change passphrase' }).click();
      await section.getByRole('alert').filter({ hasText: 'Wrong passphrase' }).waitFor();
      await current.fill(STRONG);
      await next.fill('woaini1314');
      await meterLevel(page, 'change-pass-meter', 'Very easy to guess');
      await again.fill('woaini1314');
      await section.getByRole('button', { name: 'Change passphrase' }).click();
      await section.getByRole('alert').filter({ hasText: 'too easy to guess' }).waitFor();
      await next.fill(NEXT);
      await again.fill(NEXT);
      await section.getByRole('button', { name: 'Change passphrase' }).click();
      await section.getByRole('status').filter({ hasText: 'Passphrase changed.' }).waitFor();
      assert.equal(await current.inputValue(), '', 'the fields are cleared');
      await noSeriousA11yViolations(app, 'settings: change passphrase');

      await page.getByRole('button', { name: 'Lock' }).click();
      // the settings screen, with its three passphrase fields, stays until the lock lands
      await page.getByRole('heading', { name: 'Unlock your vault' }).waitFor();
      await page.getByLabel('Passphrase', { exact: true }).fill(STRONG);
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong passphrase' }).waitFor();
      await page.getByLabel('Passphrase', { exact: true }).fill(NEXT);
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await page.getByRole('heading', { name: 'Your cases' }).waitFor();

      // a bundle's transfer passphrase follows the same rule
      const kase = await app.core.call('cases.create', { title: 'GoldBridge', incidentType: 'fake-investment' });
      await page.getByRole('navigation').getByRole('button', { name: 'Association' }).click();
      await page.getByRole('tab', { name: 'Case bundles' }).click();
      await page.getByRole('combobox', { name: /^Case/ }).selectOption(kase.id);
      await page.getByLabel('Transfer passphrase', { exact: true }).fill('5201314520');
      await meterLevel(page, 'bundle-pass-meter', 'Very easy to guess');
      await page.getByLabel('Type the transfer passphrase again').fill('5201314520');
      app.setNextSave(join(dir.path, 'never.redress'));
      await page.getByRole('button', { name: 'Export bundle…' }).click();
      await page.getByRole('alert').filter({ hasText: 'It is one of the most used passwords' }).waitFor();
      assert.equal(app.cspViolations.length, 0, app.cspViolations.join('\n'));
    } finally {
      await app.close();
    }
  });

  test('zh-CN: the meter and the refusal are in Chinese only', async () => {
    const app = await launchApp({ dataDir: join(dir.path, 'zh'), locale: 'zh-CN' });
    try {
      const { page } = app;
      await page.getByRole('heading', { name: '创建你的证据保险库' }).waitFor();
      const pass = page.getByLabel('设置密码');
      const repeat = page.getByLabel('再输入一次');
      for (const [weak, level] of [
        ['woaini1314', '非常容易被猜到'],
        ['13800138000', '非常容易被猜到'],
        ['我爱你一生一世啊', '非常容易被猜到'],
        ['wangxiaoming1988', '还不够安全'],
        ['        ', '非常容易被猜到'],
      ] as const) {
        await pass.fill(weak);
        await meterLevel(page, 'pass-meter', level);
        const text = (await meter(page, 'pass-meter').innerText()).trim();
        if (weak !== '13800138000') assert.match(text, /用一台普通笔记本电脑猜出它需要/);
        else assert.match(text, /纯数字（生日、手机号、QQ 号或卡号）是攻击者最先尝试的。/);
        assert.doesNotMatch(text, ENGLISH, `English on the Chinese screen for ${JSON.stringify(weak)}: ${text}`);
      }
      await pass.fill('woaini1314');
      await repeat.fill('woaini1314');
      await page.getByRole('button', { name: '创建保险库' }).click();
      const alert = page.getByRole('alert').filter({ hasText: '这个密码太容易被猜到。这是最常用的密码之一' });
      await alert.waitFor();
      assert.doesNotMatch(await alert.innerText(), ENGLISH);
      assert.equal((await app.core.call('vault.status', {})).exists, false);

      await pass.fill(ZH_STRONG);
      await meterLevel(page, 'pass-meter', '非常安全');
      await repeat.fill(ZH_STRONG);
      await page.getByRole('button', { name: '创建保险库' }).click();
      await page.getByTestId('recovery-code').waitFor();
      assert.equal((await app.core.call('vault.status', {})).exists, true);
    } finally {
      await app.close();
    }
  });
});
