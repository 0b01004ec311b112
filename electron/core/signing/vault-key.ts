import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { formatFingerprint } from '../../../shared/key-fingerprint.js';

/**
 * The vault's Ed25519 key: it signs what leaves the vault (a packet's SHA256SUMS, a bundle's manifest), so a
 * recipient who knows its fingerprint can tell the sender's files from a copy someone rebuilt. The private key is
 * derived from the master key (vault/keys.ts, HKDF "redress/v1/signing"), so it is as well protected as the master key,
 * survives a passphrase change or a recovery, and is never stored; only its public half ever leaves.
 */
export class VaultSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    /** SubjectPublicKeyInfo, DER */
    readonly publicKeyDer: Buffer,
  ) {}

  /** From the 32-byte seed keys.ts derives. */
  static fromSeed(seed: Buffer): VaultSigner {
    if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
    const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    return new VaultSigner(privateKey, createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
  }

  /** The public key as `openssl pkeyutl -pubin -inkey` reads it. */
  get publicKeyPem(): string {
    return publicKeyPem(this.publicKeyDer);
  }

  /** "3F2A 9C01 …" (shared/key-fingerprint.ts) */
  get fingerprint(): string {
    return spkiFingerprint(this.publicKeyDer);
  }

  /** The 64-byte Ed25519 signature of `data` as it is (no hashing first: `openssl pkeyutl -verify -rawin` checks it). */
  sign(data: Buffer | string): Buffer {
    return sign(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, this.privateKey);
  }
}

// PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410) up to the 32-byte seed: version 0, algorithm id-Ed25519 (1.3.101.112).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function spkiFingerprint(spkiDer: Buffer): string {
  return formatFingerprint(createHash('sha256').update(spkiDer).digest('hex'));
}

export function publicKeyPem(spkiDer: Buffer): string {
  return createPublicKey({ key: spkiDer, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
}

/**
 * Checks an Ed25519 signature with a public key that came with untrusted input (PEM or DER). Null when the key is not
 * an Ed25519 public key, so that a key of another kind is refused by name rather than verified some other way.
 */
export function verifyEd25519(publicKey: Buffer | string, data: Buffer, signature: Buffer): { valid: boolean; fingerprint: string; spkiDer: Buffer } | null {
  let key: KeyObject;
  try {
    key = typeof publicKey === 'string' ? createPublicKey({ key: publicKey, format: 'pem' }) : createPublicKey({ key: publicKey, format: 'der', type: 'spki' });
  } catch {
    return null;
  }
  if (key.asymmetricKeyType !== 'ed25519') return null;
  const der = key.export({ format: 'der', type: 'spki' });
  let valid = false;
  try {
    valid = signature.length === 64 && verify(null, data, key, signature);
  } catch {
    valid = false;
  }
  return { valid, fingerprint: spkiFingerprint(der), spkiDer: der };
}
