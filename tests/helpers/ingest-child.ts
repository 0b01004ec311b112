// Child process for the kill test: opens a vault and adds every file of a folder, one by one, until killed.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openVault } from './vault.js';

const [dataDir, caseId, folder] = process.argv.slice(2) as [string, string, string];
const vault = await openVault(dataDir);
process.stdout.write('ready\n');
for (const name of readdirSync(folder).sort()) {
  await vault.items.addFile(caseId, join(folder, name));
  process.stdout.write(`added ${name}\n`);
}
await vault.close();
process.stdout.write('done\n');
