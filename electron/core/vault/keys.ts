import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { RedressError } from '../errors.js';

/**
 * Key hierarchy. A random 256-bit master key is wrapped twice: once under a key derived from the
 * passphrase, once under a key derived from the recovery code. Both derivations use scrypt, which is
 * memory-hard and ships with Node (no native add-on to build or trust). Subkeys for the database, the
 * object store and object naming come from the master key through HKDF, so no two uses share a key.
 */
export interface KdfParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
}

/** 128 MiB and about half a second per unlock on a 2020s laptop: costly for a guesser, tolerable for a victim. */
export const DEFAULT_KDF: KdfParams = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 };

/**
 * What an unlock may cost at most: twice the default's memory (256 MiB) and four times its work (about 2 s). vault.json
 * is read before any key can authenticate it, so whoever can edit it could otherwise make every unlock take minutes
 * (a large p) or gigabytes (a large N or r). The floor is the cheap cost the test suite uses.
 */
export const KDF_LIMITS = { minN: 2 ** 10, maxN: 2 ** 20, maxR: 32, maxP: 16, maxMemory: 256 * 1024 * 1024, maxWork: 2 ** 22 } as const;

/** Why these parameters are out of bounds, or null when they are within them. */
export function kdfProblem(kdf: { N: number; r: number; p: number }): string | null {
  const { N, r, p } = kdf;
  const L = KDF_LIMITS;
  if (![N, r, p].every(Number.isSafeInteger)) return 'kdf parameters must be whole numbers';
  if (N < L.minN || N > L.maxN || (N & (N - 1)) !== 0) return `kdf N=${N} is not a power of two from ${L.minN} to ${L.maxN}`;
  if (r < 1 || r > L.maxR) return `kdf r=${r} is not from 1 to ${L.maxR}`;
  if (p < 1 || p > L.maxP) return `kdf p=${p} is not from 1 to ${L.maxP}`;
  if (128 * N * r > L.maxMemory) return `kdf N=${N}, r=${r} needs ${(128 * N * r) / 2 ** 20} MiB, more than ${L.maxMemory / 2 ** 20} MiB`;
  if (N * r * p > L.maxWork) return `kdf N=${N}, r=${r}, p=${p} costs more than ${L.maxWork / DEFAULT_KDF.N / DEFAULT_KDF.r} times the default`;
  return null;
}

export interface WrappedKey {
  salt: string;
  nonce: string;
  ciphertext: string;
  tag: string;
}

export function deriveKek(secret: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 64 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCb(secret.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function wrapKey(masterKey: Buffer, secret: string, kdf: KdfParams, aad: string): Promise<WrappedKey> {
  const salt = randomBytes(16);
  const kek = await deriveKek(secret, salt, kdf);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(masterKey), cipher.final()]);
  return { salt: salt.toString('base64'), nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Returns null when the secret is wrong (the GCM tag does not verify): the caller picks the error. */
export async function unwrapKey(wrapped: WrappedKey, secret: string, kdf: KdfParams, aad: string): Promise<Buffer | null> {
  const kek = await deriveKek(secret, Buffer.from(wrapped.salt, 'base64'), kdf);
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(wrapped.nonce, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(wrapped.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

export interface VaultKeys {
  database: Buffer;
  objects: Buffer;
  objectNames: Buffer;
  /** the seed of the vault's Ed25519 signing key (signing-key.ts) */
  signing: Buffer;
}

export function deriveSubkeys(masterKey: Buffer): VaultKeys {
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
  return { database: sub('redress/v1/database'), objects: sub('redress/v1/objects'), objectNames: sub('redress/v1/object-names'), signing: sub('redress/v1/signing') };
}

// Crockford base32: no I, L, O, U, so a code read aloud or copied by hand survives.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The vault's name in its custody entries ("vault-7K3M-9QXD"): every packet and bundle carries the actor of each
 * entry, so it names the vault, not the person at the computer. Derived from the master key, it survives a
 * passphrase change or a recovery and needs nothing stored; 40 bits keep one association's vaults apart.
 */
export function vaultPseudonym(masterKey: Buffer): string {
  return `vault-${inGroups(crockford(Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'redress/v1/actor', 5)), 8))}`;
}

/** The first `length` 5-bit digits of `bytes`, least significant first. */
function crockford(bytes: Buffer, length: number): string {
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += CROCKFORD[Number(bits & 31n)];
    bits >>= 5n;
  }
  return out;
}

const inGroups = (code: string) => code.match(/.{1,4}/g)!.join('-');

/** 130 random bits as 26 Crockford characters in groups of 4 (the last group has 2). */
export function newRecoveryCode(): string {
  return inGroups(crockford(randomBytes(17), 26));
}

/** Accepts the code as typed: any case, spaces or dashes, and the look-alikes O→0, I/L→1. */
export function normalizeRecoveryCode(input: string): string {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(cleaned)) throw new RedressError('WRONG_RECOVERY_CODE');
  return inGroups(cleaned);
}
