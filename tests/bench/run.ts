// npm run bench: every benchmark, numbers printed and written to bench-results/*.json.
// Pass names to run only some: npm run bench -- vault
import { runVaultBenchmarks } from './vault.bench.js';
import { runPacketBenchmarks } from './packets.bench.js';
import { runImporterBenchmarks } from './importers.bench.js';
import { runBatchBenchmarks } from './batch.bench.js';

const suites: Record<string, () => Promise<void>> = { vault: runVaultBenchmarks, packets: runPacketBenchmarks, importers: runImporterBenchmarks, batch: runBatchBenchmarks };
const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`== ${name}`);
  await run();
}
