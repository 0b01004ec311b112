import type { CaseRecord, ItemRecord, Money } from '../../../shared/case-model.js';
import type { Recipient } from '../../../shared/recipient.js';
import type { VictimProfile } from '../../../shared/victim-profile.js';
import type { PdfImage, OriginalTransform } from './images.js';
import type { PacketLabels, PacketLang } from './labels.js';
import type { MaskedProfile } from './masking.js';
import type { PacketRecords } from './records.js';

/** One evidence item as it travels in a packet. */
export interface PacketItem {
  /** the number the recipient cites: E1, E2... */
  n: string;
  item: ItemRecord;
  /** path inside the packet, e.g. originals/E01-转账截图.png */
  path: string;
  fileSha256: string;
  fileSize: number;
  /** how the file in originals/ differs from the stored original (null: byte-identical) */
  transform: OriginalTransform | null;
  redactedFrom: { itemId: string; sha256: string } | null;
  /** page-sized JPEG for the PDF appendix, produced only when that page is laid out */
  pdfImage?: () => Promise<PdfImage>;
  /** short text files are reproduced in the appendix */
  text?: string;
  /** an image that could not be decoded (its header, or its data): the appendix shows a card saying so, the file is in originals/ as it is */
  unrendered?: 'header' | 'data';
}

export interface PacketModel {
  lang: PacketLang;
  labels: PacketLabels;
  recipient: Recipient;
  kase: CaseRecord;
  profile: VictimProfile;
  masked: MaskedProfile;
  items: PacketItem[];
  records: PacketRecords;
  totals: Money[];
  generatedAt: Date;
  zone: string;
  request: string;
  /** the signing vault key's (shared/key-fingerprint.ts) */
  keyFingerprint: string;
}
