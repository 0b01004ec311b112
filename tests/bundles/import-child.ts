// Child process for forge.ts importInChild: opens a vault (as `redress import-bundle` does), imports one bundle,
// prints one JSON line with the outcome, the peak RSS of this process, its RSS before the import, and the time the
// import took (wall clock, and CPU time, which does not depend on what else the machine runs). Run as:
//   node --import tsx tests/bundles/import-child.ts VAULT_DIR BUNDLE   (transfer passphrase in $TRANSFER)
import { performance } from 'node:perf_hooks';
import { importBundle } from '../../electron/core/bundles/index.js';
import { RedressError } from '../../electron/core/errors.js';
import { openVault } from '../helpers/vault.js';

const [vaultDir, bundle] = process.argv.slice(2) as [string, string];
const vault = await openVault(vaultDir);
const baseMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
const started = performance.now();
const cpu = process.cpuUsage();
let outcome: Record<string, unknown>;
try {
  await importBundle(vault, bundle, { passphrase: process.env.TRANSFER ?? '' });
  outcome = { code: 'ok' };
} catch (err) {
  outcome =
    err instanceof RedressError
      ? { code: err.code, limit: err.value.params.limit, detail: err.value.params.detail, message: err.message }
      : { code: 'not a RedressError', message: String(err).slice(0, 500) };
}
const ms = Math.round(performance.now() - started);
const used = process.cpuUsage(cpu);
const cpuMs = Math.round((used.user + used.system) / 1000);
await vault.close();
process.stdout.write(`${JSON.stringify({ ...outcome, ms, cpuMs, baseMiB, rssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
