// Each connection reuses its prepared statements; reuse must never change what a query returns.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir } from '../helpers/vault.js';

describe('prepared statements reused per connection', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  before(async () => {
    dir = await tempDir();
    vault = (await newVault(dir.path)).vault;
    const c = vault.cases.create({ title: 'a', incidentType: 'other' });
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await vault.items.addBuffer(c.id, Buffer.from(name), { name });
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  it('the same SQL gets the same statement', () => {
    const db = vault.context.db;
    assert.equal(db.prepare('SELECT id FROM items ORDER BY id'), db.prepare('SELECT id FROM items ORDER BY id'));
  });

  it('raw or plucked use does not leak into the next use of the same SQL', () => {
    const db = vault.context.db;
    const sql = 'SELECT id, title FROM items ORDER BY added_seq';
    assert.equal(typeof (db.prepare(sql).raw().all()[0] as unknown[])[0], 'string');
    assert.equal(typeof db.prepare(sql).pluck().get(), 'string');
    const row = db.prepare(sql).get() as { id: string; title: string };
    assert.deepEqual(Object.keys(row), ['id', 'title']);
  });

  it('a statement still iterating is not handed out again: nested use of the same SQL works', () => {
    const db = vault.context.db;
    const sql = 'SELECT id FROM items ORDER BY added_seq';
    const outer: string[] = [];
    let inner = 0;
    for (const r of db.prepare(sql).iterate() as Iterable<{ id: string }>) {
      outer.push(r.id);
      inner += (db.prepare(sql).all() as unknown[]).length;
    }
    assert.equal(outer.length, 3);
    assert.equal(inner, 9);
  });

  it('many distinct texts stay bounded and still run', () => {
    const db = vault.context.db;
    for (let n = 1; n <= 600; n++) {
      const sql = `SELECT COUNT(*) AS n FROM items WHERE added_seq IN (${Array.from({ length: n }, () => '?').join(',')})`;
      assert.equal((db.prepare(sql).get(...Array.from({ length: n }, (_, i) => i)) as { n: number }).n >= 0, true);
    }
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM items').get() as { n: number }).n, 3);
  });
});
