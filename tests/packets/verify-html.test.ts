import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { buildPacket, verifyPacket, type BuildPacketResult } from '../../electron/core/packets/index.js';
import { newVault, tempDir } from '../helpers/vault.js';
import { seedCase } from './fixtures.js';
import { forgePacket } from './forge.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

describe('verify.html in Chromium', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let browser: Browser;
  let zh: BuildPacketResult;
  let en: BuildPacketResult;
  let fingerprint: string;

  before(async () => {
    dir = await tempDir('redress-verify-html-');
    const { vault } = await newVault(join(dir.path, 'vault'));
    try {
      const { kase } = await seedCase(vault);
      zh = await buildPacket(vault, { caseId: kase.id, recipientId: 'cn-police', outDir: join(dir.path, 'zh') });
      en = await buildPacket(vault, { caseId: kase.id, recipientId: 'uk-action-fraud', outDir: join(dir.path, 'en') });
      fingerprint = vault.context.signer.fingerprint;
    } finally {
      await vault.close();
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await dir.cleanup();
  });

  async function check(packetDir: string, folder: string, expectKey?: string) {
    const page = await browser.newPage();
    const requests: string[] = [];
    const violations: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    await page.goto(pathToFileURL(join(packetDir, 'verify.html')).href);
    if (expectKey !== undefined) await page.fill('#expect', expectKey);
    await page.setInputFiles('#dir', folder);
    await page.waitForSelector('#summary[data-result="intact"], #summary[data-result="problems"], #summary[data-result="error"]', { timeout: 30_000 });
    const result = {
      state: await page.getAttribute('#summary', 'data-result'),
      summary: await page.textContent('#summary'),
      lang: await page.getAttribute('html', 'lang'),
      rows: await page.$$eval('#rows tr', (trs) => trs.map((tr) => [tr.getAttribute('data-path'), tr.getAttribute('data-status')])),
      title: await page.textContent('h1'),
      attestation: await page.textContent('#attestation'),
      signature: await page.getAttribute('#attestation', 'data-signature'),
      custody: await page.getAttribute('#custody', 'data-status'),
      custodyText: await page.textContent('#custody'),
    };
    await page.close();
    assert.deepEqual(requests, [], 'verify.html must not touch the network');
    assert.deepEqual(violations, [], 'no script errors or CSP violations');
    return result;
  }

  it('reports every file of an intact Chinese packet as intact, in Chinese', async () => {
    const r = await check(zh.dir, zh.dir);
    assert.equal(r.state, 'intact', r.summary ?? '');
    assert.equal(r.lang, 'zh-CN');
    assert.equal(r.title, '材料核验');
    assert.match(r.summary!, /全部 9 个文件完好/);
    assert.equal(r.rows.length, 9);
    assert.ok(r.rows.every(([, s]) => s === 'intact'));
    assert.equal(r.signature, 'valid');
    assert.equal(r.custody, 'verified', r.custodyText ?? '');
    assert.match(r.custodyText!, /^保管链：全部 \d+ 条记录均已重新计算/);
    assert.match(r.attestation!, new RegExp(`^本材料由证据库密钥 ${fingerprint} 签名。.*通过其他途径.*自证材料.*${zh.packetSha256}$`));
  });

  it('a file planted in the packet folder is a problem, not "all intact"; a .DS_Store is ignored', async () => {
    const copy = join(dir.path, 'planted');
    await cp(en.dir, copy, { recursive: true });
    await writeFile(join(copy, '.DS_Store'), 'finder');
    const litter = await check(en.dir, copy);
    assert.equal(litter.state, 'intact', litter.summary ?? '');
    assert.match(litter.attestation!, new RegExp(`^Signed by the vault key ${fingerprint}\\. .*another way.*self-attested.*${en.packetSha256}$`));
    await writeFile(join(copy, 'originals', 'E9-extra.jpg'), 'planted');
    await mkdir(join(copy, '__MACOSX'));
    await writeFile(join(copy, '__MACOSX', '._packet.pdf'), 'resource fork');
    await writeFile(join(copy, '__MACOSX', 'E10.jpg'), 'planted');
    const r = await check(en.dir, copy);
    assert.equal(r.state, 'problems', r.summary ?? '');
    assert.match(r.summary!, /0 altered, 0 missing, 0 disagreeing with the manifest, 2 not part of the packet/);
    assert.deepEqual(r.rows.filter(([, s]) => s !== 'intact').sort(), [['.DS_Store', 'ignored'], ['__MACOSX/._packet.pdf', 'ignored'], ['__MACOSX/E10.jpg', 'extra'], ['originals/E9-extra.jpg', 'extra']]);
    assert.equal(r.attestation, '', 'no verdict on who made a packet that fails');
  });

  it('reports an altered original as altered (English packet)', async () => {
    const copy = join(dir.path, 'altered');
    await cp(en.dir, copy, { recursive: true });
    const manifest = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'));
    const victim = manifest.items[1].file as string;
    const bytes = await readFile(join(copy, victim));
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    await writeFile(join(copy, victim), bytes);
    const r = await check(en.dir, copy);
    assert.equal(r.state, 'problems');
    assert.equal(r.lang, 'en');
    assert.match(r.summary!, /1 altered, 0 missing/);
    assert.deepEqual(r.rows.filter(([, s]) => s !== 'intact'), [[victim, 'altered']]);
  });

  it('the forged packet (original swapped, SHA256SUMS and manifest regenerated) fails on its signature', async () => {
    const { dir: copy } = await forgePacket(en.dir, join(dir.path, 'forged'), { signature: 'keep' });
    const r = await check(en.dir, copy);
    assert.equal(r.state, 'problems', r.summary ?? '');
    assert.ok(r.rows.every(([, s]) => s === 'intact'), 'every hash matches: only the signature tells');
    assert.equal(r.signature, 'invalid');
    assert.match(r.summary!, /signature does NOT match/);
    assert.equal(r.attestation, '');
  });

  it('with the fingerprint the sender gave (typed any way): "signed by the key you expected"; another key fails', async () => {
    const typed = fingerprint.toLowerCase().replace(/ /g, ':');
    const r = await check(zh.dir, zh.dir, typed);
    assert.equal(r.state, 'intact', r.summary ?? '');
    assert.equal(r.attestation, `本材料由您预期的密钥（${fingerprint}）签名：材料出自发送者，签名后未被改动。`);
    const { dir: resigned, fingerprint: theirs } = await forgePacket(en.dir, join(dir.path, 'resigned'), { signature: 'resign' });
    const unconfirmed = await check(en.dir, resigned);
    assert.equal(unconfirmed.state, 'intact', 'a packet re-signed with a key of its own checks, but under that key');
    assert.ok(unconfirmed.attestation!.includes(theirs!));
    const expected = await check(en.dir, resigned, fingerprint);
    assert.equal(expected.state, 'problems');
    assert.equal(expected.signature, 'unexpected-key');
    assert.ok(expected.summary!.includes(theirs!) && expected.summary!.includes(fingerprint));
    const bad = await check(en.dir, en.dir, 'not a fingerprint');
    assert.equal(bad.state, 'error');
  });

  it('stripped of its signature, key and signer: intact and "self-attested"; expected to be signed, it fails', async () => {
    const { dir: copy } = await forgePacket(en.dir, join(dir.path, 'stripped'), { signature: 'strip' });
    const r = await check(en.dir, copy);
    assert.equal(r.state, 'intact', r.summary ?? '');
    assert.equal(r.signature, 'absent');
    assert.match(r.attestation!, /^Self-attested: .*another way/);
    const expected = await check(en.dir, copy, fingerprint);
    assert.equal(expected.state, 'problems');
    assert.equal(expected.signature, 'missing');
  });

  it('a chain edited to match a swapped original, with SHA256SUMS regenerated and the signature stripped, fails on the chain', async () => {
    const { dir: copy } = await forgePacket(en.dir, join(dir.path, 'forged-chain'), { signature: 'strip' });
    const m = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'));
    const swapped = createHash('sha256').update(await readFile(join(copy, m.items[0].file))).digest('hex');
    m.items[0].sha256 = swapped;
    await writeFile(join(copy, 'manifest.json'), JSON.stringify(m));
    const listed = (await readFile(join(copy, 'SHA256SUMS'), 'utf8')).trim().split('\n').map((l) => l.slice(66));
    const sums = [];
    for (const path of listed) sums.push(`${createHash('sha256').update(await readFile(join(copy, path))).digest('hex')}  ${path}\n`);
    await writeFile(join(copy, 'SHA256SUMS'), sums.join(''));
    const r = await check(en.dir, copy);
    assert.equal(r.state, 'problems', r.summary ?? '');
    assert.ok(r.rows.every(([, s]) => s === 'intact'));
    assert.equal(r.custody, 'failed');
    assert.match(r.summary!, /Custody chain check FAILED: .*E01: its SHA-256 is not the one entry \d+ recorded/);
  });

  it('as verify-packet does, the page refuses a v2 entry replaced by its hash alone, and an entry whose committed body is gone', async () => {
    for (const [name, edit] of [
      ['stub', (m: any) => (m.custody.entries[2] = { seq: 3, hash: m.custody.entries[2].hash, v: 1 })], // eslint-disable-line @typescript-eslint/no-explicit-any
      ['bare', (m: any) => delete m.custody.entries[2].committed], // eslint-disable-line @typescript-eslint/no-explicit-any
    ] as const) {
      const { dir: copy } = await forgePacket(en.dir, join(dir.path, `chain-${name}`), { signature: 'strip' });
      const m = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'));
      m.items[0].sha256 = createHash('sha256').update(await readFile(join(copy, m.items[0].file))).digest('hex');
      edit(m);
      await writeFile(join(copy, 'manifest.json'), JSON.stringify(m));
      const listed = (await readFile(join(copy, 'SHA256SUMS'), 'utf8')).trim().split('\n').map((l) => l.slice(66));
      const sums = [];
      for (const path of listed) sums.push(`${createHash('sha256').update(await readFile(join(copy, path))).digest('hex')}  ${path}\n`);
      await writeFile(join(copy, 'SHA256SUMS'), sums.join(''));
      const r = await check(en.dir, copy);
      assert.equal(r.custody, 'failed', `${name}: ${r.custodyText}`);
      assert.equal(r.state, 'problems', name);
      assert.equal((await verifyPacket(copy)).custody?.status, 'failed', `${name}: verify-packet agrees`);
    }
  });
});
