// Issue 13, second finding: bundle rows were inserted OR REPLACE and checked against nothing. A bundle reusing
// another case's record ids moved that case's 50 messages and 20 transactions into the new case; an "append" bundle
// overwrote all 20 amounts; verify stayed ok. Now: plain inserts that refuse any id already stored, every row
// checked against the chain, and an append takes only the records its new entries add. Nothing is stored on refusal.
import assert from 'node:assert/strict';
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exportBundle, importBundle } from '../../electron/core/bundles/index.js';
import { RedressError } from '../../electron/core/errors.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { createI18n } from '../../shared/i18n/index.js';
import { newVault, tempDir, TEST_KDF } from '../helpers/vault.js';
import { manifestOf, pack, unpack, withManifest } from './craft.js';
import { addRecords, type AnyManifest, redigest } from './forge.js';

const TRANSFER = 'transfer passphrase 2026';
const fixture = fileURLToPath(new URL('../fixtures/vault-12.11.1/', import.meta.url));

interface Snapshot {
  cases: unknown[];
  custody: unknown[];
  items: unknown[];
  messages: unknown[];
  transactions: unknown[];
  imports: unknown[];
  links: unknown[];
  objects: string[];
}

/** Everything a refused import must leave as it was. */
async function snapshot(vault: Vault): Promise<Snapshot> {
  const all = (table: string) => vault.context.db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();
  return {
    cases: all('cases'),
    custody: all('custody'),
    items: all('items'),
    messages: all('messages'),
    transactions: all('transactions'),
    imports: all('imports'),
    links: all('links'),
    objects: (await vault.context.objects.listObjectNames()).sort(),
  };
}

/**
 * The row checks must hold even for a user who was talked into accepting a bundle from another signer (a crafted
 * bundle loses the sender's signature), so the import runs with acceptSigner unless told otherwise.
 */
async function refusedUnchanged(
  vault: Vault,
  path: string,
  codes: string[],
  detail?: RegExp,
  acceptSigner = true,
): Promise<RedressError> {
  const before = await snapshot(vault);
  let caught: unknown;
  try {
    await importBundle(vault, path, { passphrase: TRANSFER, acceptSigner });
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof RedressError, `expected a refusal, got ${String(caught)}`);
  assert.ok(codes.includes(caught.code), JSON.stringify(caught.value));
  if (detail) assert.match(caught.message, detail);
  assert.deepEqual(await snapshot(vault), before, 'a refused bundle changes nothing');
  assert.deepEqual(await readdir(vault.context.objects.tmpDir), []);
  return caught;
}

describe('bundle rows are checked against the chain and never replace stored ones', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let n = 0;
  const next = () => join(dir.path, `bundle-${n++}.redress`);

  before(async () => {
    dir = await tempDir();
  });
  after(() => dir.cleanup());

  it("a bundle reusing another case's record ids cannot move that case's records", async () => {
    const b = (await newVault(join(dir.path, 'b1'))).vault; // the association
    const m = (await newVault(join(dir.path, 'm1'))).vault; // the sender
    try {
      const victim = b.cases.create({ title: 'victim case', incidentType: 'impersonation' });
      await addRecords(b, victim.id, 50, 20, 'v');
      const repo = new RecordRepo(b.context);
      const messageIds = repo.listMessages(victim.id).map((r) => r.id);
      const transactionIds = repo.listTransactions(victim.id).map((r) => r.id);
      assert.deepEqual([messageIds.length, transactionIds.length], [50, 20]);

      const kase = m.cases.create({ title: 'hostile case', incidentType: 'other' });
      await addRecords(m, kase.id, 50, 20, 'h');
      const out = next();
      await exportBundle(m, kase.id, { out, passphrase: TRANSFER, kdf: TEST_KDF });
      const members = await unpack(out, TRANSFER);
      const manifest = manifestOf(members);
      manifest.tables.messages.forEach((row: AnyManifest, i: number) => (row.id = messageIds[i]));
      manifest.tables.transactions.forEach((row: AnyManifest, i: number) => (row.id = transactionIds[i]));
      const hostile = next();
      await pack(hostile, TRANSFER, withManifest(members, redigest(manifest))); // digests recomputed: the chain itself is sound
      const err = await refusedUnchanged(b, hostile, ['BUNDLE_CONFLICT']);
      // the refusal names a record it would have taken over, and the case it belongs to
      assert.equal(err.value.params.context, 'record');
      assert.ok([...messageIds, ...transactionIds].includes(String(err.value.params.id)), JSON.stringify(err.value));
      assert.equal(err.value.params.other, victim.id.slice(0, 8));
      assert.match(createI18n('zh-CN').t(err.value.messageKey, err.value.params), /已存于本机（案件 [0-9a-f]{8}），导入会将其替换或移走/);
      assert.deepEqual([repo.listMessages(victim.id).length, repo.listTransactions(victim.id).length], [50, 20]);
      assert.equal((await b.verify(victim.id)).ok, true);
    } finally {
      await b.close();
      await m.close();
    }
  });

  it('an append bundle cannot rewrite the records of an import already stored (v2 digests)', async () => {
    const a = (await newVault(join(dir.path, 'a2'))).vault;
    const b = (await newVault(join(dir.path, 'b2'))).vault;
    try {
      const kase = a.cases.create({ title: 'amounts', incidentType: 'task-scam' });
      await addRecords(a, kase.id, 0, 20, 'a');
      const v1 = next();
      await exportBundle(a, kase.id, { out: v1, passphrase: TRANSFER, kdf: TEST_KDF });
      assert.equal((await importBundle(b, v1, { passphrase: TRANSFER })).status, 'imported');
      await a.items.addBuffer(kase.id, Buffer.from('a later screenshot'), { name: 'later.png' });
      const v2 = next();
      await exportBundle(a, kase.id, { out: v2, passphrase: TRANSFER, kdf: TEST_KDF });
      const members = await unpack(v2, TRANSFER);
      const manifest = manifestOf(members);
      for (const row of manifest.tables.transactions) row.amount_minor *= 100;
      const hostile = next();
      await pack(hostile, TRANSFER, withManifest(members, manifest));
      await refusedUnchanged(b, hostile, ['BUNDLE_INVALID', 'BUNDLE_CONFLICT']);
      // the genuine v2 still appends
      assert.equal((await importBundle(b, v2, { passphrase: TRANSFER })).status, 'updated');
      assert.equal((await b.verify(kase.id)).ok, true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('an append bundle cannot rewrite the amounts of a legacy import whose digest does not cover them (12.11.1 vault)', async () => {
    await cp(join(fixture, 'data'), join(dir.path, 'legacy'), { recursive: true });
    const expected = JSON.parse(await readFile(join(fixture, 'expected.json'), 'utf8')) as { passphrase: string; caseId: string; transactions: number };
    const a = await Vault.open(join(dir.path, 'legacy'), expected.passphrase, { actor: 'legacy volunteer' });
    const b = (await newVault(join(dir.path, 'b3'))).vault;
    try {
      const v1 = next();
      await exportBundle(a, expected.caseId, { out: v1, passphrase: TRANSFER, kdf: TEST_KDF });
      assert.equal((await importBundle(b, v1, { passphrase: TRANSFER })).status, 'imported');
      const verified = await b.verify(expected.caseId);
      assert.equal(verified.ok, true, JSON.stringify(verified.cases[0]?.problems));
      await a.items.addBuffer(expected.caseId, Buffer.from('added after the transfer'), { name: 'later.txt' });
      const v2 = next();
      await exportBundle(a, expected.caseId, { out: v2, passphrase: TRANSFER, kdf: TEST_KDF });
      const members = await unpack(v2, TRANSFER);
      const manifest = manifestOf(members);
      assert.equal(manifest.tables.transactions.length, expected.transactions);
      for (const row of manifest.tables.transactions) row.amount_minor *= 100;
      const hostile = next();
      await pack(hostile, TRANSFER, withManifest(members, manifest));
      // the crafted bundle lost the legacy vault's signature: refused for that first, then on its rows once accepted
      await refusedUnchanged(b, hostile, ['BUNDLE_SIGNER_CHANGED'], undefined, false);
      const err = await refusedUnchanged(b, hostile, ['BUNDLE_CONFLICT']);
      assert.equal(err.value.params.context, 'record');
      assert.equal((await importBundle(b, v2, { passphrase: TRANSFER })).status, 'updated');
      assert.equal((await b.verify(expected.caseId)).ok, true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  describe('a new case whose rows differ from its own chain', () => {
    let a: Vault;
    let b: Vault;
    let members: [string, Buffer][];
    let manifest: AnyManifest;

    before(async () => {
      a = (await newVault(join(dir.path, 'a4'))).vault;
      b = (await newVault(join(dir.path, 'b4'))).vault;
      const kase = a.cases.create({ title: 'rows', incidentType: 'impersonation' });
      await addRecords(a, kase.id, 5, 4, 'r');
      const items = a.items.list(kase.id);
      a.items.link(items[0]!.id, 'transaction', new RecordRepo(a.context).listTransactions(kase.id)[0]!.id);
      const out = next();
      await exportBundle(a, kase.id, { out, passphrase: TRANSFER, kdf: TEST_KDF });
      members = await unpack(out, TRANSFER);
      manifest = manifestOf(members);
    });
    after(async () => {
      await a.close();
      await b.close();
    });

    async function refused(edit: (m: AnyManifest) => void, codes: string[], detail: RegExp) {
      const m = structuredClone(manifest);
      edit(m);
      const path = next();
      await pack(path, TRANSFER, withManifest(members, m));
      await refusedUnchanged(b, path, codes, detail);
      assert.equal(b.cases.list().length, 0);
    }

    it('item rows: every column the item.added entry fixes', async () => {
      await refused((m) => (m.items[0].captured_at = '2020-01-01T00:00:00.000Z'), ['BUNDLE_INVALID'], /capture time/);
      await refused((m) => (m.items[0].media_type = 'text/html'), ['BUNDLE_INVALID'], /media type/);
      await refused((m) => (m.items[0].original_name = 'other.txt'), ['BUNDLE_INVALID'], /original name/);
      await refused((m) => (m.items[0].kind = 'photo'), ['BUNDLE_INVALID'], /kind/);
      await refused((m) => (m.items[0].added_seq = 1), ['BUNDLE_INVALID'], /entry number/);
    });

    it('records: a changed field, a removed or an extra record, a record of no import', async () => {
      await refused((m) => (m.tables.messages[0].body = '请转账到 6222 9999'), ['BUNDLE_INVALID'], /records digest/);
      await refused((m) => (m.tables.transactions[1].amount_minor = 99_999_999), ['BUNDLE_INVALID'], /records digest/);
      await refused((m) => m.tables.messages.pop(), ['BUNDLE_INVALID'], /records digest/);
      await refused((m) => m.tables.transactions.push({ ...m.tables.transactions[0], id: '5b0e8c43-2d6f-4a1b-9c3e-7f8a9b0c1d2e', platform_tx_id: 'fake', content_key: { $base64: Buffer.alloc(16, 7).toString('base64') } }), ['BUNDLE_INVALID'], /records digest/);
      await refused((m) => (m.tables.messages[0].import_id = '5b0e8c43-2d6f-4a1b-9c3e-7f8a9b0c1d2e'), ['BUNDLE_INVALID'], /no custody entry|records digest/);
    });

    it('the import row, flags and links must be what the chain records', async () => {
      await refused((m) => (m.tables.imports[0].format = 'alipay-csv'), ['BUNDLE_INVALID'], /import/);
      await refused((m) => (m.tables.messages[2].flagged = 1), ['BUNDLE_INVALID'], /flag/);
      await refused((m) => (m.tables.links[0].target_id = m.tables.transactions[3].id), ['BUNDLE_INVALID'], /link/);
    });

    it('the genuine bundle still imports and verifies', async () => {
      const path = next();
      await pack(path, TRANSFER, members);
      assert.equal((await importBundle(b, path, { passphrase: TRANSFER })).status, 'imported');
      assert.equal((await b.verify()).ok, true);
    });
  });
});
