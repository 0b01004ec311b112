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
