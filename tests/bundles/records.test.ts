import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportBundle, importBundle } from '../../electron/core/bundles/index.js';
import { importFile } from '../../electron/core/importers/import-file.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir, TEST_KDF } from '../helpers/vault.js';

// Records extracted by the importers (issue 4) travel with the case, row for row, without the bundle code knowing them.
describe('bundles carry imported records', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let a: Vault;
  let b: Vault;

  before(async () => {
    dir = await tempDir();
    a = (await newVault(join(dir.path, 'a'))).vault;
    b = (await newVault(join(dir.path, 'b'))).vault;
  });
  after(async () => {
    await a.close();
    await b.close();
    await dir.cleanup();
  });

  it('messages imported from an SMS backup arrive identical, and the case verifies', async () => {
    const caseId = a.cases.create({ title: 'sms', incidentType: 'impersonation' }).id;
    const xml = join(dir.path, 'sms.xml');
    await writeFile(
      xml,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<smses count="2">
  <sms protocol="0" address="10690000" date="1763947800000" type="1" body="【京东客服】您的订单异常，请联系 400-000-0000 退款" read="1" status="-1" readable_date="" contact_name="(Unknown)" />
  <sms protocol="0" address="10690000" date="1763948100000" type="2" body="好的，怎么操作" read="1" status="-1" readable_date="" contact_name="(Unknown)" />
</smses>
`,
    );
    await importFile(a, caseId, xml, { format: 'sms-backup-xml' });
    const messagesA = new RecordRepo(a.context).listMessages(caseId);
    assert.equal(messagesA.length, 2);
    const out = join(dir.path, 'sms.redress');
    await exportBundle(a, caseId, { out, passphrase: 'transfer passphrase', kdf: TEST_KDF });
    assert.equal((await importBundle(b, out, { passphrase: 'transfer passphrase' })).status, 'imported');
    assert.deepEqual(new RecordRepo(b.context).listMessages(caseId), messagesA);
    assert.equal((await b.verify(caseId)).ok, true);
  });
});
