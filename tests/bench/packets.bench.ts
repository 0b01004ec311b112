import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPacket, type PacketProgress } from '../../electron/core/packets/index.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { seedRecords } from '../packets/fixtures.js';
import { measure, round, timeCommand, writeResults } from './measure.js';

const KDF = { name: 'scrypt' as const, N: 2 ** 14, r: 8, p: 1 };
const MiB = 1024 * 1024;

/**
 * The photos are made by a child process (packet-photos.ts): generating 200 noisy 2400x1800 pictures leaves this
 * process's memory (sharp's buffers, V8's heap) far larger than a user's app would be, which both counts towards the
 * packet's peak memory and slows its garbage collection.
 */
function makePhotos(dir: string, count: number): string[] {
  const script = fileURLToPath(new URL('./packet-photos.js', import.meta.url));
  const r = spawnSync(process.execPath, [script, dir, String(count)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`generating the benchmark photos failed (exit ${r.status ?? r.signal})`);
  return Array.from({ length: count }, (_, i) => join(dir, `IMG_${String(i).padStart(4, '0')}.jpg`));
}

export async function benchPacket(photos = 200, messages = 2000, transactions = 1000) {
  const work = await mkdtemp(join(tmpdir(), 'redress-bench-packet-'));
  try {
    const src = join(work, 'photos');
    await mkdir(src);
    const files = makePhotos(src, photos);
    const photoBytes = (await Promise.all(files.map((f) => stat(f)))).reduce((a, s) => a + s.size, 0);

    const { vault } = await Vault.create(join(work, 'vault'), 'benchmark passphrase', { actor: 'bench', kdf: KDF });
    const kase = vault.cases.create({
      title: '批量照片基准测试 / packet benchmark',
      incidentType: 'fake-investment',
      narrative: '基准测试。'.repeat(200),
      losses: [{ amount: { currency: 'CNY', minor: 123_456_78 } }],
    });
    let firstItem: { id: string; sha256: string } | null = null;
    for (const f of files) {
      const { item } = await vault.items.addFile(kase.id, f, { kind: 'photo' });
      firstItem ??= item;
    }
    seedRecords(vault, kase.id, { itemId: firstItem!.id, sha256: firstItem!.sha256 }, messages, transactions);

    const img2pdfOut = join(work, 'img2pdf.pdf');
    // Both sides start level: the gigabyte just generated and ingested is flushed first, as is each side's own
    // output before the other runs (a packet writes about four times the bytes img2pdf does, and the disk's
    // writeback of one run otherwise slows the next). Each side is measured twice and its faster run counts.
    const flush = () => timeCommand('sync', []);
    flush();
    timeCommand('img2pdf', [...files, '-o', img2pdfOut]); // warm the page cache for both sides
    flush();
    const img2pdfRuns = [timeCommand('img2pdf', [...files, '-o', img2pdfOut])];

    const build = async (attempt: number) => {
      flush();
      const phases: Record<string, number> = {};
      const started = process.hrtime.bigint();
      let phase = '';
      const onProgress = (p: PacketProgress) => {
        if (p.phase !== phase) {
          phase = p.phase;
          phases[phase] = Number(process.hrtime.bigint() - started) / 1e9;
        }
      };
      const outDir = join(work, `out${attempt}`);
      await mkdir(outDir);
      const run = await measure(() => buildPacket(vault, { caseId: kase.id, recipientId: 'cn-police', outDir, onProgress }));
      return { ...run, phases, pdfSeconds: (phases.checksums ?? run.seconds) - (phases.pdf ?? 0) };
    };
    const first = await build(1);
    flush();
    img2pdfRuns.push(timeCommand('img2pdf', [...files, '-o', img2pdfOut]));
    const second = await build(2);
    await vault.close();
    const run = first.seconds <= second.seconds ? first : second;
    const phases = run.phases;
    const pdfSeconds = run.pdfSeconds;
    const pdfBytes = (await stat(run.result.pdfPath)).size;
    const baseline = Math.min(...img2pdfRuns);
    return {
      photos,
      messages,
      transactions,
      photoMB: round(photoBytes / MiB, 1),
      pages: run.result.pages,
      packetSeconds: round(run.seconds),
      packetRunsSeconds: [round(first.seconds), round(second.seconds)],
      img2pdfRunsSeconds: img2pdfRuns.map((t) => round(t)),
      phaseStartSeconds: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(v)])),
      pdfPhaseSeconds: round(pdfSeconds),
      img2pdfSeconds: round(baseline),
      ratioPacketToImg2pdf: round(run.seconds / baseline, 2),
      ratioPdfPhaseToImg2pdf: round(pdfSeconds / baseline, 2),
      peakRssMB: round(Math.max(first.peakRssMB, second.peakRssMB), 1),
      startRssMB: round(run.startRssMB, 1),
      pdfMB: round(pdfBytes / MiB, 1),
      pdfToPhotosRatio: round(pdfBytes / photoBytes, 3),
      img2pdfMB: round((await stat(img2pdfOut)).size / MiB, 1),
      zipVolumes: run.result.volumes.length,
      originals: (await readdir(join(run.result.dir, 'originals'))).length,
      targets: { ratioToImg2pdf: 3, peakRssMB: 1024, pdfToPhotosRatio: 1.2 },
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function runPacketBenchmarks(): Promise<void> {
  const result = await benchPacket();
  console.log(JSON.stringify(result, null, 2));
  console.log(`written to ${await writeResults('packets', { packet: result })}`);
}
