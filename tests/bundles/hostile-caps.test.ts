// Issue 13, third finding: caps on every field and member of a bundle. Measured before: a 250 MiB manifest planted a
// 250 MB custody entry; a header at the maximum scrypt cost took 46 s and 2.2 GB before the passphrase was checked;
// 200k members took 803 MB before refusal. Each hostile bundle below is imported by a child process (a fresh vault,
// the real importBundle), which must refuse it with the cap named, within a few seconds and under 300 MB peak RSS.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportBundle } from '../../electron/core/bundles/index.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { BUNDLE_LIMITS } from '../../electron/core/bundles/limits.js';
import { createI18n } from '../../shared/i18n/index.js';
import { newVault, tempDir, TEST_KDF } from '../helpers/vault.js';
import { manifestOf, pack, unpack, withManifest, withoutManifest } from './craft.js';
import { addRecords, type AnyManifest, filler, headerOnly, importInChild, packStreamed, rechain, redigest, sealZip, storedZip, zipOf } from './forge.js';

const TRANSFER = 'transfer passphrase 2026';
const MiB = 1024 * 1024;
const RSS_LIMIT_MIB = 300;
// CPU time, not wall-clock time: the suite runs beside other work, and the cost of a refusal is what it computes
const CPU_LIMIT_MS = 3000;

describe('hostile bundles are refused early, in bounded memory and time', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let a: Vault;
  let members: [string, Buffer][];
  let manifest: AnyManifest;
  let n = 0;
  const measured: Record<string, string> = {};

  before(async () => {
    dir = await tempDir();
    a = (await newVault(join(dir.path, 'a'))).vault;
    const kase = a.cases.create({ title: 'caps', incidentType: 'impersonation' });
    await addRecords(a, kase.id, 4, 3);
    const good = join(dir.path, 'good.redress');
    await exportBundle(a, kase.id, { out: good, passphrase: TRANSFER, kdf: TEST_KDF });
    members = await unpack(good, TRANSFER);
    manifest = manifestOf(members);
  });
  after(async () => {
    console.log(JSON.stringify(measured, null, 1));
    await a.close();
    await dir.cleanup();
  });

  async function expectRefusal(name: string, make: (path: string) => Promise<void>, code: string, limit?: string, cpuLimit = CPU_LIMIT_MS) {
    const path = join(dir.path, `hostile-${n++}.redress`);
    await make(path);
    const r = await importInChild(path, TRANSFER, join(dir.path, `vault-${n}`));
    measured[name] = `${r.code}${r.limit ? `/${r.limit}` : ''}: peak ${r.rssMiB} MiB (${r.baseMiB} MiB before the import), ${r.cpuMs} ms CPU, ${r.ms} ms`;
    assert.equal(r.code, code, `${name}: ${JSON.stringify(r)}`);
    if (limit) assert.equal(r.limit, limit, `${name}: ${JSON.stringify(r)}`);
    assert.ok(r.rssMiB < RSS_LIMIT_MIB, `${name}: peak RSS ${r.rssMiB} MiB`);
    assert.ok(r.cpuMs < cpuLimit, `${name}: took ${r.cpuMs} ms of CPU`);
    return r;
  }

  it('the child importer itself: a genuine bundle imports, and its cost is the baseline', async () => {
    const path = join(dir.path, 'genuine.redress');
    await pack(path, TRANSFER, members);
    const r = await importInChild(path, TRANSFER, join(dir.path, 'vault-genuine'));
    measured.genuine = `${r.code}: peak ${r.rssMiB} MiB (${r.baseMiB} MiB before the import), ${r.cpuMs} ms CPU, ${r.ms} ms`;
    assert.equal(r.code, 'ok', JSON.stringify(r));
  });

  it('a header asking for the maximum scrypt cost is refused before any key is derived', async () => {
    await expectRefusal('kdf N=2^20 r=16 p=4', (p) => headerOnly(p, { N: 2 ** 20, r: 16, p: 4 }), 'BUNDLE_INVALID', 'kdf');
    await expectRefusal('kdf N=2^18 r=8 p=1', (p) => headerOnly(p, { N: 2 ** 18, r: 8, p: 1 }), 'BUNDLE_INVALID', 'kdf');
    await expectRefusal('kdf N=2^17 r=8 p=8', (p) => headerOnly(p, { N: 2 ** 17, r: 8, p: 8 }), 'BUNDLE_INVALID', 'kdf');
  });

  it('the costliest header accepted (what Redress writes, twice the work) stays within the bounds', async () => {
    await expectRefusal('kdf N=2^17 r=8 p=2 (accepted)', (p) => headerOnly(p, { N: 2 ** 17, r: 8, p: 2 }), 'BUNDLE_WRONG_PASSPHRASE');
  });

  it('a 250 MiB manifest is refused from the ZIP directory, before it is inflated', async () => {
    const text = JSON.stringify(manifest);
    const at = text.indexOf('"body":"') + '"body":"'.length;
    const streamed = async function* () {
      yield Buffer.from(text.slice(0, at));
      yield* filler(250 * MiB);
      yield Buffer.from(text.slice(at));
    };
    await expectRefusal('manifest 250 MiB', (p) => packStreamed(p, TRANSFER, [['manifest.json', streamed], ...withoutManifest(members)]), 'BUNDLE_INVALID', 'manifestBytes');
  });

  it('a manifest whose directory understates its size is refused when it inflates past what it declared', async () => {
    const big = structuredClone(manifest);
    big.exportedBy = 'x'.repeat(64 * MiB);
    await expectRefusal(
      'manifest declared 1 KiB, inflating to 64 MiB',
      async (p) => {
        const zip = await zipOf(withManifest(members, big));
        // the central directory entry of manifest.json: signature PK\1\2, its name at +46, uncompressed size at +24
        const signature = Buffer.from('504b0102', 'hex');
        let entry = -1;
        for (let i = zip.indexOf(signature); i >= 0; i = zip.indexOf(signature, i + 4)) if (zip.subarray(i + 46, i + 59).toString('latin1') === 'manifest.json') entry = i;
        assert.ok(entry >= 0);
        zip.writeUInt32LE(1024, entry + 24);
        await sealZip(p, TRANSFER, zip);
      },
      'BUNDLE_INVALID',
    );
  });

  it('a custody entry of 8 MiB is refused', async () => {
    const m = structuredClone(manifest);
    rechain(m, (body) => {
      if (body.action === 'records.imported') body.payload.padding = 'p'.repeat(8 * MiB);
    });
    await expectRefusal('custody entry 8 MiB', (p) => pack(p, TRANSFER, withManifest(members, m)), 'BUNDLE_INVALID', 'entryBytes');
  });

  it('a chain of 40 MiB in all, each entry under its own cap, is refused before it is parsed', async () => {
    const m = structuredClone(manifest);
    rechain(m, (body) => {
      if (body.action === 'records.imported') body.payload.padding = 'p'.repeat(3 * MiB);
    });
    const padded = m.custody.find((row: { body: string }) => row.body.includes('"padding"'));
    for (let i = 0; i < 13; i++) m.custody.push({ ...padded, seq: m.custody.length + 1 });
    await expectRefusal('custody 40 MiB in all', (p) => pack(p, TRANSFER, withManifest(members, m)), 'BUNDLE_INVALID', 'custodyBytes');
  });

  it('a record field of 2 MiB is refused', async () => {
    const m = structuredClone(manifest);
    m.tables.messages[0].body = '转'.repeat(2 * MiB);
    redigest(m);
    await expectRefusal('message body 2 Mi characters', (p) => pack(p, TRANSFER, withManifest(members, m)), 'BUNDLE_INVALID', 'fieldChars');
  });

  it('250,000 rows of one table are refused while the manifest is read', async () => {
    const m = structuredClone(manifest);
    const itemId = m.items[0].id;
    m.tables.links = Array.from({ length: 250_000 }, () => ({ item_id: itemId, target_type: 'transaction', target_id: randomUUID() }));
    await expectRefusal('250k link rows', (p) => pack(p, TRANSFER, withManifest(members, m)), 'BUNDLE_INVALID', 'rows');
  });

  // The one refusal that must read everything: each row is parsed and hashed once (about what a genuine import of
  // as many messages costs before it stores them), so it gets more time; its memory stays within the same bound.
  it('the costliest refusal: a manifest just under its cap, every row valid, refused only by the records digest at the end', async () => {
    const m = structuredClone(manifest);
    const template = m.tables.messages[0];
    const rowBytes = Buffer.byteLength(JSON.stringify(template)) + 1;
    const count = Math.floor((BUNDLE_LIMITS.manifestBytes - 2 * MiB) / rowBytes);
    assert.ok(count < BUNDLE_LIMITS.rows, `${count} rows`);
    // the import entry claims them all, so that only the digest, computed over every row, can tell
    rechain(m, (body) => {
      if (body.action === 'records.imported') body.payload.counts.messages.added = count + m.tables.messages.length;
    });
    m.tables.messages.push('__ROWS__');
    const [head, tail] = JSON.stringify(m).split(',"__ROWS__"') as [string, string];
    const rows = async function* () {
      yield Buffer.from(head);
      for (let done = 0; done < count; ) {
        const batch: string[] = [];
        for (let i = 0; i < 2000 && done < count; i++, done++) batch.push(JSON.stringify({ ...template, id: randomUUID(), content_key: { $base64: randomBytes(16).toString('base64') } }));
        yield Buffer.from(`,${batch.join(',')}`);
      }
      yield Buffer.from(tail);
    };
    const r = await expectRefusal(
      `manifest of ${BUNDLE_LIMITS.manifestBytes / MiB} MiB less 2 MiB (${count} messages), wrong digest`,
      (p) => packStreamed(p, TRANSFER, [['manifest.json', rows], ...withoutManifest(members)]),
      'BUNDLE_INVALID',
      undefined,
      4 * CPU_LIMIT_MS,
    );
    assert.match(String(r.detail), /records digest/);
  });

  it('200,000 members are refused from the ZIP directory, before any member is read', async () => {
    const many: [string, Buffer][] = [...members];
    for (let i = 0; i < 200_000; i++) many.push([`objects/${randomBytes(32).toString('hex')}`, Buffer.alloc(0)]);
    await expectRefusal('200k members', (p) => sealZip(p, TRANSFER, storedZip(many)), 'BUNDLE_INVALID', 'members');
  });

  it('an original stored compressed (a possible zip bomb) is refused', async () => {
    await expectRefusal('deflated original', (p) => packStreamed(p, TRANSFER, members.map(([name, data]) => [name, data, { compress: true }])), 'BUNDLE_INVALID');
  });

  it('the refusals speak the user\u2019s language', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const { t } = createI18n(lang);
      for (const limit of ['kdf', 'manifestBytes', 'entryBytes', 'custodyBytes', 'fieldChars', 'rows', 'members', 'items', 'entries', 'depth']) {
        const text = t('errors.bundleInvalid', { context: 'limit', file: 'x.redress', limit, max: '1' });
        assert.doesNotMatch(text, /bundleLimits|not a valid Redress case bundle \(/, `${lang} ${limit}: ${text}`);
        if (lang === 'zh-CN') assert.match(text, /[\u4e00-\u9fff]/);
      }
    }
  });
});
