// What opening the vault set aside reaches the victim in the app (issue 13): originals that no item refers to are
// shown with their count, size and dates, and the user adds one back to a case or deletes one, each on purpose.
import assert from 'node:assert/strict';
import { copyFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newVault, openVault, PASSPHRASE, tempDir } from '../helpers/vault.js';
import { launchApp } from './launch-app.js';

const ENGLISH = /[A-Za-z]{2,}[\s,.;:!?'-]+[A-Za-z]{2,}/;

describe('originals set aside in quarantine, in the app (Chromium, real core)', { timeout: 240_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let caseId: string;
  // launchApp keeps the vault in <dataDir>/data, as the app does under its user-data folder
  const appDir = () => join(dir.path, 'app');
  const dataDir = () => join(appDir(), 'data');
  before(async () => {
    dir = await tempDir('redress-e2e-quarantine-');
    const { vault } = await newVault(dataDir());
    caseId = vault.cases.create({ title: '冒充客服退款', incidentType: 'impersonation' }).id;
    // stored but never recorded: what a crash between storing and recording leaves, or a restored older vault.db
    await vault.context.objects.ingestBuffer(Buffer.from('the screenshot of the transfer '.repeat(2000)));
    await vault.context.objects.ingestBuffer(Buffer.from('the chat with the fake agent '.repeat(3000)));
    await vault.close();
  });
  after(() => dir?.cleanup());

  test('en: the notice counts them; one is added back to the case, the other deleted after a confirmation', async () => {
    const app = await launchApp({ dataDir: appDir() });
    try {
      const { page } = app;
      await page.getByLabel('Passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Unlock' }).click();
      const notice = page.getByRole('region', { name: 'Redress found something you should look at' });
      await notice.getByText(/2 stored original\(s\) \(.+, stored .+ – .+\) are not part of any case\. Redress set them aside and deleted nothing/).waitFor();
      await notice.getByRole('button', { name: 'Show them' }).click();
      const rows = notice.locator('table.quarantine tbody tr');
      await rows.nth(1).waitFor();
      assert.equal(await rows.count(), 2);
      assert.equal(await notice.getByRole('combobox', { name: 'Add to case:' }).inputValue(), caseId);

      await rows.first().getByRole('button', { name: 'Add to this case' }).click();
      await notice.getByText(/^1 stored original\(s\)/).waitFor();
      const items = await app.core.call('items.list', { caseId });
      assert.equal(items.length, 1, 'the original is an item of the case again');

      page.once('dialog', (d) => void d.dismiss());
      await rows.first().getByRole('button', { name: 'Delete for good' }).click();
      await notice.getByText(/^1 stored original\(s\)/).waitFor();
      assert.equal(await rows.count(), 1, 'a dismissed confirmation deletes nothing');

      page.once('dialog', (d) => void d.accept());
      await rows.first().getByRole('button', { name: 'Delete for good' }).click();
      await notice.waitFor({ state: 'detached' });
    } finally {
      await app.close();
    }
    const vault = await openVault(dataDir());
    try {
      assert.equal((await vault.verify()).ok, true);
      assert.equal(vault.items.list(caseId).length, 1);
    } finally {
      await vault.close();
    }
    assert.deepEqual(await readdir(join(dataDir(), 'quarantine')).catch(() => []), []);
  });

  test('zh-CN: the notice speaks Chinese', async () => {
    const vault = await openVault(dataDir());
    await vault.context.objects.ingestBuffer(Buffer.from('another unrecorded original'));
    await vault.close();
    const app = await launchApp({ dataDir: appDir(), locale: 'zh-CN' });
    try {
      const { page } = app;
      await page.getByLabel('密码', { exact: true }).fill(PASSPHRASE);
      await page.getByRole('button', { name: '解锁' }).click();
      const notice = page.getByRole('region', { name: 'Redress 发现了需要你查看的情况' });
      await notice.getByText(/有 1 份已保存的原件/).waitFor();
      const text = await notice.innerText();
      assert.doesNotMatch(text.replace(/Redress/g, ''), ENGLISH, text);
    } finally {
      await app.close();
    }
  });

  test('en: an older vault.db restored from a backup is reported; continuing with it is a choice, recorded on the case', async () => {
    const before = await openVault(dataDir());
    await before.close();
    await copyFile(join(dataDir(), 'vault.db'), join(dir.path, 'backup.db'));
    const later = await openVault(dataDir());
    await later.items.addBuffer(caseId, Buffer.from('a newer screenshot'), { name: 'newer.png' });
    await later.close();
    await copyFile(join(dir.path, 'backup.db'), join(dataDir(), 'vault.db'));

    const app = await launchApp({ dataDir: appDir() });
    try {
      const { page } = app;
      await page.getByLabel('Passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Unlock' }).click();
      const notice = page.getByRole('region', { name: 'Redress found something you should look at' });
      await notice.getByText(/This vault's database is older than the last state Redress saw \(.+\): 1 history entries of 1 case\(s\) are not in it/).waitFor();
      page.once('dialog', (d) => void d.accept());
      await notice.getByRole('button', { name: 'Continue with this database' }).click();
      await notice.getByText(/older than the last state/).waitFor({ state: 'detached' });
    } finally {
      await app.close();
    }
    const vault = await openVault(dataDir());
    try {
      assert.equal(vault.recovery.rollback, null, 'acknowledged: no longer reported');
      assert.ok(vault.log(caseId).some((e) => e.action === 'vault.rollback-acknowledged'), JSON.stringify(vault.log(caseId).map((e) => e.action)));
    } finally {
      await vault.close();
    }
  });
});
