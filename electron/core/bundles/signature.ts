import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { BundleSigner } from '../../../shared/key-fingerprint.js';
import type { VaultContext } from '../context.js';
import { RedressError } from '../errors.js';
import { KnownVaults } from '../signing/known-vaults.js';
import { verifyEd25519, type VaultSigner } from '../signing/vault-key.js';

/**
 * `manifest.sig`, beside manifest.json in a bundle: the exporting vault's Ed25519 signature of the manifest's SHA-256.
 * The manifest names every original by its SHA-256 and carries the whole chain, so signing it signs the bundle. The
 * transfer passphrase only keeps the bundle secret in transit; whoever knows it can rebuild the bundle, so the
 * signature is what tells the importer which vault the case comes from.
 *
 * What is signed is a short statement naming the manifest's hash, not the manifest itself: Ed25519 needs the whole
 * message at once, and a manifest can be tens of MB.
 */
export const SIGNATURE_MEMBER = 'manifest.sig';
/** A signature member is a few hundred bytes: anything much larger is not one. */
export const MAX_SIGNATURE_BYTES = 4096;
const FORMAT = 'redress-bundle-signature';

const Base64 = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9+/]+={0,2}$/);
const BundleSignature = z.strictObject({
  format: z.literal(FORMAT),
  v: z.literal(1),
  algorithm: z.literal('Ed25519'),
  /** SubjectPublicKeyInfo, DER */
  publicKey: Base64(1024),
  fingerprint: z.string().max(64),
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
  signature: Base64(128),
});
type BundleSignature = z.infer<typeof BundleSignature>;

const statement = (manifestSha256: string) => Buffer.from(`redress-bundle-manifest/1\n${manifestSha256}\n`, 'utf8');

export function signManifest(signer: VaultSigner, manifest: Buffer): Buffer {
  const manifestSha256 = createHash('sha256').update(manifest).digest('hex');
  const sig: BundleSignature = {
    format: FORMAT,
    v: 1,
    algorithm: 'Ed25519',
    publicKey: signer.publicKeyDer.toString('base64'),
    fingerprint: signer.fingerprint,
    manifestSha256,
    signature: signer.sign(statement(manifestSha256)).toString('base64'),
  };
  return Buffer.from(JSON.stringify(sig), 'utf8');
}

/**
 * Who signed the manifest, as this vault knows them. A signature that is present but does not check (another
 * manifest, another key than the one it names, not an Ed25519 key) is refused: the bundle was changed after it was
 * signed, and nothing in it may be stored. No signature at all is "unsigned", said as such.
 */
export function checkManifestSignature(ctx: Pick<VaultContext, 'db' | 'clock'>, sigBytes: Buffer | null, manifest: Buffer, file: string): BundleSigner {
  if (!sigBytes) return { status: 'unsigned' };
  const refuse = (detail: string) => new RedressError('BUNDLE_INVALID', { file, detail });
  let parsed: unknown;
  try {
    parsed = JSON.parse(sigBytes.toString('utf8'));
  } catch {
    throw refuse(`${SIGNATURE_MEMBER} is not readable`);
  }
  const sig = BundleSignature.safeParse(parsed);
  if (!sig.success) throw refuse(`${SIGNATURE_MEMBER} is not a bundle signature`);
  const { publicKey, fingerprint, manifestSha256, signature } = sig.data;
  if (createHash('sha256').update(manifest).digest('hex') !== manifestSha256) throw refuse('the signature is of another manifest: the bundle was changed after it was signed');
  const checked = verifyEd25519(Buffer.from(publicKey, 'base64'), statement(manifestSha256), Buffer.from(signature, 'base64'));
  if (!checked) throw refuse('the signature\'s key is not an Ed25519 public key');
  if (!checked.valid || checked.fingerprint !== fingerprint) throw refuse('the signature does not match its key');
  const known = new KnownVaults(ctx).find(checked.fingerprint);
  return known ? { status: 'known', fingerprint: checked.fingerprint, label: known.label } : { status: 'new', fingerprint: checked.fingerprint };
}
