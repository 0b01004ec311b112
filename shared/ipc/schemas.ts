import { z } from 'zod';
import { CaptureTime, CaseRecord, CaseStatus, IncidentType, ItemRecord, Money } from '../case-model.js';
import { CustodyEntry, Problem, VerifyReport } from '../custody.js';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { VictimProfile } from '../victim-profile.js';

/**
 * Runtime schemas of the values that cross the process boundary. Requests are validated in the main process
 * before the core sees them; responses are validated too, so a core change that breaks the contract fails loudly
 * in tests instead of surfacing as undefined in the UI.
 */
export const Id = z.string().min(1).max(100).regex(/^[A-Za-z0-9-]+$/);

export const ErrorValueSchema = z.object({
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  messageKey: z.enum(Object.values(ERROR_CODES) as [(typeof ERROR_CODES)[ErrorCode], ...(typeof ERROR_CODES)[ErrorCode][]]),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});

// The records are defined once, in shared/case-model.ts; these names are what the contract reads.
export const CaseRecordSchema = CaseRecord;
export const CaptureTimeSchema = CaptureTime;
export const ItemRecordSchema = ItemRecord;

export const CustodyEntrySchema = CustodyEntry;
export const ProblemSchema = Problem;
export const VerifyReportSchema = VerifyReport;

export const VerifyJobSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  itemsDone: z.number().int(),
  itemsTotal: z.number().int(),
  report: VerifyReportSchema.nullable(),
  error: ErrorValueSchema.nullable(),
});

/** Stored once in the vault and reused by packets (shared/victim-profile.ts owns the shape). */
export const VictimProfileSchema = VictimProfile;

export const CaseFilterSchema = z.object({
  status: CaseStatus.optional(),
  incidentType: IncidentType.optional(),
  search: z.string().max(200).optional(),
});

export const AddSummarySchema = z.object({
  added: z.array(ItemRecordSchema),
  duplicates: z.array(ItemRecordSchema),
  failed: z.array(z.object({ name: z.string(), error: ErrorValueSchema })),
  cancelled: z.boolean(),
});

export const CaptureSourceSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string(),
  kind: z.enum(['screen', 'window']),
  thumbnail: z.string().nullable(), // data: URL of a small thumbnail, generated in the main process
});

export const PrefsSchema = z.object({
  language: z.enum(['zh-CN', 'en']).nullable(),
  autoLockMinutes: z.number().int().min(1).max(240),
});

/** One row of a case's merged timeline: an evidence item, or a message / transaction read from one. */
export const TimelineEntrySchema = z.object({
  key: z.string(),
  source: z.enum(['item', 'message', 'transaction']),
  instant: z.string(),
  offsetMinutes: z.number().int(),
  zone: z.string().nullable(),
  /** the item itself, or the item a record was read from */
  itemId: z.string(),
  title: z.string(),
  body: z.string(),
  direction: z.enum(['in', 'out', 'neutral']).nullable(),
  amount: Money.nullable(),
  channel: z.string().nullable(),
});
