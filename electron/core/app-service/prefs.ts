import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { PrefsSchema } from '../../../shared/ipc/schemas.js';

export type Prefs = z.infer<typeof PrefsSchema>;
export const DEFAULT_PREFS: Prefs = { language: null, autoLockMinutes: 10 };

/** Preferences needed before the vault is unlocked (language, auto-lock), in a plain file: nothing in them is private. */
export class PrefsFile {
  constructor(private readonly path: string) {}

  async read(): Promise<Prefs> {
    try {
      const parsed = PrefsSchema.partial().safeParse(JSON.parse(await readFile(this.path, 'utf8')));
      return { ...DEFAULT_PREFS, ...(parsed.success ? parsed.data : {}) };
    } catch {
      return { ...DEFAULT_PREFS };
    }
  }

  async update(change: Partial<Prefs>): Promise<Prefs> {
    const next = { ...(await this.read()), ...change };
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
    await rename(tmp, this.path);
    return next;
  }
}
