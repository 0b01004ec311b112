import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import sharp from 'sharp';
import type { Result } from '../../shared/ipc/contract.js';
import { dispatch } from '../../electron/core/app-service/dispatch.js';
import { AppService, type ScreenCapturer } from '../../electron/core/app-service/service.js';
import { TEST_KDF, tempDir } from '../helpers/vault.js';

const PASS = 'service test passphrase';
/** lets file I/O run between polls, as the UI's timer does */
const tick = () => new Promise((r) => setTimeout(r, 5));

async function png(color: string) {
  return new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: color } }).png().toBuffer());
}

describe('AppService through dispatch (the contract every transport uses)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let service: AppService;
  let events: [string, unknown][];
  let capturer: ScreenCapturer | null;
  const call = async <T = Record<string, unknown>>(channel: string, request: unknown = {}) => (await dispatch(service.handlers, channel, request)) as Result<T>;
  const value = async <T = Record<string, unknown>>(channel: string, request: unknown = {}) => {
    const r = await call<T>(channel, request);
    if (!r.ok) assert.fail(`${channel} failed: ${JSON.stringify(r.error)}`);
    return r.value;
  };

  beforeEach(async () => {
    dir = await tempDir('redress-service-');
    events = [];
    capturer = {
      sources: async () => [{ id: 'window:7:0', name: 'Alipay — 账单详情', kind: 'window', thumbnail: null }],
      capture: async () => ({ png: Buffer.from(await png('#0a0')), name: 'Alipay — 账单详情', kind: 'window' }),
    };
    service = new AppService({
      dataDir: join(dir.path, 'data'),
      prefsFile: join(dir.path, 'prefs.json'),
      actor: 'service test',
      kdf: TEST_KDF,
      pickFiles: async () => [],
      capturer: { sources: () => capturer!.sources(), capture: (id) => capturer!.capture(id) },
      previewUrl: (id) => `redress-item://item/${id}`,
      emit: (event, payload) => void events.push([event, payload]),
    });
    await service.init();
  });
  afterEach(async () => {
    await service.lock('system');
    await dir.cleanup();
  });

  test('unknown channels and malformed requests never reach a handler', async () => {
    assert.deepEqual(await call('fs.readFile', { path: '/etc/passwd' }), { ok: false, error: { code: 'INVALID_INPUT', messageKey: 'errors.invalidInput', params: { field: 'channel', reason: 'unknown channel' } } });
    const r = await call('cases.create', { title: '', incidentType: 'phishing' });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.params.field, 'title');
    const proto = await call('__proto__', {});
    assert.equal(proto.ok, false);
  });

  test('vault lifecycle: create shows a recovery code, lock emits an event, unlock checks the passphrase', async () => {
    assert.deepEqual(await value('vault.status'), { exists: false, unlocked: false });
    const locked = await call('cases.list', {});
    assert.equal(!locked.ok && locked.error.code, 'VAULT_LOCKED');
    const weak = await call('vault.create', { passphrase: 'short' });
    assert.equal(!weak.ok && weak.error.code, 'PASSPHRASE_WEAK');
    const { recoveryCode } = await value<{ recoveryCode: string }>('vault.create', { passphrase: PASS });
    assert.match(recoveryCode, /^[A-Z0-9-]{20,}$/);
    assert.deepEqual(await value('vault.status'), { exists: true, unlocked: true });
    await value('vault.lock');
    assert.deepEqual(events.at(-1), ['vault.locked', { reason: 'user' }]);
    const wrong = await call('vault.unlock', { passphrase: 'not the passphrase' });
    assert.equal(!wrong.ok && wrong.error.code, 'WRONG_PASSPHRASE');
    await value('vault.unlock', { passphrase: PASS });
    await value('vault.lock');
    await value('vault.recover', { recoveryCode, newPassphrase: 'a brand new passphrase' });
    await value('vault.lock');
    await value('vault.unlock', { passphrase: 'a brand new passphrase' });
  });

  test('pasted bytes become a screenshot item; the same bytes again are a duplicate', async () => {
    await value('vault.create', { passphrase: PASS });
    const kase = await value<{ id: string }>('cases.create', { title: 'Paste', incidentType: 'task-scam' });
    const data = await png('#f00');
    const first = await value<{ added: { kind: string; source: string; mediaType: string }[] }>('items.addBytes', { caseId: kase.id, name: 'pasted.png', data, via: 'paste' });
    assert.equal(first.added[0]!.kind, 'screenshot');
    assert.equal(first.added[0]!.source, 'clipboard paste');
    assert.equal(first.added[0]!.mediaType, 'image/png');
    const again = await value<{ added: unknown[]; duplicates: unknown[] }>('items.addBytes', { caseId: kase.id, name: 'again.png', data, via: 'drop' });
    assert.equal(again.added.length, 0);
    assert.equal(again.duplicates.length, 1);
    const list = await value<{ previewUrl: string | null }[]>('items.list', { caseId: kase.id });
    assert.match(list[0]!.previewUrl!, /^redress-item:\/\/item\//);
  });

  test('a screen capture is stored with what was captured and when, and announced', async () => {
    await value('vault.create', { passphrase: PASS });
    const kase = await value<{ id: string }>('cases.create', { title: 'Capture', incidentType: 'impersonation' });
    const sources = await value<{ id: string }[]>('capture.sources');
    const item = await value<{ id: string; title: string; kind: string }>('capture.take', { caseId: kase.id, sourceId: sources[0]!.id });
    assert.equal(item.title, 'Alipay — 账单详情');
    assert.equal(item.kind, 'screenshot');
    const detail = await value<{ custody: { action: string; payload: { capture: { what: string; title: string; at: string } } }[] }>('items.get', { itemId: item.id });
    const capture = detail.custody.find((e) => e.action === 'item.added')!.payload.capture;
    assert.equal(capture.what, 'window');
    assert.equal(capture.title, 'Alipay — 账单详情');
    assert.ok(!Number.isNaN(Date.parse(capture.at)));
    assert.deepEqual(events.at(-1), ['items.changed', { caseId: kase.id }]);
  });

  test('checklist steps are stored in the vault and recorded on the custody chain', async () => {
    await value('vault.create', { passphrase: PASS });
    const kase = await value<{ id: string }>('cases.create', { title: 'Checklist', incidentType: 'fake-investment' });
    const other = await value<{ id: string }>('cases.create', { title: 'Other', incidentType: 'other' });
    const foreign = await value<{ added: { id: string }[] }>('items.addBytes', { caseId: other.id, name: 'x.png', data: await png('#00f'), via: 'drop' });
    const { checklist } = await value<{ checklist: { steps: { id: string; urgent: boolean }[] } }>('checklist.get', { caseId: kase.id });
    assert.equal(checklist.steps[0]!.id, 'freeze-payment');
    assert.equal(checklist.steps[0]!.urgent, true);
    const bad = await call('checklist.setStep', { caseId: kase.id, stepId: 'no-such-step', state: { done: true, itemIds: [] } });
    assert.equal(!bad.ok && bad.error.code, 'INVALID_INPUT');
    const cross = await call('checklist.setStep', { caseId: kase.id, stepId: 'transfer-record', state: { done: true, itemIds: [foreign.added[0]!.id] } });
    assert.equal(!cross.ok && cross.error.code, 'INVALID_INPUT', 'evidence of another case cannot satisfy a step');
    const state = await value<Record<string, { done: boolean; doneAt?: string }>>('checklist.setStep', { caseId: kase.id, stepId: 'freeze-payment', state: { done: true, itemIds: [] } });
    assert.equal(state['freeze-payment']!.done, true);
    assert.ok(state['freeze-payment']!.doneAt);
    const log = await value<{ action: string }[]>('cases.log', { caseId: kase.id });
    assert.equal(log.at(-1)!.action, 'checklist.step');
    await value('vault.lock');
    await value('vault.unlock', { passphrase: PASS });
    const reread = await value<{ state: Record<string, { done: boolean }> }>('checklist.get', { caseId: kase.id });
    assert.equal(reread.state['freeze-payment']!.done, true);
    const { jobId } = await value<{ jobId: string }>('verify.start', { caseId: kase.id });
    let job: { state: string; report: { ok: boolean } | null };
    do job = await (await tick(), value('verify.status', { jobId }));
    while (job.state === 'running');
    assert.equal(job.report!.ok, true, 'checklist entries keep the chain valid');
  });

  test('verification reports progress and can be cancelled', async () => {
    await value('vault.create', { passphrase: PASS });
    const kase = await value<{ id: string }>('cases.create', { title: 'Verify', incidentType: 'phishing' });
    for (let i = 0; i < 12; i++) await value('items.addBytes', { caseId: kase.id, name: `f${i}.txt`, data: new TextEncoder().encode(`file ${i}`), via: 'drop' });
    const done = await value<{ jobId: string }>('verify.start', { caseId: kase.id });
    let job: { state: string; itemsDone: number; itemsTotal: number; report: { ok: boolean } | null; error: { code: string } | null };
    do job = await (await tick(), value('verify.status', { jobId: done.jobId }));
    while (job.state === 'running');
    assert.equal(job.state, 'done');
    assert.equal(job.itemsDone, 12);
    assert.equal(job.itemsTotal, 12);
    assert.equal(job.report!.ok, true);
    const cancelled = await value<{ jobId: string }>('verify.start', { caseId: kase.id });
    await value('verify.cancel', { jobId: cancelled.jobId });
    do job = await (await tick(), value('verify.status', { jobId: cancelled.jobId }));
    while (job.state === 'running');
    assert.equal(job.state, 'cancelled');
    assert.equal(job.error!.code, 'CANCELLED');
    assert.ok(job.itemsDone < 12);
  });

  test('the preview of an original altered on disk is refused, not thrown and not served', async () => {
    await value('vault.create', { passphrase: PASS });
    const kase = await value<{ id: string }>('cases.create', { title: 'Preview', incidentType: 'phishing' });
    const added = await value<{ added: { id: string }[] }>('items.addBytes', { caseId: kase.id, name: 'shot.png', data: await png('#00f'), via: 'paste' });
    const id = added.added[0]!.id;
    assert.equal((await service.readPreview(id))?.mediaType, 'image/png');
    const objects = (await readdir(join(dir.path, 'data', 'objects'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    assert.equal(objects.length, 1);
    const file = join(objects[0]!.parentPath, objects[0]!.name);
    const bytes = await readFile(file);
    bytes[bytes.length - 20]! ^= 0xff;
    await writeFile(file, bytes);
    assert.equal(await service.readPreview(id), null);
  });

  test('auto-lock closes the vault after inactivity and tells the UI why', async () => {
    await value('vault.create', { passphrase: PASS });
    service.autoLock.setTimeout(60);
    service.touch();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(service.unlocked, false);
    assert.deepEqual(events.at(-1), ['vault.locked', { reason: 'inactivity' }]);
  });

  test('preferences and the victim profile persist', async () => {
    assert.deepEqual(await value('prefs.set', { language: 'zh-CN' }), { language: 'zh-CN', autoLockMinutes: 10 });
    assert.equal((await value<{ language: string }>('prefs.get')).language, 'zh-CN');
    const range = await call('prefs.set', { autoLockMinutes: 0 });
    assert.equal(range.ok, false);
    await value('vault.create', { passphrase: PASS });
    await value('profile.set', { name: '张三', phone: '13800138000' });
    await value('vault.lock');
    await value('vault.unlock', { passphrase: PASS });
    const profile = await value<{ name: string; phone: string }>('profile.get');
    assert.equal(profile.name, '张三');
    assert.equal(profile.phone, '13800138000');
  });

  test('without a capturer, capture says so in the user language', async () => {
    capturer = null;
    await value('vault.create', { passphrase: PASS });
    const r = await call('capture.sources');
    assert.equal(r.ok, false);
  });
});
