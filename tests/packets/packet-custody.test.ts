import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile, rm, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { entryHash, type CustodyEntryBody } from '../../electron/core/custody/entry.js';
import { buildPacket, verifyPacket, type BuildPacketResult } from '../../electron/core/packets/index.js';
import { checkPacketCustody } from '../../electron/core/packets/custody-excerpt.js';
import { formatSha256Sums, parseSha256Sums } from '../../electron/core/packets/sha256sums.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { normaliseDigits } from '../../shared/pii-numbers.js';
import { newVault, tempDir } from '../helpers/vault.js';
import { ProfileRepo } from '../../electron/core/profile/profile-repo.js';
import { PROFILE, seedCase } from './fixtures.js';
import { run } from './tools.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const clone = (v: any) => JSON.parse(JSON.stringify(v));

/**
 * Issue 14: "The manifest carries the case's whole chain from entry 1 to the head (today entries 1-5, 7 and 9 of 12,
 * without the head)", and "today the manifest carries the raw custody payloads: narrative, titles, notes, and an ID
 * or card number typed without spaces goes out in full while the PDF masks it." Custody entries v2 commit to each
 * payload field by a salted digest; a packet carries every entry, and only the values that say what each item is.
 */
describe('the custody chain in a packet: whole, recomputable, disclosing only what it must', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  let caseId: string;
  let police: BuildPacketResult;
  let alipay: BuildPacketResult;
  let manifest: any;

  before(async () => {
    dir = await tempDir('redress-packet-custody-');
    vault = (await newVault(join(dir.path, 'vault'))).vault;
    const { kase, items } = await seedCase(vault);
    caseId = kase.id;
    // things the victim wrote, with their own numbers typed every which way, that no manifest may carry
    vault.items.annotate(items.plain.id, { notes: `我的身份证 ${PROFILE.idNumber.slice(0, 6)} ${PROFILE.idNumber.slice(6, 14)} ${PROFILE.idNumber.slice(14)}，卡号 ６２２２－０２１２－３４５６－７８９０`, tags: ['私密备注'] });
    vault.cases.update(caseId, { narrative: `${kase.narrative}\n我的手机 138 0013 8000，这是我写给警察的私密陈述。` });
    await vault.items.addBuffer(caseId, Buffer.from('第二份聊天记录\n'), { name: `身份证${PROFILE.idNumber}.txt`, title: '聊天记录二', kind: 'chat-export', mediaType: 'text/plain' });
    police = await buildPacket(vault, { caseId, recipientId: 'cn-police', outDir: join(dir.path, 'police') });
    alipay = await buildPacket(vault, { caseId, recipientId: 'cn-alipay', outDir: join(dir.path, 'alipay') });
    manifest = JSON.parse(await readFile(join(alipay.dir, 'manifest.json'), 'utf8'));
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  it('every entry from the first to the head the packet names, each v2, each hash recomputed and linked', async () => {
    const head = vault.cases.get(caseId).head;
    const entries = manifest.custody.entries as any[];
    assert.deepEqual(entries.map((e) => e.seq), Array.from({ length: entries.length }, (_, i) => i + 1));
    assert.equal(entries.at(-1).hash, manifest.case.chainHead.hash);
    // the second packet's chain includes the first packet's export entry
    assert.ok(entries.some((e) => e.committed.action === 'packet.exported'));
    assert.ok(entries.length <= head.seq && entries.length >= 9);
    const report = await verifyPacket(alipay.dir);
    assert.equal(report.ok, true, JSON.stringify(report.custody));
    assert.deepEqual(report.custody, { status: 'verified', entries: entries.length, recomputed: entries.length, problems: [] });
    assert.equal((await verifyPacket(police.zipPath)).custody?.status, 'verified');
  });

  it('no value the victim wrote is in the manifest: narrative, notes, tags, original names, their numbers in any form', async () => {
    for (const packet of [police, alipay]) {
      const text = await readFile(join(packet.dir, 'manifest.json'), 'utf8');
      for (const needle of ['百万保障', '私密陈述', '私密备注', '我的身份证']) assert.ok(!text.includes(needle), `${packet.dir}: ${needle}`);
    }
    // the police get the victim's numbers in full (their profile says so); a platform gets none of them, not even
    // in a file name ("身份证110101….txt")
    const text = await readFile(join(alipay.dir, 'manifest.json'), 'utf8');
    const digits = normaliseDigits(text).replace(/\D/g, '');
    for (const n of [PROFILE.idNumber.slice(0, 17), PROFILE.cards[0]!.number, PROFILE.phone]) assert.ok(!digits.includes(n), `${n} in the platform's manifest`);
  });

  it('nor in README.txt, verify.html, SHA256SUMS or any file name of the platform\'s packet', async () => {
    const texts = await Promise.all(['README.txt', 'verify.html', 'SHA256SUMS'].map((f) => readFile(join(alipay.dir, f), 'utf8')));
    const names = parseSha256Sums(texts[2]!).map((l) => l.path);
    assert.ok(names.some((n) => n.includes('身份证')), 'the file named after the ID card is there, its number masked');
    for (const text of [...texts, names.join('\n')]) {
      const digits = normaliseDigits(text).replace(/\D/g, '');
      for (const n of [PROFILE.idNumber.slice(0, 17), PROFILE.cards[0]!.number, PROFILE.phone]) assert.ok(!digits.includes(n), n);
    }
  });

  it('what is disclosed is what says what each item is, and checks against the digests', () => {
    const added = (manifest.custody.entries as any[]).filter((e) => e.committed.action === 'item.added');
    assert.ok(added.length >= 4);
    for (const e of added) assert.deepEqual(Object.keys(e.disclosed).sort(), ['captured', 'derivedFrom', 'itemId', 'kind', 'mediaType', 'sha256', 'size']);
    for (const e of manifest.custody.entries as any[]) if (e.committed.action !== 'item.added') assert.deepEqual(e.disclosed, {}, e.committed.action);
    // a field's digest, recomputed with a standard tool from what the packet carries
    const e = added[0];
    const d = e.disclosed.sha256;
    const printed = createHash('sha256').update(JSON.stringify([d.salt, 'sha256', d.value])).digest('hex');
    assert.equal(printed, e.committed.digests.sha256);
  });

  it('README.txt\'s jq commands, run as printed, recompute an entry\'s hash and a disclosed field\'s digest', async () => {
    const readme = await readFile(join(alipay.dir, 'README.txt'), 'utf8');
    const commands = readme.split('\r\n').filter((l) => l.includes('jq -j')).map((l) => l.trim());
    assert.equal(commands.length, 2, readme);
    const entries = manifest.custody.entries as any[];
    const n = entries.findIndex((e) => e.committed.action === 'item.added') + 1;
    const [hashCommand, digestCommand] = commands.map((c) => c.replaceAll('N-1', String(n - 1)));
    const sh = (command: string) => run('sh', ['-c', command], { cwd: alipay.dir });
    const hashed = sh(hashCommand!);
    assert.equal(hashed.code, 0, hashed.stderr);
    assert.equal(hashed.stdout.slice(0, 64), entries[n - 1].hash);
    const digested = sh(digestCommand!);
    assert.equal(digested.code, 0, digested.stderr);
    assert.equal(digested.stdout.slice(0, 64), entries[n - 1].committed.digests.sha256);
  });

  it('a tampered chain or disclosure fails, each by name', () => {
    const added = (m: any) => (m.custody.entries as any[]).find((e) => e.committed.action === 'item.added');
    const cases: [string, (m: any) => void, RegExp][] = [
      ['a disclosed SHA-256 changed', (m) => (added(m).disclosed.sha256.value = 'f'.repeat(64)), /the value of sha256 is not the one recorded/],
      ['a digest changed', (m) => (added(m).committed.digests.title = 'f'.repeat(64)), /does not match its hash/],
      ['an entry removed', (m) => m.custody.entries.splice(3, 1), /entry 4 is missing/],
      ['the last entry removed', (m) => m.custody.entries.pop(), /does not end at the head/],
      ['an item pointing at another entry', (m) => (m.items[0].addedSeq = 1), /E\w*: no entry 1 added it|its SHA-256 is not/],
      ['an item\'s SHA-256 changed', (m) => (m.items[0].sha256 = 'a'.repeat(64)), /its SHA-256 is not the one entry/],
      ['an entry\'s time moved, its hash recomputed', (m) => {
        const e = m.custody.entries[2];
        e.committed.time = '2024-01-01T00:00:00.000Z';
        e.hash = createHash('sha256').update(e.committed.prev).update(canonical(e.committed)).digest('hex');
      }, /entry 4 does not follow entry 3/],
    ];
    assert.equal(checkPacketCustody(manifest).status, 'verified');
    for (const [what, edit, problem] of cases) {
      const m = clone(manifest);
      edit(m);
      const check = checkPacketCustody(m);
      assert.equal(check.status, 'failed', what);
      assert.ok(check.problems.some((p) => problem.test(p)), `${what}: ${check.problems.join('; ')}`);
    }
  });

  it('what a review found a forger could do to the chain is refused: a stray committed body on a v1 entry, a hash-only stub after v2 entries, a v2 entry without its committed body, nesting deeper than the stack', () => {
    const forgeItem = (m: any) => {
      // an item's SHA-256 forged in its entry, the entry re-hashed: what the rest of the chain must expose
      const e = (m.custody.entries as any[]).find((x) => x.committed.action === 'item.added');
      const salt = e.disclosed.sha256.salt;
      const forged = 'b'.repeat(64);
      e.disclosed.sha256.value = forged;
      e.committed.digests.sha256 = createHash('sha256').update(JSON.stringify([salt, 'sha256', forged])).digest('hex');
      e.hash = createHash('sha256').update(e.committed.prev + canonical(e.committed)).digest('hex');
      m.items.find((i: any) => i.itemId === e.disclosed.itemId.value).sha256 = forged;
      return e.seq as number;
    };
    // the entry after the forged one replaced by a hash-only stub carrying its genuine hash
    const stub = clone(manifest);
    const seq = forgeItem(stub);
    stub.custody.entries[seq] = { seq: seq + 1, hash: stub.custody.entries[seq].hash, v: 1 };
    const stubbed = checkPacketCustody(stub);
    assert.equal(stubbed.status, 'failed');
    assert.ok(stubbed.problems.some((p) => /older format, after entries of the newer one/.test(p)), stubbed.problems.join('; '));
    // the forged entry left as it is: the next one does not follow it
    const plain = clone(manifest);
    const at = forgeItem(plain);
    assert.ok(checkPacketCustody(plain).problems.includes(`entry ${at + 1} does not follow entry ${at}`));
    // a v2 entry without its committed body, and JSON nested deeper than any stack
    const bare = clone(manifest);
    delete bare.custody.entries[1].committed;
    assert.equal(checkPacketCustody(bare).status, 'failed');
    const deep = clone(manifest);
    let nest: any = {};
    for (let i = 0; i < 200_000; i++) nest = { n: nest };
    deep.custody.entries[1].committed.digests = nest;
    assert.equal(checkPacketCustody(deep).status, 'failed');
  });

  it('an item the packet does not carry discloses nothing: its entry travels as digests', async () => {
    const only = await buildPacket(vault, { caseId, recipientId: 'cn-alipay', itemIds: [manifest.items[0].itemId], outDir: join(dir.path, 'one-item') });
    const m = JSON.parse(await readFile(join(only.dir, 'manifest.json'), 'utf8'));
    const disclosing = (m.custody.entries as any[]).filter((e) => Object.keys(e.disclosed).length > 0);
    assert.deepEqual(disclosing.map((e) => e.disclosed.itemId.value), [manifest.items[0].itemId]);
    assert.equal((await verifyPacket(only.dir)).custody?.status, 'verified');
  });

  it('a forger who edits the chain and regenerates SHA256SUMS, without the signature: verify-packet fails on the chain', async () => {
    const copy = join(dir.path, 'forged-chain');
    await cp(alipay.dir, copy, { recursive: true });
    const m = clone(manifest);
    m.items[0].sha256 = createHash('sha256').update('another original').digest('hex');
    await writeFile(join(copy, 'manifest.json'), JSON.stringify(m));
    await rm(join(copy, 'SHA256SUMS.sig'));
    await rm(join(copy, 'vault-key.pem'));
    delete m.signer;
    const listed = parseSha256Sums(await readFile(join(copy, 'SHA256SUMS'), 'utf8')).filter((l) => l.path !== 'vault-key.pem');
    const files = [];
    for (const l of listed) files.push({ path: l.path, sha256: createHash('sha256').update(await readFile(join(copy, l.path))).digest('hex'), size: 0 });
    await writeFile(join(copy, 'SHA256SUMS'), formatSha256Sums(files));
    const report = await verifyPacket(copy);
    assert.equal(report.ok, false);
    assert.equal(report.custody?.status, 'failed');
  });

  it('a chain begun in v1 (an older vault) continues in v2 from its head, keeps verifying, and travels partly', async () => {
    const other = (await newVault(join(dir.path, 'v1-vault'))).vault;
    try {
      const kase = other.cases.create({ title: 'v1 case', incidentType: 'phishing' });
      await other.items.addBuffer(kase.id, Buffer.from('old evidence'), { name: 'old.txt', mediaType: 'text/plain' });
      other.cases.update(kase.id, { status: 'ready' });
      rewriteAsV1(other, kase.id);
      await other.items.addBuffer(kase.id, Buffer.from('new evidence'), { name: 'new.txt', mediaType: 'text/plain' });
      const log = other.log(kase.id);
      assert.deepEqual(log.map((e) => e.v), [1, 1, 1, 2]);
      assert.equal((await other.verify(kase.id)).ok, true);
      const p = await buildPacket(other, { caseId: kase.id, recipientId: 'cn-police', outDir: join(dir.path, 'v1-out') });
      const m = JSON.parse(await readFile(join(p.dir, 'manifest.json'), 'utf8'));
      assert.deepEqual(m.custody.entries.map((e: any) => [e.v, 'body' in e || 'committed' in e]), [[1, true], [1, true], [1, false], [2, true]]);
      const report = await verifyPacket(p.dir);
      assert.equal(report.ok, true);
      assert.equal(report.custody?.status, 'partial', 'the link after the entry that travels as its hash alone cannot be checked');
      // the same chain for a platform, from a victim who typed their ID number in the narrative: the v1 entries that
      // hold it travel as their hash alone
      other.cases.update(kase.id, { narrative: `我的身份证 ${PROFILE.idNumber}` });
      rewriteAsV1(other, kase.id);
      new ProfileRepo(other.context).set(PROFILE);
      const platform = await buildPacket(other, { caseId: kase.id, recipientId: 'cn-alipay', outDir: join(dir.path, 'v1-alipay') });
      const text = await readFile(join(platform.dir, 'manifest.json'), 'utf8');
      assert.ok(!normaliseDigits(text).includes(PROFILE.idNumber.slice(0, 17)), 'the ID number travels in a v1 body');
      const check = await verifyPacket(platform.dir);
      assert.equal(check.ok, true, JSON.stringify(check.custody));
      assert.equal(check.custody?.status, 'partial');
    } finally {
      await other.close();
    }
  });
});

/** What a vault written before v2 holds: the same chain with v1 bodies (no salts, the hash over the whole body). */
function rewriteAsV1(vault: Vault, caseId: string): void {
  const db = vault.context.db;
  const rows = db.prepare('SELECT seq, body FROM custody WHERE case_id = ? ORDER BY seq').all(caseId) as { seq: number; body: string }[];
  let prev = '0'.repeat(64);
  db.transaction(() => {
    for (const row of rows) {
      const { salts: _salts, ...rest } = JSON.parse(row.body) as CustodyEntryBody;
      const body = { ...rest, v: 1 as const, prev };
      const hash = entryHash(body);
      db.prepare('UPDATE custody SET body = ?, hash = ? WHERE case_id = ? AND seq = ?').run(canonical(body), hash, caseId, row.seq);
      prev = hash;
    }
    db.prepare('UPDATE cases SET head_hash = ? WHERE id = ?').run(prev, caseId);
  })();
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
