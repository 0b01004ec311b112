import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Result } from '../../shared/ipc/contract.js';
import { dispatch } from '../../electron/core/app-service/dispatch.js';
import { AppService } from '../../electron/core/app-service/service.js';
import { TEST_KDF, tempDir } from '../helpers/vault.js';

const PASS = 'service test passphrase';
const TRANSFER = 'transfer passphrase';
const tick = () => new Promise((r) => setTimeout(r, 20));

/** The association channels through dispatch, with scripted main-process dialogs that record being opened. */
describe('association channels (statistics, batch export, bundles) through dispatch', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let service: AppService;
  const dialogs = { save: [] as (string | null)[], folder: [] as (string | null)[], bundle: [] as (string | null)[], opened: [] as string[] };
  const call = async <T = Record<string, unknown>>(channel: string, request: unknown = {}) => (await dispatch(service.handlers, channel, request)) as Result<T>;
  const value = async <T = Record<string, unknown>>(channel: string, request: unknown = {}) => {
    const r = await call<T>(channel, request);
    if (!r.ok) assert.fail(`${channel} failed: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  /** every per-case state a poll saw, as the UI would have shown it */
  const seen = new Set<string>();
  const settle = async <T extends { state: string }>(channel: string, jobId: string) => {
    for (let i = 0; i < 3000; i++) {
      const s = await value<T>(channel, { jobId });
      for (const c of (s as { cases?: { state: string }[] }).cases ?? []) seen.add(c.state);
      if (s.state !== 'running') return s;
      await tick();
    }
    throw new Error(`${channel} never finished`);
  };
  const ids: string[] = [];

  before(async () => {
    dir = await tempDir('redress-assoc-service-');
    service = new AppService({
      dataDir: join(dir.path, 'data'),
      prefsFile: join(dir.path, 'prefs.json'),
      actor: 'association test',
      kdf: TEST_KDF,
      pickFiles: async () => [],
      pickFolder: async () => (dialogs.opened.push('folder'), dialogs.folder.shift() ?? null),
      pickBundle: async () => (dialogs.opened.push('bundle'), dialogs.bundle.shift() ?? null),
      saveFile: async (name) => (dialogs.opened.push(`save ${name}`), dialogs.save.shift() ?? null),
      capturer: null,
      previewUrl: (id) => `redress-item://item/${id}`,
      emit: () => undefined,
    });
    await service.init();
    await value('vault.create', { passphrase: PASS });
    for (const [i, title] of ['A/B: "refund" call', 'Second'].entries()) {
      const c = await value<{ id: string }>('cases.create', {
        title,
        incidentType: 'impersonation',
        losses: [{ amount: { currency: 'CNY', minor: 1_001 + i } }],
        parties: [{ id: 's', role: 'suspect', identifiers: [{ kind: 'bank-account', value: '6222 0000 1111 2222' }] }],
      });
      ids.push(c.id);
      await value('items.addBytes', { caseId: c.id, name: `note-${i}.txt`, data: new TextEncoder().encode(`note ${i}`), via: 'drop' });
    }
  });
  after(async () => {
    await service.lock('system');
    await dir.cleanup();
  });

  test('statistics name the cases that share a counterparty; exports write only after the save dialog', async () => {
    const stats = await value<{ cases: number; losses: { total: { minor: number }; median: { minor: number } }[]; sharedCounterparties: { caseIds: string[] }[]; caseTitles: Record<string, string> }>('association.stats', {});
    assert.equal(stats.cases, 2);
    assert.equal(stats.losses[0]!.total.minor, 2_003);
    assert.equal(stats.losses[0]!.median.minor, 1_002, 'the mean of 10.01 and 10.02 rounded half to even');
    assert.deepEqual(stats.sharedCounterparties[0]!.caseIds.sort(), [...ids].sort());
    assert.deepEqual(Object.values(stats.caseTitles).sort(), ['A/B: "refund" call', 'Second']);

    dialogs.save.push(null);
    assert.deepEqual(await value('association.exportStats', { selection: {}, format: 'xlsx', lang: 'zh-CN' }), { saved: false, file: null });
    const svg = join(dir.path, 'chart.svg');
    dialogs.save.push(svg);
    assert.deepEqual(await value('association.exportStats', { selection: { incidentType: 'impersonation' }, format: 'svg', lang: 'zh-CN' }), { saved: true, file: 'chart.svg' });
    assert.match(await readFile(svg, 'utf8'), /按类型/);
  });

  test('bundle export checks the passphrase before asking where to save; a cancelled dialog exports nothing', async () => {
    dialogs.opened.length = 0;
    const mismatch = await call('bundle.exportStart', { caseId: ids[0], passphrase: TRANSFER, passphraseRepeat: TRANSFER + '!' });
    assert.equal(!mismatch.ok && mismatch.error.code, 'PASSPHRASE_MISMATCH');
    const weak = await call('bundle.exportStart', { caseId: ids[0], passphrase: 'short', passphraseRepeat: 'short' });
    assert.equal(!weak.ok && weak.error.code, 'PASSPHRASE_WEAK');
    assert.deepEqual(dialogs.opened, [], 'no dialog for a request that cannot succeed');

    const before = (await value<unknown[]>('cases.log', { caseId: ids[0] })).length;
    dialogs.save.push(null);
    assert.deepEqual(await value('bundle.exportStart', { caseId: ids[0], passphrase: TRANSFER, passphraseRepeat: TRANSFER }), { jobId: null });
    assert.deepEqual(dialogs.opened, ['save A-B- -refund- call.redress'], 'the proposed name is the title made safe for any file system');
    assert.equal((await value<unknown[]>('cases.log', { caseId: ids[0] })).length, before, 'nothing recorded for an export that never started');
  });

  test('a bundle changed by one byte is refused whole; the intact one imports once, then changes nothing', async () => {
    const file = join(dir.path, 'a.redress');
    dialogs.save.push(file);
    const { jobId } = await value<{ jobId: string }>('bundle.exportStart', { caseId: ids[0], passphrase: TRANSFER, passphraseRepeat: TRANSFER });
    const exported = await settle<{ state: string; exported: { file: string; items: number } }>('bundle.status', jobId);
    assert.equal(exported.state, 'done');
    assert.deepEqual([exported.exported.file, exported.exported.items], ['a.redress', 1]);

    const damaged = join(dir.path, 'damaged.redress');
    const bytes = await readFile(file);
    bytes[bytes.length - 40]! ^= 0x01;
    await writeFile(damaged, bytes);
    dialogs.bundle.push(damaged);
    const pick = await value<{ fileId: string; name: string }>('bundle.pickImport');
    assert.equal(pick.name, 'damaged.redress');
    const bad = await settle<{ state: string; error: { code: string } }>('bundle.status', (await value<{ jobId: string }>('bundle.importStart', { fileId: pick.fileId, passphrase: TRANSFER })).jobId);
    assert.equal(bad.state, 'failed');
    assert.equal(bad.error.code, 'BUNDLE_DAMAGED');

    // into the same vault: the case is already here with everything the bundle holds
    dialogs.bundle.push(file);
    const good = await value<{ fileId: string }>('bundle.pickImport');
    const same = await settle<{ state: string; imported: { status: string; entriesAdded: number } }>('bundle.status', (await value<{ jobId: string }>('bundle.importStart', { fileId: good.fileId, passphrase: TRANSFER })).jobId);
    assert.equal(same.state, 'done');
    assert.deepEqual([same.imported.status, same.imported.entriesAdded], ['unchanged', 0]);

    const unknown = await call('bundle.importStart', { fileId: '00000000-0000-0000-0000-000000000000', passphrase: TRANSFER });
    assert.equal(!unknown.ok && unknown.error.code, 'INVALID_INPUT', 'only files picked in the dialog can be imported');
  });

  test('batch: one batch per folder at a time, a folder holding another recipient\'s batch is refused, locking cancels and forgets the folder', async () => {
    const out = join(dir.path, 'batch');
    dialogs.folder.push(out);
    const { folderId, folder } = await value<{ folderId: string; folder: string }>('batch.pickFolder');
    assert.equal(folder, out);
    const unknownRecipient = await call('batch.start', { folderId, recipientId: 'nobody', selection: {}, lang: 'en' });
    assert.equal(!unknownRecipient.ok && unknownRecipient.error.code, 'RECIPIENT_NOT_FOUND');

    const first = await value<{ jobId: string }>('batch.start', { folderId, recipientId: 'cn-police', selection: {}, lang: 'en' });
    const twice = await call('batch.start', { folderId, recipientId: 'cn-police', selection: {}, lang: 'en' });
    assert.equal(!twice.ok && twice.error.code, 'INVALID_INPUT');
    const done = await settle<{ state: string; total: number; finished: number; cases: { state: string }[]; result: { built: number; summaryCsv: string } }>('batch.status', first.jobId);
    assert.equal(done.state, 'done');
    assert.deepEqual([done.total, done.finished, done.result.built, done.result.summaryCsv], [2, 2, 2, 'summary.csv']);
    assert.deepEqual(done.cases.map((c) => c.state), ['done', 'done']);
    assert.ok(seen.has('building'), `a case was shown while its packet was built (saw ${[...seen].join(', ')})`);
    assert.ok((await stat(join(out, 'summary.csv'))).size > 0);

    const other = await settle<{ state: string; error: { code: string; params: { field: string } } }>('batch.status', (await value<{ jobId: string }>('batch.start', { folderId, recipientId: 'cn-samr-12315', selection: {}, lang: 'en' })).jobId);
    assert.equal(other.state, 'failed');
    assert.deepEqual([other.error.code, other.error.params.field], ['INVALID_INPUT', 'out']);

    // a batch running when the vault locks is stopped, and the picked folder is forgotten
    dialogs.folder.push(join(dir.path, 'batch-2'));
    const second = await value<{ folderId: string }>('batch.pickFolder');
    const running = await value<{ jobId: string }>('batch.start', { folderId: second.folderId, recipientId: 'cn-police', selection: {}, lang: 'en' });
    await value('vault.lock');
    await value('vault.unlock', { passphrase: PASS });
    const gone = await call('batch.status', { jobId: running.jobId });
    assert.equal(!gone.ok && gone.error.code, 'INVALID_INPUT');
    const forgotten = await call('batch.start', { folderId: second.folderId, recipientId: 'cn-police', selection: {}, lang: 'en' });
    assert.equal(!forgotten.ok && forgotten.error.params.field, 'folderId');
  });
});
