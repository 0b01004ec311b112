// Full verify checks the database file under the cases: a page changed without the key fails its SQLCipher HMAC,
// and damage inside pages that authenticate is found by quick_check.
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { openVault } from '../helpers/vault.js';
import { allProblems, buildFixture, copyOf, only, tamper, verifyAt, type Fixture } from './verify-fixture.js';

const PAGE = 4096; // SQLCipher 4

describe('verify checks the database itself', () => {
  let fx: Fixture;
  let vault: Awaited<ReturnType<typeof copyOf>>;
  before(async () => void (fx = await buildFixture()));
  after(() => fx.cleanup());
  beforeEach(async () => void (vault = await copyOf(fx)));
  afterEach(() => vault.cleanup());

  /** Flips one byte in the middle of a page of `table`, in the file, as someone without the key could. */
  async function flipPageOf(table: string): Promise<void> {
    const v = await openVault(vault.path);
    const pages = (v.context.db.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno').all(table) as { pageno: number }[]).map((r) => r.pageno);
    assert.equal(v.context.db.pragma('page_size', { simple: true }), PAGE);
    await v.close();
    await assert.rejects(stat(join(vault.path, 'vault.db-wal')), 'closing checkpointed the WAL into the file');
    const file = join(vault.path, 'vault.db');
    const bytes = await readFile(file);
    bytes[(pages[0]! - 1) * PAGE + 2000]! ^= 0x01;
    await writeFile(file, bytes);
  }

  it('a byte flipped in a page of the messages table is database-page-altered, naming the table', async () => {
    await flipPageOf('messages');
    const report = await verifyAt(vault.path);
    const vaultWide = report.problems.filter((p) => p.kind === 'database-page-altered');
    assert.equal(vaultWide.length, 1, JSON.stringify(allProblems(report)));
    assert.match(vaultWide[0]!.detail, /fail authentication \(their SQLCipher HMAC\).*affected: messages$/);
    assert.equal(vaultWide[0]!.caseId, '');
    // the case's own check cannot read its messages either, and says so instead of failing the whole run
    const inCase = report.cases.find((c) => c.caseId === fx.caseId)!;
    assert.equal(inCase.ok, false);
    assert.match(inCase.problems.find((p) => p.kind === 'database-page-altered')!.detail, /^the case's rows could not be read/);
    assert.equal(report.ok, false);
  });

  it("verifying one case reports the damaged database with the case, and chain-only skips the file check", async () => {
    await flipPageOf('imports');
    const one = await verifyAt(vault.path, { caseId: fx.otherCaseId });
    assert.equal(one.ok, false);
    assert.deepEqual(one.problems, []);
    assert.deepEqual(
      one.cases[0]!.problems.map((p) => [p.kind, p.caseId]),
      [['database-page-altered', fx.otherCaseId]],
    );
    assert.equal(one.cases[0]!.ok, false);
    const chainOnly = await verifyAt(vault.path, { caseId: fx.otherCaseId, chainOnly: true });
    assert.equal(chainOnly.ok, true, JSON.stringify(allProblems(chainOnly)));
  });

  it('a damaged index is named', async () => {
    await flipPageOf('messages_time');
    const [problem] = only(await verifyAt(vault.path), 'database-page-altered');
    assert.match(problem!.detail, /affected: messages_time$/);
  });

  it('damage inside pages that authenticate is database-damaged, in quick_check’s words', async () => {
    // Only a key holder can write authentic pages: here one declares a column INTEGER that holds text.
    await tamper(vault.path, (db) => {
      db.unsafeMode(true);
      db.pragma('writable_schema = ON');
      const changed = db.prepare(`UPDATE sqlite_schema SET sql = replace(sql, 'notes TEXT NOT NULL', 'notes INTEGER NOT NULL') WHERE name = 'items'`).run().changes;
      assert.equal(changed, 1);
    });
    const [problem] = only(await verifyAt(vault.path), 'database-damaged');
    assert.match(problem!.detail, /^SQLite's quick_check found \d+ problem\(s\) in the vault database: non-INTEGER value in items\.notes/);
  });

  it('SQLCipher’s cipher_integrity_check does nothing here: SQLite3 Multiple Ciphers lacks it (if this fails, use it)', async () => {
    await flipPageOf('messages');
    const v = await openVault(vault.path);
    try {
      assert.deepEqual(v.context.db.pragma('cipher_integrity_check'), []);
      assert.throws(() => v.context.db.pragma('quick_check'), { code: 'SQLITE_CORRUPT' });
    } finally {
      await v.close();
    }
  });
});
