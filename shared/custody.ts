import { z } from 'zod';

/**
 * The hashed body of a custody entry. Field names are part of the format: recipients recompute hashes from them
 * (electron/core/custody/entry.ts). The payload's shape depends on the action (electron/core/custody/actions.ts).
 */
export const CustodyEntryBody = z.object({
  /**
   * 1: the hash covers the body as it is. 2: it covers the body with each payload field replaced by a salted digest
   * (entry.ts committedBody), so that a packet can carry every entry and disclose only some fields' values.
   */
  v: z.union([z.literal(1), z.literal(2)]),
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
  /** v2: each payload field's salt (16 random bytes, base64url); kept in the vault, disclosed field by field */
  salts: z.record(z.string(), z.string()).optional(),
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
  'vault-rolled-back', // the database is older than the last state the vault recorded outside it (a restored backup, a lost WAL)
  'records-altered', // an import's messages or transactions no longer match the digest its entry records
  'record-unrecorded', // messages or transactions under an import that no intact custody entry records
  'record-flag-altered', // a record is flagged (or not) unlike what the case's flag entries say
  'import-record-altered', // an import row differs from its 'records.imported' entry
  'import-unrecorded', // an import row with no custody entry
  'import-record-missing', // a 'records.imported' entry whose import row is gone
  'database-page-altered', // a page of the database fails its SQLCipher HMAC: changed without the key, or damaged
  'database-damaged', // SQLite's quick_check found the database's structure damaged
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

/** What verification notes without failing: the vault may be intact, but the report says less than usual. */
export const Warning = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('clock-went-back'),
    caseId: z.string(),
    seq: z.number().int(),
    detail: z.string(),
    behindMs: z.number(),
  }),
  /** an import recorded by an older Redress, whose records digest covers only part of each record */
  z.object({
    kind: z.literal('records-digest-legacy'),
    caseId: z.string(),
    seq: z.number().int(),
    detail: z.string(),
  }),
]);
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

/**
 * Originals set aside, never deleted: stored files that no record refers to (after a crash, a restored backup, a lost
 * WAL) are moved to the vault's quarantine folder (electron/core/vault/quarantine.ts) until the user re-attaches or
 * discards them.
 */
export const QuarantineEntry = z.object({
  /** the file's name in quarantine/; a unique prefix of it names it */
  id: z.string(),
  /** plaintext bytes, from the sealed file's length (null if its header is unreadable) */
  size: z.number().int().nullable(),
  sealedBytes: z.number().int(),
  /** when the original was stored in this vault */
  storedAt: z.string(),
  quarantinedAt: z.string(),
  reason: z.enum(['unreferenced', 'unfinished-write']),
});
export type QuarantineEntry = z.infer<typeof QuarantineEntry>;

/** With inspection: what the file holds (decrypted and hashed, nothing written); intact false if it fails authentication. */
export const QuarantinedFile = QuarantineEntry.extend({
  sha256: z.string().nullable().optional(),
  mediaType: z.string().nullable().optional(),
  intact: z.boolean().optional(),
});
export type QuarantinedFile = z.infer<typeof QuarantinedFile>;

export const QuarantineSummary = z.object({
  count: z.number().int(),
  /** plaintext bytes */
  bytes: z.number().int(),
  /** the earliest and latest storedAt */
  oldest: z.string().nullable(),
  newest: z.string().nullable(),
});
export type QuarantineSummary = z.infer<typeof QuarantineSummary>;

/**
 * The database is older than the last state the vault recorded outside it (electron/core/vault/heads.ts): per case,
 * the head seen and the head found. behind: the chain stops short of it; diverged: another entry stands where it was;
 * missing: the case is not in the database.
 */
export const RollbackCase = z.object({
  caseId: z.string(),
  seenSeq: z.number().int(),
  seenHash: z.string(),
  foundSeq: z.number().int().nullable(),
  state: z.enum(['behind', 'diverged', 'missing']),
});
export type RollbackCase = z.infer<typeof RollbackCase>;

export const RollbackFinding = z.object({
  /** the last state recorded outside the database */
  seen: z.object({ counter: z.number().int(), at: z.string() }).nullable(),
  /** that record fails authentication (edited or damaged): the database's age cannot be told */
  unreadable: z.boolean(),
  /** custody entries seen before and not in the database now (at least one per diverged case) */
  entriesMissing: z.number().int(),
  cases: z.array(RollbackCase),
});
export type RollbackFinding = z.infer<typeof RollbackFinding>;
