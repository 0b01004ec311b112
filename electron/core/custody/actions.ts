import { z } from 'zod';

/**
 * Every action a custody entry can record, with the shape of its payload: the one place that says what each entry
 * holds. Writers are typed by it (appendEntry), and replay and verification parse payloads with it instead of
 * trusting casts. Payloads may carry more than a schema names (older or newer optional fields stay covered by the
 * entry's hash); what a schema names must be there and of its type.
 */
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const ItemRef = { itemId: z.string().min(1), sha256: Sha256 };
const Fields = z.record(z.string(), z.unknown());
const RecordRef = z.looseObject({ type: z.enum(['message', 'transaction']), id: z.string().min(1) });
const Counts = z.looseObject({ added: z.number().int().nonnegative() });

export const CUSTODY_PAYLOADS = {
  'case.created': z.looseObject({ fields: Fields }),
  'case.updated': z.looseObject({ changes: Fields }),
  'case.exported': z.looseObject({ format: z.string(), items: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  'case.export-failed': z.looseObject({ exportSeq: z.number().int().positive(), reason: z.string() }),
  'case.transferred': z.looseObject({}),
  // Every column of the item row that the entry fixes (ItemRepo.record writes both from one object).
  'item.added': z.looseObject({
    ...ItemRef,
    kind: z.string(),
    size: z.number().int().nonnegative(),
    objectName: z.string().min(1),
    title: z.string(),
    notes: z.string(),
    tags: z.array(z.string()),
    source: z.string(),
    originalName: z.string().nullable(),
    mediaType: z.string(),
    captured: z.looseObject({ instant: z.string(), offsetMinutes: z.number().int(), zone: z.string() }),
    derivedFrom: z.string().nullable(),
  }),
  'item.annotated': z.looseObject({ ...ItemRef, changes: z.looseObject({ title: z.string().optional(), notes: z.string().optional(), tags: z.array(z.string()).optional() }) }),
  'item.excluded': z.looseObject({ ...ItemRef, reason: z.string() }),
  'item.linked': z.looseObject({ ...ItemRef, targetType: z.string(), targetId: z.string() }),
  // recordsDigestV absent: version 1, written before every field was covered (custody/records-digest.ts).
  'records.imported': z.looseObject({
    importId: z.string().min(1),
    format: z.string(),
    sourceItemId: z.string(),
    counts: z.looseObject({ messages: Counts, transactions: Counts }),
    recordsDigest: Sha256,
    recordsDigestV: z.literal(2).optional(),
  }),
  'records.flagged': z.looseObject({ records: z.array(RecordRef) }),
  'records.unflagged': z.looseObject({ records: z.array(RecordRef) }),
  'checklist.step': z.looseObject({ stepId: z.string().min(1), done: z.boolean() }),
  'packet.exported': z.looseObject({}),
  // An RFC 3161 token from a time-stamp authority (timestamps/): for the hash of entry `seq` of this chain
  // (chain-head), or for a packet's SHA256SUMS (packet). The token travels whole, in the chain: it holds a digest,
  // the TSA's time and certificates, nothing of the victim's.
  'timestamp.recorded': z.looseObject({
    subject: z.enum(['chain-head', 'packet']),
    seq: z.number().int().positive().nullable(),
    imprint: Sha256,
    tsaId: z.string().max(40),
    tsaName: z.string().max(200),
    genTime: z.string(),
    localTime: z.string(),
    skewMs: z.number().int(),
    serial: z.string().max(80),
    tokenSha256: Sha256,
    token: z.string().max(90_000),
  }),
  // The user chose to continue with a database older than the last state the vault recorded (vault/heads.ts): on
  // every case's chain, with what was seen of this case (null if nothing) and the head found when acknowledging.
  'vault.rollback-acknowledged': z.looseObject({
    seen: z.looseObject({ seq: z.number().int().positive(), hash: Sha256 }).nullable(),
    found: z.looseObject({ seq: z.number().int().nonnegative(), hash: z.string() }),
    entriesMissing: z.number().int().nonnegative(),
  }),
} as const;

export type CustodyAction = keyof typeof CUSTODY_PAYLOADS;
export type PayloadOf<A extends CustodyAction> = z.infer<(typeof CUSTODY_PAYLOADS)[A]>;
export type ParsedEntry = { [A in CustodyAction]: { action: A; payload: PayloadOf<A> } }[CustodyAction];

export function isCustodyAction(action: string): action is CustodyAction {
  return Object.hasOwn(CUSTODY_PAYLOADS, action);
}

/** The entry's action and payload checked against the schema; why not, when they are not. */
export function parseAction(action: string, payload: unknown): { ok: true; entry: ParsedEntry } | { ok: false; reason: string } {
  if (!isCustodyAction(action)) return { ok: false, reason: `unknown action ${JSON.stringify(action.slice(0, 60))}` };
  const parsed = CUSTODY_PAYLOADS[action].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${action} payload: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, entry: { action, payload: parsed.data } as ParsedEntry };
}
