import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vault } from '../../electron/core/vault/vault.js';
import { measure, round, timeCommand, writeResults } from './measure.js';

const KDF = { name: 'scrypt' as const, N: 2 ** 14, r: 8, p: 1 };
const MiB = 1024 * 1024;

async function makeMixedFiles(dir: string, totalBytes: number): Promise<string[]> {
  const files: string[] = [];
  let written = 0;
  // Three videos of 200 MiB...
  for (let v = 0; v < 3; v++) {
    const path = join(dir, `video-${v}.mp4`);
    const handle = await open(path, 'w');
    const block = randomBytes(MiB);
    for (let i = 0; i < 200; i++) {
      block.writeUInt32BE(i * 31 + v, 0);
      await handle.write(block);
    }
    await handle.close();
    files.push(path);
    written += 200 * MiB;
  }
  // ...and screenshots of 50 KiB to 1 MiB up to the total.
  for (let i = 0; written < totalBytes; i++) {
    const size = Math.min(totalBytes - written, 50 * 1024 + ((i * 104_729) % (974 * 1024)));
    const path = join(dir, `screenshot-${String(i).padStart(5, '0')}.png`);
    await writeFile(path, randomBytes(size));
    files.push(path);
    written += size;
  }
  return files;
}

export async function benchIngest(totalBytes = 1024 * MiB) {
  const work = await mkdtemp(join(tmpdir(), 'redress-bench-'));
  try {
    const src = join(work, 'src');
    await mkdir(src);
    const files = await makeMixedFiles(src, totalBytes);
    const shaArgs = files.map((f) => f.slice(src.length + 1));
    // The generated gigabyte is still being written back to disk: flush it first, or the vault's fsyncs would wait
    // behind it while sha256sum, which only reads, would not.
    timeCommand('sync', []);
    timeCommand('sha256sum', shaArgs, { cwd: src }); // warm the page cache so both sides read from memory
    const shaSeconds = timeCommand('sha256sum', shaArgs, { cwd: src });
    // What `redress add` and the app run: concurrent sealing with ordered group commits.
    const batched = await ingestInto(join(work, 'vault-batched'), (vault, caseId) => vault.items.addFiles(caseId, files));
    // One file per call (the path of a single capture or paste), for comparison.
    const oneByOne = await ingestInto(join(work, 'vault-one'), async (vault, caseId) => {
      for (const f of files) await vault.items.addFile(caseId, f);
    });
    const shaAfter = timeCommand('sha256sum', shaArgs, { cwd: src });
    const baseline = Math.min(shaSeconds, shaAfter);
    // A second floor: a plain durable copy of the same files (cp, then fsync each copy), since a vault must write
    // every byte to disk and wait for it, which sha256sum never does.
    await mkdir(join(work, 'copy'));
    const copySeconds = timeCommand('sh', ['-c', 'cp -- "$@" ../copy/ && sync ../copy/*', 'sh', ...shaArgs], { cwd: src });
    return {
      files: files.length,
      bytes: totalBytes,
      ingestSeconds: round(batched.seconds),
      sha256sumSeconds: round(baseline),
      ratioToSha256sum: round(batched.seconds / baseline, 2),
      throughputMBps: round(totalBytes / MiB / batched.seconds, 1),
      peakRssMB: round(batched.peakRssMB, 1),
      durableCopySeconds: round(copySeconds),
      ratioToDurableCopy: round(batched.seconds / copySeconds, 2),
      oneByOne: { ingestSeconds: round(oneByOne.seconds), ratioToSha256sum: round(oneByOne.seconds / baseline, 2), peakRssMB: round(oneByOne.peakRssMB, 1) },
      targets: { ratioToSha256sum: 2, peakRssMB: 300 },
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function ingestInto(dir: string, ingest: (vault: Vault, caseId: string) => Promise<unknown>) {
  const { vault } = await Vault.create(dir, 'benchmark passphrase', { actor: 'bench', kdf: KDF });
  const caseId = vault.cases.create({ title: 'bench', incidentType: 'other' }).id;
  try {
    return await measure(() => ingest(vault, caseId));
  } finally {
    await vault.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchVerify(entries = 100_000, items = 10_000) {
  const work = await mkdtemp(join(tmpdir(), 'redress-bench-'));
  try {
    const { vault } = await Vault.create(join(work, 'vault'), 'benchmark passphrase', { actor: 'bench', kdf: KDF });
    const caseId = vault.cases.create({ title: 'bench', incidentType: 'other' }).id;
    const ids: string[] = [];
    for (let i = 0; i < items; i++) ids.push((await vault.items.addBuffer(caseId, randomBytes(64), { name: `m${i}.png` })).item.id);
    const db = vault.context.db;
    db.transaction(() => {
      for (let i = ids.length + 1; i < entries; i++) vault.items.annotate(ids[i % ids.length]!, { notes: `note ${i}` });
    })();
    await vault.close();
    const reopened = await Vault.open(join(work, 'vault'), 'benchmark passphrase', { actor: 'bench' });
    const chain = await measure(() => reopened.verify(caseId, { chainOnly: true }));
    const full = await measure(() => reopened.verify(caseId));
    const report = chain.result.cases[0]!;
    if (!chain.result.ok || !full.result.ok) throw new Error('benchmark vault did not verify');
    await reopened.close();
    return {
      entries: report.entries,
      items: report.items,
      chainVerifySeconds: round(chain.seconds),
      fullVerifySeconds: round(full.seconds),
      peakRssMB: round(Math.max(chain.peakRssMB, full.peakRssMB), 1),
      targets: { chainVerifySeconds: 2 },
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function runVaultBenchmarks() {
  const ingest = await benchIngest();
  console.log('ingest 1 GiB mixed:', ingest);
  const verify = await benchVerify();
  console.log('verify 100k entries / 10k items:', verify);
  const path = await writeResults('vault', { ingest, verify });
  console.log(`written to ${path}`);
}
