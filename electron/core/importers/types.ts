import type { z } from 'zod';
import type { TotalLineSchema, TotalsCheckSchema } from '../../../shared/ipc/channels-records.js';
import type { Money } from '../../../shared/case-model.js';
import type { Direction, MessageRecord, ZonedTime } from '../../../shared/records.js';

export const FORMATS = [
  'sms-backup-xml',
  'ios-sms-db',
  'alipay-csv',
  'wechat-pay-csv',
  'wechat-pay-xlsx',
  'bank-csv',
  'ofx',
  'camt053',
  'whatsapp',
  'telegram-json',
  'image',
] as const;
export type FormatId = (typeof FORMATS)[number];

/** A record as read from the file, before it gets an id, a case and the source item it points back to. */
export interface MessageDraft {
  kind: 'message';
  locator: string;
  time: ZonedTime;
  direction: Direction;
  channel: MessageRecord['channel'];
  counterpartAddress?: string;
  counterpartName?: string;
  body: string;
  thread?: string;
  attachments: string[];
}

export interface TransactionDraft {
  kind: 'transaction';
  locator: string;
  time: ZonedTime;
  direction: Direction;
  amount: Money;
  counterpartyName?: string;
  counterpartyAccount?: string;
  platform?: string;
  platformTxId?: string;
  merchantOrderId?: string;
  method?: string;
  status?: string;
  category?: string;
  note?: string;
}

export type RecordDraft = MessageDraft | TransactionDraft;

/** What the file says about itself (Alipay and WeChat preambles): compared against the rows. */
// The totals' shapes are defined once, with the contract that shows them (shared/ipc/channels-records.ts).
export type DeclaredTotal = TotalsCheck['declared'][number];
export type TotalLine = z.infer<typeof TotalLineSchema>;
/** One disagreement between what the file states and what its rows add up to (amounts in minor units). */
export type TotalsMismatch = TotalsCheck['mismatches'][number];
export type TotalsCheck = z.infer<typeof TotalsCheckSchema>;

/** Why an import stopped early. Records before `locator` were read; nothing after it. */
export interface Partial {
  reason: string;
  locator: string;
}

/** An attachment found inside the file (MMS image). The pipeline stores it as an item derived from the original. */
export interface AttachmentFound {
  data: Buffer;
  name: string;
  mediaType: string;
  locator: string;
}

export interface ImageMeta {
  takenAt?: ZonedTime;
  make?: string;
  model?: string;
  software?: string;
  width?: number;
  height?: number;
  /** GPS reveals where the victim lives: marked sensitive so packets leave it out unless chosen. */
  gps?: { latitude: number; longitude: number; altitude?: number; sensitive: true };
}

/** Everything a parser needs besides the file: where to report, when to stop, how to store attachments. */
export interface ParseContext {
  /** the file; with `data`, only its name (in messages and locators), never opened */
  path: string;
  size: number;
  /** the file's bytes when they are held in memory (a file dropped on the app): read these, never the disk */
  data?: Buffer;
  signal?: AbortSignal;
  /** bytes of the file read so far */
  onBytes(bytes: number): void;
  /** undefined during a preview: attachments are counted, not stored */
  storeAttachment?: (a: AttachmentFound) => Promise<string>;
  /** a zone for files whose times carry none (SMS backups, WhatsApp): default the machine's */
  zone: string;
  /** bank CSV column mapping */
  profile?: unknown;
  /** WhatsApp / Telegram: the victim's own name, so that their messages are "out" */
  selfName?: string;
  /** the SHA-256 of exactly the bytes that were parsed, when the parser read the file as a stream */
  sha256?: string;
}

export interface ParseOutput {
  records: RecordDraft[];
  declared?: { count?: number; totals: DeclaredTotal[] };
  partial?: Partial;
  warnings: string[];
  attachmentsFound: number;
  image?: ImageMeta;
  /** extra facts kept in the import summary (account names, statement ids) */
  facts: Record<string, string>;
}

export interface Importer {
  format: FormatId;
  /** largest file this parser accepts; streaming parsers accept any size */
  maxBytes?: number;
  parse(ctx: ParseContext): Promise<ParseOutput>;
}

export function emptyOutput(): ParseOutput {
  return { records: [], warnings: [], attachmentsFound: 0, facts: {} };
}
