// A vault as users' machines hold it today, written by the V8-ABI better-sqlite3-multiple-ciphers 12.11.1
// (scripts/make-legacy-vault.ts): the N-API layer must open it, verify it and keep writing to it.
import assert from 'node:assert/strict';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readEntries } from '../../electron/core/custody/chain.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { tempDir } from '../helpers/vault.js';

const fixture = fileURLToPath(new URL('../fixtures/vault-12.11.1/', import.meta.url));
interface Expected {
  passphrase: string;
  recoveryCode: string;
  caseId: string;
  items: { id: string; sha256: string }[];
  entries: number;
  headHash: string;
  transactions: number;
  flagged: string;
}

describe('a vault written by better-sqlite3-multiple-ciphers 12.11.1', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let expected: Expected;
  before(async () => {
    dir = await tempDir();
    await cp(join(fixture, 'data'), join(dir.path, 'data'), { recursive: true });
    expected = JSON.parse(await readFile(join(fixture, 'expected.json'), 'utf8')) as Expected;
  });
  after(() => dir.cleanup());

  it('opens with its passphrase, verifies intact and holds every record it was given', async () => {
    const vault = await Vault.open(join(dir.path, 'data'), expected.passphrase, { actor: 'test' });
    try {
      const report = await vault.verify();
      assert.equal(report.ok, true, JSON.stringify(report.problems));
      const chain = readEntries(vault.context.db, expected.caseId);
      assert.equal(chain.length, expected.entries);
      assert.equal(chain.at(-1)!.hash, expected.headHash);
      assert.deepEqual(
        vault.items.list(expected.caseId).map((i) => ({ id: i.id, sha256: i.sha256 })).sort((a, b) => a.id.localeCompare(b.id)),
        [...expected.items].sort((a, b) => a.id.localeCompare(b.id)),
      );
      const txs = new RecordRepo(vault.context).listTransactions(expected.caseId);
      assert.equal(txs.length, expected.transactions);
      assert.equal(txs.find((t) => t.id === expected.flagged)?.flagged, true);
    } finally {
      await vault.close();
    }
  });

  it('takes new entries, and the whole chain still verifies after reopening', async () => {
    const vault = await Vault.open(join(dir.path, 'data'), expected.passphrase, { actor: 'test' });
    await vault.items.addBuffer(expected.caseId, Buffer.from('written by the N-API layer'), { name: 'later.txt' });
    await vault.close();
    const again = await Vault.open(join(dir.path, 'data'), expected.passphrase, { actor: 'test' });
    try {
      const report = await again.verify();
      assert.equal(report.ok, true, JSON.stringify(report.problems));
      const chain = readEntries(again.context.db, expected.caseId);
      assert.equal(chain.length, expected.entries + 1);
      assert.equal(chain[expected.entries - 1]!.hash, expected.headHash, 'old entries are kept as they were');
      assert.equal(again.items.list(expected.caseId).length, expected.items.length + 1);
    } finally {
      await again.close();
    }
  });

  it('opens with its recovery code too', async () => {
    const vault = await Vault.recover(join(dir.path, 'data'), expected.recoveryCode, 'a new passphrase for the old vault', { actor: 'test' });
    assert.equal((await vault.verify()).ok, true);
    await vault.close();
  });
});
