import { z } from 'zod';
import { Disclosure, PERSONAL_FIELDS, Recipient } from '../recipient.js';
import { ErrorValueSchema, Id, ItemRecordSchema } from './schemas.js';

/**
 * Complaint packets and visual redaction, spread into CHANNELS. The output folder is picked in the main process
 * (packets.start opens the dialog), so no path ever travels from the renderer; paths only come back for display.
 */

const Lang = z.enum(['zh-CN', 'en']);
const ItemIds = z.array(Id).min(1).max(10_000);

const PacketRequest = z
  .object({
    caseId: Id,
    recipientId: z.string().min(1).max(100).regex(/^[a-z0-9-]+$/),
    lang: Lang.optional(),
    /** omitted: the core's default selection (every item not excluded, redacted copies instead of their originals) */
    itemIds: ItemIds.optional(),
    request: z.string().max(5000).optional(),
  })
  .strict();

export const DisclosedFieldSchema = z.object({ field: z.enum(PERSONAL_FIELDS), rule: Disclosure, shown: z.string().optional(), present: z.boolean() });

export const DisclosurePreviewSchema = z.object({
  recipient: Recipient.pick({ id: true, name: true, kind: true, jurisdiction: true, photoMetadata: true }),
  fields: z.array(DisclosedFieldSchema),
  items: z.array(
    z.object({
      itemId: z.string(),
      title: z.string(),
      sha256: z.string(),
      mediaType: z.string(),
      redactedFrom: z.object({ itemId: z.string(), sha256: z.string() }).nullable(),
      locationStripped: z.boolean(),
      /** an image nothing has read for personal data (no redacted copy of it was made): the user must look first */
      unchecked: z.boolean(),
    }),
  ),
  messages: z.number().int(),
  transactions: z.number().int(),
  counterparties: z.number().int(),
  narrativeIncluded: z.boolean(),
});

export const PacketResultSchema = z.object({
  dir: z.string(),
  zipPath: z.string(),
  pdfPath: z.string(),
  packetSha256: z.string(),
  /** the vault key that signed it (shared/key-fingerprint.ts) */
  keyFingerprint: z.string(),
  pages: z.number().int(),
  files: z.number().int(),
  volumes: z.array(z.object({ path: z.string(), bytes: z.number().int(), files: z.number().int() })),
  oversized: z.array(z.string()),
  locationKept: z.array(z.string()),
});

export const PacketJobSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  phase: z.enum(['originals', 'pdf', 'checksums', 'zip']),
  done: z.number().int(),
  total: z.number().int(),
  result: PacketResultSchema.nullable(),
  error: ErrorValueSchema.nullable(),
});

export const RedactionBoxSchema = z
  .object({ x: z.number().finite().min(0), y: z.number().finite().min(0), w: z.number().finite().positive(), h: z.number().finite().positive() })
  .strict();

export const PACKET_CHANNELS = {
  'packets.recipients': { request: z.object({}).strict(), response: z.array(Recipient) },
  /** exactly what personal data and which items would leave, and to whom: shown before any export */
  'packets.preview': { request: PacketRequest.omit({ lang: true, request: true }), response: DisclosurePreviewSchema },
  /** asks for the output folder in the main process, then builds in the background; null job when the dialog was cancelled */
  'packets.start': { request: PacketRequest, response: z.object({ jobId: z.string().nullable() }) },
  'packets.status': { request: z.object({ jobId: Id }).strict(), response: PacketJobSchema },
  'packets.cancel': { request: z.object({ jobId: Id }).strict(), response: z.object({ ok: z.literal(true) }) },
  /** burns black boxes (image pixel coordinates) into a copy of an image item; the copy is a new derived item */
  'items.redact': {
    request: z.object({ itemId: Id, boxes: z.array(RedactionBoxSchema).min(1).max(500), title: z.string().min(1).max(600).optional() }).strict(),
    response: ItemRecordSchema,
  },
} as const;
