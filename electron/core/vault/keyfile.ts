import { randomUUID } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RedressError } from '../errors.js';
import type { KdfParams, WrappedKey } from './keys.js';

/** vault.json: the only plaintext file in a vault. It holds salts, KDF parameters and wrapped keys, nothing a user entered. */
const Wrapped = z.object({ salt: z.string(), nonce: z.string(), ciphertext: z.string(), tag: z.string() });
export const KeyFileSchema = z.object({
  format: z.literal('redress-vault'),
  version: z.literal(1),
  vaultId: z.string().uuid(),
  createdAt: z.string(),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int() }),
  passphrase: Wrapped,
  recovery: Wrapped,
});
export type KeyFile = z.infer<typeof KeyFileSchema>;

export const KEYFILE_NAME = 'vault.json';

export function newKeyFile(kdf: KdfParams, passphrase: WrappedKey, recovery: WrappedKey): KeyFile {
  return { format: 'redress-vault', version: 1, vaultId: randomUUID(), createdAt: new Date().toISOString(), kdf, passphrase, recovery };
}

export function keyAad(vaultId: string, slot: 'passphrase' | 'recovery'): string {
  return `redress-vault/v1/${vaultId}/${slot}`;
}

export async function readKeyFile(dataDir: string): Promise<KeyFile | null> {
  let text: string;
  try {
    text = await readFile(join(dataDir, KEYFILE_NAME), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = KeyFileSchema.safeParse(safeJson(text));
  if (!parsed.success) throw new RedressError('VAULT_CORRUPT', { detail: `${KEYFILE_NAME} is not valid` });
  return parsed.data;
}

/** Replaces vault.json atomically: a crash leaves the old or the new file, never half of one. */
export async function writeKeyFile(dataDir: string, keyFile: KeyFile): Promise<void> {
  const path = join(dataDir, KEYFILE_NAME);
  const tmp = `${path}.new`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(keyFile, null, 2) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
