// Child process for the kill test: opens a vault and adds every file of a folder, one by one, until killed.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openVault } from './vault.js';

const [dataDir, caseId, folder, mode] = process.argv.slice(2) as [string, string, string, 'one-by-one' | 'batch'];
const vault = await openVault(dataDir);
process.stdout.write('ready\n');
const names = readdirSync(folder).sort();
if (mode === 'batch') {
  // The CLI's path: several files sealed at once, recorded in group commits.
  await vault.items.addFiles(caseId, names.map((n) => join(folder, n)), {}, { onResult: (r) => process.stdout.write(`added ${r.path}\n`) });
} else {
  for (const name of names) {
    await vault.items.addFile(caseId, join(folder, name));
    process.stdout.write(`added ${name}\n`);
  }
}
await vault.close();
process.stdout.write('done\n');
