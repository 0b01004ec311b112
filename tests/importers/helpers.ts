import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manualClock, newVault, tempDir } from '../helpers/vault.js';

/** A fresh vault with one case, a folder for fixture files, and cleanup. */
export async function importEnv() {
  const dir = await tempDir('redress-import-');
  const { vault } = await newVault(join(dir.path, 'vault'), { clock: manualClock() });
  const caseId = vault.cases.create({ title: '冒充客服退款', incidentType: 'impersonation' }).id;
  return {
    vault,
    caseId,
    dir: dir.path,
    async file(name: string, data: string | Buffer): Promise<string> {
      const path = join(dir.path, name);
      await writeFile(path, data);
      return path;
    },
    async cleanup() {
      await vault.close();
      await dir.cleanup();
    },
  };
}
