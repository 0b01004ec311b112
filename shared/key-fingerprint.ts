import { z } from 'zod';

/**
 * A vault key's fingerprint as people compare it, by phone or against an association's list: the first 128 bits of
 * the SHA-256 of the public key's SubjectPublicKeyInfo (DER), in eight groups of four hex digits. Any standard tool
 * gets the same digits: `openssl pkey -pubin -in vault-key.pem -outform DER | sha256sum`.
 */
export const FINGERPRINT_HEX_DIGITS = 32;

/** "3F2A 9C01 …" from the hex SHA-256 of the key's DER. */
export function formatFingerprint(spkiSha256Hex: string): string {
  const hex = spkiSha256Hex.slice(0, FINGERPRINT_HEX_DIGITS).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}

/**
 * A fingerprint as typed or pasted (any case, spaces, dashes or colons, the whole SHA-256 or its first 128 bits):
 * its first 32 hex digits in lower case, or null when it is not one.
 */
export function normaliseFingerprint(input: string): string | null {
  const hex = input.replace(/[\s:\-–—]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || (hex.length !== FINGERPRINT_HEX_DIGITS && hex.length !== 64)) return null;
  return hex.slice(0, FINGERPRINT_HEX_DIGITS);
}

/** Whether two fingerprints, each formatted or typed any way normaliseFingerprint accepts, name the same key. */
export function sameFingerprint(a: string, b: string): boolean {
  const x = normaliseFingerprint(a);
  return x !== null && x === normaliseFingerprint(b);
}

/**
 * Who signed an exchange bundle, as the importing vault sees it: a vault it recorded (with the name it gave it), a
 * vault it has not recorded, or nobody (a bundle from before signatures, or one whose signature was removed).
 */
export const BundleSignerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('known'), fingerprint: z.string(), label: z.string() }),
  z.object({ status: z.literal('new'), fingerprint: z.string() }),
  z.object({ status: z.literal('unsigned') }),
]);
export type BundleSigner = z.infer<typeof BundleSignerSchema>;

/** A vault an association recorded. */
export const KnownVaultSchema = z.object({ fingerprint: z.string(), label: z.string(), addedAt: z.string() });
export type KnownVault = z.infer<typeof KnownVaultSchema>;

/** The name an association gives a vault it records: what a person would type, not a document. */
export const KNOWN_VAULT_LABEL_MAX = 200;
