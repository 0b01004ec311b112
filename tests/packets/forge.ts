import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatSha256Sums, parseSha256Sums } from '../../electron/core/packets/sha256sums.js';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export const fingerprintOf = (spkiDer: Buffer) => sha256(spkiDer).slice(0, 32).toUpperCase().match(/.{4}/g)!.join(' ');

export interface Forgery {
  /** what the forger does about the signature: leaves it, removes it with everything naming a signer, or signs again with a key of their own */
  signature: 'keep' | 'strip' | 'resign';
}

/**
 * What a forger holding a copy does (issue 14): one original swapped, then manifest.json and SHA256SUMS regenerated
 * to match, so that every hash checks. Returns the forged folder and, when re-signed, the forger's fingerprint.
 */
export async function forgePacket(packetDir: string, dest: string, { signature }: Forgery): Promise<{ dir: string; fingerprint?: string }> {
  await cp(packetDir, dest, { recursive: true });
  const manifest = JSON.parse(await readFile(join(dest, 'manifest.json'), 'utf8'));
  await writeFile(join(dest, manifest.items[0].file as string), 'a different original');
  let listed = parseSha256Sums(await readFile(join(dest, 'SHA256SUMS'), 'utf8')).map((l) => l.path);
  let fingerprint: string | undefined;
  let privateKey = null;
  if (signature === 'strip') {
    await rm(join(dest, 'SHA256SUMS.sig'));
    await rm(join(dest, 'vault-key.pem'));
    delete manifest.signer;
    manifest.files = manifest.files.filter((f: { path: string }) => f.path !== 'vault-key.pem');
    listed = listed.filter((p) => p !== 'vault-key.pem');
  } else if (signature === 'resign') {
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    const der = pair.publicKey.export({ type: 'spki', format: 'der' });
    await writeFile(join(dest, 'vault-key.pem'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    fingerprint = fingerprintOf(der);
    manifest.signer = { ...manifest.signer, fingerprint, publicKey: der.toString('base64') };
  }
  for (const f of manifest.files) f.sha256 = sha256(await readFile(join(dest, f.path)));
  await writeFile(join(dest, 'manifest.json'), JSON.stringify(manifest));
  const files = [];
  for (const path of listed) files.push({ path, sha256: sha256(await readFile(join(dest, path))), size: 0 });
  const sums = formatSha256Sums(files);
  await writeFile(join(dest, 'SHA256SUMS'), sums);
  if (privateKey) await writeFile(join(dest, 'SHA256SUMS.sig'), sign(null, Buffer.from(sums), privateKey));
  return { dir: dest, ...(fingerprint ? { fingerprint } : {}) };
}
