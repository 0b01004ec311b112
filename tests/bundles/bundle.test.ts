import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportBundle, importBundle } from '../../electron/core/bundles/index.js';
import { entryHash, type CustodyEntryBody } from '../../electron/core/custody/entry.js';
import { RedressError } from '../../electron/core/errors.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { manualClock, newVault, tempDir, TEST_KDF } from '../helpers/vault.js';
import { manifestOf, pack, unpack, withManifest } from './craft.js';

const TRANSFER = 'transfer passphrase 2026';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function objectFiles(vault: Vault): Promise<string[]> {
  return vault.context.objects.listObjectNames();
}

async function rejects(work: Promise<unknown>, code: string, detail?: RegExp): Promise<RedressError> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof RedressError, `expected a RedressError, got ${String(err)}`);
    assert.equal(err.code, code, JSON.stringify(err.value));
    if (detail) assert.match(String(err.value.params.detail), detail);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe('case exchange bundles', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let a: Vault; // a volunteer's vault
  let b: Vault; // the association's vault
  let caseId: string;
  const originals: Buffer[] = [];
  let bundle1: string;

  before(async () => {
    dir = await tempDir();
    a = (await newVault(join(dir.path, 'a'), { clock: manualClock() })).vault;
    b = (await newVault(join(dir.path, 'b'), { clock: manualClock(Date.parse('2026-11-25T02:00:00Z')) })).vault;
    const kase = a.cases.create({
      title: '冒充客服退款',
      incidentType: 'impersonation',
      losses: [{ amount: { currency: 'CNY', minor: 1_234_550 } }],
      parties: [{ id: 'p1', role: 'suspect', identifiers: [{ kind: 'bank-account', value: '6222 0000 1111 2222' }] }],
    });
    caseId = kase.id;
    // three originals, one spanning several 1 MiB chunks of the bundle stream
    originals.push(Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(3000)]), Buffer.from('客服: 请转账到安全账户\n'), randomBytes(2_600_000));
    const ids = [];
    for (const [i, data] of originals.entries()) ids.push((await a.items.addBuffer(caseId, data, { name: `f${i}.bin` })).item.id);
    a.items.annotate(ids[0]!, { notes: '转账截图', tags: ['payment'] });
    a.items.exclude(ids[1]!, 'duplicate of the screenshot');
    a.items.link(ids[0]!, 'transaction', 'tx-1');
    a.cases.update(caseId, { status: 'ready' });
    bundle1 = join(dir.path, 'case-v1.redress');
  });
  after(async () => {
    await a.close();
    await b.close();
    await dir.cleanup();
  });

  it('exports a case to one encrypted file and records the export on its chain', async () => {
    const result = await exportBundle(a, caseId, { out: bundle1, passphrase: TRANSFER, kdf: TEST_KDF });
    const log = a.log(caseId);
    const last = log[log.length - 1]!;
    assert.equal(last.action, 'case.exported');
    assert.deepEqual(result.exportEntry, { seq: last.seq, hash: last.hash });
    assert.equal(result.items, 3);
    assert.equal(result.entries, log.length);
    const bytes = await readFile(bundle1);
    assert.equal(result.sha256, sha(bytes));
    assert.equal(result.bytes, bytes.length);
    // nothing readable inside: no title, no original, no item name
    for (const needle of [Buffer.from('冒充客服退款'), originals[1]!, Buffer.from('f0.bin'), Buffer.from('manifest.json')]) assert.equal(bytes.indexOf(needle), -1);
  });

  it('refuses to overwrite a file or write into a missing folder', async () => {
    await rejects(exportBundle(a, caseId, { out: bundle1, passphrase: TRANSFER, kdf: TEST_KDF }), 'OUTPUT_UNWRITABLE');
    await rejects(exportBundle(a, caseId, { out: join(dir.path, 'nope', 'x.redress'), passphrase: TRANSFER, kdf: TEST_KDF }), 'OUTPUT_UNWRITABLE');
    await rejects(exportBundle(a, caseId, { out: join(dir.path, 'short.redress'), passphrase: 'short', kdf: TEST_KDF }), 'PASSPHRASE_WEAK');
  });

  it('an export that cannot read an original fails cleanly: no file left, the failure on the chain', async () => {
    const other = a.cases.create({ title: 'damaged', incidentType: 'other' });
    const { item } = await a.items.addBuffer(other.id, Buffer.from('will vanish'), { name: 'v.txt' });
    await rm(a.context.objects.pathOf(a.items.objectName(item.id)));
    const out = join(dir.path, 'damaged.redress');
    await rejects(exportBundle(a, other.id, { out, passphrase: TRANSFER, kdf: TEST_KDF }), 'VAULT_CORRUPT');
    await assert.rejects(stat(out));
    assert.deepEqual((await readdir(dir.path)).filter((n) => n.includes('damaged')), []);
    assert.deepEqual(a.log(other.id).slice(-2).map((e) => e.action), ['case.exported', 'case.export-failed']);
  });

  it('a wrong transfer passphrase is a clear error and stores nothing', async () => {
    await rejects(importBundle(b, bundle1, { passphrase: 'not the passphrase' }), 'BUNDLE_WRONG_PASSPHRASE');
    assert.equal(b.cases.list().length, 0);
    assert.deepEqual(await objectFiles(b), []);
  });

  it('imports the case with its chain intact (same id, same hashes) and appends the transfer', async () => {
    const progress: string[] = [];
    const r = await importBundle(b, bundle1, { passphrase: TRANSFER, onProgress: (p) => progress.push(p.phase) });
    assert.equal(r.status, 'imported');
    assert.equal(r.caseId, caseId);
    assert.equal(r.itemsAdded, 3);
    assert.ok(progress.includes('verify') && progress.includes('store'));
    const logA = a.log(caseId);
    const logB = b.log(caseId);
    assert.equal(logB.length, logA.length + 1);
    assert.deepEqual(logB.slice(0, logA.length), logA);
    const transfer = logB[logB.length - 1]!;
    assert.equal(transfer.action, 'case.transferred');
    assert.equal(transfer.actor, 'test');
    assert.equal(transfer.prev, logA[logA.length - 1]!.hash);
    assert.equal(transfer.payload.exportedAt, logA[logA.length - 1]!.time);
    assert.equal(transfer.payload.bundleSha256, sha(await readFile(bundle1)));
    assert.equal(transfer.payload.importedBy, 'test');
    assert.deepEqual(transfer.payload.entries, { from: 1, to: logA.length });

    const ka = a.cases.get(caseId);
    const kb = b.cases.get(caseId);
    assert.deepEqual({ ...kb, head: null, updatedAt: null }, { ...ka, head: null, updatedAt: null });
    assert.deepEqual(kb.head, { seq: transfer.seq, hash: transfer.hash });
    const itemsA = a.items.list(caseId);
    const itemsB = b.items.list(caseId);
    assert.deepEqual(itemsB, itemsA);
    for (const item of itemsB) {
      const parts: Buffer[] = [];
      for await (const p of b.items.read(item.id)) parts.push(p);
      assert.equal(sha(Buffer.concat(parts)), item.sha256);
    }
    assert.deepEqual(b.items.links(itemsB.find((i) => i.notes === '转账截图')!.id), [{ targetType: 'transaction', targetId: 'tx-1' }]);
    // the receiving vault's own full verification (chain, records, every stored original) passes
    const report = await b.verify(caseId);
    assert.equal(report.ok, true, JSON.stringify(report.cases[0]?.problems));
  });

  it('importing the same bundle twice changes nothing', async () => {
    const before = b.log(caseId);
    const objectsBefore = await objectFiles(b);
    const r = await importBundle(b, bundle1, { passphrase: TRANSFER });
    assert.equal(r.status, 'unchanged');
    assert.equal(r.transferEntry, null);
    assert.deepEqual(b.log(caseId), before);
    assert.deepEqual(await objectFiles(b), objectsBefore);
    assert.equal(b.items.list(caseId).length, 3);
  });

  it('a newer bundle of the same case adds only what is new', async () => {
    const extra = Buffer.from('new evidence found later');
    await a.items.addBuffer(caseId, extra, { name: 'later.txt' });
    a.cases.update(caseId, { status: 'submitted' });
    const bundle2 = join(dir.path, 'case-v2.redress');
    await exportBundle(a, caseId, { out: bundle2, passphrase: TRANSFER, kdf: TEST_KDF });
    const firstTransfer = b.log(caseId).at(-1)!;
    const r = await importBundle(b, bundle2, { passphrase: TRANSFER });
    assert.equal(r.status, 'updated');
    assert.equal(r.itemsAdded, 1);
    const logA = a.log(caseId);
    const logB = b.log(caseId);
    assert.deepEqual(logB.slice(0, logA.length), logA);
    assert.equal(logB.length, logA.length + 1);
    assert.equal(r.entriesAdded, 3); // item.added, case.updated, case.exported
    // this vault's first transfer entry is kept, verbatim, inside the new one
    const superseded = logB.at(-1)!.payload.supersededTransfers as { seq: number; hash: string; body: string }[];
    assert.equal(superseded.length, 1);
    assert.equal(superseded[0]!.hash, firstTransfer.hash);
    assert.equal(entryHash(JSON.parse(superseded[0]!.body) as CustodyEntryBody), firstTransfer.hash);
    assert.equal(b.cases.get(caseId).status, 'submitted');
    assert.equal(b.items.list(caseId).length, 4);
    assert.equal((await b.verify(caseId)).ok, true);
  });

  it('refuses a bundle whose history contradicts the stored one', async () => {
    const itemB = b.items.list(caseId)[0]!;
    b.items.annotate(itemB.id, { notes: 'checked by the association' });
    await a.items.addBuffer(caseId, Buffer.from('yet another file'), { name: 'x.txt' });
    const bundle3 = join(dir.path, 'case-v3.redress');
    await exportBundle(a, caseId, { out: bundle3, passphrase: TRANSFER, kdf: TEST_KDF });
    const before = b.log(caseId);
    const objectsBefore = await objectFiles(b);
    const err = await rejects(importBundle(b, bundle3, { passphrase: TRANSFER }), 'BUNDLE_CONFLICT');
    // stored: ...v2 export, transfer, annotation; bundle: ...v2 export, item.added, export: they part at the transfer
    assert.equal(err.value.params.seq, before.length - 1);
    assert.deepEqual(b.log(caseId), before);
    assert.deepEqual(await objectFiles(b), objectsBefore);
  });
});

describe('hostile and damaged bundles are refused without storing anything', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let a: Vault;
  let b: Vault;
  let good: string;
  let members: [string, Buffer][];
  let big: Buffer;

  before(async () => {
    dir = await tempDir();
    a = (await newVault(join(dir.path, 'a'))).vault;
    b = (await newVault(join(dir.path, 'b'))).vault;
    const kase = a.cases.create({ title: 'hostile', incidentType: 'phishing' });
    big = randomBytes(2 * 1024 * 1024 + 5000);
    await a.items.addBuffer(kase.id, big, { name: 'video.mp4' });
    await a.items.addBuffer(kase.id, Buffer.from('small'), { name: 's.txt' });
    good = join(dir.path, 'good.redress');
    await exportBundle(a, kase.id, { out: good, passphrase: TRANSFER, kdf: TEST_KDF });
    members = await unpack(good, TRANSFER);
  });
  after(async () => {
    await a.close();
    await b.close();
    await dir.cleanup();
  });

  let n = 0;
  async function attempt(make: (path: string) => Promise<void>, code: string, detail?: RegExp) {
    const path = join(dir.path, `bad-${n++}.redress`);
    await make(path);
    await rejects(importBundle(b, path, { passphrase: TRANSFER }), code, detail);
    assert.equal(b.cases.list().length, 0);
    assert.deepEqual(await b.context.objects.listObjectNames(), []);
    assert.deepEqual(await readdir(b.context.objects.tmpDir), []);
  }
  const copyOf = async (path: string) => writeFile(path, await readFile(good));

  it('a repacked copy of the good bundle imports (the crafting itself is sound)', async () => {
    const path = join(dir.path, 'repacked.redress');
    await pack(path, TRANSFER, members);
    const other = (await newVault(join(dir.path, 'c'))).vault;
    try {
      assert.equal((await importBundle(other, path, { passphrase: TRANSFER })).status, 'imported');
    } finally {
      await other.close();
    }
  });

  it('a bundle from an older Redress, with the image metadata and thumbnail tables it no longer keeps, imports', async () => {
    const manifest = manifestOf(members);
    const itemId = manifest.items[0].id;
    manifest.tables.image_meta = [{ item_id: itemId, meta: '{"make":"Apple"}' }];
    manifest.tables.thumbnails = [{ item_id: itemId, media_type: 'image/jpeg', width: 1, height: 1, data: { $base64: 'AA==' } }];
    const path = join(dir.path, 'older.redress');
    await pack(path, TRANSFER, withManifest(members, manifest));
    const other = (await newVault(join(dir.path, 'd'))).vault;
    try {
      assert.equal((await importBundle(other, path, { passphrase: TRANSFER })).status, 'imported');
      assert.equal((await other.verify()).ok, true);
    } finally {
      await other.close();
    }
  });

  it('path traversal in a member name', async () => {
    const target = '../../../../../../../../../../../../../../../../../etc/evil';
    const [objName, objData] = members.find(([name]) => name.startsWith('objects/') && name.length === 72)!;
    const placeholder = 'Z'.repeat(target.length);
    const hostile = members.filter(([name]) => name !== objName);
    hostile.push([placeholder, objData]);
    await attempt((p) => pack(p, TRANSFER, hostile, { from: placeholder, to: target }), 'BUNDLE_INVALID', /relative path|unexpected member/);
  });

  it('an absolute member name and an unexpected member', async () => {
    const placeholder = 'Z'.repeat('/etc/passwd'.length);
    await attempt((p) => pack(p, TRANSFER, [...members, [placeholder, Buffer.from('x')]], { from: placeholder, to: '/etc/passwd' }), 'BUNDLE_INVALID', /absolute|unexpected member/);
    await attempt((p) => pack(p, TRANSFER, [...members, ['notes/readme.txt', Buffer.from('x')]]), 'BUNDLE_INVALID', /unexpected member/);
  });

  it('an oversized member (more bytes than its item records)', async () => {
    const hostile = members.map(([name, data]): [string, Buffer] => [name, name.startsWith('objects/') && data.length === 5 ? Buffer.concat([data, randomBytes(100_000)]) : data]);
    await attempt((p) => pack(p, TRANSFER, hostile), 'BUNDLE_INVALID', /larger/);
  });

  it('an original that does not match its SHA-256', async () => {
    const hostile = members.map(([name, data]): [string, Buffer] => [name, data.length === big.length ? Buffer.from(data).fill(7, 1000, 1010) : data]);
    await attempt((p) => pack(p, TRANSFER, hostile), 'BUNDLE_INVALID', /does not match its SHA-256/);
  });

  it('a custody entry that does not match its hash, and a record that differs from its chain', async () => {
    const m = manifestOf(members);
    const edited = structuredClone(m);
    assert.match(edited.custody[1].body, /"video\.mp4"/);
    edited.custody[1].body = edited.custody[1].body.replaceAll('"video.mp4"', '"video.mp5"');
    await attempt((p) => pack(p, TRANSFER, withManifest(members, edited)), 'BUNDLE_INVALID', /custody entry 2/);
    const renamed = structuredClone(m);
    renamed.case.title = 'a different title';
    await attempt((p) => pack(p, TRANSFER, withManifest(members, renamed)), 'BUNDLE_INVALID', /title differs/);
    const cut = structuredClone(m);
    cut.custody.splice(1, 1);
    await attempt((p) => pack(p, TRANSFER, withManifest(members, cut)), 'BUNDLE_INVALID', /custody entry/);
    const escaping = structuredClone(m);
    escaping.items[0].object_name = '../../../../tmp/x';
    await attempt((p) => pack(p, TRANSFER, withManifest(members, escaping)), 'BUNDLE_INVALID', /malformed/);
  });

  it('truncated files: inside a block, at a block boundary, inside the header', async () => {
    const size = (await stat(good)).size;
    const base = size - (2 * (1024 * 1024 + 16)) - 1; // a cut somewhere in the last block
    for (const cutAt of [size - 1, base, 1024 * 1024 + 16 + 12 + 200 + 44, 20, 5]) {
      await attempt(async (p) => {
        await copyOf(p);
        await truncate(p, Math.min(cutAt, size - 1));
      }, 'BUNDLE_DAMAGED', /cut short|fails authentication/);
    }
  });

  it('any changed byte after the header', async () => {
    const bytes = await readFile(good);
    for (const at of [bytes.length - 1, bytes.length - 20, Math.floor(bytes.length / 2), 400]) {
      await attempt(async (p) => {
        const copy = Buffer.from(bytes);
        copy[at]! ^= 0x40;
        await writeFile(p, copy);
      }, 'BUNDLE_DAMAGED');
    }
  });

  it('a changed header byte cannot pass either', async () => {
    const bytes = await readFile(good);
    const text = bytes.subarray(0, 300).toString('latin1');
    const at = text.indexOf('"salt":"') + 10;
    const copy = Buffer.from(bytes);
    copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
    await attempt((p) => writeFile(p, copy), 'BUNDLE_WRONG_PASSPHRASE');
  });
});
