import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { batchExport } from '../../electron/core/batch/index.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { createI18n } from '../../shared/i18n/index.js';
import { measure, round, writeResults } from './measure.js';

const KDF = { name: 'scrypt' as const, N: 2 ** 14, r: 8, p: 1 };
const ITEMS_PER_CASE = 20;

/** N cases of 20 small items each (a screenshot-like PNG, chat text, a receipt), all distinct. */
async function seed(vault: Vault, cases: number, firstSubset: number): Promise<void> {
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 220, b: 240 } } }).png().toBuffer();
  for (let c = 0; c < cases; c++) {
    const kase = vault.cases.create({
      title: `刷单返利案件 ${c}`,
      incidentType: c % 3 ? 'task-scam' : 'impersonation',
      // the first `firstSubset` cases form the smaller batch
      status: c < firstSubset ? 'submitted' : 'ready',
      losses: [{ amount: { currency: 'CNY', minor: 100_00 + c } }],
      parties: [{ id: 's', role: 'suspect', identifiers: [{ kind: 'bank-account', value: `6222 0000 ${String(c).padStart(4, '0')} 0000` }] }],
    });
    for (let i = 0; i < ITEMS_PER_CASE; i++) {
      const tag = Buffer.from(`${c}/${i}`);
      const data = i % 4 === 0 ? Buffer.concat([png, tag]) : Buffer.from(`对方: 请先转账 ${c}-${i} 元作为保证金\n客服: 完成任务后返还\n`.repeat(8));
      await vault.items.addBuffer(kase.id, data, { name: i % 4 === 0 ? `shot-${i}.png` : `chat-${i}.txt`, ...(i % 4 === 0 ? { mediaType: 'image/png' } : {}) });
    }
  }
}

export async function runBatchBenchmarks(): Promise<void> {
  const total = Number(process.env.REDRESS_BENCH_BATCH_CASES ?? 1000);
  const small = Math.max(1, Math.round(total / 10));
  const work = await mkdtemp(join(tmpdir(), 'redress-bench-batch-'));
  const { t } = createI18n('en');
  try {
    const { vault } = await Vault.create(join(work, 'vault'), 'benchmark passphrase', { actor: 'bench', kdf: KDF });
    const seeded = await measure(() => seed(vault, total, small));
    console.log(`seeded ${total} cases × ${ITEMS_PER_CASE} items in ${round(seeded.seconds, 1)} s`);

    // Baseline: the same smaller batch on one worker, to show what the second core buys.
    const one = await measure(() => batchExport(vault, { selection: { status: 'submitted' }, recipientId: 'cn-police', outDir: join(work, 'one'), workers: 1, t }));
    await rm(join(work, 'one'), { recursive: true, force: true });
    console.log(`${small} cases, 1 worker: ${round(one.seconds, 1)} s, peak RSS ${round(one.peakRssMB, 0)} MB`);
    const runSmall = await measure(() => batchExport(vault, { selection: { status: 'submitted' }, recipientId: 'cn-police', outDir: join(work, 'small'), workers: 2, t }));
    await rm(join(work, 'small'), { recursive: true, force: true });
    console.log(`${small} cases, 2 workers: ${round(runSmall.seconds, 1)} s, peak RSS ${round(runSmall.peakRssMB, 0)} MB`);
    const runAll = await measure(() => batchExport(vault, { recipientId: 'cn-police', outDir: join(work, 'all'), workers: 2, t }));
    console.log(`${total} cases, 2 workers: ${round(runAll.seconds, 1)} s, peak RSS ${round(runAll.peakRssMB, 0)} MB`);
    for (const r of [one, runSmall, runAll]) if (r.result.failed.length) throw new Error(`benchmark cases failed: ${JSON.stringify(r.result.failed[0])}`);
    await vault.close();

    const results = {
      itemsPerCase: ITEMS_PER_CASE,
      workers: 2,
      small: { cases: small, seconds: round(runSmall.seconds, 2), perCaseMs: round((runSmall.seconds / small) * 1000, 0), peakRssMB: round(runSmall.peakRssMB, 0) },
      large: { cases: total, seconds: round(runAll.seconds, 2), perCaseMs: round((runAll.seconds / total) * 1000, 0), peakRssMB: round(runAll.peakRssMB, 0) },
      timeGrowth: round(runAll.seconds / runSmall.seconds, 2),
      caseGrowth: total / small,
      memoryGrowth: round(runAll.peakRssMB / runSmall.peakRssMB, 2),
      baselineOneWorker: { cases: small, seconds: round(one.seconds, 2), peakRssMB: round(one.peakRssMB, 0) },
      speedupTwoWorkersVsOne: round(one.seconds / runSmall.seconds, 2),
      targets: { timeGrowth: `≈ ${total / small} (linear)`, memoryGrowth: '≈ 1 (flat)' },
    };
    console.log(JSON.stringify(results, null, 2));
    console.log(`written ${await writeResults('batch', results)}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
