import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { TEST_KDF, tempDir } from '../helpers/vault.js';
import { launchApp, type LaunchedApp } from './launch-app.js';

const PASS = 'large case passphrase';
const MESSAGES = 100_000;
const TRANSACTIONS = 2_000;
const ITEMS = 1_000;

let dir: Awaited<ReturnType<typeof tempDir>>;
let app: LaunchedApp;

// A real vault with a big case, built through the core before the app starts.
before(async () => {
  dir = await tempDir('redress-large-');
  const { vault } = await Vault.create(join(dir.path, 'data'), PASS, { actor: 'seed', kdf: TEST_KDF });
  const kase = vault.cases.create({ title: 'Large case', incidentType: 'task-scam' });
  for (let i = 0; i < ITEMS; i++) await vault.items.addBuffer(kase.id, Buffer.from(`evidence file ${i}`), { name: `file-${String(i).padStart(4, '0')}.txt` });
  const source = (await vault.items.addBuffer(kase.id, Buffer.from('<smses/>'), { name: 'sms-backup.xml' })).item;
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const at = (ms: number) => ({ instant: new Date(ms).toISOString(), offsetMinutes: 480, zone: 'Asia/Shanghai' });
  new RecordRepo(vault.context).insertImport({
    caseId: kase.id,
    format: 'sms-backup-xml',
    source: { itemId: source.id, sha256: source.sha256 },
    partial: false,
    custody: {},
    records: [
      ...Array.from({ length: MESSAGES }, (_, i) => ({ kind: 'message' as const, locator: String(i + 1), time: at(t0 + i * 60_000), direction: (i % 2 ? 'in' : 'out') as 'in' | 'out', channel: 'sms' as const, counterpartAddress: '+8613800000000', body: `message number ${i}`, attachments: [] })),
      ...Array.from({ length: TRANSACTIONS }, (_, i) => ({ kind: 'transaction' as const, locator: `t${i + 1}`, time: at(t0 + i * 3_000_000 + 30_000), direction: 'out' as const, amount: { currency: 'CNY', minor: 100 + i }, counterpartyName: `Payee ${i}`, platform: 'alipay' })),
    ],
  });
  await vault.close();
  app = await launchApp({ dataDir: dir.path });
});
after(async () => {
  await app?.close();
  await dir?.cleanup();
});

test('a case with 100,000 messages and 1,000 items: lists stay virtualized and reach the end', async () => {
  const { page } = app;
  await page.getByLabel('Passphrase').fill(PASS);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('button', { name: /Large case/ }).click();
  await page.getByRole('tab', { name: 'Timeline' }).click();
  const timeline = page.getByTestId('timeline');
  await timeline.getByText('message number 0', { exact: true }).waitFor();
  assert.equal(await timeline.getAttribute('data-total'), String(MESSAGES + TRANSACTIONS + ITEMS + 1));
  const rendered = await timeline.getByRole('listitem').count();
  assert.ok(rendered > 5 && rendered < 80, `only the visible rows are in the DOM (${rendered})`);

  // the items were added today, after all the messages: the very end is the last file added
  await timeline.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await timeline.getByRole('button', { name: 'sms-backup.xml' }).waitFor();
  assert.ok((await timeline.getByRole('listitem').count()) < 80);
  // the middle, reached by a jump, shows a transaction merged between messages by time
  await timeline.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await timeline.getByText(/Payee \d+/).first().waitFor();

  await page.getByRole('tab', { name: 'Gallery' }).click();
  const gallery = page.getByTestId('gallery');
  await gallery.getByText('file-0000.txt').waitFor();
  const cards = await gallery.getByRole('listitem').count();
  assert.ok(cards < 100, `gallery cards in the DOM: ${cards}`);
  await gallery.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await gallery.getByText('sms-backup.xml').waitFor();
});
