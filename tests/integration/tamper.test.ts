import assert from 'node:assert/strict';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { ProblemKind } from '../../electron/core/verify/problems.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, openVault, tempDir } from '../helpers/vault.js';

/**
 * Each test builds a real vault, tampers with it the way someone with the files (and, for rows, the database
 * key) could, reopens it, and checks that verify names the exact item or entry and the kind of failure.
 */
describe('tamper detection', () => {
  let template: Awaited<ReturnType<typeof tempDir>>;
  let dir: { path: string };
  let caseId: string;
  let itemIds: string[];

  // The vault is built once and copied for each test (each test changes one thing in its copy).
  before(async () => {
    template = await tempDir();
    const { vault } = await newVault(template.path);
    caseId = vault.cases.create({ title: 'Fake investment', incidentType: 'fake-investment' }).id;
    itemIds = [];
    for (let i = 0; i < 4; i++) {
      const { item } = await vault.items.addBuffer(caseId, Buffer.from(`evidence ${i} `.repeat(100_000 * (i + 1))), { name: `e${i}.txt` });
      itemIds.push(item.id);
    }
    vault.items.annotate(itemIds[0]!, { notes: 'first transfer' });
    assert.equal((await vault.verify()).ok, true);
    await vault.close();
  });
  after(() => template.cleanup());
  let copy: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    copy = await tempDir();
    dir = { path: join(copy.path, 'vault') };
    await cp(template.path, dir.path, { recursive: true });
  });
  afterEach(() => copy.cleanup());

  async function tamperDb(sql: (vault: Vault) => void): Promise<void> {
    const vault = await openVault(dir.path);
    sql(vault);
    await vault.close();
  }

  async function problems() {
    const vault = await openVault(dir.path);
    try {
      const report = await vault.verify();
      assert.equal(report.ok, false, 'verification must fail');
      return [...report.problems, ...report.cases.flatMap((c) => c.problems)];
    } finally {
      await vault.close();
    }
  }

  function has(list: Awaited<ReturnType<typeof problems>>, kind: ProblemKind, where: { itemId?: string; seq?: number }) {
    const hit = list.find((p) => p.kind === kind && (where.itemId === undefined || p.itemId === where.itemId) && (where.seq === undefined || p.seq === where.seq));
    assert.ok(hit, `expected ${kind} at ${JSON.stringify(where)}, got ${JSON.stringify(list, null, 1)}`);
  }

  it('names the item whose stored original had one byte altered', async () => {
    const vault = await openVault(dir.path);
    const path = vault.context.objects.pathOf(vault.items.objectName(itemIds[2]!));
    await vault.close();
    const bytes = await readFile(path);
    bytes[bytes.length - 100]! ^= 0x01;
    await writeFile(path, bytes);
    const found = await problems();
    has(found, 'item-file-altered', { itemId: itemIds[2]! });
    assert.equal(found.length, 1);
    assert.match(found[0]!.detail, /^the stored original of "e2\.txt" was altered \(.+\)$/);
  });

  it('a stored original that cannot be read (a folder in its place) is an error, not reported as altered', async () => {
    // A read failure (a failing disk, a permission) says nothing about tampering: verify stops with the error
    // instead of accusing the file.
    const vault = await openVault(dir.path);
    const path = vault.context.objects.pathOf(vault.items.objectName(itemIds[2]!));
    await vault.close();
    await rm(path);
    await mkdir(path);
    const again = await openVault(dir.path);
    try {
      await assert.rejects(again.verify(), (err: NodeJS.ErrnoException) => err.code === 'EISDIR');
    } finally {
      await again.close();
    }
  });

  it('names the item whose stored original was deleted', async () => {
    const vault = await openVault(dir.path);
    const path = vault.context.objects.pathOf(vault.items.objectName(itemIds[1]!));
    await vault.close();
    await rm(path);
    const found = await problems();
    has(found, 'item-file-missing', { itemId: itemIds[1]! });
    assert.equal(found[0]!.detail, 'the stored original of "e1.txt" is missing');
  });

  it('names an item row edited in the database (one field: every other is in verify-items.test.ts)', async () => {
    await tamperDb((v) => v.context.db.prepare("UPDATE items SET notes = 'nothing happened' WHERE id = ?").run(itemIds[0]));
    const found = await problems();
    has(found, 'item-record-altered', { itemId: itemIds[0]! });
    assert.equal(found.length, 1);
    assert.match(found[0]!.detail, /: notes differ from the custody chain$/);
  });

  it('names an edited case row', async () => {
    await tamperDb((v) => v.context.db.prepare("UPDATE cases SET title = 'Something else' WHERE id = ?").run(caseId));
    const found = await problems();
    has(found, 'case-record-altered', {});
    assert.deepEqual(found.map((p) => p.detail), ["the case's title differs from what the custody chain records"]);
  });

  it('names an entry whose content was edited', async () => {
    await tamperDb((v) => {
      const row = v.context.db.prepare('SELECT body FROM custody WHERE case_id = ? AND seq = 3').get(caseId) as { body: string };
      v.context.db.prepare('UPDATE custody SET body = ? WHERE case_id = ? AND seq = 3').run(row.body.replace('"e1.txt"', '"e9.txt"'), caseId);
    });
    has(await problems(), 'entry-altered', { seq: 3 });
  });

  it('names a deleted entry', async () => {
    await tamperDb((v) => v.context.db.prepare('DELETE FROM custody WHERE case_id = ? AND seq = 2').run(caseId));
    has(await problems(), 'entry-missing', { seq: 2 });
  });

  it('names reordered entries', async () => {
    await tamperDb((v) => {
      const db = v.context.db;
      const a = db.prepare('SELECT body, hash FROM custody WHERE case_id = ? AND seq = 3').get(caseId) as { body: string; hash: string };
      const b = db.prepare('SELECT body, hash FROM custody WHERE case_id = ? AND seq = 4').get(caseId) as { body: string; hash: string };
      db.prepare('UPDATE custody SET body = ?, hash = ? WHERE case_id = ? AND seq = 3').run(b.body, b.hash, caseId);
      db.prepare('UPDATE custody SET body = ?, hash = ? WHERE case_id = ? AND seq = 4').run(a.body, a.hash, caseId);
    });
    const found = await problems();
    assert.ok(found.some((p) => p.kind === 'entry-reordered' && (p.seq === 3 || p.seq === 4)), JSON.stringify(found));
  });

  it('names a truncated chain', async () => {
    await tamperDb((v) => v.context.db.prepare('DELETE FROM custody WHERE case_id = ? AND seq >= 5').run(caseId));
    has(await problems(), 'chain-truncated', { seq: 5 });
  });

  it('names an entry rewritten with a fresh, self-consistent hash (the next link breaks)', async () => {
    const { entryHash, canonicalJson } = await import('../../electron/core/custody/entry.js');
    await tamperDb((v) => {
      const db = v.context.db;
      const row = db.prepare('SELECT body FROM custody WHERE case_id = ? AND seq = 2').get(caseId) as { body: string };
      const body = JSON.parse(row.body);
      body.payload.title = 'forged';
      db.prepare('UPDATE custody SET body = ?, hash = ? WHERE case_id = ? AND seq = 2').run(canonicalJson(body), entryHash(body), caseId);
    });
    has(await problems(), 'chain-broken', { seq: 3 });
  });

  it('names an item row deleted from the database', async () => {
    const vault = await openVault(dir.path);
    const path = vault.context.objects.pathOf(vault.items.objectName(itemIds[3]!));
    vault.context.db.prepare('DELETE FROM items WHERE id = ?').run(itemIds[3]);
    await vault.close();
    has(await problems(), 'item-record-missing', { itemId: itemIds[3]! });
    // The stored original is kept: its custody entry still references it.
    assert.ok((await readFile(path)).length > 0);
  });
});
