// Issue 13, "Exchange bundles are hostile until proven otherwise", first finding: a bundle's case id was an
// unchecked string used as a path. A bundle with case id ../../<folder> imported cleanly, and the next batch export
// deleted that folder and everything in it. A batch may delete only the folders it created itself.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { batchExport } from '../../electron/core/batch/index.js';
import { createJobFolder, JOB_MARKER, jobFolder, removeJobFolder } from '../../electron/core/batch/job-folder.js';
import { exportBundle, importBundle } from '../../electron/core/bundles/index.js';
import { RedressError } from '../../electron/core/errors.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { createI18n } from '../../shared/i18n/index.js';
import { manifestOf, pack, unpack, withManifest } from '../bundles/craft.js';
import { renameCase } from '../bundles/forge.js';
import { newVault, tempDir, TEST_KDF } from '../helpers/vault.js';

const { t } = createI18n('en');
const TRANSFER = 'transfer passphrase 2026';

async function plant(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'thesis.docx'), 'years of work');
}

/** A case row written straight into the database, as a bug, an older version or a hand edit could leave one. */
function smuggleCase(vault: Vault, id: string): void {
  const now = new Date().toISOString();
  vault.context.db
    .prepare(`INSERT INTO cases (id, title, incident_type, status, narrative, losses, parties, created_at, updated_at, head_seq, head_hash) VALUES (?, 'smuggled', 'other', 'ready', '', '[]', '[]', ?, ?, 0, ?)`)
    .run(id, now, now, '0'.repeat(64));
}

describe('batch export deletes only folders it created', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let a: Vault;
  let b: Vault;
  let members: [string, Buffer][];

  before(async () => {
    dir = await tempDir();
    a = (await newVault(join(dir.path, 'a'))).vault;
    b = (await newVault(join(dir.path, 'b'))).vault;
    const kase = a.cases.create({ title: 'volunteer case', incidentType: 'phishing', status: 'ready' });
    await a.items.addBuffer(kase.id, Buffer.from('对方: 请点击链接'), { name: 'chat.txt' });
    const good = join(dir.path, 'good.redress');
    await exportBundle(a, kase.id, { out: good, passphrase: TRANSFER, kdf: TEST_KDF });
    members = await unpack(good, TRANSFER);
  });
  after(async () => {
    await a.close();
    await b.close();
    await dir.cleanup();
  });

  it('the exact attack: a bundle whose case id climbs out of the batch folder is refused, and a batch leaves that folder alone', async () => {
    const victim = join(dir.path, 'victim');
    await plant(victim);
    const out = join(dir.path, 'batch1');
    // outDir/packets/<case id> with case id ../../victim is <dir>/victim
    const hostile = join(dir.path, 'climb.redress');
    await pack(hostile, TRANSFER, withManifest(members, renameCase(manifestOf(members), '../../victim')));
    await assert.rejects(importBundle(b, hostile, { passphrase: TRANSFER }), (err: unknown) => {
      assert.ok(err instanceof RedressError, String(err));
      assert.equal(err.code, 'BUNDLE_INVALID', JSON.stringify(err.value));
      assert.match(String(err.value.params.detail), /case id/);
      return true;
    });
    assert.equal(b.cases.list().length, 0);
    await batchExport(b, { recipientId: 'cn-police', outDir: out, workers: 1, t });
    assert.deepEqual(await readdir(victim), ['thesis.docx']);
  });

  it('a case id that got into the vault some other way cannot make a batch delete outside its folder', async () => {
    const victim = join(dir.path, 'victim2');
    await plant(victim);
    const out = join(dir.path, 'batch2');
    smuggleCase(b, '../../victim2');
    smuggleCase(b, '/' + victim.replace(/^\/+/, ''));
    try {
      const r = await batchExport(b, { recipientId: 'cn-police', outDir: out, workers: 1, t });
      assert.deepEqual(await readdir(victim), ['thesis.docx']);
      assert.equal(await readFile(join(victim, 'thesis.docx'), 'utf8'), 'years of work');
      assert.equal(r.built, 0);
      assert.deepEqual(r.failed.map((f) => f.caseId).sort(), ['../../victim2', '/' + victim.replace(/^\/+/, '')].sort());
      // nothing was made outside the batch folder either
      assert.deepEqual((await readdir(dir.path)).filter((n) => !['a', 'b', 'good.redress', 'climb.redress', 'victim', 'victim2', 'batch1', 'batch2'].includes(n)), []);
    } finally {
      b.context.db.prepare(`DELETE FROM cases WHERE title = 'smuggled'`).run();
    }
  });

  it('a folder already there under a job\u2019s name is never deleted, nor a symlink followed', async () => {
    const out = join(dir.path, 'batch3');
    const mine = b.cases.create({ title: 'mine', incidentType: 'other', status: 'ready' });
    await b.items.addBuffer(mine.id, Buffer.from('a note'), { name: 'n.txt' });
    const linked = b.cases.create({ title: 'linked', incidentType: 'other', status: 'ready' });
    await b.items.addBuffer(linked.id, Buffer.from('another note'), { name: 'n.txt' });
    await plant(join(out, 'packets', mine.id));
    const victim = join(dir.path, 'victim3');
    await plant(victim);
    await symlink(victim, join(out, 'packets', linked.id));
    const r = await batchExport(b, { recipientId: 'cn-police', outDir: out, workers: 1, t });
    assert.deepEqual(await readdir(join(out, 'packets', mine.id)), ['thesis.docx']);
    assert.deepEqual(await readdir(victim), ['thesis.docx']);
    assert.deepEqual(r.failed.map((f) => [f.caseId, f.error.code]).sort(), [[mine.id, 'OUTPUT_UNWRITABLE'], [linked.id, 'OUTPUT_UNWRITABLE']].sort());
  });

  it("an interrupted job's own folder is cleared and rebuilt on the next run", async () => {
    const out = join(dir.path, 'batch4');
    const kase = b.cases.create({ title: 'resumed', incidentType: 'other', status: 'submitted' });
    await b.items.addBuffer(kase.id, Buffer.from('resume me'), { name: 'r.txt' });
    await mkdir(join(out, 'packets'), { recursive: true });
    const left = await createJobFolder(join(out, 'packets'), kase.id);
    await writeFile(join(left, 'half-written.pdf'), 'partial');
    const r = await batchExport(b, { selection: { status: 'submitted' }, recipientId: 'cn-police', outDir: out, workers: 1, t });
    assert.equal(r.built, 1, JSON.stringify(r.failed));
    const names = await readdir(left);
    assert.ok(!names.includes('half-written.pdf'), names.join(', '));
    assert.ok(names.includes(JOB_MARKER));
    assert.equal(((await stat(left)).mode & 0o777).toString(8), '700');
  });

  it('a packet the chain records is never deleted by a later run: a job folder holding one is set aside, then rebuilt', async () => {
    // A run that died after renaming the packet into place but before writing the batch's state file: the next run
    // sees the case as not done. Clearing its folder would leave the packet.exported entry naming files that are gone.
    const out = join(dir.path, 'batch5');
    const kase = b.cases.create({ title: 'recorded', incidentType: 'other', status: 'closed' });
    await b.items.addBuffer(kase.id, Buffer.from('the transfer receipt'), { name: 'receipt.txt' });
    const first = await batchExport(b, { selection: { status: 'closed' }, recipientId: 'cn-police', outDir: out, workers: 1, t });
    assert.equal(first.built, 1, JSON.stringify(first.failed));
    const done = first.cases[0]!.outcome as { status: 'done'; packet: { dir: string; packetSha256: string } };
    const packetName = basename(done.packet.dir);
    const sums = await readFile(join(done.packet.dir, 'SHA256SUMS'));
    await rm(join(out, 'batch-state.json'));
    const second = await batchExport(b, { selection: { status: 'closed' }, recipientId: 'cn-police', outDir: out, workers: 1, t });
    assert.equal(second.built, 1, JSON.stringify(second.failed));
    const packets = await readdir(join(out, 'packets'));
    const kept = packets.filter((n) => n.startsWith(`${kase.id}.kept-`));
    assert.equal(kept.length, 1, packets.join(', '));
    const keptSums = await readFile(join(out, 'packets', kept[0]!, kase.id, packetName, 'SHA256SUMS'));
    assert.ok(keptSums.equals(sums), 'the recorded packet is still there, byte for byte');
    const exported = b.log(kase.id).filter((e) => e.action === 'packet.exported');
    assert.equal(exported.length, 2);
    // the new packet is in the job folder as usual
    assert.ok((await readdir(join(out, 'packets', kase.id))).length > 1);
  });
});

describe('job folders: paths from case ids stay inside the packets folder', () => {
  it('only a plain name directly inside the packets folder', () => {
    const packets = '/batch/packets';
    assert.equal(jobFolder(packets, '0c1f3e5a-9d2b-4c6e-8f70-123456789abc'), '/batch/packets/0c1f3e5a-9d2b-4c6e-8f70-123456789abc');
    for (const id of ['..', '.', '', '../x', '../../victim', '/etc', 'a/b', 'a\\b', 'x\u0000y', '..\\..', ' ', 'a'.repeat(101)]) {
      assert.throws(() => jobFolder(packets, id), (err: unknown) => err instanceof RedressError && err.code === 'OUTPUT_UNWRITABLE', JSON.stringify(id));
    }
  });

  it('removes nothing it did not create, and follows no link', async () => {
    const dir = await tempDir();
    try {
      const packets = join(dir.path, 'packets');
      await mkdir(packets);
      const id = '0c1f3e5a-9d2b-4c6e-8f70-123456789abc';
      await plant(join(packets, id));
      await assert.rejects(removeJobFolder(packets, id), /OUTPUT_UNWRITABLE/);
      await writeFile(join(packets, id, JOB_MARKER), '{"createdBy":"redress batch-export","caseId":"someone else"}\n');
      await assert.rejects(removeJobFolder(packets, id), /OUTPUT_UNWRITABLE/);
      assert.deepEqual((await readdir(join(packets, id))).sort(), [JOB_MARKER, 'thesis.docx'].sort());
      const other = '1c1f3e5a-9d2b-4c6e-8f70-123456789abc';
      await symlink(join(packets, id), join(packets, other));
      await assert.rejects(createJobFolder(packets, other), /OUTPUT_UNWRITABLE/);
      assert.ok((await readdir(join(packets, id))).includes('thesis.docx'));
    } finally {
      await dir.cleanup();
    }
  });
});
