import { z } from 'zod';
import { Money } from '../case-model.js';
import { Direction, MessageRecord, TransactionRecord } from '../records.js';
import { ErrorValueSchema, Id } from './schemas.js';

/**
 * Importing messages and statements from the UI, in two steps: a file is staged (picked in the main-process dialog,
 * or dropped and sent as bytes) and read without storing anything, so the user sees what was recognised; only on
 * confirm is it stored. Then the records are listed and the user marks which ones are evidence of the fraud.
 */

/** Same bound as other dropped bytes; bigger files go through the dialog, which reads them from disk. */
const MAX_DROPPED_BYTES = 256 * 1024 * 1024;
const Bytes = z.instanceof(Uint8Array).refine((b) => b.byteLength > 0 && b.byteLength <= MAX_DROPPED_BYTES, { message: 'empty or too large' });

export const TotalLineSchema = z.object({ direction: Direction, currency: z.string(), count: z.number().int(), minor: z.number().int() });

export const TotalsCheckSchema = z.object({
  ok: z.boolean(),
  declared: z.array(z.object({ direction: Direction, count: z.number().int(), amount: Money })),
  declaredCount: z.number().int().optional(),
  actual: z.array(TotalLineSchema),
  mismatches: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('count'), declared: z.number().int(), actual: z.number().int() }),
      z.object({
        kind: z.literal('total'),
        direction: Direction,
        currency: z.string(),
        declaredCount: z.number().int(),
        declaredMinor: z.number().int(),
        actualCount: z.number().int(),
        actualMinor: z.number().int(),
      }),
    ]),
  ),
});

/** What a staged file holds, read without storing anything. Amounts in integer minor units. */
export const ImportPreviewSchema = z.object({
  format: z.string(),
  size: z.number().int(),
  counts: z.object({ messages: z.number().int(), transactions: z.number().int(), attachments: z.number().int() }),
  dateRange: z.object({ first: z.string(), last: z.string() }).nullable(),
  totals: z.array(TotalLineSchema),
  totalsCheck: TotalsCheckSchema.nullable(),
  partial: z.object({ reason: z.string(), locator: z.string() }).nullable(),
  warnings: z.array(z.string()),
});

const Counts = z.object({ read: z.number().int(), added: z.number().int(), duplicate: z.number().int() });

export const ImportStageSchema = z.object({
  stageId: z.string(),
  caseId: z.string(),
  name: z.string(),
  state: z.enum(['reading', 'ready', 'importing', 'done', 'cancelled', 'failed']),
  progress: z.object({ phase: z.enum(['reading', 'storing', 'recording']), bytes: z.number().int(), totalBytes: z.number().int() }).nullable(),
  preview: ImportPreviewSchema.nullable(),
  result: z
    .object({
      messages: Counts,
      transactions: Counts,
      attachments: z.number().int(),
      sourceItemId: z.string(),
      sourceDuplicate: z.boolean(),
      custodySeq: z.number().int(),
    })
    .nullable(),
  error: ErrorValueSchema.nullable(),
});

const stageRef = z.object({ stageId: Id }).strict();
const page = { caseId: Id, offset: z.number().int().min(0), limit: z.number().int().min(1).max(500), flagged: z.boolean().optional() };

export const RECORD_CHANNELS = {
  /** the user picks one file in the main-process dialog; null when they cancel */
  'records.stagePick': {
    request: z.object({ caseId: Id }).strict(),
    response: z.object({ stage: ImportStageSchema.nullable(), ignored: z.number().int() }),
  },
  /** a dropped file, as bytes */
  'records.stageBytes': {
    request: z.object({ caseId: Id, name: z.string().min(1).max(255), data: Bytes }).strict(),
    response: ImportStageSchema,
  },
  'records.stageStatus': { request: stageRef, response: ImportStageSchema },
  /** stores the staged file and its records; only from the 'ready' state */
  'records.stageConfirm': { request: stageRef, response: ImportStageSchema },
  /** stops reading, or drops a preview: nothing is stored */
  'records.stageCancel': { request: stageRef, response: ImportStageSchema },
  'records.messages': {
    request: z.object(page).strict(),
    response: z.object({ total: z.number().int(), records: z.array(MessageRecord) }),
  },
  'records.transactions': {
    request: z.object(page).strict(),
    response: z.object({ total: z.number().int(), records: z.array(TransactionRecord) }),
  },
  /** marks records as evidence of the fraud (or not): one custody entry per change */
  'records.flag': {
    request: z.object({ caseId: Id, recordIds: z.array(Id).min(1).max(1000), flagged: z.boolean() }).strict(),
    response: z.object({ changed: z.number().int() }),
  },
} as const;

export type ImportStage = z.infer<typeof ImportStageSchema>;
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;
