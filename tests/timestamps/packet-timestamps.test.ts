// A packet carries the case's trusted timestamps to every recipient (a token holds no personal data), and
// verify-packet checks each one with no vault: the imprint is the hash of the entry it stamps, the signature and TSA
// certificate hold, and with the TSA's root given it says "timestamped by X at T"; with another root it fails.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPacket, verifyPacket, type BuildPacketResult } from '../../electron/core/packets/index.js';
import { TimestampSettingsStore } from '../../electron/core/timestamps/settings.js';
import { stampCaseHead } from '../../electron/core/timestamps/stamp.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { seedCase } from '../packets/fixtures.js';
import { cli } from '../helpers/cli.js';
import { startTestTsa, type TestTsa } from '../helpers/tsa.js';
import { newVault, tempDir } from '../helpers/vault.js';

describe('trusted timestamps in packets', () => {
  let tsa: TestTsa;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  let police: BuildPacketResult;
  let platform: BuildPacketResult;
  let stampedSeq: number;
  before(async () => {
    tsa = await startTestTsa();
    dir = await tempDir('redress-packet-ts-');
    vault = (await newVault(join(dir.path, 'vault'))).vault;
    const { kase } = await seedCase(vault);
    const store = new TimestampSettingsStore(vault.context.db);
    store.addCustom({ id: 'assoc', name: 'Association TSA', url: tsa.url, rootPem: tsa.rootPem });
    store.set({ enabled: true, tsaId: 'assoc' });
    const out = await stampCaseHead(vault.context, kase.id);
    assert.equal(out.status, 'stamped');
    stampedSeq = out.status === 'stamped' ? out.record.seq! : 0;
    police = await buildPacket(vault, { caseId: kase.id, recipientId: 'cn-police', outDir: join(dir.path, 'police') });
    platform = await buildPacket(vault, { caseId: kase.id, recipientId: 'cn-alipay', outDir: join(dir.path, 'alipay') });
  });
  after(async () => {
    await vault.close();
    await tsa.close();
    await dir.cleanup();
  });

  it('without the root: the signature holds, and the report says no root was given', async () => {
    const report = await verifyPacket(police.dir);
    assert.equal(report.ok, true, JSON.stringify(report.files.filter((f) => f.status !== 'intact')));
    assert.equal(report.timestamps.length, 1);
    assert.equal(report.timestamps[0]!.status, 'no-root');
    assert.equal(report.timestamps[0]!.stampedSeq, stampedSeq);
  });

  it('with the TSA root: trusted, for police and platform packets, folder and ZIP; the token in the manifest is what openssl verifies', async () => {
    for (const path of [police.dir, police.zipPath, platform.dir]) {
      const report = await verifyPacket(path, { tsaRoots: [Buffer.from(tsa.rootPem)] });
      assert.equal(report.ok, true, path);
      assert.equal(report.timestamps[0]!.status, 'trusted', path);
      assert.match(report.timestamps[0]!.tsaName, /Test tsa/);
      assert.ok(report.timestamps[0]!.genTime);
    }
    const manifest = JSON.parse(await readFile(join(police.dir, 'manifest.json'), 'utf8'));
    const entry = manifest.custody.entries.find((e: { committed: { action: string } }) => e.committed?.action === 'timestamp.recorded');
    const stamped = manifest.custody.entries.find((e: { seq: number }) => e.seq === stampedSeq);
    assert.equal(entry.disclosed.imprint.value, stamped.hash);
    assert.match(await tsa.opensslVerify({ digestHex: stamped.hash, token: Buffer.from(entry.disclosed.token.value, 'base64') }), /Verification: OK/);
  });

  it('with a root that is not the TSA\'s, the timestamp fails and so does the packet', async () => {
    const other = await readFile(join(tsa.dir, 'other.pem'));
    const report = await verifyPacket(police.dir, { tsaRoots: [other] });
    assert.equal(report.ok, false);
    assert.equal(report.timestamps[0]!.status, 'failed');
    assert.equal(report.timestamps[0]!.failure, 'untrusted');
  });

  it('redress verify-packet --tsa-ca prints "timestamped by" in the reader\'s language', async () => {
    const root = join(dir.path, 'tsa-root.pem');
    await writeFile(root, tsa.rootPem);
    const en = await cli(['verify-packet', police.dir, '--tsa-ca', root]);
    assert.equal(en.code, 0, en.stdout + en.stderr);
    assert.match(en.stdout, /Timestamped by .*Test tsa.* at 20\d\d-/);
    const zh = await cli(['verify-packet', police.dir], { REDRESS_LANG: 'zh-CN' });
    assert.equal(zh.code, 0, zh.stdout + zh.stderr);
    assert.match(zh.stdout, /签名有效，但未提供该机构的根证书/);
  });
});
