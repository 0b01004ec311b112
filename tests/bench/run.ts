// npm run bench: every benchmark, numbers printed and written to bench-results/*.json.
// Pass names to run only some: npm run bench -- vault
//
// Each suite runs in a process of its own: peak memory is read from the process's RSS, which never shrinks back
// after an earlier suite, so running them in one process would charge one suite with another's memory.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Loaded on demand, so a suite's process holds only the modules that suite uses.
const suites: Record<string, () => Promise<void>> = {
  vault: async () => (await import('./vault.bench.js')).runVaultBenchmarks(),
  packets: async () => (await import('./packets.bench.js')).runPacketBenchmarks(),
  importers: async () => (await import('./importers.bench.js')).runImporterBenchmarks(),
  batch: async () => (await import('./batch.bench.js')).runBatchBenchmarks(),
  'host-loop': async () => (await import('./host-loop.bench.js')).runHostLoopBenchmarks(),
  passphrase: async () => (await import('./passphrase.bench.js')).runPassphraseBenchmarks(),
  custody: async () => (await import('./custody.bench.js')).runCustodyBenchmarks(),
};
const args = process.argv.slice(2);

if (args[0] === '--suite') {
  const run = suites[args[1] ?? ''];
  if (!run) throw new Error(`unknown benchmark suite ${args[1]}`);
  await run();
} else {
  const unknown = args.filter((a) => !(a in suites));
  if (unknown.length) {
    console.error(`unknown benchmark suite(s): ${unknown.join(', ')}; choose from ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  let failed = 0;
  for (const name of Object.keys(suites)) {
    if (args.length && !args.includes(name)) continue;
    console.log(`== ${name}`);
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--suite', name], { stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`benchmark suite ${name} failed (exit ${r.status ?? r.signal})`);
      failed++;
    }
  }
  process.exit(failed ? 1 : 0);
}
