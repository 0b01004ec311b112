import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// The package is CommonJS whose module.exports is the function, but its typings declare an ES default export;
// under NodeNext the default import is module.exports at runtime.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

export const GENESIS_HASH = '0'.repeat(64);

// The entry's shape is defined once, in shared/custody.ts.
export type { CustodyEntry, CustodyEntryBody } from '../../../shared/custody.js';
import type { CustodyEntry, CustodyEntryBody } from '../../../shared/custody.js';

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
