import { z } from 'zod';

/** Incident types a victim picks from; the ids are stable (stored, exported, used by checklists). */
export const INCIDENT_TYPES = [
  'impersonation',
  'fake-investment',
  'loan-fraud',
  'task-scam',
  'romance-scam',
  'account-takeover',
  'data-leak',
  'phishing',
  'other',
] as const;
export const IncidentType = z.enum(INCIDENT_TYPES);
export type IncidentType = z.infer<typeof IncidentType>;

export const CASE_STATUSES = ['collecting', 'ready', 'submitted', 'closed'] as const;
export const CaseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatus>;

/** ISO 4217 code plus an integer amount in minor units: money never goes through a float. */
export const Money = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/),
  minor: z.number().int().safe(),
});
export type Money = z.infer<typeof Money>;

export const Loss = z.object({
  amount: Money,
  occurredAt: z.string().datetime({ offset: true }).optional(),
  description: z.string().max(2000).optional(),
});
export type Loss = z.infer<typeof Loss>;

export const PARTY_ROLES = ['suspect', 'counterparty', 'platform', 'bank', 'witness', 'other'] as const;
export const IDENTIFIER_KINDS = ['phone', 'bank-account', 'alipay', 'wechat', 'qq', 'email', 'url', 'app', 'other'] as const;

export const PartyIdentifier = z.object({
  kind: z.enum(IDENTIFIER_KINDS),
  value: z.string().min(1).max(500),
  note: z.string().max(500).optional(),
});
export type PartyIdentifier = z.infer<typeof PartyIdentifier>;

export const Party = z.object({
  id: z.string().min(1),
  role: z.enum(PARTY_ROLES),
  name: z.string().max(500).optional(),
  identifiers: z.array(PartyIdentifier).default([]),
  note: z.string().max(2000).optional(),
});
export type Party = z.infer<typeof Party>;

export const CaseFields = z.object({
  title: z.string().trim().min(1).max(300),
  incidentType: IncidentType,
  status: CaseStatus.default('collecting'),
  startedAt: z.string().datetime({ offset: true }).optional(),
  discoveredAt: z.string().datetime({ offset: true }).optional(),
  narrative: z.string().max(100_000).default(''),
  losses: z.array(Loss).default([]),
  parties: z.array(Party).default([]),
});
export type CaseFields = z.infer<typeof CaseFields>;
export type CaseInput = z.input<typeof CaseFields>;

export const CaseRecord = CaseFields.extend({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  itemCount: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: z.string() }),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

export const ITEM_KINDS = [
  'screenshot',
  'photo',
  'document',
  'audio',
  'video',
  'message-export',
  'payment-record',
  'bank-record',
  'chat-export',
  'record',
  'other',
] as const;
export const ItemKind = z.enum(ITEM_KINDS);
export type ItemKind = z.infer<typeof ItemKind>;

/** When something was captured: the instant, and the machine's zone at that instant, so it can be shown as the user saw it. */
export const CaptureTime = z.object({
  instant: z.string(), // ISO 8601 UTC, e.g. 2026-11-24T09:30:00.000Z
  offsetMinutes: z.number().int(), // east of UTC, e.g. +480 for China
  zone: z.string(), // IANA zone name when known, e.g. Asia/Shanghai
});
export type CaptureTime = z.infer<typeof CaptureTime>;

export const ItemRecord = z.object({
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
  captured: CaptureTime,
  derivedFrom: z.string().nullable(),
  excluded: z.object({ reason: z.string(), at: z.string() }).nullable(),
  addedSeq: z.number().int(),
});
export type ItemRecord = z.infer<typeof ItemRecord>;

/** Sum losses per currency, exactly. */
export function totalLosses(losses: readonly Loss[]): Money[] {
  const totals = new Map<string, number>();
  for (const loss of losses) {
    const next = (totals.get(loss.amount.currency) ?? 0) + loss.amount.minor;
    if (!Number.isSafeInteger(next)) throw new RangeError('loss total exceeds the exact integer range');
    totals.set(loss.amount.currency, next);
  }
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => ({ currency, minor }));
}
