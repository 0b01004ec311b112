import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import sharp from 'sharp';
import type { Result } from '../../shared/ipc/contract.js';
import { dispatch } from '../../electron/core/app-service/dispatch.js';
import { AppService } from '../../electron/core/app-service/service.js';
import { TEST_KDF, tempDir } from '../helpers/vault.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('packet and redaction channels through dispatch', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let service: AppService;
  let folderAsks: number;
  let nextFolder: string | null;
  const call = async <T = Record<string, unknown>>(channel: string, request: unknown = {}) => (await dispatch(service.handlers, channel, request)) as Result<T>;
  const value = async <T = Record<string, unknown>>(channel: string, request: unknown = {}) => {
    const r = await call<T>(channel, request);
    if (!r.ok) assert.fail(`${channel} failed: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  let caseId: string;
  let imageId: string;
  let textId: string;

  beforeEach(async () => {
    dir = await tempDir('redress-packet-service-');
    folderAsks = 0;
    nextFolder = null;
    service = new AppService({
      dataDir: join(dir.path, 'data'),
      prefsFile: join(dir.path, 'prefs.json'),
      actor: 'packet service test',
      kdf: TEST_KDF,
      pickFiles: async () => [],
      pickFolder: async () => (folderAsks++, nextFolder),
      capturer: null,
      previewUrl: (id) => `redress-item://item/${id}`,
      emit: () => undefined,
    });
    await service.init();
    await value('vault.create', { passphrase: 'packet service passphrase' });
    await value('profile.set', { name: '张三', idNumber: '110101199003071234', phone: '13800138000', email: '', address: '', cards: [{ bank: '工商银行', number: '6222021234567890' }] });
    caseId = (await value<{ id: string }>('cases.create', { title: 'Packet via service', incidentType: 'phishing' })).id;
    const image = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#fff' } }).png().toBuffer();
    imageId = (await value<{ added: { id: string }[] }>('items.addBytes', { caseId, name: 'shot.png', data: new Uint8Array(image), via: 'drop' })).added[0]!.id;
    textId = (await value<{ added: { id: string }[] }>('items.addBytes', { caseId, name: 'note.txt', data: new Uint8Array(Buffer.from('hello')), via: 'drop' })).added[0]!.id;
  });
  afterEach(async () => {
    await service.lock('system');
    await dir.cleanup();
  });

  test('recipients come from the data files; the preview masks the ID number and cards for a platform only', async () => {
    const recipients = await value<{ id: string; kind: string }[]>('packets.recipients');
    assert.ok(recipients.length >= 16);
    assert.equal(recipients.find((r) => r.id === 'cn-wechat-pay')!.kind, 'platform');
    type Preview = { fields: { field: string; rule: string; shown?: string }[]; items: { itemId: string }[] };
    const platform = await value<Preview>('packets.preview', { caseId, recipientId: 'cn-wechat-pay' });
    const field = (p: Preview, f: string) => p.fields.find((x) => x.field === f)!;
    assert.deepEqual([field(platform, 'idNumber').rule, field(platform, 'idNumber').shown], ['last4', '**************1234']);
    assert.equal(field(platform, 'cardNumbers').shown, '************7890');
    const police = await value<Preview>('packets.preview', { caseId, recipientId: 'cn-police' });
    assert.equal(field(police, 'idNumber').shown, '110101199003071234');
    assert.equal(police.items.length, 2, 'default selection: every item not excluded');
    const one = await value<Preview>('packets.preview', { caseId, recipientId: 'cn-police', itemIds: [textId] });
    assert.deepEqual(one.items.map((i) => i.itemId), [textId]);
  });

  test('a bad request never opens the folder dialog; a cancelled dialog starts nothing', async () => {
    const unknown = await call('packets.start', { caseId, recipientId: 'nobody' });
    assert.equal(!unknown.ok && unknown.error.code, 'RECIPIENT_NOT_FOUND');
    const path = await call('packets.start', { caseId, recipientId: 'cn-police', outDir: '/tmp' });
    assert.equal(!path.ok && path.error.code, 'INVALID_INPUT', 'the renderer cannot name a folder');
    assert.equal(folderAsks, 0);
    assert.deepEqual(await value('packets.start', { caseId, recipientId: 'cn-police' }), { jobId: null });
    assert.equal(folderAsks, 1);
  });

  test('a build reports progress to done, with the packet hash recorded on the custody chain', async () => {
    nextFolder = join(dir.path, 'out');
    await (await import('node:fs/promises')).mkdir(nextFolder);
    const { jobId } = await value<{ jobId: string }>('packets.start', { caseId, recipientId: 'us-ftc', lang: 'en' });
    type Job = { state: string; phase: string; result: { dir: string; packetSha256: string; volumes: unknown[] } | null };
    let job = await value<Job>('packets.status', { jobId });
    const phases = new Set<string>();
    while (job.state === 'running') {
      phases.add(job.phase);
      await tick();
      job = await value<Job>('packets.status', { jobId });
    }
    assert.equal(job.state, 'done', JSON.stringify(job));
    assert.ok((await readdir(job.result!.dir)).includes('packet.pdf'));
    assert.equal(job.result!.volumes.length, 1);
    const log = await value<{ action: string; payload: { packetSha256?: string } }[]>('cases.log', { caseId });
    assert.equal(log.at(-1)!.action, 'packet.exported');
    assert.equal(log.at(-1)!.payload.packetSha256, job.result!.packetSha256);
  });

  test('locking the vault aborts a running build and leaves no packet folder', async () => {
    // enough pixels that the build is still running when the lock comes
    const big = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: '#48c' } }).png().toBuffer();
    for (let i = 0; i < 3; i++) {
      await value('items.addBytes', { caseId, name: `big${i}.png`, data: new Uint8Array(await sharp(big).tint({ r: i * 40, g: 90, b: 200 }).png().toBuffer()), via: 'drop' });
    }
    nextFolder = join(dir.path, 'out-lock');
    await (await import('node:fs/promises')).mkdir(nextFolder);
    const { jobId } = await value<{ jobId: string }>('packets.start', { caseId, recipientId: 'cn-police' });
    await service.lock('user');
    // the abort lands at the build's next step, which then removes its partial folder
    let left = await readdir(nextFolder);
    for (let i = 0; i < 200 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 25));
      left = await readdir(nextFolder);
    }
    assert.deepEqual(left, []);
    const status = await call('packets.status', { jobId });
    assert.equal(status.ok, false, 'jobs die with the vault');
  });

  test('redaction: only images, at least one box, a derived item that names its original', async () => {
    const notImage = await call('items.redact', { itemId: textId, boxes: [{ x: 0, y: 0, w: 5, h: 5 }] });
    assert.equal(!notImage.ok && notImage.error.code, 'INVALID_INPUT');
    const none = await call('items.redact', { itemId: imageId, boxes: [] });
    assert.equal(!none.ok && none.error.code, 'INVALID_INPUT');
    const negative = await call('items.redact', { itemId: imageId, boxes: [{ x: -1, y: 0, w: 5, h: 5 }] });
    assert.equal(!negative.ok && negative.error.code, 'INVALID_INPUT');
    const copy = await value<{ id: string; derivedFrom: string; title: string; tags: string[] }>('items.redact', { itemId: imageId, boxes: [{ x: 4, y: 4, w: 20, h: 10 }], title: 'shot.png（已遮挡）' });
    assert.equal(copy.derivedFrom, imageId);
    assert.equal(copy.title, 'shot.png（已遮挡）');
    assert.ok(copy.tags.includes('redacted'));
    type Preview = { items: { itemId: string; redactedFrom: { itemId: string } | null }[] };
    const preview = await value<Preview>('packets.preview', { caseId, recipientId: 'cn-alipay', itemIds: [imageId] });
    assert.deepEqual(preview.items.map((i) => [i.itemId, i.redactedFrom?.itemId]), [[copy.id, imageId]], 'the copy travels instead of the original');

    // redacted again with more boxes: only the newest copy leaves, by default and when the original is chosen
    const again = await value<{ id: string }>('items.redact', { itemId: imageId, boxes: [{ x: 4, y: 4, w: 20, h: 10 }, { x: 30, y: 30, w: 10, h: 10 }] });
    const byDefault = await value<Preview>('packets.preview', { caseId, recipientId: 'cn-alipay' });
    assert.deepEqual(byDefault.items.map((i) => i.itemId).sort(), [again.id, textId].sort());
    const chosen = await value<Preview>('packets.preview', { caseId, recipientId: 'cn-alipay', itemIds: [imageId] });
    assert.deepEqual(chosen.items.map((i) => i.itemId), [again.id]);
    // a copy of a copy: the last one travels
    const third = await value<{ id: string }>('items.redact', { itemId: again.id, boxes: [{ x: 40, y: 4, w: 10, h: 10 }] });
    const chain = await value<Preview>('packets.preview', { caseId, recipientId: 'cn-alipay', itemIds: [imageId] });
    assert.deepEqual(chain.items.map((i) => i.itemId), [third.id]);
    assert.deepEqual((await value<Preview>('packets.preview', { caseId, recipientId: 'cn-alipay' })).items.map((i) => i.itemId).sort(), [third.id, textId].sort());
  });
});
