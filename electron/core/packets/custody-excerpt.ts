import { hash } from 'node:crypto';
import { z } from 'zod';
import type { CustodyAction } from '../custody/actions.js';
import { canonicalJson, committedBody, entryHash, fieldDigest, GENESIS_HASH, type CommittedBody, type CustodyEntry } from '../custody/entry.js';

/**
 * The custody chain as a packet carries it: every entry from the first to the case's head, so a recipient can
 * recompute every hash and every link. A v2 entry travels as its committed body (entry.ts): its action, time, actor
 * and one salted digest per payload field; the values (with their salts) travel only for the fields below, which
 * say what each evidence item is and never anything the victim wrote. A v1 entry (written before v2) can only be
 * checked with its whole body, values included, so it travels whole only when the packet relies on it, as before,
 * and otherwise as its hash alone.
 */
export const DISCLOSED_FIELDS: Partial<Record<CustodyAction, readonly string[]>> = {
  'item.added': ['itemId', 'sha256', 'size', 'kind', 'mediaType', 'captured', 'derivedFrom'],
  // a trusted timestamp holds no personal data: every recipient gets the token, to check it with standard tools
  'timestamp.recorded': ['subject', 'seq', 'imprint', 'tsaId', 'tsaName', 'genTime', 'localTime', 'skewMs', 'serial', 'tokenSha256', 'token'],
};

/** Actions whose entries disclose their fields to every recipient, whatever items the packet carries. */
const DISCLOSED_TO_ALL: ReadonlySet<string> = new Set(['timestamp.recorded']);

export const CUSTODY_ALGORITHM = {
  v1: 'hash = SHA-256(prev || RFC8785(body))',
  v2: 'hash = SHA-256(prev || RFC8785(committed)); committed.digests[name] = SHA-256(RFC8785([salt, name, value]))',
} as const;

export interface DisclosedValue {
  salt: string;
  value: unknown;
}

export type PacketEntry =
  | { seq: number; hash: string; v: 2; committed: CommittedBody; disclosed: Record<string, DisclosedValue> }
  | { seq: number; hash: string; v: 1; body?: Omit<CustodyEntry, 'hash'> };

export interface PacketCustody {
  algorithm: typeof CUSTODY_ALGORITHM;
  head: { seq: number; hash: string };
  entries: PacketEntry[];
}

export interface CustodyDisclosure {
  /** the items the packet carries (and the originals of its redacted copies): only their entries disclose values */
  itemIds: ReadonlySet<string>;
  /** whether this v1 entry may travel whole: never when it holds what this recipient must not read */
  v1Body: (entry: CustodyEntry) => boolean;
}

/** The chain up to `head`, each entry as the recipient may see it (see the top of this file). */
export function packetCustody(entries: CustodyEntry[], head: { seq: number; hash: string }, disclose: CustodyDisclosure): PacketCustody {
  const out: PacketEntry[] = [];
  for (const entry of entries) {
    if (entry.seq > head.seq) break;
    const { hash, ...body } = entry;
    if (body.v === 2) {
      const committed = committedBody(body);
      if (!committed) throw new Error(`custody entry ${entry.seq} cannot be committed to`);
      const disclosed: Record<string, DisclosedValue> = {};
      // an item the packet does not carry stays a digest: a platform learns nothing of the victim's other evidence
      const ours = DISCLOSED_TO_ALL.has(body.action) || (typeof body.payload.itemId === 'string' && disclose.itemIds.has(body.payload.itemId));
      for (const name of ours ? (DISCLOSED_FIELDS[body.action as CustodyAction] ?? []) : []) {
        if (body.payload[name] !== undefined && body.salts?.[name]) disclosed[name] = { salt: body.salts[name], value: body.payload[name] };
      }
      out.push({ seq: entry.seq, hash, v: 2, committed, disclosed });
    } else {
      out.push(disclose.v1Body(entry) ? { seq: entry.seq, hash, v: 1, body } : { seq: entry.seq, hash, v: 1 });
    }
  }
  return { algorithm: CUSTODY_ALGORITHM, head, entries: out };
}

/**
 * - verified: every entry recomputed and linked, from the first to the head, and every item found in its entry
 * - partial: no problem, but some v1 entries travel as their hash alone (they hold what this recipient must not
 *   read), so their content, the link before them and any item they added are not checked
 * - failed: a problem, named in `problems`
 */
export type CustodyStatus = 'verified' | 'partial' | 'failed';

export interface CustodyCheck {
  status: CustodyStatus;
  entries: number;
  /** entries whose hash was recomputed here */
  recomputed: number;
  problems: string[];
}

const Sha = z.string().regex(/^[0-9a-f]{64}$/);
const Json = z.record(z.string(), z.unknown());
const Entry = z.union([
  z.object({ seq: z.number().int().positive(), hash: z.string(), v: z.literal(2), committed: Json, disclosed: z.record(z.string(), z.object({ salt: z.string(), value: z.unknown() })) }),
  z.object({ seq: z.number().int().positive(), hash: z.string(), v: z.literal(1), body: Json.optional() }),
]);
type Entry = z.infer<typeof Entry>;
const Custody = z.object({ head: z.object({ seq: z.number().int(), hash: z.string() }), entries: z.array(Entry).max(10_000_000) });
const Items = z.array(z.object({ n: z.string(), itemId: z.string(), sha256: Sha, addedSeq: z.number().int() }));

const failed = (problem: string): CustodyCheck => ({ status: 'failed', entries: 0, recomputed: 0, problems: [problem] });

/** Checks a packet's chain (manifest.custody) and that each of its items (manifest.items) is the one its entry added. */
export function checkPacketCustody(manifest: { custody?: unknown; items?: unknown; case?: { chainHead?: unknown } }): CustodyCheck {
  try {
    return check(manifest);
  } catch {
    // a structure nested deeper than the stack, or anything else no genuine manifest holds
    return failed('the manifest\'s custody chain is not readable');
  }
}

function check(manifest: { custody?: unknown; items?: unknown; case?: { chainHead?: unknown } }): CustodyCheck {
  const parsed = Custody.safeParse(manifest.custody);
  const items = Items.safeParse(manifest.items);
  if (!parsed.success || !items.success) return failed('the manifest\'s custody chain or item list is not readable');
  const { entries, head } = parsed.data;
  const problems: string[] = [];
  const bySeq = new Map<number, Entry>();
  let prevHash = GENESIS_HASH;
  let seenV2 = false;
  let recomputed = 0;
  let unchecked = 0;
  for (const [i, e] of entries.entries()) {
    if (e.seq !== i + 1) {
      problems.push(`entry ${i + 1} is missing (found ${e.seq})`);
      break;
    }
    bySeq.set(e.seq, e);
    if (e.v === 1 && seenV2) problems.push(`entry ${e.seq} is of the older format, after entries of the newer one: no chain is written that way`);
    seenV2 ||= e.v === 2;
    const hashed = e.v === 2 ? e.committed : e.body;
    if (!hashed) {
      // its hash alone: the next entry must link to it, but its own content and link cannot be checked
      unchecked++;
      prevHash = e.hash;
      continue;
    }
    recomputed++;
    if (hashed.v !== e.v || typeof hashed.prev !== 'string' || recompute(e) !== e.hash) problems.push(`entry ${e.seq} does not match its hash`);
    else if (hashed.prev !== prevHash) problems.push(`entry ${e.seq} does not follow entry ${e.seq - 1}`);
    if (e.v === 2) {
      const digests = (e.committed.digests ?? {}) as Record<string, unknown>;
      for (const [name, d] of Object.entries(e.disclosed)) {
        if (digests[name] !== fieldDigest(d.salt, name, d.value)) problems.push(`entry ${e.seq}: the value of ${name.slice(0, 40)} is not the one recorded`);
      }
    }
    prevHash = e.hash;
  }
  const last = entries.at(-1);
  const chainHead = manifest.case?.chainHead as { seq?: unknown; hash?: unknown } | undefined;
  if (!last || last.seq !== head.seq || last.hash !== head.hash || chainHead?.seq !== head.seq || chainHead?.hash !== head.hash) problems.push('the chain does not end at the head the packet names');
  for (const item of items.data) {
    const e = bySeq.get(item.addedSeq);
    if (e?.v === 1 && !e.body) {
      unchecked++;
      continue;
    }
    const values = e ? addedValues(e) : null;
    if (!values) problems.push(`${item.n}: no entry ${item.addedSeq} added it`);
    else if (values.itemId !== item.itemId || values.sha256 !== item.sha256) problems.push(`${item.n}: its SHA-256 is not the one entry ${item.addedSeq} recorded`);
  }
  return { status: problems.length ? 'failed' : unchecked ? 'partial' : 'verified', entries: entries.length, recomputed, problems: problems.slice(0, 50) };
}

/** The entry's hash recomputed from what the packet carries (a v1 body hashes whole, a v2 entry its committed body). */
function recompute(e: Entry): string {
  const hashed = (e.v === 2 ? e.committed : e.body)!;
  return e.v === 2 ? sha256Hex((hashed.prev as string) + canonicalJson(hashed)) : entryHash(hashed as unknown as Omit<CustodyEntry, 'hash'>);
}

/** The item id and SHA-256 an item.added entry recorded, as far as the packet shows them. */
function addedValues(e: Entry): { itemId: unknown; sha256: unknown } | null {
  if (e.v === 2) return e.committed.action === 'item.added' ? { itemId: e.disclosed.itemId?.value, sha256: e.disclosed.sha256?.value } : null;
  const payload = e.body?.payload as Record<string, unknown> | undefined;
  return e.body?.action === 'item.added' && payload ? { itemId: payload.itemId, sha256: payload.sha256 } : null;
}

const sha256Hex = (text: string) => hash('sha256', text, 'hex');
