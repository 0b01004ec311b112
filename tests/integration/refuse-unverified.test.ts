// Packets and bundles are built from what the custody chain vouches for (issue 13): a case whose rows no longer match
// its chain is refused, with the failing check named, instead of printing the altered value to a recipient.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { exportBundle } from '../../electron/core/bundles/export.js';
import { RedressError } from '../../electron/core/errors.js';
import { buildPacket } from '../../electron/core/packets/build-packet.js';
import { openVault, TEST_KDF } from '../helpers/vault.js';
import { buildFixture, copyOf, tamper, type Fixture } from './verify-fixture.js';

const TRANSFER = 'correct horse battery staple 2026';

describe('packets and bundles refuse a case that fails verification', () => {
  let fx: Fixture;
  let copy: Awaited<ReturnType<typeof copyOf>>;
  before(async () => void (fx = await buildFixture()));
  after(() => fx.cleanup());
  beforeEach(async () => void (copy = await copyOf(fx)));
  afterEach(() => copy.cleanup());

  const refused = (check: string) => (err: unknown) => {
    assert.ok(err instanceof RedressError, String(err));
    assert.equal(err.code, 'CASE_UNVERIFIED');
    assert.equal(err.value.params.check, check);
    assert.ok(Number(err.value.params.problems) >= 1);
    assert.equal(typeof err.value.params.detail, 'string', 'the first problem is quoted for the CLI and the log');
    return true;
  };

  it('an amount ×100 stops the packet, and nothing is left in the output folder', async () => {
    await tamper(copy.path, (db) => db.prepare('UPDATE transactions SET amount_minor = amount_minor * 100 WHERE id = ?').run(fx.transactionIds[1]!));
    const vault = await openVault(copy.path);
    try {
      const outDir = join(copy.path, '..', 'out');
      await assert.rejects(buildPacket(vault, { caseId: fx.caseId, recipientId: 'cn-police', outDir }), refused('records-altered'));
      assert.deepEqual(await readdir(outDir).catch(() => []), []);
      // the other case is untouched and still builds
      const other = await buildPacket(vault, { caseId: fx.otherCaseId, recipientId: 'cn-police', outDir });
      assert.ok(other.packetSha256);
    } finally {
      await vault.close();
    }
  });

  it('a backdated capture time stops the packet', async () => {
    await tamper(copy.path, (db) => db.prepare(`UPDATE items SET captured_at = '2020-01-01T00:00:00.000Z' WHERE id = ?`).run(fx.photo.itemId));
    const vault = await openVault(copy.path);
    try {
      await assert.rejects(buildPacket(vault, { caseId: fx.caseId, recipientId: 'cn-police', outDir: join(copy.path, '..', 'out') }), refused('item-record-altered'));
    } finally {
      await vault.close();
    }
  });

  it('a flag set outside Redress stops the bundle export, and no bundle file is written', async () => {
    await tamper(copy.path, (db) => db.prepare('UPDATE messages SET flagged = 1 WHERE case_id = ?').run(fx.caseId));
    const vault = await openVault(copy.path);
    try {
      const out = join(copy.path, '..', 'case.redress');
      const before = vault.log(fx.caseId).length;
      await assert.rejects(exportBundle(vault, fx.caseId, { out, passphrase: TRANSFER, kdf: TEST_KDF }), refused('record-flag-altered'));
      assert.deepEqual((await readdir(join(copy.path, '..'))).filter((n) => n.endsWith('.redress')), []);
      assert.equal(vault.log(fx.caseId).length, before, 'a refused export records nothing');
    } finally {
      await vault.close();
    }
  });

  it('an intact case builds its packet and exports', async () => {
    const vault = await openVault(copy.path);
    try {
      const packet = await buildPacket(vault, { caseId: fx.caseId, recipientId: 'cn-police', outDir: join(copy.path, '..', 'out') });
      assert.ok(packet.pages > 0);
      await exportBundle(vault, fx.caseId, { out: join(copy.path, '..', 'ok.redress'), passphrase: TRANSFER, kdf: TEST_KDF });
    } finally {
      await vault.close();
    }
  });
});
