import { z } from 'zod';
import catalog from './timestamps/authorities.json' with { type: 'json' };

/**
 * Trusted timestamps (RFC 3161): the time-stamp authorities the user may choose, kept as data, and the setting. Only a
 * SHA-256 digest ever goes to the chosen TSA, and only when the user turned this on.
 */

/** Caps on what comes back from a TSA or a .tsr file: a real answer is a few kilobytes. */
export const TIMESTAMP_CAPS = { replyBytes: 64 * 1024, nameChars: 200, certificateBytes: 64 * 1024, authorities: 20 } as const;

/** Why a token is refused, by name: each one a message key (errors.timestamp.<failure>). */
export const TOKEN_FAILURES = [
  'malformed',
  'rejected',
  'imprint-mismatch',
  'nonce-mismatch',
  'no-certificate',
  'signature-invalid',
  'certificate-binding',
  'not-a-tsa-certificate',
  'certificate-expired',
  'untrusted',
] as const;
export type TokenFailure = (typeof TOKEN_FAILURES)[number];

const Text = z.object({ en: z.string().min(1).max(200), 'zh-CN': z.string().min(1).max(200) });
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const TsaSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
  name: Text,
  region: z.enum(['cn', 'intl']),
  /** http(s) endpoint taking application/timestamp-query; null: the provider gives it with an account */
  url: z
    .string()
    .max(500)
    .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/)
    .nullable(),
  policy: z.string().regex(/^\d+(\.\d+)+$/).nullable(),
  /** PEM roots to trust for this TSA; empty until confirmed from the provider's own documents */
  roots: z.array(z.string().max(TIMESTAMP_CAPS.certificateBytes)).max(10),
  /** SHA-256 of each root's DER as the provider publishes it, to compare before trusting a root */
  rootFingerprints: z.array(Sha256Hex).max(10),
  /** where the facts come from, and whether a person confirmed them there */
  source: z.string().max(500),
  confirmed: z.boolean(),
});
export type Tsa = z.infer<typeof TsaSchema>;

export const TIMESTAMP_AUTHORITIES: readonly Tsa[] = z.array(TsaSchema).max(TIMESTAMP_CAPS.authorities).parse(catalog);

export const TimestampSettingsSchema = z.object({
  /** the user answered the first-run question (either way) */
  asked: z.boolean(),
  enabled: z.boolean(),
  tsaId: z.string().max(40).nullable(),
  /** authorities the user added (an association's own TSA, a provider's URL and root) */
  custom: z.array(TsaSchema).max(TIMESTAMP_CAPS.authorities),
});
export type TimestampSettings = z.infer<typeof TimestampSettingsSchema>;
export const DEFAULT_TIMESTAMP_SETTINGS: TimestampSettings = { asked: false, enabled: false, tsaId: null, custom: [] };

/** What a token is, or is to be, for: the fields a recorded token and a waiting request share. */
const StampTargetSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  subject: z.enum(['chain-head', 'packet']),
  /** the SHA-256 stamped: a custody entry's hash, or a packet's SHA256SUMS */
  imprint: Sha256Hex,
  /** the custody entry stamped (chain-head) */
  seq: z.number().int().positive().nullable(),
  tsaId: z.string(),
});

/** A token kept in the vault, as the UI and packets see it. */
export const TimestampRecordSchema = StampTargetSchema.extend({
  tsaName: z.string(),
  genTime: z.string(),
  /** this computer's clock when the answer came; skewMs is it minus genTime, the clock's error */
  localTime: z.string(),
  skewMs: z.number().int(),
  tokenSha256: Sha256Hex,
});
export type TimestampRecord = z.infer<typeof TimestampRecordSchema>;

/** A request that could not be sent (offline, TSA down), kept to retry or to carry to another device as a .tsq. */
export const PendingTimestampSchema = StampTargetSchema.extend({
  createdAt: z.string(),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  /** the nonce of the request exported as a .tsq, which its .tsr must answer */
  nonce: z.string().regex(/^[0-9a-f]{1,64}$/).nullable(),
});
export type PendingTimestamp = z.infer<typeof PendingTimestampSchema>;

export function findAuthority(settings: TimestampSettings, id: string | null): Tsa | null {
  if (!id) return null;
  return settings.custom.find((t) => t.id === id) ?? TIMESTAMP_AUTHORITIES.find((t) => t.id === id) ?? null;
}
