// Statistics, verification and previews work on a read-only view of the vault: its own query-only connection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appendEntry } from '../../electron/core/custody/chain.js';
import { previewDisclosure } from '../../electron/core/packets/disclosure.js';
import { computeStats } from '../../electron/core/stats/compute.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir } from '../helpers/vault.js';

describe('the read-only view of a vault', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  let caseId: string;
  before(async () => {
    dir = await tempDir();
    vault = (await newVault(dir.path)).vault;
    caseId = vault.cases.create({ title: '冒充客服', incidentType: 'impersonation', losses: [{ amount: { currency: 'CNY', minor: 123_45 } }] }).id;
    await vault.items.addBuffer(caseId, Buffer.from('chat'), { name: 'chat.txt' });
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  it('refuses every write in SQLite itself, so nothing reached through it can append a custody entry', () => {
    const before = vault.log(caseId).length;
    const db = vault.reader.context.db;
    assert.throws(() => appendEntry(db, vault.context.clock, 'intruder', caseId, 'case.updated', { changes: {} }), /readonly|read-only/i);
    assert.throws(() => db.prepare("UPDATE cases SET title = 'changed'").run(), /readonly|read-only/i);
    assert.equal(vault.log(caseId).length, before);
    assert.equal(vault.cases.get(caseId).title, '冒充客服');
  });

  it('has no writing methods in its type', () => {
    const reader = vault.reader;
    // @ts-expect-error the view's cases cannot be created or updated
    void reader.cases.create;
    // @ts-expect-error nor can items be added
    void reader.items.addBuffer;
  });

  it('sees what the writer committed, at once', async () => {
    const before = vault.reader.items.list(caseId).length;
    await vault.items.addBuffer(caseId, Buffer.from('more'), { name: 'more.txt' });
    assert.equal(vault.reader.items.list(caseId).length, before + 1);
    assert.equal(vault.reader.log(caseId).at(-1)!.hash, vault.log(caseId).at(-1)!.hash);
  });

  it('verifies, counts and previews a disclosure without adding an entry', async () => {
    const head = vault.log(caseId).length;
    const report = await vault.reader.verify();
    assert.equal(report.ok, true);
    const stats = computeStats(vault.reader);
    assert.equal(stats.cases, 1);
    const preview = await previewDisclosure(vault.reader, { caseId, recipientId: 'cn-police' });
    assert.equal(preview.items.length, 2);
    assert.equal(vault.log(caseId).length, head);
  });
});
