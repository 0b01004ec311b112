import assert from 'node:assert/strict';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/vault.js';
import { plainPhoto } from './fixtures.js';
import { run } from './tools.js';

describe('redress recipients / packet / verify-packet (built CLI)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let env: Record<string, string>;
  let caseId: string;
  let packet: { dir: string; zipPath: string; packetSha256: string; keyFingerprint: string };
  /** what the sender's vault key is, as the packet's manifest names it */
  let fingerprint: string;

  before(async () => {
    dir = await tempDir('redress-packet-cli-');
    env = { REDRESS_DATA_DIR: join(dir.path, 'vault'), REDRESS_PASSPHRASE: 'a long enough passphrase' };
    assert.equal((await cli(['init'], env)).code, 0);
    const c = await cli(['case', 'create', '--title', 'Fake parcel refund', '--type', 'phishing', '--narrative', 'A text message said my parcel was held.'], env);
    caseId = c.stdout.trim();
    const photo = join(dir.path, 'receipt.jpg');
    await writeFile(photo, await plainPhoto(3));
    assert.equal((await cli(['add', caseId, photo, '--kind', 'payment-record'], env)).code, 0);
  });
  after(() => dir.cleanup());

  it('recipients lists every shipped profile, in the UI language', async () => {
    const r = await cli(['recipients', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const ids = r.json().recipients.map((x: { id: string }) => x.id);
    for (const id of ['cn-police', 'cn-pboc-12363', 'cn-nfra-12378', 'cn-csrc-12386', 'cn-cac-12377', 'cn-miit-12321', 'cn-samr-12315', 'cn-alipay', 'cn-wechat-pay', 'cn-bank', 'us-ftc', 'us-ic3', 'us-cfpb', 'uk-action-fraud', 'uk-ico', 'eu-dpa']) assert.ok(ids.includes(id), id);
    const zh = await cli(['recipients'], { ...env, LANG: 'zh_CN.UTF-8' });
    assert.match(zh.stdout, /中国人民银行/);
  });

  it('packet writes a folder and a ZIP and prints the packet hash and what personal data leaves', async () => {
    const out = join(dir.path, 'out');
    const r = await cli(['packet', caseId.slice(0, 8), '--for', 'uk-action-fraud', '--out', out], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Packet SHA-256 .*: [0-9a-f]{64}/);
    assert.match(r.stdout, /Personal data sent to Action Fraud/);
    const j = await cli(['packet', caseId, '--for', 'cn-bank', '--lang', 'en', '--out', out, '--json'], env);
    assert.equal(j.code, 0, j.stderr);
    packet = j.json();
    fingerprint = JSON.parse(await readFile(join(packet.dir, 'manifest.json'), 'utf8')).signer.fingerprint;
    assert.equal(packet.keyFingerprint, fingerprint);
    // the sender is told the fingerprint to give recipients
    assert.ok(r.stdout.includes(fingerprint), r.stdout);
    assert.ok((await readdir(packet.dir)).includes('packet.pdf'));
    assert.equal(run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: packet.dir }).code, 0);
  });

  it('packet: unknown recipient exits 4 with a message naming the command to list them', async () => {
    const r = await cli(['packet', caseId, '--for', 'nobody', '--out', dir.path], env);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /redress recipients/);
  });

  it('verify-packet checks a folder and a ZIP with no vault and exits 5 on an altered file', async () => {
    const noVault = { PATH: process.env.PATH ?? '' };
    const folder = await cli(['verify-packet', packet.dir, '--json'], noVault);
    assert.equal(folder.code, 0, folder.stdout + folder.stderr);
    assert.equal(folder.json().packetSha256, packet.packetSha256);
    const zip = await cli(['verify-packet', packet.zipPath], noVault);
    assert.equal(zip.code, 0, zip.stderr);
    assert.match(zip.stdout, /Packet intact/);
    // signed by a key the recipient has not confirmed: the verdict says what it cannot know, and gives the fingerprint
    assert.match(zip.stdout, new RegExp(`Signed by the vault key ${fingerprint}\\. .*another way.*--key.*self-attested.*${packet.packetSha256}`, 's'));
    assert.match(zip.stdout, /Custody chain: all \d+ entries recomputed and linked, from the first to the head/);
    const zhOut = await cli(['verify-packet', packet.zipPath], { ...noVault, LANG: 'zh_CN.UTF-8' });
    assert.match(zhOut.stdout, /保管链：全部 \d+ 条记录均已重新计算/);
    assert.match(zhOut.stdout, new RegExp(`证据库密钥 ${fingerprint} 签名.*自证材料.*${packet.packetSha256}`, 's'));
    const expected = await cli(['verify-packet', packet.zipPath, '--key', fingerprint.replace(/ /g, '')], noVault);
    assert.equal(expected.code, 0, expected.stdout);
    assert.match(expected.stdout, /Signed by the key you expected/);
    const other = await cli(['verify-packet', packet.zipPath, '--key', '00112233445566778899aabbccddeeff'], noVault);
    assert.equal(other.code, 5, other.stdout);
    assert.match(other.stdout, /Signed by another key .* than the one you expected \(00112233445566778899aabbccddeeff\): this is not the sender's packet/);
    const typo = await cli(['verify-packet', packet.zipPath, '--key', 'abc'], noVault);
    assert.notEqual(typo.code, 0);
    assert.notEqual(typo.code, 5, 'a mistyped fingerprint is bad input, not a failed packet');
    const planted = join(dir.path, 'planted');
    await cp(packet.dir, planted, { recursive: true });
    await writeFile(join(planted, 'originals', 'E9-extra.jpg'), 'planted');
    const extra = await cli(['verify-packet', planted], noVault);
    assert.equal(extra.code, 5, extra.stdout);
    assert.match(extra.stdout, /1 not part of the packet/);
    assert.match(extra.stdout, /\[extra\] originals\/E9-extra.jpg/);
    const copy = join(dir.path, 'altered');
    await cp(packet.dir, copy, { recursive: true });
    await writeFile(join(copy, 'packet.pdf'), 'not the pdf');
    const bad = await cli(['verify-packet', copy], noVault);
    assert.equal(bad.code, 5);
    assert.match(bad.stdout, /\[altered\] packet.pdf/);
    const notPacket = await cli(['verify-packet', dir.path], noVault);
    assert.equal(notPacket.code, 7);
    assert.match(notPacket.stderr, /not a Redress packet/);
  });
});
