import { normaliseFingerprint } from '../../../shared/key-fingerprint.js';
import { verifyEd25519, type VaultSigner } from '../signing/vault-key.js';

/** The vault's public key in the packet (listed in SHA256SUMS, so the signature covers it too). */
export const SIGNER_KEY_FILE = 'vault-key.pem';
/** The Ed25519 signature of SHA256SUMS, raw 64 bytes (`openssl pkeyutl -verify -rawin -sigfile` reads it). */
export const SIGNATURE_FILE = 'SHA256SUMS.sig';
/** More than any PEM public key or Ed25519 signature needs: a bigger file is not one. */
export const SIGNATURE_FILE_CAPS = { key: 16 * 1024, signature: 1024 } as const;

/**
 * - valid: the signature of SHA256SUMS checks with the key the packet carries and its manifest names
 * - invalid: it does not, or the key is not an Ed25519 public key, or it is not the key the manifest names
 * - missing: the packet names a signer (a key file or the manifest) but carries no signature, or the recipient
 *   expected one
 * - absent: nothing in the packet claims a signature
 * - unexpected-key: a valid signature, by another key than the one the recipient was given
 */
export type SignatureStatus = 'valid' | 'invalid' | 'missing' | 'absent' | 'unexpected-key';

export interface SignatureCheck {
  status: SignatureStatus;
  /** the fingerprint of the key the packet carries, when it is an Ed25519 key */
  fingerprint?: string;
}

/** What manifest.json says about the signer. */
export function manifestSigner(signer: VaultSigner) {
  return { algorithm: 'Ed25519', fingerprint: signer.fingerprint, publicKey: signer.publicKeyDer.toString('base64'), keyFile: SIGNER_KEY_FILE, signatureFile: SIGNATURE_FILE, signs: 'SHA256SUMS' };
}

export interface SignatureInput {
  sums: Buffer;
  signature: Buffer | null;
  keyPem: Buffer | null;
  /** manifest.json's `signer`, untrusted */
  claimed: unknown;
  /** the fingerprint the recipient was given by the sender another way, normalised (shared/key-fingerprint.ts) */
  expectKey?: string;
}

export function checkSignature({ sums, signature, keyPem, claimed, expectKey }: SignatureInput): SignatureCheck {
  const claims = claimed !== undefined && claimed !== null;
  if (!signature) return { status: keyPem || claims || expectKey ? 'missing' : 'absent' };
  if (!keyPem) return { status: 'invalid' };
  const checked = verifyEd25519(keyPem.toString('utf8'), sums, signature);
  if (!checked) return { status: 'invalid' };
  const { valid, fingerprint, spkiDer } = checked;
  if (!valid || (claims && !claimMatches(claimed, spkiDer, fingerprint))) return { status: 'invalid', fingerprint };
  if (expectKey && normaliseFingerprint(fingerprint) !== expectKey) return { status: 'unexpected-key', fingerprint };
  return { status: 'valid', fingerprint };
}

/** The manifest (which SHA256SUMS lists) must name the very key that signed: else the key file was swapped. */
function claimMatches(claimed: unknown, spkiDer: Buffer, fingerprint: string): boolean {
  if (typeof claimed !== 'object' || claimed === null) return false;
  const c = claimed as Record<string, unknown>;
  return c.algorithm === 'Ed25519' && c.fingerprint === fingerprint && typeof c.publicKey === 'string' && Buffer.from(c.publicKey, 'base64').equals(spkiDer);
}
