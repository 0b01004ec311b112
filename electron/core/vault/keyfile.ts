import { createHash, randomUUID } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { RedressError } from '../errors.js';
import { kdfProblem, type KdfParams, type WrappedKey } from './keys.js';

/**
 * vault.json: the only plaintext file in a vault. It holds salts, KDF parameters, wrapped keys and the sealed record
 * of the custody heads the vault has seen (heads.ts), nothing a user entered.
 *
 * It is read before any key can authenticate it, so everything in it is checked first: each field's shape and
 * decoded length, KDF parameters within bounds (keys.ts KDF_LIMITS), and a SHA-256 of the whole content (`check`), so
 * that a damaged file is VAULT_KEYFILE_DAMAGED and not "wrong passphrase". A file written before `check` existed is
 * accepted without it and gains it on its next write.
 */
const Base64 = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64')
    .refine((s) => s.length % 4 === 0 && Buffer.from(s, 'base64').length === bytes, `not ${bytes} bytes`);
const Wrapped = z.object({ salt: Base64(16), nonce: Base64(12), ciphertext: Base64(32), tag: Base64(16) });
const Kdf = z
  .object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int() })
  .superRefine((kdf, ctx) => {
    const problem = kdfProblem(kdf);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
/** The custody heads last seen, AES-256-GCM under a key derived from the master key (heads.ts). */
export const SealedHeadsSchema = z.object({
  counter: z.number().int().nonnegative(),
  nonce: Base64(12),
  data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64').max(64 * 1024 * 1024),
  tag: Base64(16),
});
export type SealedHeads = z.infer<typeof SealedHeadsSchema>;

export const KeyFileSchema = z.object({
  format: z.literal('redress-vault'),
  version: z.literal(1),
  vaultId: z.string().uuid(),
  createdAt: z.string(),
  kdf: Kdf,
  passphrase: Wrapped,
  recovery: Wrapped,
  /** absent in vaults written before rollback detection: added on their next open */
  heads: SealedHeadsSchema.optional(),
});
export type KeyFile = z.infer<typeof KeyFileSchema>;

export const KEYFILE_NAME = 'vault.json';

export function newKeyFile(kdf: KdfParams, passphrase: WrappedKey, recovery: WrappedKey): KeyFile {
  return { format: 'redress-vault', version: 1, vaultId: randomUUID(), createdAt: new Date().toISOString(), kdf, passphrase, recovery };
}

export function keyAad(vaultId: string, slot: 'passphrase' | 'recovery'): string {
  return `redress-vault/v1/${vaultId}/${slot}`;
}

/** null when there is no vault.json; VAULT_KEYFILE_DAMAGED when there is one that is not intact. */
export async function readKeyFile(dataDir: string): Promise<KeyFile | null> {
  const path = join(dataDir, KEYFILE_NAME);
  const damaged = (detail: string) => new RedressError('VAULT_KEYFILE_DAMAGED', { file: path, detail });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw damaged('it is a folder');
    throw err;
  }
  const raw = safeJson(text);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw damaged(text.length === 0 ? 'the file is empty' : 'not readable as JSON');
  const { check, ...content } = raw as Record<string, unknown>;
  if (check !== undefined && check !== checksum(content)) throw damaged('its content does not match its checksum');
  const parsed = KeyFileSchema.safeParse(content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(`${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * Replaces vault.json atomically (a crash leaves the old or the new file, never half of one) and durably (the file and
 * its folder are synced). Writes in this process are queued per folder, so two writers never interleave.
 */
export function writeKeyFile(dataDir: string, keyFile: KeyFile): Promise<void> {
  return serialized(dataDir, () => writeNow(dataDir, keyFile));
}

/**
 * Reads vault.json, changes it and writes it back, with no other write of this process in between: what another
 * writer changed meanwhile (a new passphrase slot, say) is kept. `change` returns null to leave the file as it is.
 */
export function updateKeyFile(dataDir: string, change: (current: KeyFile) => KeyFile | null): Promise<KeyFile> {
  return serialized(dataDir, async () => {
    const current = await readKeyFile(dataDir);
    if (!current) throw new RedressError('VAULT_NOT_FOUND', { dir: dataDir });
    const next = change(current);
    if (!next) return current;
    await writeNow(dataDir, next);
    return next;
  });
}

async function writeNow(dataDir: string, keyFile: KeyFile): Promise<void> {
  // Never write a key file this code could not read back: it is the only way into the evidence.
  const content = KeyFileSchema.parse(keyFile);
  const path = join(dataDir, KEYFILE_NAME);
  const tmp = `${path}.new`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify({ ...content, check: checksum(content) }, null, 2) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  await syncDir(dataDir);
}

/** SHA-256 of the content as JSON, keys in their order in the file (JSON.parse keeps it, so a reader recomputes it). */
function checksum(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

const queues = new Map<string, Promise<unknown>>();

function serialized<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const key = resolve(dataDir);
  const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a folder; NTFS journals the rename.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
