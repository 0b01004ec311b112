import { z } from 'zod';

/**
 * The hashed body of a custody entry. Field names are part of the format: recipients recompute hashes from them
 * (electron/core/custody/entry.ts). The payload's shape depends on the action (electron/core/custody/actions.ts).
 */
export const CustodyEntryBody = z.object({
  v: z.literal(1),
  caseId: z.string(),
  seq: z.number().int(),
  time: z.string(), // UTC instant, ISO 8601 with milliseconds
  offsetMinutes: z.number().int(), // the machine's zone offset when the entry was written
  actor: z.string(),
  action: z.string(),
  payload: z.record(z.string(), z.unknown()),
  prev: z.string(),
  /** Present only when this entry's time is earlier than the previous entry's: the clock went backwards. */
  clockWentBackMs: z.number().optional(),
});
export type CustodyEntryBody = z.infer<typeof CustodyEntryBody>;

export const CustodyEntry = CustodyEntryBody.extend({ hash: z.string() });
export type CustodyEntry = z.infer<typeof CustodyEntry>;

/** What verification can find. Each problem names the case and the item or entry it concerns. */
export const PROBLEM_KINDS = [
  'entry-altered', // an entry's content no longer matches its hash
  'entry-missing', // a sequence number is absent from the chain
  'entry-reordered', // an intact entry stored at another position than the one it was recorded at
  'entry-unrecognised', // an intact entry whose action is unknown or whose payload lacks its action's shape
  'chain-broken', // an entry does not link to the one before it (an entry was rewritten with a new hash)
  'chain-truncated', // the chain ends before the head recorded for the case
  'case-record-altered', // the case row differs from what its chain records
  'item-record-altered', // an item row differs from what its chain records
  'item-unrecorded', // an item row with no custody entry
  'item-record-missing', // a custody entry for an item whose row is gone
  'item-file-missing', // the stored original is gone
  'item-file-altered', // the stored original fails authentication or hashes differently
] as const;
export const ProblemKind = z.enum(PROBLEM_KINDS);
export type ProblemKind = z.infer<typeof ProblemKind>;

export const Problem = z.object({
  kind: ProblemKind,
  caseId: z.string(),
  seq: z.number().int().optional(),
  itemId: z.string().optional(),
  detail: z.string(),
});
export type Problem = z.infer<typeof Problem>;

export const Warning = z.object({
  kind: z.literal('clock-went-back'),
  caseId: z.string(),
  seq: z.number().int(),
  detail: z.string(),
  behindMs: z.number(),
});
export type Warning = z.infer<typeof Warning>;

export const CaseReport = z.object({
  caseId: z.string(),
  title: z.string(),
  entries: z.number().int(),
  items: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: z.string() }),
  problems: z.array(Problem),
  warnings: z.array(Warning),
  ok: z.boolean(),
});
export type CaseReport = z.infer<typeof CaseReport>;

export const VerifyReport = z.object({
  ok: z.boolean(),
  checkedAt: z.string(),
  cases: z.array(CaseReport),
  /** files or rows not belonging to any case, found while checking */
  problems: z.array(Problem),
});
export type VerifyReport = z.infer<typeof VerifyReport>;
