import { z } from 'zod';
import { CaseFields, CaseStatus, IncidentType, ItemKind, Money } from '../case-model.js';
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

export const CaseRecordSchema = CaseFields.extend({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  itemCount: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: z.string() }),
});

export const CaptureTimeSchema = z.object({ instant: z.string(), offsetMinutes: z.number().int(), zone: z.string() });

export const ItemRecordSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  kind: ItemKind,
  title: z.string(),
  notes: z.string(),
  tags: z.array(z.string()),
  source: z.string(),
  originalName: z.string().nullable(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  captured: CaptureTimeSchema,
  derivedFrom: z.string().nullable(),
  excluded: z.object({ reason: z.string(), at: z.string() }).nullable(),
  addedSeq: z.number().int(),
});

export const CustodyEntrySchema = z.object({
  v: z.literal(1),
  caseId: z.string(),
  seq: z.number().int(),
  time: z.string(),
  offsetMinutes: z.number().int(),
  actor: z.string(),
  action: z.string(),
  payload: z.record(z.string(), z.unknown()),
  prev: z.string(),
  clockWentBackMs: z.number().optional(),
  hash: z.string(),
});

export const ProblemSchema = z.object({
  kind: z.string(),
  caseId: z.string(),
  seq: z.number().int().optional(),
  itemId: z.string().optional(),
  detail: z.string(),
});

export const VerifyReportSchema = z.object({
  ok: z.boolean(),
  checkedAt: z.string(),
  cases: z.array(
    z.object({
      caseId: z.string(),
      title: z.string(),
      entries: z.number().int(),
      items: z.number().int(),
      head: z.object({ seq: z.number().int(), hash: z.string() }),
      problems: z.array(ProblemSchema),
      warnings: z.array(z.object({ kind: z.string(), caseId: z.string(), seq: z.number().int(), detail: z.string(), behindMs: z.number() })),
      ok: z.boolean(),
    }),
  ),
  problems: z.array(ProblemSchema),
});

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
