import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// The package is CommonJS whose module.exports is the function, but its typings declare an ES default export;
// under NodeNext the default import is module.exports at runtime.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

export const GENESIS_HASH = '0'.repeat(64);

/** The hashed body of a custody entry. Field names are part of the format: recipients recompute hashes from them. */
export interface CustodyEntryBody {
  v: 1;
  caseId: string;
  seq: number;
  time: string; // UTC instant, ISO 8601 with milliseconds
  offsetMinutes: number; // the machine's zone offset when the entry was written
  actor: string;
  action: string;
  payload: Record<string, unknown>;
  prev: string;
  /** Present only when this entry's time is earlier than the previous entry's: the clock went backwards. */
  clockWentBackMs?: number;
}

export interface CustodyEntry extends CustodyEntryBody {
  hash: string;
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalized');
  return text;
}

/**
 * hash = SHA-256( prev as 64 lowercase hex ASCII characters || RFC 8785 canonical JSON of the body ).
 * With jq and a JCS tool: printf '%s' "$PREV"; canonical-json body.json } | sha256sum
 */
export function entryHash(body: CustodyEntryBody): string {
  return createHash('sha256').update(body.prev, 'latin1').update(canonicalJson(body), 'utf8').digest('hex');
}

export function bodyOf(entry: CustodyEntry): CustodyEntryBody {
  const { hash: _hash, ...body } = entry;
  return body;
}
