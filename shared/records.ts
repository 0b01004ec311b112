import { z } from 'zod';
import { Money } from './case-model.js';

/**
 * Structured records extracted by importers. Every record points back to the evidence item it came from (the
 * original file's SHA-256) and where in it (row, element or line number), so anything in a packet can be traced to
 * the bytes it was read from.
 */
export const SourcePointer = z.object({
  itemId: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** 1-based row (CSV/XLSX), element index (XML), line (text) or message index (JSON) */
  locator: z.string(),
});
export type SourcePointer = z.infer<typeof SourcePointer>;

/** An instant plus the offset/zone it was recorded in, so it can be shown as the victim saw it. */
export const ZonedTime = z.object({
  instant: z.string().datetime(), // ISO 8601 UTC
  offsetMinutes: z.number().int(),
  zone: z.string().optional(),
});
export type ZonedTime = z.infer<typeof ZonedTime>;

export const Direction = z.enum(['out', 'in', 'neutral']);
export type Direction = z.infer<typeof Direction>;

export const MessageRecord = z.object({
  id: z.string(),
  caseId: z.string(),
  time: ZonedTime,
  direction: Direction,
  channel: z.enum(['sms', 'mms', 'imessage', 'whatsapp', 'telegram', 'wechat', 'other']),
  counterpartAddress: z.string().optional(),
  counterpartName: z.string().optional(),
  body: z.string(),
  thread: z.string().optional(),
  /** item ids of attachments stored as evidence items */
  attachments: z.array(z.string()).default([]),
  source: SourcePointer,
  /** marked by the user as evidence of the fraud: packets include these */
  flagged: z.boolean().default(false),
});
export type MessageRecord = z.infer<typeof MessageRecord>;

export const TransactionRecord = z.object({
  id: z.string(),
  caseId: z.string(),
  time: ZonedTime,
  direction: Direction,
  amount: Money,
  counterpartyName: z.string().optional(),
  counterpartyAccount: z.string().optional(),
  platform: z.string().optional(), // alipay, wechat-pay, bank name...
  platformTxId: z.string().optional(),
  merchantOrderId: z.string().optional(),
  method: z.string().optional(),
  status: z.string().optional(),
  category: z.string().optional(),
  note: z.string().optional(),
  source: SourcePointer,
  flagged: z.boolean().default(false),
});
export type TransactionRecord = z.infer<typeof TransactionRecord>;
