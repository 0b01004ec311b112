import { RedressError } from '../errors.js';
import { DEFAULT_KDF } from '../vault/keys.js';

/**
 * Every cap on what a `.redress` bundle may hold, in one place. A bundle comes from another volunteer, but whoever
 * can hand one over can write any byte of it (the sender is the attacker): nothing in it may make the importer hold
 * more than a bounded amount of memory or time before it is refused, nor plant more in the vault than a real case
 * holds. Measured before these caps: a 250 MiB manifest planted a 250 MB custody entry; a header at the maximum
 * scrypt cost took 46 s and 2.2 GB before the passphrase was checked; 200k members took 803 MB before refusal.
 *
 * The sizes are derived from the largest real case we plan for, 100,000 messages (ten years of a heavy user's SMS,
 * the importers' own LIMITS.records is twice that per import): its manifest is about 65 MB (650 bytes a message
 * row). The manifest is held as one buffer and its rows are parsed one at a time (manifest.ts), so a refused
 * manifest costs its size plus a few MB, which keeps any refused bundle under 300 MB of peak memory.
 *
 * Every check runs before or while reading what it bounds, never after holding it: the KDF before any key is
 * derived, the member count from the ZIP's end record before any member is read, the manifest's size from its
 * directory entry before it is inflated (and again while inflating, as the directory may lie), rows, entries and
 * strings while the manifest is scanned, before any of it is parsed.
 */
const KiB = 1024;
const MiB = 1024 * KiB;

export const BUNDLE_LIMITS = {
  /** the manifest, inflated: 1.5× the 100,000-message case (about 150,000 messages) */
  manifestBytes: 96 * MiB,
  /** rows of one per-case table (messages, transactions, links...) */
  rows: 200_000,
  /** evidence items of one case (each is a member of its own) */
  items: 20_000,
  /** custody entries of one case (an item, an import, an edit or a flag is one entry each) */
  entries: 50_000,
  /** one custody entry's body, in UTF-8 bytes (a flag entry names each record it flags: 1,000 at a time in the app) */
  entryBytes: 4 * MiB,
  /**
   * the whole chain, as the manifest holds it: about 600 bytes an entry (50,000 entries are 30 MB). The chain is
   * parsed whole (verify-chain), so its size, not the manifest's, bounds what that costs
   */
  custodyBytes: 32 * MiB,
  /** one string field of a row, in UTF-16 code units: 4× the importers' cap on a message body (FIELD_CAPS.body) */
  fieldChars: 1 * MiB,
  /** arrays and objects nested in the manifest: it needs 5 */
  depth: 8,
} as const;

/** manifest.json and one member per distinct original. */
export const MAX_MEMBERS = BUNDLE_LIMITS.items + 1;

/**
 * What the header's key derivation may cost: exactly the memory of what our exporter writes (DEFAULT_KDF, 128 MiB),
 * and twice its work (about 1.3 s). Anything costlier is refused before a key is derived: a header is read before
 * anything can authenticate it, and scrypt's memory is allocated before the passphrase can be checked.
 */
export const BUNDLE_KDF = {
  minN: 2 ** 10,
  maxMemory: 128 * DEFAULT_KDF.N * DEFAULT_KDF.r,
  maxWork: 2 * DEFAULT_KDF.N * DEFAULT_KDF.r * DEFAULT_KDF.p,
  maxR: 32,
  maxP: 2,
} as const;

export type BundleLimit = keyof typeof BUNDLE_LIMITS | 'kdf' | 'members';

/** Why these scrypt parameters are refused in a bundle header, or null. */
export function bundleKdfProblem(kdf: { N: number; r: number; p: number }): string | null {
  const { N, r, p } = kdf;
  const L = BUNDLE_KDF;
  if (![N, r, p].every(Number.isSafeInteger) || N < L.minN || (N & (N - 1)) !== 0 || r < 1 || r > L.maxR || p < 1 || p > L.maxP) return `scrypt N=${N}, r=${r}, p=${p} is not a cost Redress writes`;
  if (128 * N * r > L.maxMemory) return `scrypt N=${N}, r=${r} needs ${(128 * N * r) / MiB} MiB, more than ${L.maxMemory / MiB} MiB`;
  if (N * r * p > L.maxWork) return `scrypt N=${N}, r=${r}, p=${p} is more than twice the work Redress writes`;
  return null;
}

function maxOf(limit: BundleLimit): string {
  if (limit === 'kdf') return `${BUNDLE_KDF.maxMemory / MiB} MiB`;
  if (limit === 'members') return MAX_MEMBERS.toLocaleString('en-US');
  const max = BUNDLE_LIMITS[limit];
  if (limit === 'manifestBytes' || limit === 'entryBytes' || limit === 'custodyBytes') return `${max / MiB} MiB`;
  return max.toLocaleString('en-US');
}

/**
 * The refusal for a cap: BUNDLE_INVALID (exit 7), with the message of its "limit" context
 * (errors.bundleInvalid_limit, which names the cap in the user's language through bundleLimits.<limit>).
 */
export function limitExceeded(file: string, limit: BundleLimit, detail: string): RedressError {
  return new RedressError('BUNDLE_INVALID', { file, context: 'limit', limit, max: maxOf(limit), detail: detail.slice(0, 300) });
}
