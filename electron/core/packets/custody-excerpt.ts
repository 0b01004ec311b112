import { createHash } from 'node:crypto';
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
};

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

/** The chain up to `head`; `relied` names the v1 entries that travel whole (the case's creation, the items'). */
export function packetCustody(entries: CustodyEntry[], head: { seq: number; hash: string }, relied: (e: CustodyEntry) => boolean): PacketCustody {
  const out: PacketEntry[] = [];
  for (const entry of entries) {
    if (entry.seq > head.seq) break;
    const { hash, ...body } = entry;
    if (body.v === 2) {
      const committed = committedBody(body);
      if (!committed) throw new Error(`custody entry ${entry.seq} cannot be committed to`);
      const disclosed: Record<string, DisclosedValue> = {};
      for (const name of DISCLOSED_FIELDS[body.action as CustodyAction] ?? []) {
        if (body.payload[name] !== undefined && body.salts?.[name]) disclosed[name] = { salt: body.salts[name], value: body.payload[name] };
      }
      out.push({ seq: entry.seq, hash, v: 2, committed, disclosed });
    } else {
      out.push(relied(entry) ? { seq: entry.seq, hash, v: 1, body } : { seq: entry.seq, hash, v: 1 });
    }
  }
  return { algorithm: CUSTODY_ALGORITHM, head, entries: out };
}

/**
 * - verified: every entry recomputed and linked, from the first to the head, and every item found in its entry
 * - partial: no problem, but some v1 entries travel as their hash alone, so the links around them are not checked
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
const Entry = z.object({ seq: z.number().int().positive(), hash: z.string(), v: z.union([z.literal(1), z.literal(2)]), committed: z.record(z.string(), z.unknown()).optional(), disclosed: z.record(z.string(), z.object({ salt: z.string(), value: z.unknown() })).optional(), body: z.record(z.string(), z.unknown()).optional() });
const Custody = z.object({ head: z.object({ seq: z.number().int(), hash: z.string() }), entries: z.array(Entry).max(10_000_000) });
const Item = z.object({ n: z.string(), itemId: z.string(), sha256: Sha, addedSeq: z.number().int() });

/** Checks a packet's chain (manifest.custody) and that each of its items (manifest.items) is the one its entry added. */
export function checkPacketCustody(manifest: { custody?: unknown; items?: unknown; case?: { chainHead?: unknown } }): CustodyCheck {
  const parsed = Custody.safeParse(manifest.custody);
  const items = z.array(Item).safeParse(manifest.items ?? []);
  if (!parsed.success || !items.success) return { status: 'failed', entries: 0, recomputed: 0, problems: ['the manifest\'s custody chain or item list is not readable'] };
  const { entries, head } = parsed.data;
  const problems: string[] = [];
  const bySeq = new Map<number, z.infer<typeof Entry>>();
  let prevHash: string | null = GENESIS_HASH;
  let recomputed = 0;
  let unlinked = 0;
  for (const [i, e] of entries.entries()) {
    if (e.seq !== i + 1) {
      problems.push(`entry ${i + 1} is missing (found ${e.seq})`);
      break;
    }
    bySeq.set(e.seq, e);
    const recomputedHash = hashOf(e);
    if (recomputedHash === null) {
      unlinked++;
      prevHash = null; // the next entry's link cannot be checked
      continue;
    }
    recomputed++;
    if (recomputedHash !== e.hash) problems.push(`entry ${e.seq} does not match its hash`);
    const prev = (e.committed ?? e.body)!.prev;
    if (prevHash !== null && prev !== prevHash) problems.push(`entry ${e.seq} does not follow entry ${e.seq - 1}`);
    for (const [name, d] of Object.entries(e.disclosed ?? {})) {
      const digests = (e.committed?.digests ?? {}) as Record<string, unknown>;
      if (digests[name] !== fieldDigest(d.salt, name, d.value)) problems.push(`entry ${e.seq}: the value of ${name.slice(0, 40)} is not the one recorded`);
    }
    prevHash = e.hash;
  }
  const last = entries.at(-1);
  const chainHead = manifest.case?.chainHead as { seq?: unknown; hash?: unknown } | undefined;
  if (!last || last.seq !== head.seq || last.hash !== head.hash || chainHead?.seq !== head.seq || chainHead?.hash !== head.hash) problems.push('the chain does not end at the head the packet names');
  for (const item of items.data) {
    const e = bySeq.get(item.addedSeq);
    const values = e ? addedValues(e) : null;
    if (!values) {
      if (e && e.v === 1 && !e.body) problems.push(`${item.n}: the entry that added it travels without its body`);
      else problems.push(`${item.n}: no entry ${item.addedSeq} added it`);
    } else if (values.itemId !== item.itemId || values.sha256 !== item.sha256) problems.push(`${item.n}: its SHA-256 is not the one entry ${item.addedSeq} recorded`);
  }
  return { status: problems.length ? 'failed' : unlinked ? 'partial' : 'verified', entries: entries.length, recomputed, problems: problems.slice(0, 50) };
}

/** The entry's hash recomputed from what the packet carries, or null when it carries the hash alone. */
function hashOf(e: z.infer<typeof Entry>): string | null {
  if (e.v === 2) {
    if (!e.committed || e.committed.v !== 2 || typeof e.committed.prev !== 'string') return 'invalid';
    return sha256Hex(e.committed.prev, canonicalJson(e.committed));
  }
  if (!e.body) return null;
  if (typeof e.body.prev !== 'string' || e.body.v !== 1) return 'invalid';
  return entryHash(e.body as unknown as Omit<CustodyEntry, 'hash'>);
}

/** The item id and SHA-256 an item.added entry recorded, as far as the packet shows them. */
function addedValues(e: z.infer<typeof Entry>): { itemId: unknown; sha256: unknown } | null {
  if (e.v === 2) return e.committed?.action === 'item.added' ? { itemId: e.disclosed?.itemId?.value, sha256: e.disclosed?.sha256?.value } : null;
  const payload = e.body?.payload as Record<string, unknown> | undefined;
  return e.body?.action === 'item.added' && payload ? { itemId: payload.itemId, sha256: payload.sha256 } : null;
}

const sha256Hex = (prev: string, text: string) => createHash('sha256').update(prev, 'latin1').update(text, 'utf8').digest('hex');
