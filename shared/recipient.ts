import { z } from 'zod';

/** Text in both UI languages: every recipient-facing string in a profile has both. */
export const Bilingual = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
export type Bilingual = z.infer<typeof Bilingual>;

export const PACKET_SECTIONS = [
  'cover',
  'summary',
  'narrative',
  'timeline',
  'losses',
  'counterparties',
  'evidence-index',
  'messages',
  'transactions',
  'appendices',
  'integrity',
  'declaration',
] as const;
export const PacketSection = z.enum(PACKET_SECTIONS);
export type PacketSection = z.infer<typeof PacketSection>;

/**
 * How much of one piece of the victim's personal data a recipient gets: all of it, only the last four characters
 * (platforms can match an account without holding the full number), or nothing.
 */
export const Disclosure = z.enum(['full', 'last4', 'omit']);
export type Disclosure = z.infer<typeof Disclosure>;

export const PERSONAL_FIELDS = ['name', 'idNumber', 'phone', 'email', 'address', 'cardNumbers'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/**
 * A complaint recipient (police, regulator, platform) as data: what it asks for, what it may see of the victim,
 * its attachment limits and how to submit. Files live in shared/recipients/*.json.
 */
export const Recipient = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: Bilingual,
  kind: z.enum(['police', 'regulator', 'platform']),
  jurisdiction: z.enum(['CN', 'US', 'UK', 'EU']),
  defaultLang: z.enum(['zh-CN', 'en']),
  /** hotline or short code shown next to the name, e.g. 12363 */
  hotline: z.string().optional(),
  sections: z.array(PacketSection).min(1),
  /** what this recipient asks a complainant to provide: printed as a checklist in the summary */
  asks: z.array(Bilingual).min(1),
  /** what the victim normally requests from this recipient; the user can override it */
  request: Bilingual,
  personalData: z.object({
    name: Disclosure,
    idNumber: Disclosure,
    phone: Disclosure,
    email: Disclosure,
    address: Disclosure,
    cardNumbers: Disclosure,
  }),
  /**
   * What a photo that carries a location keeps of its metadata once the location is removed (it always is): nothing
   * (platforms, regulators), or its capture time and the device that took it, which police use to date the evidence.
   */
  photoMetadata: z.enum(['none', 'capture']).default('none'),
  /** upload limits: a packet larger than totalBytes is split into numbered volumes under it */
  attachmentLimit: z
    .object({
      totalBytes: z.number().int().positive().optional(),
      perFileBytes: z.number().int().positive().optional(),
    })
    .nullable(),
  submit: Bilingual,
  notes: Bilingual.optional(),
});
export type Recipient = z.infer<typeof Recipient>;
