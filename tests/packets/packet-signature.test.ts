import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { buildPacket, verifyPacket, type BuildPacketResult } from '../../electron/core/packets/index.js';
import { parseSha256Sums } from '../../electron/core/packets/sha256sums.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir } from '../helpers/vault.js';
import { seedCase } from './fixtures.js';
import { fingerprintOf, forgePacket, type Forgery } from './forge.js';
import { pdfText, run } from './tools.js';


/**
 * Issue 14: "a packet with one original swapped and SHA256SUMS and manifest.json regenerated passes both verify-packet
 * and verify.html". A packet is signed by its vault's Ed25519 key: the forgery fails while the signature is there,
 * and reads "self-attested" once everything that could name the vault was stripped.
 */
describe('packets signed by the vault key', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  let packet: BuildPacketResult;
  let fingerprint: string;

  before(async () => {
    dir = await tempDir('redress-packet-sig-');
    vault = (await newVault(join(dir.path, 'vault'))).vault;
    const { kase } = await seedCase(vault);
    packet = await buildPacket(vault, { caseId: kase.id, recipientId: 'cn-police', outDir: join(dir.path, 'out') });
    fingerprint = vault.context.signer.fingerprint;
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  const forged = async (name: string, signature: Forgery['signature'] = 'keep') => forgePacket(packet.dir, join(dir.path, name), { signature });

  it('carries its public key (listed in SHA256SUMS) and the signature of SHA256SUMS, which openssl verifies', async () => {
    const listed = parseSha256Sums(await readFile(join(packet.dir, 'SHA256SUMS'), 'utf8')).map((l) => l.path);
    assert.ok(listed.includes('vault-key.pem'));
    assert.ok(!listed.includes('SHA256SUMS.sig'), 'the signature signs SHA256SUMS, so it cannot be listed in it');
    const ok = run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'vault-key.pem', '-rawin', '-in', 'SHA256SUMS', '-sigfile', 'SHA256SUMS.sig'], { cwd: packet.dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Signature Verified Successfully/);
    // the fingerprint printed everywhere is the one anybody computes from the key with standard tools
    const der = run('sh', ['-c', 'openssl pkey -pubin -in vault-key.pem -outform DER | sha256sum'], { cwd: packet.dir });
    assert.equal(der.stdout.slice(0, 32).toUpperCase().match(/.{4}/g)!.join(' '), fingerprint);
    assert.equal(fingerprintOf(vault.context.signer.publicKeyDer), fingerprint);
    assert.equal(JSON.parse(await readFile(join(packet.dir, 'manifest.json'), 'utf8')).signer.fingerprint, fingerprint);
    assert.ok((await readFile(join(packet.dir, 'README.txt'), 'utf8')).includes(fingerprint));
    assert.ok(pdfText(packet.pdfPath).replace(/\s+/g, ' ').includes(fingerprint), 'the integrity page prints the fingerprint');
  });

  it('verify-packet: signed by this vault, folder and ZIP alike; with the fingerprint the recipient was given, "signed by the expected key"', async () => {
    for (const path of [packet.dir, packet.zipPath]) {
      const report = await verifyPacket(path);
      assert.equal(report.ok, true);
      assert.deepEqual(report.signature, { status: 'valid', fingerprint });
      assert.equal(report.attestation, 'signed');
    }
    const typed = fingerprint.toLowerCase().replace(/ /g, '-');
    const known = await verifyPacket(packet.zipPath, { expectKey: typed });
    assert.equal(known.ok, true);
    assert.equal(known.attestation, 'signed-by-expected-key');
    const other = await verifyPacket(packet.zipPath, { expectKey: '0000 1111 2222 3333 4444 5555 6666 7777' });
    assert.equal(other.ok, false);
    assert.equal(other.signature.status, 'unexpected-key');
  });

  it('the forged packet (original swapped, SHA256SUMS and manifest regenerated) fails on its signature', async () => {
    const { dir: copy } = await forged('forged');
    const report = await verifyPacket(copy);
    assert.equal(report.ok, false);
    assert.equal(report.signature.status, 'invalid');
    assert.ok(report.files.every((f) => f.status === 'intact'), 'every hash matches: only the signature tells');
  });

  it('the signature removed while the manifest names the signer: fails as "missing"; a key of another kind is refused', async () => {
    const { dir: copy } = await forged('stripped-sig');
    await rm(join(copy, 'SHA256SUMS.sig'));
    assert.equal((await verifyPacket(copy)).signature.status, 'missing');

    const rsa = join(dir.path, 'rsa');
    await cp(packet.dir, rsa, { recursive: true });
    await writeFile(join(rsa, 'vault-key.pem'), generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
    const report = await verifyPacket(rsa);
    assert.equal(report.ok, false);
    assert.equal(report.signature.status, 'invalid');
  });

  it('re-signed by another key with everything regenerated: verifies as signed, by a key whose fingerprint is not the sender\'s', async () => {
    const { dir: copy, fingerprint: theirs } = await forged('resigned', 'resign');
    const report = await verifyPacket(copy);
    assert.equal(report.ok, true);
    assert.equal(report.signature.fingerprint, theirs);
    assert.notEqual(theirs, fingerprint);
    const expected = await verifyPacket(copy, { expectKey: fingerprint });
    assert.equal(expected.ok, false, 'the recipient who was given the sender\'s fingerprint sees the forgery');
    assert.equal(expected.signature.status, 'unexpected-key');
  });

  it('a signature made by another key over the intact SHA256SUMS fails', async () => {
    const copy = join(dir.path, 'swapped-key');
    await cp(packet.dir, copy, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    await writeFile(join(copy, 'SHA256SUMS.sig'), sign(null, await readFile(join(copy, 'SHA256SUMS')), privateKey));
    assert.equal((await verifyPacket(copy)).signature.status, 'invalid');
  });

  it('stripped of its signature, key and signer: every hash matches and the verdict is "self-attested"', async () => {
    const { dir: copy } = await forged('unsigned', 'strip');
    const report = await verifyPacket(copy);
    assert.equal(report.ok, true);
    assert.equal(report.signature.status, 'absent');
    assert.equal(report.attestation, 'self-attested');
    assert.equal((await verifyPacket(copy, { expectKey: fingerprint })).ok, false, 'a recipient expecting a signature is told there is none');
  });

  it('a ZIP with a second entry of an original\'s name (a forged one first, as an unzip tool may extract it) fails as "duplicate"', async () => {
    const entries: [string, Buffer][] = [];
    const zip = await yauzl.fromBufferPromise(await readFile(packet.zipPath), { lazyEntries: true });
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (e: yauzl.Entry) => {
        zip.openReadStream(e, async (err, stream) => {
          if (err) return reject(err);
          const parts: Buffer[] = [];
          for await (const p of stream) parts.push(p as Buffer);
          entries.push([e.fileName, Buffer.concat(parts)]);
          zip.readEntry();
        });
      });
      zip.on('end', resolve);
      zip.readEntry();
    });
    const original = entries.find(([n]) => n.includes('/originals/'))![0];
    const out = new yazl.ZipFile();
    out.addBuffer(Buffer.from('forged'), original);
    for (const [name, data] of entries) out.addBuffer(data, name);
    out.end();
    const parts: Buffer[] = [];
    for await (const p of out.outputStream as AsyncIterable<Buffer>) parts.push(p);
    const path = join(dir.path, 'duplicate.zip');
    await writeFile(path, Buffer.concat(parts));
    const report = await verifyPacket(path, { expectKey: fingerprint });
    assert.equal(report.ok, false);
    assert.deepEqual(report.files.filter((f) => f.status === 'duplicate').map((f) => f.path), [original.slice(original.indexOf('/') + 1)]);
  });

  it('the key is the vault\'s: a worker\'s attached connection signs with the same one', async () => {
    const handle = vault.attachHandle();
    const attached = Vault.attach(handle, { actor: 'test' });
    try {
      assert.equal(attached.context.signer.fingerprint, fingerprint);
    } finally {
      await attached.close();
    }
  });
});
