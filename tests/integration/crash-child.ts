// Child process for evidence-kept.test.ts: opens a vault, adds COUNT small originals one by one (each its own
// commit), says "idle" and waits to be SIGKILLed, so that the WAL still holds those commits, as after a crash.
import { openVault } from '../helpers/vault.js';

const [dataDir, caseId, count] = process.argv.slice(2) as [string, string, string];
const vault = await openVault(dataDir);
for (let i = 0; i < Number(count); i++) {
  await vault.items.addBuffer(caseId, Buffer.from(`committed before the crash #${i} ${'x'.repeat(2000 + i)}`), { name: `late-${i}.txt` });
  process.stdout.write(`added ${i}\n`);
}
process.stdout.write('idle\n');
setInterval(() => undefined, 1000);
