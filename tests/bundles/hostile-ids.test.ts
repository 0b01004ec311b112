// Issue 13, first finding: every id in a bundle (case, item, record, import, and the ids custody entries name) must
// be a UUID, as this vault generates them (randomUUID: lowercase 8-4-4-4-12). Ids end up in paths and queries.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportBundle, importBundle } from '../../electron/core/bundles/index.js';
import { RedressError } from '../../electron/core/errors.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir, TEST_KDF } from '../helpers/vault.js';
import { manifestOf, pack, unpack, withManifest } from './craft.js';
import { addRecords, type AnyManifest, redigest, renameCase } from './forge.js';

const TRANSFER = 'transfer passphrase 2026';

/** Replaces an id wherever it appears (rows and entry bodies alike), then redoes the digests and the chain. */
function renameId(manifest: AnyManifest, from: string, to: string): AnyManifest {
  return redigest(JSON.parse(JSON.stringify(manifest).split(from).join(to)));
}

describe('every id in a bundle is a UUID', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let a: Vault;
  let b: Vault;
  let members: [string, Buffer][];
  let manifest: AnyManifest;
  let n = 0;

  before(async () => {
    dir = await tempDir();
    a = (await newVault(join(dir.path, 'a'))).vault;
    b = (await newVault(join(dir.path, 'b'))).vault;
    const kase = a.cases.create({ title: 'ids', incidentType: 'impersonation' });
    await addRecords(a, kase.id, 3, 2);
    const good = join(dir.path, 'good.redress');
    await exportBundle(a, kase.id, { out: good, passphrase: TRANSFER, kdf: TEST_KDF });
    members = await unpack(good, TRANSFER);
    manifest = manifestOf(members);
  });
  after(async () => {
    await a.close();
    await b.close();
    await dir.cleanup();
  });

  async function refused(m: AnyManifest, detail: RegExp) {
    const path = join(dir.path, `bad-${n++}.redress`);
    await pack(path, TRANSFER, withManifest(members, m));
    await assert.rejects(importBundle(b, path, { passphrase: TRANSFER }), (err: unknown) => {
      assert.ok(err instanceof RedressError, String(err));
      assert.equal(err.code, 'BUNDLE_INVALID', JSON.stringify(err.value));
      assert.match(String(err.value.params.detail), detail);
      return true;
    });
    assert.equal(b.cases.list().length, 0);
    assert.deepEqual(await b.context.objects.listObjectNames(), []);
    assert.deepEqual(await readdir(b.context.objects.tmpDir), []);
  }

  it('the forged bundles are otherwise sound: a renamed case with a fresh UUID imports', async () => {
    const other = (await newVault(join(dir.path, 'c'))).vault;
    try {
      const path = join(dir.path, 'renamed.redress');
      await pack(path, TRANSFER, withManifest(members, renameCase(structuredClone(manifest), '0c1f3e5a-9d2b-4c6e-8f70-123456789abc')));
      assert.equal((await importBundle(other, path, { passphrase: TRANSFER })).status, 'imported');
      assert.equal((await other.verify()).ok, true);
    } finally {
      await other.close();
    }
  });

  it('a case id that is a path, or anything but a UUID, is refused', async () => {
    await refused(renameCase(structuredClone(manifest), '../../../../../../tmp/redress-victim'), /case id/);
    await refused(renameCase(structuredClone(manifest), manifest.caseId.toUpperCase()), /case id/);
    await refused(renameCase(structuredClone(manifest), 'case-1'), /case id/);
  });

  it('an item, record or import id that is not a UUID is refused, wherever it is named', async () => {
    const item = manifest.items[0].id as string;
    await refused(renameId(structuredClone(manifest), item, '../../../etc/x-0000-0000-0000-000000000000'), /id/);
    const message = manifest.tables.messages[0].id as string;
    await refused(renameId(structuredClone(manifest), message, `${message.slice(0, -1)}/`), /id/);
    const transaction = manifest.tables.transactions[0].id as string;
    await refused(renameId(structuredClone(manifest), transaction, 'tx-1'), /id/);
    const importId = manifest.tables.imports[0].id as string;
    await refused(renameId(structuredClone(manifest), importId, '..'), /id/);
  });
});
