import { z } from 'zod';

/** The victim's own details, kept in the vault's settings and masked per recipient when a packet is built. */
export const VictimProfile = z.object({
  name: z.string().trim().max(200).default(''),
  idNumber: z.string().trim().max(100).optional(),
  phone: z.string().trim().max(100).optional(),
  email: z.string().trim().max(300).optional(),
  address: z.string().trim().max(1000).optional(),
  /** the victim's own bank cards / payment accounts involved */
  cards: z
    .array(z.object({ bank: z.string().trim().max(200).default(''), number: z.string().trim().min(1).max(100) }))
    .max(50)
    .default([]),
  /**
   * The victim's own login with a platform (the phone or email of their Alipay or WeChat account), by the recipient
   * id of that platform: the platform needs it to find the account, so that packet shows it unmasked.
   */
  platformAccounts: z
    .array(z.object({ recipientId: z.string().trim().min(1).max(60), account: z.string().trim().min(1).max(200) }))
    .max(50)
    .default([]),
});
export type VictimProfile = z.infer<typeof VictimProfile>;
export type VictimProfileInput = z.input<typeof VictimProfile>;
