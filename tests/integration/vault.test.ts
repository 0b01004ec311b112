import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { RedressError } from '../../electron/core/errors.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { manualClock, newVault, openVault, tempDir } from '../helpers/vault.js';

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of await walk(dir)) out.set(file, createHash('sha256').update(await readFile(file)).digest('hex') + ':' + (await stat(file)).mtimeMs);
  return out;
}

describe('vault', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => (dir = await tempDir()));
  afterEach(() => dir.cleanup());

  it('creates, closes and reopens with the passphrase; shows the recovery code once', async () => {
    const { vault, recoveryCode } = await newVault(dir.path);
    const kase = vault.cases.create({ title: 'Refund call', incidentType: 'impersonation' });
    await vault.close();
    const keyFile = await readFile(join(dir.path, 'vault.json'), 'utf8');
    assert.equal(keyFile.includes(recoveryCode), false);
    assert.equal(keyFile.includes(recoveryCode.replace(/-/g, '')), false);
    const again = await openVault(dir.path);
    assert.equal(again.cases.get(kase.id).title, 'Refund call');
    await again.close();
  });

  it('a wrong passphrase is a clear error and changes no byte of the data folder', async () => {
    const { vault } = await newVault(dir.path);
    vault.cases.create({ title: 'x', incidentType: 'phishing' });
    await vault.close();
    const before = await snapshot(dir.path);
    await assert.rejects(Vault.open(dir.path, 'not the passphrase', { actor: 't' }), (e: unknown) => e instanceof RedressError && e.code === 'WRONG_PASSPHRASE');
    assert.deepEqual(await snapshot(dir.path), before);
  });

  it('opens with the recovery code and sets a new passphrase', async () => {
    const { vault, recoveryCode } = await newVault(dir.path);
    const kase = vault.cases.create({ title: 'x', incidentType: 'phishing' });
    await vault.close();
    await assert.rejects(Vault.recover(dir.path, 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA', 'new passphrase!', { actor: 't' }), /WRONG_RECOVERY_CODE/);
    const recovered = await Vault.recover(dir.path, recoveryCode.toLowerCase(), 'new passphrase!', { actor: 't' });
    await recovered.close();
    await assert.rejects(openVault(dir.path), /WRONG_PASSPHRASE/);
    const opened = await Vault.open(dir.path, 'new passphrase!', { actor: 't' });
    assert.equal(opened.cases.get(kase.id).title, 'x');
    await opened.close();
  });

  it('refuses a short passphrase, a second init and a second process', async () => {
    await assert.rejects(Vault.create(dir.path, 'short', { actor: 't' }), /PASSPHRASE_WEAK/);
    const { vault } = await newVault(dir.path);
    await assert.rejects(newVault(dir.path), /VAULT_EXISTS/);
    await assert.rejects(openVault(dir.path), /VAULT_BUSY/);
    await vault.close();
    await (await openVault(dir.path)).close();
  });

  it('an empty or missing folder is VAULT_NOT_FOUND; a damaged vault.json is VAULT_KEYFILE_DAMAGED (evidence-kept.test.ts has more)', async () => {
    await assert.rejects(openVault(join(dir.path, 'nope')), /VAULT_NOT_FOUND/);
    await (await newVault(dir.path)).vault.close();
    await writeFile(join(dir.path, 'vault.json'), '{"format":');
    await assert.rejects(openVault(dir.path), /VAULT_KEYFILE_DAMAGED/);
  });

  it('sets the durability pragmas on every open (WAL, synchronous=FULL), and they hold after reopen', async () => {
    await (await newVault(dir.path)).vault.close();
    for (let i = 0; i < 2; i++) {
      const vault = await openVault(dir.path);
      const db = vault.context.db;
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('synchronous', { simple: true }), 2, 'synchronous must be FULL (2)');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('temp_store', { simple: true }), 2, 'temp_store must be MEMORY (2)');
      assert.equal(db.pragma('secure_delete', { simple: true }), 1);
      await vault.close();
    }
  });

  it('the database cannot be opened without the key, even by SQLite directly', async () => {
    await (await newVault(dir.path)).vault.close();
    const raw = await readFile(join(dir.path, 'vault.db'));
    assert.notEqual(raw.subarray(0, 15).toString('latin1'), 'SQLite format 3');
    const db = new Database(join(dir.path, 'vault.db'));
    assert.throws(() => db.prepare('SELECT * FROM sqlite_master').all(), /not a database|encrypted/);
    db.close();
  });

  it('a phrase entered into a case is nowhere in the data folder bytes (db, WAL, objects, temp)', async () => {
    const phrase = '骗子账号6222020200112233445';
    const phraseLatin = 'SCAMMER-PHRASE-7f3a9c-narrative';
    const { vault } = await newVault(dir.path);
    const kase = vault.cases.create({
      title: `Case ${phrase}`,
      incidentType: 'fake-investment',
      narrative: `They said ${phraseLatin} and ${phrase}`,
      parties: [{ id: 'p1', role: 'suspect', name: phrase, identifiers: [{ kind: 'bank-account', value: phrase }] }],
    });
    await vault.items.addBuffer(kase.id, Buffer.from(`screenshot text ${phrase} ${phraseLatin}`), { name: `${phraseLatin}.txt`, notes: phrase, tags: [phraseLatin] });
    const src = join(dir.path, '..', `${phraseLatin}-src.txt`);
    await writeFile(src, `${phrase}\n`.repeat(5000));
    try {
      await vault.items.addFile(kase.id, src, { title: phrase });
    } finally {
      await import('node:fs/promises').then((fs) => fs.rm(src, { force: true }));
    }
    vault.cases.update(kase.id, { narrative: `updated ${phraseLatin}` });
    // Scan while the vault is still open, so the WAL holds the latest pages.
    const files = await walk(dir.path);
    assert.ok(files.some((f) => f.endsWith('vault.db-wal')), 'the WAL exists during the scan');
    const needles = [phrase, phraseLatin].flatMap((p) => [Buffer.from(p, 'utf8'), Buffer.from(p, 'utf16le')]);
    needles.push(Buffer.from(phraseLatin.toLowerCase()));
    for (const file of files) {
      const bytes = await readFile(file);
      for (const needle of needles) assert.equal(bytes.includes(needle), false, `${file} contains a phrase`);
    }
    await vault.close();
    for (const file of await walk(dir.path)) {
      const bytes = await readFile(file);
      for (const needle of needles) assert.equal(bytes.includes(needle), false, `${file} contains a phrase after close`);
    }
  });

  it('records a clock that went backwards instead of hiding it', async () => {
    const clock = manualClock();
    const { vault } = await newVault(dir.path, { clock });
    const kase = vault.cases.create({ title: 'x', incidentType: 'other' });
    clock.advance(-3_600_000);
    await vault.items.addBuffer(kase.id, Buffer.from('a'), { name: 'a.txt' });
    const log = vault.log(kase.id);
    assert.equal(log[1]!.clockWentBackMs, 3_600_000);
    const report = await vault.verify(kase.id);
    assert.equal(report.ok, true);
    assert.equal(report.cases[0]!.warnings[0]!.kind, 'clock-went-back');
    await vault.close();
  });

  it('keeps items: duplicates are not re-added, exclusion needs a reason and is an entry', async () => {
    const { vault } = await newVault(dir.path);
    const kase = vault.cases.create({ title: 'x', incidentType: 'other' });
    const a = await vault.items.addBuffer(kase.id, Buffer.from('same bytes'), { name: 'a.png' });
    const b = await vault.items.addBuffer(kase.id, Buffer.from('same bytes'), { name: 'b.png' });
    assert.equal(b.duplicate, true);
    assert.equal(b.item.id, a.item.id);
    assert.throws(() => vault.items.exclude(a.item.id, '  '), /INVALID_INPUT/);
    vault.items.exclude(a.item.id, 'unrelated to the case');
    const derived = await vault.items.addBuffer(kase.id, Buffer.from('redacted bytes'), { name: 'a-redacted.png', derivedFrom: a.item.id });
    assert.equal(derived.item.derivedFrom, a.item.id);
    assert.equal(vault.items.list(kase.id).length, 2);
    assert.deepEqual(
      vault.log(kase.id).map((e) => e.action),
      ['case.created', 'item.added', 'item.excluded', 'item.added'],
    );
    assert.equal((await vault.verify()).ok, true);
    await vault.close();
  });
});
