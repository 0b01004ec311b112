import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportBundle, importBundle } from '../../electron/core/bundles/index.js';
import { RedressError } from '../../electron/core/errors.js';
import { KnownVaults } from '../../electron/core/signing/known-vaults.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { manualClock, newVault, tempDir, TEST_KDF } from '../helpers/vault.js';
import { manifestOf, pack, unpack, withManifest } from './craft.js';
import { rechain } from './forge.js';

const TRANSFER = 'transfer passphrase 2026';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function refused(work: Promise<unknown>, code: string, detail: RegExp): Promise<void> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof RedressError, String(err));
    assert.equal(err.code, code, JSON.stringify(err.value));
    assert.match(String(err.value.params.detail), detail);
    return;
  }
  assert.fail(`expected ${code}`);
}

/**
 * Issue 14: "a fully forged chain with actor 某市公安局反诈中心 and 2024 dates imports as a case", and "an association
 * records the fingerprints of its volunteers' vaults and sees, on bundle import, whether a bundle comes from a known
 * vault, a new one, or is unsigned". Bundles carry the exporting vault's Ed25519 signature of their manifest.
 */
describe('bundles signed by the exporting vault', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let volunteer: Vault;
  let association: Vault;
  let caseId: string;
  let bundle: string;
  let members: [string, Buffer][];

  before(async () => {
    dir = await tempDir('redress-bundle-sig-');
    volunteer = (await newVault(join(dir.path, 'volunteer'), { clock: manualClock() })).vault;
    association = (await newVault(join(dir.path, 'association'), { clock: manualClock(Date.parse('2026-11-25T02:00:00Z')) })).vault;
    caseId = volunteer.cases.create({ title: '冒充客服退款', incidentType: 'impersonation' }).id;
    await volunteer.items.addBuffer(caseId, Buffer.from('客服: 请转账到安全账户\n'), { name: 'chat.txt' });
    bundle = join(dir.path, 'case.redress');
    await exportBundle(volunteer, caseId, { out: bundle, passphrase: TRANSFER, kdf: TEST_KDF });
    members = await unpack(bundle, TRANSFER);
  });
  after(async () => {
    await volunteer.close();
    await association.close();
    await dir.cleanup();
  });

  /** A fresh association vault for each import, so that every case is new to it. */
  async function importInto(path: string, known: { fingerprint: string; label: string }[] = []) {
    const fresh = (await newVault(join(dir.path, `assoc-${Math.random().toString(36).slice(2)}`))).vault;
    try {
      for (const k of known) new KnownVaults(fresh.context).add(k.fingerprint, k.label);
      const result = await importBundle(fresh, path, { passphrase: TRANSFER });
      const transfer = fresh.log(result.caseId).at(-1)!;
      return { result, transfer };
    } finally {
      await fresh.close();
    }
  }

  it('the bundle carries manifest.sig: the Ed25519 signature of the manifest\'s SHA-256, by the exporting vault\'s key', () => {
    const sig = JSON.parse(members.find(([n]) => n === 'manifest.sig')![1].toString('utf8'));
    const manifest = members.find(([n]) => n === 'manifest.json')![1];
    assert.equal(sig.algorithm, 'Ed25519');
    assert.equal(sig.manifestSha256, sha256(manifest));
    assert.equal(sig.fingerprint, volunteer.context.signer.fingerprint);
  });

  it('from a vault the association does not know: imported, "new vault", with the fingerprint, recorded on the transfer entry', async () => {
    const { result, transfer } = await importInto(bundle);
    assert.deepEqual(result.signer, { status: 'new', fingerprint: volunteer.context.signer.fingerprint });
    assert.deepEqual(transfer.payload.signer, { status: 'new', fingerprint: volunteer.context.signer.fingerprint });
  });

  it('from a vault it recorded: "known", with the name it gave that vault', async () => {
    const fp = volunteer.context.signer.fingerprint.toLowerCase().replace(/ /g, '');
    const { result, transfer } = await importInto(bundle, [{ fingerprint: fp, label: '志愿者 李老师' }]);
    assert.deepEqual(result.signer, { status: 'known', fingerprint: volunteer.context.signer.fingerprint, label: '志愿者 李老师' });
    assert.equal((transfer.payload.signer as { status: string }).status, 'known');
  });

  it('the forged chain (actor 某市公安局反诈中心, 2024 dates) with the sender\'s signature kept: refused, the signature does not match', async () => {
    const forged = rechain(manifestOf(members), (body) => {
      body.actor = '某市公安局反诈中心';
      body.time = body.time.replace(/^2026/, '2024');
    });
    const out = join(dir.path, 'forged-kept.redress');
    await pack(out, TRANSFER, withManifest(members, forged, { keepSignature: true }));
    await refused(importInto(out), 'BUNDLE_INVALID', /signature/);
  });

  it('the same forgery with the signature removed: imports, but as "unsigned"; re-signed by another key: "new", never "known"', async () => {
    const forged = rechain(manifestOf(members), (body) => {
      body.actor = '某市公安局反诈中心';
    });
    const unsignedPath = join(dir.path, 'forged-unsigned.redress');
    await pack(unsignedPath, TRANSFER, withManifest(members, forged).filter(([n]) => n !== 'manifest.sig'));
    const known = [{ fingerprint: volunteer.context.signer.fingerprint, label: 'volunteer' }];
    const unsigned = await importInto(unsignedPath, known);
    assert.deepEqual(unsigned.result.signer, { status: 'unsigned' });

    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const manifestBytes = Buffer.from(JSON.stringify(forged));
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const manifestSha256 = sha256(manifestBytes);
    const sig = {
      format: 'redress-bundle-signature',
      v: 1,
      algorithm: 'Ed25519',
      publicKey: der.toString('base64'),
      fingerprint: sha256(der).slice(0, 32).toUpperCase().match(/.{4}/g)!.join(' '),
      manifestSha256,
      signature: sign(null, Buffer.from(`redress-bundle-manifest/1\n${manifestSha256}\n`), privateKey).toString('base64'),
    };
    const resignedPath = join(dir.path, 'forged-resigned.redress');
    await pack(resignedPath, TRANSFER, [['manifest.json', manifestBytes], ['manifest.sig', Buffer.from(JSON.stringify(sig))], ...members.filter(([n]) => n !== 'manifest.json' && n !== 'manifest.sig')]);
    const resigned = await importInto(resignedPath, known);
    assert.equal(resigned.result.signer.status, 'new');
    assert.equal(resigned.result.signer.fingerprint, sig.fingerprint);
  });

  it('an update to a case that came signed must be signed by the same vault: unsigned or another key is refused until the user accepts it', async () => {
    await importBundle(association, bundle, { passphrase: TRANSFER });
    await volunteer.items.addBuffer(caseId, Buffer.from('更多证据\n'), { name: 'more.txt' });
    const update = join(dir.path, 'update.redress');
    await exportBundle(volunteer, caseId, { out: update, passphrase: TRANSFER, kdf: TEST_KDF });
    const updateMembers = await unpack(update, TRANSFER);
    const unsignedUpdate = join(dir.path, 'update-unsigned.redress');
    await pack(unsignedUpdate, TRANSFER, updateMembers.filter(([n]) => n !== 'manifest.sig'));
    const before = association.log(caseId).length;
    try {
      await importBundle(association, unsignedUpdate, { passphrase: TRANSFER });
      assert.fail('an unsigned update was stored');
    } catch (err) {
      assert.ok(err instanceof RedressError && err.code === 'BUNDLE_SIGNER_CHANGED', String(err));
      assert.deepEqual(err.value.params, { file: 'update-unsigned.redress', caseId, before: volunteer.context.signer.fingerprint, context: 'unsigned' });
    }
    assert.equal(association.log(caseId).length, before, 'nothing stored');
    // the genuine, signed update goes through; an unsigned one, once the user accepts it, too
    assert.equal((await importBundle(association, update, { passphrase: TRANSFER })).status, 'updated');
    await volunteer.items.addBuffer(caseId, Buffer.from('再多一点\n'), { name: 'more2.txt' });
    const third = join(dir.path, 'update-3.redress');
    await exportBundle(volunteer, caseId, { out: third, passphrase: TRANSFER, kdf: TEST_KDF });
    const thirdUnsigned = join(dir.path, 'update-3-unsigned.redress');
    await pack(thirdUnsigned, TRANSFER, (await unpack(third, TRANSFER)).filter(([n]) => n !== 'manifest.sig'));
    const accepted = await importBundle(association, thirdUnsigned, { passphrase: TRANSFER, acceptSigner: true });
    assert.equal(accepted.status, 'updated');
    assert.deepEqual(accepted.signer, { status: 'unsigned' });
  });

  it('a hostile manifest.sig is refused by name: too large, not JSON, another key type, a fingerprint that is not its key\'s, twice', async () => {
    const manifest = members.find(([n]) => n === 'manifest.json')![1];
    const sigOf = () => JSON.parse(members.find(([n]) => n === 'manifest.sig')![1].toString('utf8'));
    const cases: [string, Buffer | Buffer[], RegExp][] = [
      ['huge', Buffer.alloc(64 * 1024, 0x20), /manifest\.sig/],
      ['garbage', Buffer.from('{not json'), /manifest\.sig/],
      ['rsa', Buffer.from(JSON.stringify({ ...sigOf(), publicKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64') })), /signature/],
      ['fingerprint', Buffer.from(JSON.stringify({ ...sigOf(), fingerprint: '0000 1111 2222 3333 4444 5555 6666 7777' })), /signature/],
      ['other-manifest', Buffer.from(JSON.stringify({ ...sigOf(), manifestSha256: sha256(Buffer.concat([manifest, Buffer.from(' ')])) })), /signature/],
      ['twice', [members.find(([n]) => n === 'manifest.sig')![1], members.find(([n]) => n === 'manifest.sig')![1]], /twice/],
    ];
    for (const [name, sig, detail] of cases) {
      const out = join(dir.path, `hostile-sig-${name}.redress`);
      const sigs: [string, Buffer][] = (Array.isArray(sig) ? sig : [sig]).map((b) => ['manifest.sig', b]);
      await pack(out, TRANSFER, [...members.filter(([n]) => n !== 'manifest.sig'), ...sigs]);
      await refused(importInto(out), 'BUNDLE_INVALID', detail);
    }
  });
});

describe('known vaults: the fingerprints an association records', () => {
  it('adds a fingerprint typed any way under a name, renames it, lists it formatted, removes it; refuses what is not one', async () => {
    const dir = await tempDir('redress-known-');
    const { vault } = await newVault(join(dir.path, 'v'));
    try {
      const known = new KnownVaults(vault.context);
      known.add('a383-70b3-dcc1-7e75-50ce-8d33-f262-8bd4', '志愿者 王');
      known.add('A38370B3DCC17E7550CE8D33F2628BD4', '志愿者 王老师');
      assert.deepEqual(known.list().map((k) => [k.fingerprint, k.label]), [['A383 70B3 DCC1 7E75 50CE 8D33 F262 8BD4', '志愿者 王老师']]);
      assert.equal(known.find('a38370b3dcc17e7550ce8d33f2628bd4')?.label, '志愿者 王老师');
      assert.throws(() => known.add('abc', 'x'), (e: RedressError) => e.code === 'INVALID_INPUT');
      assert.throws(() => known.add('a38370b3dcc17e7550ce8d33f2628bd4', ''), (e: RedressError) => e.code === 'INVALID_INPUT');
      assert.equal(known.remove('A383 70B3 DCC1 7E75 50CE 8D33 F262 8BD4'), true);
      assert.deepEqual(known.list(), []);
    } finally {
      await vault.close();
      await dir.cleanup();
    }
  });
});
