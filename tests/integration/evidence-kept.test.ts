// Issue 13, "Nothing is ever deleted automatically": every fault a review found to make the vault delete evidence by
// itself, reproduced on real files (deleted, truncated and byte-flipped vault.db, vault.db-wal and vault.json, a real
// SIGKILL), and what the vault must do instead: refuse with an explanation and touch nothing, or set unreferenced
// originals aside in quarantine and report that the database went back in time.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, cp, mkdir, open, readdir, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dispatch } from '../../electron/core/app-service/dispatch.js';
import { AppService } from '../../electron/core/app-service/service.js';
import { exportBundle, importBundle } from '../../electron/core/bundles/index.js';
import { readEntries } from '../../electron/core/custody/chain.js';
import { RedressError, toErrorValue } from '../../electron/core/errors.js';
import { readKeyFile } from '../../electron/core/vault/keyfile.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { newVault, openVault, PASSPHRASE, tempDir, TEST_KDF } from '../helpers/vault.js';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(`${path}/`, ...(await walk(path)));
    else out.push(path);
  }
  return out.sort();
}

/** Every file and folder with its content hash and mtime: "nothing touched" means this is unchanged. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of await walk(dir)) out.set(path, path.endsWith('/') ? 'dir' : `${sha(await readFile(path))}:${(await stat(path)).mtimeMs}`);
  return out;
}

async function objectFiles(dataDir: string): Promise<string[]> {
  return (await walk(join(dataDir, 'objects'))).filter((p) => !p.endsWith('/'));
}

function rejectsWith(code: string) {
  return (e: unknown) => {
    assert.ok(e instanceof RedressError, `expected a RedressError, got ${String(e)}`);
    assert.equal(e.code, code, JSON.stringify(e.value));
    return true;
  };
}

async function flipByte(path: string, position: number): Promise<void> {
  const h = await open(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, position);
    b[0]! ^= 0x20;
    await h.write(b, 0, 1, position);
  } finally {
    await h.close();
  }
}

/** A vault with one case and `n` originals, closed. */
async function seed(dataDir: string, n: number): Promise<{ caseId: string; contents: Buffer[] }> {
  const { vault } = await newVault(dataDir);
  const caseId = vault.cases.create({ title: '冒充客服退款', incidentType: 'impersonation' }).id;
  const contents: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const data = Buffer.from(`original ${i} ${'y'.repeat(1000 * (i + 1))}`);
    contents.push(data);
    await vault.items.addBuffer(caseId, data, { name: `shot-${i}.png` });
  }
  await vault.close();
  return { caseId, contents };
}

describe('nothing is ever deleted automatically', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let dataDir: string;
  beforeEach(async () => {
    dir = await tempDir('redress-kept-');
    dataDir = join(dir.path, 'data');
  });
  afterEach(() => dir.cleanup());

  it('a deleted vault.db is VAULT_DB_MISSING: nothing in the folder changes and all 6 originals stay', async () => {
    await seed(dataDir, 6);
    await rm(join(dataDir, 'vault.db'));
    const before = await snapshot(dataDir);
    await assert.rejects(openVault(dataDir), rejectsWith('VAULT_DB_MISSING'));
    assert.deepEqual(await snapshot(dataDir), before);
    assert.equal((await objectFiles(dataDir)).length, 6);
    assert.equal(await readFile(join(dataDir, 'vault.db')).catch(() => null), null, 'no empty database was created');
  });

  it('an empty (0-byte) vault.db is VAULT_DB_EMPTY: nothing changes and the originals stay', async () => {
    await seed(dataDir, 3);
    await truncate(join(dataDir, 'vault.db'), 0);
    const before = await snapshot(dataDir);
    await assert.rejects(openVault(dataDir), rejectsWith('VAULT_DB_EMPTY'));
    assert.deepEqual(await snapshot(dataDir), before);
    assert.equal((await objectFiles(dataDir)).length, 3);
  });

  it('an older vault.db restored from a backup: the 2 newest originals go to quarantine, and the rollback is reported on open and by verify', async () => {
    const { caseId, contents } = await seed(dataDir, 3);
    await copyFile(join(dataDir, 'vault.db'), join(dir.path, 'backup.db'));
    const later = await openVault(dataDir);
    const lost = [Buffer.from('newer original A'), Buffer.from('newer original B, longer')];
    for (const [i, data] of lost.entries()) await later.items.addBuffer(caseId, data, { name: `newer-${i}.png` });
    await later.close();
    await copyFile(join(dir.path, 'backup.db'), join(dataDir, 'vault.db'));

    const vault = await openVault(dataDir);
    try {
      assert.equal(vault.items.list(caseId).length, 3);
      assert.equal((await objectFiles(dataDir)).length, 3, 'objects/ keeps exactly what the database refers to');
      const q = vault.recovery.quarantined;
      assert.equal(q.count, 2);
      assert.equal(q.bytes, lost[0]!.length + lost[1]!.length);
      assert.ok(q.oldest && q.newest && Date.parse(q.oldest) <= Date.parse(q.newest));
      const listed = await vault.quarantined({ inspect: true });
      assert.deepEqual(listed.map((e) => e.sha256).sort(), lost.map((b) => sha(b)).sort());
      for (const e of listed) {
        assert.equal(e.intact, true);
        assert.ok(Date.parse(e.storedAt) > 0 && Date.parse(e.quarantinedAt) > 0);
        assert.equal(e.reason, 'unreferenced');
      }

      const rollback = vault.recovery.rollback;
      assert.ok(rollback, 'the rollback is reported on open');
      assert.equal(rollback.entriesMissing, 2);
      assert.deepEqual(rollback.cases.map((c) => ({ caseId: c.caseId, seenSeq: c.seenSeq, foundSeq: c.foundSeq, state: c.state })), [{ caseId, seenSeq: 6, foundSeq: 4, state: 'behind' }]);
      const report = await vault.verify();
      assert.equal(report.ok, false);
      assert.deepEqual(report.problems.map((p) => [p.kind, p.caseId]), [['vault-rolled-back', caseId]]);
      const one = await vault.verify(caseId);
      assert.equal(one.ok, false, 'verifying the case alone reports it too');

      // Re-attach one, discard the other; then continue knowingly.
      const keep = listed.find((e) => e.sha256 === sha(lost[0]!))!;
      const drop = listed.find((e) => e.sha256 === sha(lost[1]!))!;
      const back = await vault.reattachQuarantined(keep.id.slice(0, 10), caseId, { title: 'recovered screenshot' });
      assert.equal(back.duplicate, false);
      assert.equal(back.item.sha256, sha(lost[0]!));
      assert.deepEqual(await vault.items.readAll(back.item.id), lost[0]);
      const entry = vault.log(caseId).at(-1)!;
      assert.equal(entry.action, 'item.added');
      assert.equal(entry.payload.source, 'recovered from quarantine');
      assert.equal((entry.payload.recovered as { storedAt: string }).storedAt, keep.storedAt);
      assert.deepEqual((await vault.discardQuarantined([drop.id])).map((e) => e.id), [drop.id]);
      assert.deepEqual(await vault.quarantined(), []);

      const ack = await vault.acknowledgeRollback();
      assert.equal(ack.recordedOn, 1);
      assert.equal(vault.rollback, null);
      const last = vault.log(caseId).at(-1)!;
      assert.equal(last.action, 'vault.rollback-acknowledged');
      assert.deepEqual({ seen: last.payload.seen, found: (last.payload.found as { seq: number }).seq }, { seen: { seq: 6, hash: rollback.cases[0]!.seenHash }, found: 5 });
      assert.equal((await vault.verify()).ok, true, 'after the acknowledgement the vault verifies');
      assert.equal(vault.items.list(caseId).length, 4);
      assert.deepEqual(await vault.items.readAll(vault.items.list(caseId)[0]!.id), contents[0]);
    } finally {
      await vault.close();
    }
    const again = await openVault(dataDir);
    assert.equal(again.rollback, null, 'the acknowledgement re-based the counter durably');
    assert.equal((await again.verify()).ok, true);
    await again.close();
  });

  for (const damage of ['deleted', 'truncated', 'flipped'] as const) {
    it(`WAL ${damage} after a crash (SIGKILL): the committed items' originals go to quarantine and the rollback is reported`, async () => {
      const { caseId } = await seed(dataDir, 3);
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, caseId, '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('idle')) resolve();
        });
        child.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
      });
      // the vault records the heads it has seen within a second of a commit, without an fsync per item
      await new Promise((r) => setTimeout(r, 1200));
      child.kill('SIGKILL');
      await exited;
      const wal = join(dataDir, 'vault.db-wal');
      const walSize = (await stat(wal)).size;
      assert.ok(walSize > 0, 'the WAL holds the commits');
      if (damage === 'deleted') await rm(wal);
      if (damage === 'truncated') await truncate(wal, Math.floor(walSize / 2));
      if (damage === 'flipped') await flipByte(wal, Math.floor(walSize * 0.6));

      const vault = await openVault(dataDir);
      try {
        const items = vault.items.list(caseId).length;
        const lostItems = 8 - items;
        assert.ok(lostItems >= 1, `some committed items are gone from the database (${items} left)`);
        assert.equal(vault.recovery.quarantined.count, lostItems, 'each lost item has its original in quarantine');
        assert.equal((await vault.quarantined({ inspect: true })).filter((e) => e.intact).length, lostItems);
        assert.ok(vault.rollback, 'the rollback is reported');
        assert.equal(vault.rollback.entriesMissing, lostItems);
        const report = await vault.verify();
        assert.equal(report.ok, false);
        assert.equal(report.problems[0]!.kind, 'vault-rolled-back');
        for (const e of await vault.quarantined()) await vault.reattachQuarantined(e.id, caseId);
        assert.equal(vault.items.list(caseId).length, 8, 'every original is back as an item');
        await vault.acknowledgeRollback();
        assert.equal((await vault.verify()).ok, true);
      } finally {
        await vault.close();
      }
    });
  }

  it('a later database restored over an older one gets its quarantined originals back', async () => {
    const { caseId } = await seed(dataDir, 2);
    await copyFile(join(dataDir, 'vault.db'), join(dir.path, 'old.db'));
    const later = await openVault(dataDir);
    await later.items.addBuffer(caseId, Buffer.from('third'), { name: 'c.png' });
    await later.items.addBuffer(caseId, Buffer.from('fourth'), { name: 'd.png' });
    await later.close();
    await copyFile(join(dataDir, 'vault.db'), join(dir.path, 'new.db'));
    await copyFile(join(dir.path, 'old.db'), join(dataDir, 'vault.db'));
    const old = await openVault(dataDir);
    assert.equal(old.recovery.quarantined.count, 2);
    await old.close();
    await copyFile(join(dir.path, 'new.db'), join(dataDir, 'vault.db'));
    const vault = await openVault(dataDir);
    try {
      assert.equal(vault.recovery.restored, 2);
      assert.equal(vault.recovery.quarantined.count, 0);
      assert.deepEqual(await vault.quarantined(), []);
      const report = await vault.verify();
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.equal(vault.rollback, null);
    } finally {
      await vault.close();
    }
  });

  it('after a crash: an unfinished write in tmp/ is removed, a complete one is quarantined, anything else in tmp/ is left alone', async () => {
    const { caseId, contents } = await seed(dataDir, 1);
    const vault = await openVault(dataDir);
    // a sealed original that never got its rename into objects/ (killed between fsync and rename)
    const unrenamed = await vault.context.objects.ingestBuffer(Buffer.from('a pasted screenshot, never recorded'));
    const referenced = vault.context.objects.pathOf(vault.items.objectName(vault.items.list(caseId)[0]!.id));
    await vault.close();
    const tmp = join(dataDir, 'tmp');
    await rename(join(dataDir, 'objects', unrenamed.objectName.slice(0, 2), unrenamed.objectName), join(tmp, 'aaaaaaaaaaaaaaaaaaaaaaaa.part'));
    const half = await readFile(referenced);
    await writeFile(join(tmp, 'bbbbbbbbbbbbbbbbbbbbbbbb.part'), half.subarray(0, Math.floor(half.length / 2)));
    await copyFile(referenced, join(tmp, 'cccccccccccccccccccccccc.part'));
    await writeFile(join(tmp, 'notes.txt'), 'not ours');
    await mkdir(join(tmp, 'staging'));
    await writeFile(join(tmp, 'staging', 'upload.bin'), 'someone else staged this');

    const again = await openVault(dataDir);
    try {
      assert.equal(again.recovery.partialFilesRemoved, 2, 'the incomplete write and the copy of a stored original');
      assert.equal(again.recovery.quarantined.count, 1);
      const [entry] = await again.quarantined({ inspect: true });
      assert.equal(entry!.sha256, unrenamed.sha256);
      assert.equal(entry!.reason, 'unfinished-write');
      assert.deepEqual((await readdir(tmp)).sort(), ['notes.txt', 'staging']);
      assert.equal(await readFile(join(tmp, 'staging', 'upload.bin'), 'utf8'), 'someone else staged this');
      assert.deepEqual(await again.items.readAll(again.items.list(caseId)[0]!.id), contents[0]);
    } finally {
      await again.close();
    }
  });

  it('init never deletes an existing vault.db or objects/: without vault.json it is VAULT_KEYFILE_MISSING, also for the app, and nothing changes', async () => {
    await seed(dataDir, 2);
    await rm(join(dataDir, 'vault.json'));
    const before = await snapshot(dataDir);
    await assert.rejects(Vault.create(dataDir, PASSPHRASE, { actor: 't', kdf: TEST_KDF }), rejectsWith('VAULT_KEYFILE_MISSING'));
    await assert.rejects(openVault(dataDir), rejectsWith('VAULT_KEYFILE_MISSING'));
    const service = new AppService({ dataDir, prefsFile: join(dir.path, 'prefs.json'), actor: 't', kdf: TEST_KDF, pickFiles: async () => [], capturer: null, previewUrl: () => '', emit: () => undefined });
    const created = await dispatch(service.handlers, 'vault.create', { passphrase: PASSPHRASE });
    assert.equal(created.ok, false);
    assert.equal(!created.ok && created.error.code, 'VAULT_KEYFILE_MISSING');
    assert.deepEqual(await snapshot(dataDir), before);
    // only the originals, without a database either: still refused
    await rm(join(dataDir, 'vault.db'));
    await assert.rejects(Vault.create(dataDir, PASSPHRASE, { actor: 't', kdf: TEST_KDF }), rejectsWith('VAULT_KEYFILE_MISSING'));
    assert.equal((await objectFiles(dataDir)).length, 2);
  });

  it('an interrupted create leaves no vault.db behind, so running init again simply works', async () => {
    await mkdir(dataDir, { recursive: true });
    // writing vault.json fails (its temporary name is taken by a folder): the create stops after the database
    await mkdir(join(dataDir, 'vault.json.new'));
    await assert.rejects(Vault.create(dataDir, PASSPHRASE, { actor: 't', kdf: TEST_KDF }));
    const left = await readdir(dataDir);
    assert.equal(left.includes('vault.db'), false, `left behind: ${left.join(', ')}`);
    assert.equal(left.includes('vault.json'), false);
    await rm(join(dataDir, 'vault.json.new'), { recursive: true });
    const { vault } = await newVault(dataDir);
    vault.cases.create({ title: 'x', incidentType: 'other' });
    await vault.close();
    await (await openVault(dataDir)).close();
  });

  it('a create interrupted after vault.json was written is finished on the next open', async () => {
    const { caseId } = await seed(dataDir, 1);
    // the state between writing vault.json and renaming the new database into place
    await rename(join(dataDir, 'vault.db'), join(dataDir, 'vault.db.new'));
    const vault = await openVault(dataDir);
    assert.equal(vault.items.list(caseId).length, 1);
    await vault.close();
    assert.ok((await readdir(dataDir)).includes('vault.db'));
  });

  it('a damaged vault.json is VAULT_KEYFILE_DAMAGED, never WRONG_PASSPHRASE', async () => {
    await seed(dataDir, 1);
    const path = join(dataDir, 'vault.json');
    const good = await readFile(path, 'utf8');
    const parsed = JSON.parse(good);
    // one character of the wrapped key changed (still valid base64): a bit flip on disk
    const ct: string = parsed.passphrase.ciphertext;
    const flipped = { ...parsed, passphrase: { ...parsed.passphrase, ciphertext: (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1) } };
    const { kdf: _kdf, ...noKdf } = parsed;
    for (const [what, text] of [
      ['cut short', good.slice(0, good.length / 2)],
      ['a character of the wrapped key changed', JSON.stringify(flipped, null, 2)],
      ['a field missing', JSON.stringify(noKdf)],
      ['binary garbage', '\u0000\u0001\u00ff'.repeat(50)],
    ] as const) {
      await writeFile(path, text);
      await assert.rejects(openVault(dataDir), rejectsWith('VAULT_KEYFILE_DAMAGED'), what);
      await assert.rejects(Vault.recover(dataDir, 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA', 'some new passphrase 2026', { actor: 't' }), rejectsWith('VAULT_KEYFILE_DAMAGED'), what);
      await assert.rejects(Vault.create(dataDir, 'plaza tumble oyster quantum', { actor: 't', kdf: TEST_KDF }), rejectsWith('VAULT_KEYFILE_DAMAGED'), `${what}: create must not replace it`);
      assert.equal(await readFile(path, 'utf8'), text, 'the damaged file is left as it is');
    }
    await writeFile(path, good);
    await (await openVault(dataDir)).close();
  });

  it('kdf parameters read from vault.json are bounded: an edited cost is refused at once, before any key derivation', async () => {
    await seed(dataDir, 1);
    const keyFile = (await readKeyFile(dataDir))!;
    for (const kdf of [
      { name: 'scrypt' as const, N: 2 ** 17, r: 8, p: 64 }, // 128 MiB but 64 times the default time: over half a minute
      { name: 'scrypt' as const, N: 2 ** 22, r: 8, p: 1 }, // 4 GiB
      { name: 'scrypt' as const, N: 1000, r: 8, p: 1 }, // not a power of two
    ]) {
      // with a checksum that matches (anyone can recompute it): only the bound can refuse it
      const content = { ...keyFile, kdf };
      await writeFile(join(dataDir, 'vault.json'), JSON.stringify({ ...content, check: sha(JSON.stringify(content)) }, null, 2));
      const started = Date.now();
      await assert.rejects(openVault(dataDir), rejectsWith('VAULT_KEYFILE_DAMAGED'));
      assert.ok(Date.now() - started < 1000, `refused in ${Date.now() - started} ms`);
    }
  });

  it('a vault.json written before the counter existed is upgraded on open, with no rollback reported', async () => {
    const { caseId } = await seed(dataDir, 2);
    const path = join(dataDir, 'vault.json');
    const legacy = JSON.parse(await readFile(path, 'utf8'));
    const { heads: _heads, check: _check, ...older } = legacy;
    await writeFile(path, JSON.stringify(older, null, 2) + '\n');
    const vault = await openVault(dataDir);
    assert.equal(vault.rollback, null);
    await vault.close();
    const upgraded = JSON.parse(await readFile(path, 'utf8'));
    assert.ok(upgraded.heads && upgraded.heads.counter >= 1, 'the counter is added');
    // and it now protects the vault: a rollback after the upgrade is seen
    await copyFile(join(dataDir, 'vault.db'), join(dir.path, 'b.db'));
    const more = await openVault(dataDir);
    await more.items.addBuffer(caseId, Buffer.from('after the upgrade'), { name: 'z.png' });
    await more.close();
    await copyFile(join(dir.path, 'b.db'), join(dataDir, 'vault.db'));
    const rolled = await openVault(dataDir);
    assert.ok(rolled.rollback);
    await rolled.close();
  });

  it('the legacy 12.11.1 vault opens, is upgraded, and is not reported as rolled back', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/vault-12.11.1/', import.meta.url));
    await cp(join(fixture, 'data'), dataDir, { recursive: true });
    const expected = JSON.parse(await readFile(join(fixture, 'expected.json'), 'utf8')) as { passphrase: string };
    for (let i = 0; i < 2; i++) {
      const vault = await Vault.open(dataDir, expected.passphrase, { actor: 't' });
      assert.equal(vault.rollback, null);
      assert.equal(vault.recovery.quarantined.count, 0);
      assert.equal((await vault.verify()).ok, true);
      await vault.close();
    }
    assert.ok(JSON.parse(await readFile(join(dataDir, 'vault.json'), 'utf8')).heads);
  });

  it('a rolled-back database is still reported after new work was done on it (the chain forked)', async () => {
    const { caseId } = await seed(dataDir, 1);
    await copyFile(join(dataDir, 'vault.db'), join(dir.path, 'b.db'));
    const a = await openVault(dataDir);
    await a.items.addBuffer(caseId, Buffer.from('lost'), { name: 'lost.png' });
    await a.close();
    await copyFile(join(dir.path, 'b.db'), join(dataDir, 'vault.db'));
    const b = await openVault(dataDir);
    assert.ok(b.rollback);
    // more work on the old database, up to and past the lost entry's position
    await b.items.addBuffer(caseId, Buffer.from('new 1'), { name: 'n1.png' });
    await b.items.addBuffer(caseId, Buffer.from('new 2'), { name: 'n2.png' });
    await b.close();
    const c = await openVault(dataDir);
    try {
      assert.ok(c.rollback, 'still reported: it was never acknowledged');
      assert.equal(c.rollback.cases[0]!.state, 'diverged');
      assert.equal((await c.verify()).ok, false);
    } finally {
      await c.close();
    }
  });

  it('commits are recorded outside the database within a second, and at close', async () => {
    const { caseId } = await seed(dataDir, 0);
    const counter = async () => (JSON.parse(await readFile(join(dataDir, 'vault.json'), 'utf8')).heads?.counter as number | undefined) ?? 0;
    const vault = await openVault(dataDir);
    const start = await counter();
    await vault.items.addBuffer(caseId, Buffer.from('one'), { name: 'one.png' });
    await new Promise((r) => setTimeout(r, 1000));
    const afterOne = await counter();
    assert.ok(afterOne > start, 'written in the background');
    // many commits in a burst are batched into few writes
    for (let i = 0; i < 50; i++) await vault.items.addBuffer(caseId, Buffer.from(`burst ${i}`), { name: `b${i}.png` });
    await vault.close();
    const afterClose = await counter();
    assert.ok(afterClose > afterOne && afterClose - afterOne < 25, `50 commits, ${afterClose - afterOne} counter writes`);
  });

  it('no false alarm: a newer bundle that replaces this vault\'s own transfer entry', async () => {
    const a = (await newVault(join(dir.path, 'a'))).vault;
    const caseId = a.cases.create({ title: 'shared', incidentType: 'other' }).id;
    await a.items.addBuffer(caseId, Buffer.from('first'), { name: 'f.png' });
    await exportBundle(a, caseId, { out: join(dir.path, 'v1.redress'), passphrase: 'plaza tumble oyster quantum', kdf: TEST_KDF });
    const { vault: b0 } = await newVault(dataDir);
    await importBundle(b0, join(dir.path, 'v1.redress'), { passphrase: 'plaza tumble oyster quantum' });
    await b0.close(); // the head seen here is b's own transfer entry
    await a.items.addBuffer(caseId, Buffer.from('second'), { name: 's.png' });
    await exportBundle(a, caseId, { out: join(dir.path, 'v2.redress'), passphrase: 'plaza tumble oyster quantum', kdf: TEST_KDF });
    await a.close();
    const b1 = await openVault(dataDir);
    const result = await importBundle(b1, join(dir.path, 'v2.redress'), { passphrase: 'plaza tumble oyster quantum' });
    assert.equal(result.status, 'updated');
    assert.ok(readEntries(b1.context.db, caseId).at(-1)!.payload.supersededTransfers, 'the transfer entry was replaced');
    await b1.close();
    const b2 = await openVault(dataDir);
    assert.equal(b2.rollback, null);
    assert.equal((await b2.verify()).ok, true);
    await b2.close();
  });

  it('the app reaches all of it through the IPC contract: integrity, quarantine list, reattach, discard, acknowledge', async () => {
    const { caseId } = await seed(dataDir, 2);
    await copyFile(join(dataDir, 'vault.db'), join(dir.path, 'backup.db'));
    const later = await openVault(dataDir);
    await later.items.addBuffer(caseId, Buffer.from('newer one'), { name: 'n1.png' });
    await later.items.addBuffer(caseId, Buffer.from('newer two'), { name: 'n2.png' });
    await later.close();
    await copyFile(join(dir.path, 'backup.db'), join(dataDir, 'vault.db'));
    const service = new AppService({ dataDir, prefsFile: join(dir.path, 'prefs.json'), actor: 'ui', kdf: TEST_KDF, pickFiles: async () => [], capturer: null, previewUrl: () => '', emit: () => undefined });
    const call = async (channel: string, request: unknown) => {
      const r = await dispatch(service.handlers, channel, request);
      assert.ok(r.ok, `${channel}: ${JSON.stringify(r)}`);
      return r.value as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    try {
      assert.deepEqual(await call('vault.unlock', { passphrase: PASSPHRASE }), { repaired: 2 });
      const integrity = await call('vault.integrity', {});
      assert.equal(integrity.opened.quarantined.count, 2);
      assert.equal(integrity.quarantine.count, 2);
      assert.equal(integrity.rollback.cases[0].caseId, caseId);
      const listed = await call('vault.quarantine.list', { inspect: true });
      assert.deepEqual(listed.map((e: { sha256: string }) => e.sha256).sort(), [sha('newer one'), sha('newer two')].sort());
      const back = await call('vault.quarantine.reattach', { quarantineId: listed[0].id.slice(0, 8), caseId, title: 'from quarantine' });
      assert.equal(back.item.title, 'from quarantine');
      const bad = await dispatch(service.handlers, 'vault.quarantine.discard', { quarantineIds: ['../../etc'] });
      assert.equal(!bad.ok && bad.error.code, 'INVALID_INPUT');
      assert.equal((await call('vault.quarantine.discard', { quarantineIds: [listed[1].id] })).discarded.length, 1);
      assert.deepEqual(await call('vault.rollback.acknowledge', {}), { acknowledged: true, recordedOn: 1 });
      assert.equal((await call('vault.integrity', {})).rollback, null);
      assert.equal((await call('vault.quarantine.list', {})).length, 0);
    } finally {
      await service.lock('user');
    }
  });

  it('SQLITE_CORRUPT and SQLITE_NOTADB, from open or from any query, are VAULT_CORRUPT, never INTERNAL', async () => {
    for (const code of ['SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_NOTADB']) {
      assert.equal(toErrorValue(Object.assign(new Error('database disk image is malformed'), { code })).code, 'VAULT_CORRUPT', code);
    }
    assert.equal(toErrorValue(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT' })).code, 'INTERNAL');
    // a real damaged page: the last page is read at open, page 2 by the first query
    const { caseId } = await seed(dataDir, 30);
    const db = join(dataDir, 'vault.db');
    const pages = (await stat(db)).size / 4096;
    await copyFile(db, join(dir.path, 'good.db'));
    await flipByte(db, (pages - 1) * 4096 + 1000);
    await assert.rejects(openVault(dataDir), rejectsWith('VAULT_CORRUPT'));
    await copyFile(join(dir.path, 'good.db'), db);
    await flipByte(db, 4096 + 1000);
    let failure: unknown = null;
    const vault = await openVault(dataDir).catch((e: unknown) => (failure = e));
    if (vault instanceof Vault) {
      try {
        vault.items.list(caseId);
        await vault.verify();
      } catch (e) {
        failure = e;
      } finally {
        await vault.close();
      }
    }
    assert.ok(failure, 'the damage is noticed');
    assert.equal(toErrorValue(failure).code, 'VAULT_CORRUPT');
  });
});
