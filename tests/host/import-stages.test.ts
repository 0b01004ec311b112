import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { ImportStage } from '../../shared/ipc/channels-records.js';
import type { Result } from '../../shared/ipc/contract.js';
import { dispatch } from '../../electron/core/app-service/dispatch.js';
import { ImportStages, safeFileName } from '../../electron/core/app-service/import-stages.js';
import { AppService } from '../../electron/core/app-service/service.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { alipayCsv, alipayRows } from '../importers/fixtures/bills.js';
import { sampleSms, smsBackup, smsElement } from '../importers/fixtures/sms.js';
import { TEST_KDF, tempDir } from '../helpers/vault.js';

const PASS = 'stage test passphrase';
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('import preview stages through dispatch', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let service: AppService;
  let picked: string[];
  let caseId: string;
  const call = async <T = Record<string, unknown>>(channel: string, request: unknown = {}) => (await dispatch(service.handlers, channel, request)) as Result<T>;
  const value = async <T = Record<string, unknown>>(channel: string, request: unknown = {}) => {
    const r = await call<T>(channel, request);
    if (!r.ok) assert.fail(`${channel} failed: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  /** polls like the UI until the stage leaves a running state */
  const settle = async (stage: ImportStage) => {
    let s = stage;
    for (let i = 0; i < 2000 && (s.state === 'reading' || s.state === 'importing'); i++) {
      await tick();
      s = await value<ImportStage>('records.stageStatus', { stageId: s.stageId });
    }
    return s;
  };
  const log = () => value<{ action: string; payload: Record<string, unknown> }[]>('cases.log', { caseId });

  beforeEach(async () => {
    dir = await tempDir('redress-stages-');
    picked = [];
    service = new AppService({
      dataDir: join(dir.path, 'data'),
      prefsFile: join(dir.path, 'prefs.json'),
      actor: 'stage test',
      kdf: TEST_KDF,
      pickFiles: async () => picked,
      capturer: null,
      previewUrl: (id) => `redress-item://item/${id}`,
      emit: () => undefined,
    });
    await service.init();
    await value('vault.create', { passphrase: PASS });
    caseId = (await value<{ id: string }>('cases.create', { title: 'Stages', incidentType: 'impersonation' })).id;
  });
  afterEach(async () => {
    await service.lock('system');
    await dir.cleanup();
  });

  test('a picked file is previewed without storing anything, then stored on confirm; the picked file is untouched', async () => {
    const path = join(dir.path, 'alipay.csv');
    const bytes = alipayCsv(alipayRows(12));
    await writeFile(path, bytes);
    picked = [path, join(dir.path, 'other.csv')];
    const { stage, ignored } = await value<{ stage: ImportStage; ignored: number }>('records.stagePick', { caseId });
    assert.equal(ignored, 1);
    const ready = await settle(stage);
    assert.equal(ready.state, 'ready');
    assert.equal(ready.preview!.format, 'alipay-csv');
    assert.equal(ready.preview!.counts.transactions, 12);
    assert.equal(ready.preview!.totalsCheck!.ok, true);
    assert.equal((await value<unknown[]>('items.list', { caseId })).length, 0, 'a preview stores nothing');
    assert.ok(!(await log()).some((e) => e.action === 'records.imported'));

    const done = await settle(await value<ImportStage>('records.stageConfirm', { stageId: stage.stageId }));
    assert.equal(done.state, 'done');
    assert.deepEqual(done.result!.transactions, { read: 12, added: 12, duplicate: 0 });
    assert.equal((await log()).at(-1)!.action, 'records.imported');
    assert.deepEqual(await readFile(path), bytes, 'the user’s own file is not moved or changed');

    // confirming again, or cancelling a finished import, changes nothing
    const again = await call('records.stageConfirm', { stageId: stage.stageId });
    assert.equal(again.ok, false);
    assert.equal(!again.ok && again.error.code, 'INVALID_INPUT');
    assert.equal((await value<ImportStage>('records.stageCancel', { stageId: stage.stageId })).state, 'done');
  });

  test('cancelling while reading, or after the preview, stores nothing and cannot be confirmed', async () => {
    const big = Buffer.from(smsBackup(Array.from({ length: 20_000 }, (_, i) => smsElement(sampleSms(i)))));
    const stage = await value<ImportStage>('records.stageBytes', { caseId, name: 'big.xml', data: new Uint8Array(big) });
    const cancelled = await value<ImportStage>('records.stageCancel', { stageId: stage.stageId });
    assert.equal(cancelled.state, 'cancelled');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await value<ImportStage>('records.stageStatus', { stageId: stage.stageId })).state, 'cancelled');
    const refused = await call('records.stageConfirm', { stageId: stage.stageId });
    assert.equal(refused.ok, false);

    const small = await settle(await value<ImportStage>('records.stageBytes', { caseId, name: 'small.xml', data: new Uint8Array(Buffer.from(smsBackup([smsElement(sampleSms(1))]))) }));
    assert.equal(small.state, 'ready');
    assert.equal((await value<ImportStage>('records.stageCancel', { stageId: small.stageId })).state, 'cancelled');
    assert.equal((await value<unknown[]>('items.list', { caseId })).length, 0);
    assert.ok(!(await log()).some((e) => e.action === 'records.imported'));
  });

  test('an unknown format fails with the formats tried; a cut-off backup previews as partial and imports as partial', async () => {
    const bad = await settle(await value<ImportStage>('records.stageBytes', { caseId, name: 'notes.txt', data: new Uint8Array(Buffer.from('hello\nworld\n')) }));
    assert.equal(bad.state, 'failed');
    assert.equal(bad.error!.code, 'IMPORT_FORMAT_UNKNOWN');

    const xml = smsBackup(Array.from({ length: 10 }, (_, i) => smsElement(sampleSms(i))));
    const cut = Buffer.from(xml).subarray(0, Math.floor(Buffer.byteLength(xml) * 0.6));
    const stage = await settle(await value<ImportStage>('records.stageBytes', { caseId, name: 'cut.xml', data: new Uint8Array(cut) }));
    assert.equal(stage.state, 'ready');
    assert.ok(stage.preview!.partial, 'marked partial before anything is stored');
    const n = stage.preview!.counts.messages;
    assert.ok(n > 0 && n < 10);
    const done = await settle(await value<ImportStage>('records.stageConfirm', { stageId: stage.stageId }));
    assert.equal(done.result!.messages.added, n);
    const entry = (await log()).at(-1)!;
    assert.equal(entry.action, 'records.imported');
    assert.ok(entry.payload.partial);
  });

  test('records are paged with totals per filter; flags are logged and stay within their case', async () => {
    const stage = await settle(await value<ImportStage>('records.stageBytes', { caseId, name: 'alipay.csv', data: new Uint8Array(alipayCsv(alipayRows(30))) }));
    await settle(await value<ImportStage>('records.stageConfirm', { stageId: stage.stageId }));
    type Page = { total: number; records: { id: string; flagged: boolean; amount: { minor: number } }[] };
    const p1 = await value<Page>('records.transactions', { caseId, offset: 0, limit: 20 });
    const p2 = await value<Page>('records.transactions', { caseId, offset: 20, limit: 20 });
    assert.equal(p1.total, 30);
    assert.equal(p1.records.length + p2.records.length, 30);
    const ids = [p1.records[3]!.id, p2.records[5]!.id];
    assert.deepEqual(await value('records.flag', { caseId, recordIds: ids, flagged: true }), { changed: 2 });
    assert.deepEqual(await value('records.flag', { caseId, recordIds: ids, flagged: true }), { changed: 0 }, 'no entry for no change');
    const flagged = await value<Page>('records.transactions', { caseId, offset: 0, limit: 50, flagged: true });
    assert.equal(flagged.total, 2);
    assert.deepEqual(flagged.records.map((r) => r.id).sort(), [...ids].sort());
    assert.equal((await value<Page>('records.transactions', { caseId, offset: 0, limit: 50, flagged: false })).total, 28);
    assert.equal((await value<Page>('records.messages', { caseId, offset: 0, limit: 50 })).total, 0);
    const flagEntries = (await log()).filter((e) => e.action === 'records.flagged');
    assert.equal(flagEntries.length, 1);
    assert.equal((flagEntries[0]!.payload.records as unknown[]).length, 2);

    const other = (await value<{ id: string }>('cases.create', { title: 'Other', incidentType: 'phishing' })).id;
    const wrong = await call('records.flag', { caseId: other, recordIds: [ids[0]], flagged: false });
    assert.equal(wrong.ok, false);
    assert.equal(!wrong.ok && wrong.error.code, 'RECORD_NOT_FOUND');
    assert.equal((await value<Page>('records.transactions', { caseId, offset: 0, limit: 50, flagged: true })).total, 2);
  });

  test('locking forgets every stage; nothing can be confirmed after unlocking', async () => {
    const stage = await settle(await value<ImportStage>('records.stageBytes', { caseId, name: 'alipay.csv', data: new Uint8Array(alipayCsv(alipayRows(3))) }));
    assert.equal(stage.state, 'ready');
    await value('vault.lock');
    assert.equal((await call('records.stageStatus', { stageId: stage.stageId })).ok, false);
    await value('vault.unlock', { passphrase: PASS });
    const r = await call('records.stageConfirm', { stageId: stage.stageId });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'INVALID_INPUT');
    assert.equal((await value<unknown[]>('items.list', { caseId })).length, 0);
  });
});

describe('staging of dropped bytes', () => {
  test('dropped bytes are held in memory, never written to the temp folder; their names are made safe', async () => {
    assert.equal(safeFileName('../../etc/passwd'), 'passwd');
    assert.equal(safeFileName('..\\..\\Windows\\win.ini'), 'win.ini');
    assert.equal(safeFileName('..'), 'dropped-file');
    assert.equal(safeFileName('a\u0000b\nc.csv'), 'a_b_c.csv');
    assert.equal(safeFileName('支付宝交易明细(20240101-20240131).csv'), '支付宝交易明细(20240101-20240131).csv');
    assert.ok(safeFileName('x'.repeat(500) + '.csv').endsWith('.csv'));

    const dir = await tempDir('redress-staging-');
    const root = join(dir.path, 'tmp');
    await mkdir(root);
    const { vault } = await Vault.create(join(dir.path, 'data'), PASS, { actor: 't', kdf: TEST_KDF });
    try {
      const caseId = vault.cases.create({ title: 'S', incidentType: 'phishing' }).id;
      const stages = new ImportStages(root);
      const settle = async (id: string) => {
        for (let i = 0; i < 2000 && ['reading', 'importing'].includes(stages.status(id).state); i++) await tick();
        return stages.status(id);
      };
      const csv = new Uint8Array(alipayCsv(alipayRows(3)));
      const a = await stages.fromBytes(vault, caseId, '../../escape.csv', csv);
      assert.equal(a.name, 'escape.csv');
      assert.deepEqual(await readdir(root), [], 'nothing staged on disk');
      assert.equal((await settle(a.stageId)).state, 'ready');
      assert.deepEqual(await readdir(root), []);
      stages.confirm(vault, a.stageId);
      const done = await settle(a.stageId);
      assert.equal(done.state, 'done');
      assert.equal(vault.items.get(done.result!.sourceItemId).originalName, 'escape.csv');
      assert.deepEqual(await readdir(root), [], 'nor after the import');

      const b = await stages.fromBytes(vault, caseId, 'b.csv', csv);
      await settle(b.stageId);
      await stages.clear();
      assert.throws(() => stages.status(b.stageId), (err: { code?: string }) => err.code === 'INVALID_INPUT', 'forgotten when the vault locks');
    } finally {
      await vault.close();
      await dir.cleanup();
    }
  });
});
